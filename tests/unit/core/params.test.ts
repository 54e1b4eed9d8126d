import { describe, expect, test } from 'vitest';
import { formatCount, layerParams, totalParams } from '../../../src/core/params';
import type { HiddenLayer } from '../../../src/core/spec';

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
