import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/spec';
import { VARIANT_IDS, VARIANTS, variantFinding } from '../../../src/core/variants';

const deep = { ...DEFAULT_CONFIG, layers: [1, 2, 3, 4].map(() => ({ units: 32, activation: 'sigmoid' as const })) };

describe('variants flip one assumption of the shared config', () => {
  test('each changes exactly what it names and nothing else', () => {
    expect(VARIANTS.relu.apply(deep).layers.map((l) => l.activation)).toEqual(['relu', 'relu', 'relu', 'relu']);
    expect(VARIANTS.scaled.apply(deep)).toEqual({ ...deep, preprocessing: 'scaled' });
    expect(VARIANTS.adam.apply(deep)).toEqual({ ...deep, optimizer: 'adam', learningRate: 0.001 });
    expect(VARIANTS.momentum.apply(deep)).toEqual({ ...deep, optimizer: 'momentum', learningRate: 0.01 });
    expect(VARIANTS.batch32.apply(deep)).toEqual({ ...deep, batchSize: 32 });
    expect(VARIANTS.he.apply(deep)).toEqual({ ...deep, init: 'he_uniform' });
    expect(VARIANT_IDS).toEqual(['relu', 'scaled', 'adam', 'momentum', 'he', 'batch32']);
    expect({ ...VARIANTS.relu.apply(deep), layers: deep.layers }).toEqual(deep);
    for (const id of VARIANT_IDS) expect(VARIANTS[id].id).toBe(id);
  });
});

describe('findings are computed from the numbers', () => {
  test('apart intervals: the variant changed the outcome, in numbers', () => {
    expect(variantFinding('relu', '4×32', [0.1135, 0.1135, 0.1028], [0.927, 0.931, 0.925])).toBe(
      'With ReLU, 4×32 reaches 0.93 instead of 0.11; the 95 % intervals over 3 seeds do not overlap.',
    );
  });

  test('overlapping intervals: no difference can be claimed', () => {
    expect(variantFinding('scaled', '4×32', [0.1135, 0.2, 0.1028], [0.1135, 0.11, 0.15])).toBe(
      "With inputs scaled to 0..1, 4×32: 0.12 against 0.14, and the 3 repeats' intervals overlap: no difference can be claimed.",
    );
  });

  test('one run each: the numbers, and that one run cannot tell', () => {
    expect(variantFinding('adam', '4×32', [0.1135], [0.859])).toBe(
      'With Adam, 4×32 reaches 0.86 instead of 0.11 (one run each: repeat it to know whether the difference is more than chance).',
    );
    expect(variantFinding('adam', '4×32', [], [0.859])).toBe('With Adam, 4×32: no finished runs to compare yet.');
  });
});
