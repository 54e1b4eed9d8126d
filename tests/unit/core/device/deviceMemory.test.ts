import { describe, expect, test } from 'vitest';
import {
  batchThatFits,
  DEVICE_BUDGET_BYTES,
  estimateDeviceMemory,
  formatMemory,
  memoryProblem,
} from '../../../../src/core/device/deviceMemory';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';

const deep1400 = (batchSize: number, optimizer: TrainConfig['optimizer'] = 'sgd'): TrainConfig => ({
  ...DEFAULT_CONFIG,
  layers: Array.from({ length: 10 }, () => ({ units: 1400, activation: 'relu' as const })),
  batchSize,
  optimizer,
});

describe('item 18: device memory is estimated, shown and a run beyond the budget refused', () => {
  test('the article network needs about 230 MB, nearly all of it the images', () => {
    const e = estimateDeviceMemory(DEFAULT_CONFIG);
    expect(e.data).toBe(70_000 * 787 * 4);
    expect(e.total).toBeGreaterThan(225e6);
    expect(e.total).toBeLessThan(240e6);
    expect(memoryProblem(DEFAULT_CONFIG)).toBeNull();
  });

  test('activations grow with the batch size; weights and optimizer state do not', () => {
    const small = estimateDeviceMemory(deep1400(1024));
    const big = estimateDeviceMemory(deep1400(8192));
    expect(big.weights).toBe(small.weights);
    expect(big.optimizer).toBe(small.optimizer);
    expect(big.activations).toBe(8 * small.activations);
  });

  test('Adam holds more per weight than momentum, momentum more than plain SGD', () => {
    const [sgd, momentum, adam] = (['sgd', 'momentum', 'adam'] as const).map(
      (o) => estimateDeviceMemory(deep1400(128, o)).optimizer,
    );
    expect(sgd).toBeLessThan(momentum as number);
    expect(momentum).toBeLessThan(adam as number);
  });

  test("the issue's case (batch 8192, 10 layers of 1,400) is refused with the estimate and a batch that fits", () => {
    const problem = memoryProblem(deep1400(8192));
    expect(problem).toMatch(
      /^This run needs about 2\.\d GB of device memory \(weights and gradients 150 MB, sgd state and update 225 MB, activations at batch 8192 1\.\d GB, images 220 MB\), more than the 1\.0 GB/,
    );
    const fits = batchThatFits(deep1400(8192)) as number;
    expect(problem).toContain(`Lower the batch size to ${fits} (about`);
    expect(estimateDeviceMemory(deep1400(fits)).total).toBeLessThanOrEqual(DEVICE_BUDGET_BYTES);
    expect(estimateDeviceMemory(deep1400(fits * 2)).total).toBeGreaterThan(DEVICE_BUDGET_BYTES);
  });

  test('when even batch 1 does not fit, the suggestion is narrower layers', () => {
    expect(memoryProblem(deep1400(8192), 100e6)).toContain(
      'Use narrower or fewer layers: even batch size 1 does not fit.',
    );
    expect(batchThatFits(deep1400(8192), 100e6)).toBeNull();
  });

  test.each<[number, string]>([
    [0, '0 kB'],
    [999, '1 kB'],
    [230e6, '230 MB'],
    [2.36e9, '2.4 GB'],
  ])('formatMemory(%s) is %s', (n, text) => {
    expect(formatMemory(n)).toBe(text);
  });
});
