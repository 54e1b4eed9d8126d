import { describe, expect, test } from 'vitest';
import type { HiddenLayer } from '../../../../src/core/network/spec';
import { kerasSummary, kerasSummaryLines, weightBytes } from '../../../../src/core/network/summary';

const hidden = (...widths: number[]): HiddenLayer[] => widths.map((units) => ({ units, activation: 'sigmoid' }));

describe('the Keras 2.2 summary', () => {
  test("the article's first network, exactly as Keras 2.2 prints it", () => {
    expect(kerasSummary(hidden(32))).toBe(
      [
        '_________________________________________________________________',
        'Layer (type)                 Output Shape              Param #   ',
        '=================================================================',
        'dense_1 (Dense)              (None, 32)                25120     ',
        '_________________________________________________________________',
        'dense_2 (Dense)              (None, 10)                330       ',
        '=================================================================',
        'Total params: 25,450',
        'Trainable params: 25,450',
        'Non-trainable params: 0',
        '_________________________________________________________________',
      ].join('\n'),
    );
  });

  test('four layers of 32', () => {
    const lines = kerasSummaryLines(hidden(32, 32, 32, 32));
    expect(lines.slice(3, 13)).toEqual([
      'dense_1 (Dense)              (None, 32)                25120     ',
      '_________________________________________________________________',
      'dense_2 (Dense)              (None, 32)                1056      ',
      '_________________________________________________________________',
      'dense_3 (Dense)              (None, 32)                1056      ',
      '_________________________________________________________________',
      'dense_4 (Dense)              (None, 32)                1056      ',
      '_________________________________________________________________',
      'dense_5 (Dense)              (None, 10)                330       ',
      '=================================================================',
    ]);
    expect(lines.slice(13)).toEqual([
      'Total params: 28,618',
      'Trainable params: 28,618',
      'Non-trainable params: 0',
      '_'.repeat(65),
    ]);
  });

  test('one layer of 2048 (1.6 million parameters) and no hidden layer', () => {
    expect(kerasSummaryLines(hidden(2048))[3]).toBe(
      'dense_1 (Dense)              (None, 2048)              1607680   ',
    );
    expect(kerasSummaryLines(hidden(2048)).at(-4)).toBe('Total params: 1,628,170');
    expect(kerasSummaryLines([]).slice(3, 5)).toEqual([
      'dense_1 (Dense)              (None, 10)                7850      ',
      '='.repeat(65),
    ]);
  });

  test('every table line is 65 characters wide', () => {
    for (const line of kerasSummaryLines(hidden(4096, 7, 1))) {
      if (!/params/.test(line)) expect(line).toHaveLength(65);
    }
  });

  test('weight memory is 4 bytes per parameter', () => {
    expect(weightBytes(hidden(32))).toBe(101800);
  });

  test('batch normalization: Dense without bias, BatchNormalization (its name cut as Keras 2.2 cuts it), Activation, then Dropout', () => {
    const layers: HiddenLayer[] = [
      { units: 32, activation: 'relu', batchNorm: true, dropout: 0.2 },
      { units: 16, activation: 'tanh' },
      { units: 8, activation: 'sigmoid', batchNorm: true },
    ];
    const lines = kerasSummaryLines(layers, 0.1);
    expect(lines.filter((_, i) => i >= 3 && i < 23 && i % 2 === 1)).toEqual([
      'dropout_1 (Dropout)          (None, 784)               0         ',
      'dense_1 (Dense)              (None, 32)                25088     ',
      'batch_normalization_1 (Batch (None, 32)                128       ',
      'activation_1 (Activation)    (None, 32)                0         ',
      'dropout_2 (Dropout)          (None, 32)                0         ',
      'dense_2 (Dense)              (None, 16)                528       ',
      'dense_3 (Dense)              (None, 8)                 128       ',
      'batch_normalization_2 (Batch (None, 8)                 32        ',
      'activation_2 (Activation)    (None, 8)                 0         ',
      'dense_4 (Dense)              (None, 10)                90        ',
    ]);
    expect(lines.slice(-4, -1)).toEqual([
      'Total params: 25,994',
      'Trainable params: 25,914',
      'Non-trainable params: 80',
    ]);
    for (const line of lines.slice(0, -4)) expect(line).toHaveLength(65);
    // The weights in memory include the moving statistics.
    expect(weightBytes(layers)).toBe(25994 * 4);
  });
});
