import { describe, expect, test } from 'vitest';
import {
  equalWidthParams,
  formatCount,
  layerParams,
  nonTrainableParams,
  totalParams,
  trainableParams,
  widthForBudget,
  widthsForBudget,
} from '../../../../src/core/network/params';
import type { HiddenLayer } from '../../../../src/core/network/spec';

const hidden = (...widths: number[]): HiddenLayer[] => widths.map((units) => ({ units, activation: 'sigmoid' }));

describe('parameter counting', () => {
  test("the article's first network: 25,120 + 330 = 25,450", () => {
    expect(layerParams(hidden(32)).map((l) => [l.name, l.params])).toEqual([
      ['dense_1', 25120],
      ['dense_2', 330],
    ]);
    expect(totalParams(hidden(32))).toBe(25450);
  });

  test('no hidden layer is logistic regression: 784 x 10 + 10', () => {
    expect(totalParams([])).toBe(7850);
  });

  test('deeper and wider networks', () => {
    expect(totalParams(hidden(32, 32, 32, 32))).toBe(25120 + 3 * (32 * 32 + 32) + 330);
    expect(totalParams(hidden(2048))).toBe(784 * 2048 + 2048 + 2048 * 10 + 10); // 1.6 million, as the article says
    expect(totalParams(hidden(512, 512, 512))).toBe(401920 + 2 * 262656 + 5130);
  });

  test('counts are formatted with thousands separators', () => {
    expect(formatCount(25450)).toBe('25,450');
    expect(formatCount(1628170)).toBe('1,628,170');
    expect(formatCount(330)).toBe('330');
  });
});

describe('parameter counting with batch normalization', () => {
  const bn = (units: number): HiddenLayer => ({ units, activation: 'relu', batchNorm: true });

  test('one layer of 32: a Dense without bias (25,088) and a BatchNormalization of 128, as Keras 3 counts them', () => {
    // Keras 3.15, Dense(32, use_bias=False), BatchNormalization(), Activation('relu'), Dense(10):
    // count_params() 25,546; summary: trainable 25,482, non-trainable 64.
    expect(layerParams([bn(32)])).toEqual([
      { name: 'dense_1', units: 32, inputs: 784, dense: 25088, norm: 128, params: 25216, nonTrainable: 64 },
      { name: 'dense_2', units: 10, inputs: 32, dense: 330, norm: 0, params: 330, nonTrainable: 0 },
    ]);
    expect(totalParams([bn(32)])).toBe(25546);
    expect(trainableParams([bn(32)])).toBe(25482);
    expect(nonTrainableParams([bn(32)])).toBe(64);
  });

  test('only the layers that have it: 3 x units more than without, 2 x units of it not trainable', () => {
    const plain = hidden(64, 16, 8);
    const mixed = [bn(64), plain[1] as HiddenLayer, bn(8)];
    expect(totalParams(mixed)).toBe(totalParams(plain) + 3 * 64 + 3 * 8);
    expect(nonTrainableParams(mixed)).toBe(2 * 64 + 2 * 8);
    expect(trainableParams(mixed)).toBe(totalParams(plain) + 64 + 8);
    expect(layerParams(mixed).map((l) => l.dense)).toEqual([784 * 64, 64 * 16 + 16, 16 * 8, 8 * 10 + 10]);
    // Without it, nothing is frozen and the dense count is the whole count.
    expect(nonTrainableParams(plain)).toBe(0);
    expect(layerParams(plain).every((l) => l.params === l.dense && l.norm === 0)).toBe(true);
  });

  test('batchNorm false counts as none', () => {
    expect(totalParams([{ units: 32, activation: 'relu', batchNorm: false }])).toBe(25450);
  });
});

describe('equal widths for a parameter budget', () => {
  test('the count of equal layers agrees with the layer-by-layer count', () => {
    for (const depth of [0, 1, 2, 3, 5]) {
      for (const width of [1, 7, 32, 100, 2048]) {
        expect(equalWidthParams(depth, width)).toBe(totalParams(hidden(...Array<number>(depth).fill(width))));
      }
    }
  });

  test("one layer at the article's first network's budget is that network: 32 units", () => {
    expect(widthForBudget(1, 25450)).toBe(32);
  });

  test('equal widths alone can miss the budget by more than 1 %: a unit of every layer costs too much', () => {
    // Four layers at 25,450: 29 units (25,675 parameters, 0.9 % over; 28 would give 24,706).
    expect(widthForBudget(4, 25450)).toBe(29);
    expect(equalWidthParams(4, 29)).toBe(25675);
    expect(equalWidthParams(4, 28)).toBe(24706);
    const misses = [1, 2, 3, 4, 5].map((d) => Math.abs(equalWidthParams(d, widthForBudget(d, 25450)) - 25450) / 25450);
    expect(Math.max(...misses)).toBeGreaterThan(0.01);
  });

  test('1 to 5 layers at 25,450 and at about 100,000: widths within one unit of each other, within 1 % of the budget, narrower as they deepen', () => {
    for (const budget of [25450, 100_000]) {
      let previous = Infinity;
      for (let depth = 1; depth <= 5; depth++) {
        const widths = widthsForBudget(depth, budget);
        expect(widths).toHaveLength(depth);
        expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1);
        expect(Math.abs(totalParams(hidden(...widths)) - budget) / budget).toBeLessThan(0.01);
        expect(Math.max(...widths)).toBeLessThanOrEqual(previous);
        previous = Math.max(...widths);
      }
    }
    expect(widthsForBudget(1, 25450)).toEqual([32]);
    // Four layers: 29, 28, 28, 28 give 25,519 (0.3 % over).
    expect(widthsForBudget(4, 25450)).toEqual([29, 28, 28, 28]);
    expect(totalParams(hidden(29, 28, 28, 28))).toBe(25519);
  });

  test('the nearer of the two integer widths around the exact root wins', () => {
    for (const depth of [1, 2, 4]) {
      for (const budget of [9000, 25450, 77_777, 1_000_000]) {
        const w = widthForBudget(depth, budget);
        const miss = Math.abs(equalWidthParams(depth, w) - budget);
        expect(miss).toBeLessThanOrEqual(Math.abs(equalWidthParams(depth, w + 1) - budget));
        if (w > 1) expect(miss).toBeLessThanOrEqual(Math.abs(equalWidthParams(depth, w - 1) - budget));
      }
    }
  });

  test('a budget below one unit gives one unit; no hidden layer has no width', () => {
    expect(widthForBudget(3, 10)).toBe(1);
    expect(widthForBudget(0, 25450)).toBe(0);
  });
});
