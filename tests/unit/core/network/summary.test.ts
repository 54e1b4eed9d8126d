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
});
