import { expect, test } from 'vitest';
import { diagramColumns } from '../../../../src/core/network/diagram';

test('one column per layer with heights on a log scale of the width', () => {
  const cols = diagramColumns([
    { units: 1, activation: 'relu' },
    { units: 4096, activation: 'sigmoid' },
    { units: 64, activation: 'tanh' },
  ]);
  expect(cols.map((c) => c.units)).toEqual([784, 1, 4096, 64, 10]);
  expect(cols.map((c) => c.label)).toEqual(['input', '1: relu', '2: sigmoid', '3: tanh', 'softmax']);
  expect(cols[2]?.height).toBeCloseTo(1, 6);
  expect(cols[1]?.height).toBeGreaterThan(0.04);
  expect(cols[3]!.height).toBeCloseTo(Math.log2(65) / Math.log2(4097), 6);
  expect(cols[0]!.height).toBeGreaterThan(cols[3]!.height);
});
