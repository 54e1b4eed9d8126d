import { describe, expect, test } from 'vitest';
import {
  addLayer,
  moveLayer,
  removeLayer,
  setActivation,
  setNumber,
  setOptimizer,
  setWidth,
  stopToWidth,
  widthToStop,
  WIDTH_STOPS,
} from '../../../../src/core/network/edit';
import { totalParams } from '../../../../src/core/network/params';
import { DEFAULT_CONFIG, LIMITS } from '../../../../src/core/network/spec';
import { decodeConfig, encodeConfig } from '../../../../src/core/link/urlCodec';

const base = DEFAULT_CONFIG;

describe('editing the network', () => {
  test('add, set width and activation, move and remove layers', () => {
    let c = addLayer(base);
    expect(c.layers).toEqual([
      { units: 32, activation: 'sigmoid' },
      { units: 32, activation: 'sigmoid' },
    ]);
    c = setWidth(c, 1, 128);
    c = setActivation(c, 1, 'relu');
    expect(totalParams(c.layers)).toBe(25120 + (32 * 128 + 128) + (128 * 10 + 10));
    c = moveLayer(c, 1, -1);
    expect(c.layers.map((l) => l.units)).toEqual([128, 32]);
    expect(moveLayer(c, 0, -1)).toBe(c);
    c = removeLayer(c, 0);
    expect(c.layers).toEqual([{ units: 32, activation: 'sigmoid' }]);
    expect(removeLayer(c, 0).layers).toEqual([]);
    expect(addLayer({ ...c, layers: [] }).layers).toEqual([{ units: 32, activation: 'sigmoid' }]);
  });

  test('widths are clamped to 1..4096, and a network past the parameter cap is refused', () => {
    expect(setWidth(base, 0, 99999).layers[0]?.units).toBe(4096);
    expect(setWidth(base, 0, 0).layers[0]?.units).toBe(1);
    expect(setWidth(base, 0, NaN).layers[0]?.units).toBe(1);
    let c = setWidth(base, 0, 4096);
    c = addLayer(c);
    expect(totalParams(c.layers)).toBeLessThan(LIMITS.maxParams);
    const over = addLayer(c); // a third 4096 layer would pass 20 million
    expect(over).toBe(c);
  });

  test('at most 10 hidden layers', () => {
    let c = base;
    for (let i = 0; i < 15; i++) c = addLayer(c);
    expect(c.layers).toHaveLength(LIMITS.maxLayers);
  });

  test('slider stops run from 1 to 4096 through the powers of two', () => {
    expect(WIDTH_STOPS[0]).toBe(1);
    expect(WIDTH_STOPS.at(-1)).toBe(4096);
    for (const p of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096])
      expect(stopToWidth(widthToStop(p))).toBe(p);
    expect(stopToWidth(widthToStop(100))).toBe(96);
    expect(stopToWidth(-3)).toBe(1);
    expect(stopToWidth(999)).toBe(4096);
  });

  test('settings are clamped, and edited configs survive the URL', () => {
    let c = setNumber(base, 'epochs', 0);
    expect(c.epochs).toBe(1);
    c = setNumber(c, 'learningRate', 50);
    expect(c.learningRate).toBe(10);
    c = setNumber(c, 'subset', 50);
    expect(c.subset).toBe(100);
    c = setNumber(c, 'validationSplit', 0.25);
    c = setNumber(c, 'seed', 123.6);
    expect(c.seed).toBe(124);
    expect(setNumber(c, 'subset', 60000).subset).toBeNull();
    c = setActivation(setWidth(addLayer(c), 1, 640), 1, 'tanh');
    expect(decodeConfig(encodeConfig(c)).config).toEqual(c);
  });

  test('a learning rate at the optimizer default follows the optimizer', () => {
    expect(setOptimizer(base, 'adam').learningRate).toBe(0.001);
    expect(setOptimizer(setNumber(base, 'learningRate', 0.05), 'adam').learningRate).toBe(0.05);
  });
});
