import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { dotProduct, inputName, layerInputs, rms, stepNumber, stripUnits } from '../../../../src/core/step/step';

describe('dotProduct', () => {
  test('writes out the largest terms first, and the rest, bias and z add up', () => {
    const d = dotProduct([0.5, -2, 0.1, 3], [1, 1, 10, 0], 0.25, 'relu', 2);
    expect(d.top.map((t) => [t.index, t.product])).toEqual([
      [1, -2],
      [2, 1],
    ]);
    expect(d.others).toBe(2);
    expect(d.rest).toBeCloseTo(0.5, 12);
    expect(d.z).toBeCloseTo(-0.25, 12);
    expect(d.output).toBe(0);
  });

  test('applies the activation to z; an output unit (null) gives its logit', () => {
    expect(dotProduct([1], [2], 0, 'sigmoid').output).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(dotProduct([1], [2], 0, 'tanh').output).toBeCloseTo(Math.tanh(2), 12);
    expect(dotProduct([1], [2], 1, null).output).toBe(3);
  });

  test('for any weights and inputs: top terms + rest + bias = z, and the top terms are the largest', () => {
    const nums = fc.float({ min: -100, max: 100, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(nums, nums), { minLength: 1, maxLength: 60 }), nums, (pairs, bias) => {
        const d = dotProduct(
          pairs.map((p) => p[0]),
          pairs.map((p) => p[1]),
          bias,
          null,
        );
        const sum = d.top.reduce((s, t) => s + t.product, 0) + d.rest + d.bias;
        expect(sum).toBeCloseTo(d.z, 6);
        const smallestTop = Math.min(...d.top.map((t) => Math.abs(t.product)));
        const all = pairs.map((p) => Math.abs(p[0] * p[1])).sort((a, b) => b - a);
        expect(smallestTop).toBe(all[d.top.length - 1]);
        expect(d.top.length + d.others).toBe(pairs.length);
      }),
    );
  });

  test('refuses weights and inputs of different lengths', () => {
    expect(() => dotProduct([1, 2], [1], 0, null)).toThrow(/2 weights for 1 inputs/);
  });
});

test('inputName names pixels by row and column, and units of the layer before', () => {
  expect(inputName(0, 0)).toBe('pixel (1, 1)');
  expect(inputName(0, 28 * 13 + 4)).toBe('pixel (14, 5)');
  expect(inputName(2, 6)).toBe('unit 7 of layer 2');
});

test('layerInputs: the image for the first layer, the previous layer after', () => {
  const image = new Float32Array([1, 2]);
  const values = new Float32Array([3]);
  const layer = { name: 'Layer 1', activation: null, values, gradient: values, update: values, updateRatio: 0 };
  expect(layerInputs({ image, layers: [layer] }, 0)).toBe(image);
  expect(layerInputs({ image, layers: [layer] }, 1)).toBe(values);
  expect(() => layerInputs({ image, layers: [] }, 1)).toThrow(/no layer 0/);
});

test('numbers: rms, strip width and 4 significant digits', () => {
  expect(rms([3, 4])).toBeCloseTo(Math.sqrt(12.5), 12);
  expect(rms([])).toBe(0);
  expect(stripUnits(10)).toBe(10);
  expect(stripUnits(2048)).toBe(32);
  expect(stepNumber(0.123456)).toBe('0.1235');
  expect(stepNumber(-25.6189)).toBe('-25.62');
  expect(stepNumber(0)).toBe('0');
  expect(stepNumber(2.14e-6)).toBe('2.14e-6');
  expect(stepNumber(Number.NaN)).toBe('NaN');
});
