import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import { VARIANT_IDS, VARIANTS, variantFinding } from '../../../../src/core/experiments/variants';

const deep = { ...DEFAULT_CONFIG, layers: [1, 2, 3, 4].map(() => ({ units: 32, activation: 'sigmoid' as const })) };

describe('variants flip one assumption of the shared config', () => {
  test('each changes exactly what it names and nothing else', () => {
    expect(VARIANTS.relu.apply(deep).layers.map((l) => l.activation)).toEqual(['relu', 'relu', 'relu', 'relu']);
    expect(VARIANTS.scaled.apply(deep)).toEqual({ ...deep, preprocessing: 'scaled' });
    expect(VARIANTS.adam.apply(deep)).toEqual({ ...deep, optimizer: 'adam', learningRate: 0.001 });
    expect(VARIANTS.momentum.apply(deep)).toEqual({ ...deep, optimizer: 'momentum', learningRate: 0.01 });
    expect(VARIANTS.batch32.apply(deep)).toEqual({ ...deep, batchSize: 32 });
    expect(VARIANTS.he.apply(deep)).toEqual({ ...deep, init: 'he_uniform' });
    expect(VARIANTS.l2.apply(deep)).toEqual({ ...deep, l2: 0.0005 });
    expect(VARIANTS.dropout.apply(deep)).toEqual({
      ...deep,
      layers: deep.layers.map((l) => ({ ...l, dropout: 0.2 })),
    });
    expect(VARIANT_IDS).toEqual([
      'relu',
      'scaled',
      'adam',
      'momentum',
      'he',
      'batch32',
      'l2',
      'dropout',
      'cosine',
      'affine',
      'bn',
    ]);
    expect(VARIANTS.bn.apply(deep)).toEqual({ ...deep, layers: deep.layers.map((l) => ({ ...l, batchNorm: true })) });
    expect({ ...VARIANTS.relu.apply(deep), layers: deep.layers }).toEqual(deep);
    for (const id of VARIANT_IDS) expect(VARIANTS[id].id).toBe(id);
  });
});

describe('findings are computed from the numbers, in the table’s 3 decimals', () => {
  test('apart intervals: the variant changed the outcome, with its direction and size', () => {
    expect(variantFinding('relu', '4×32', [0.1135, 0.1135, 0.1028], [0.927, 0.931, 0.925])).toBe(
      'With ReLU, 4×32 rises from 0.110 to 0.928 (+0.818); the 95 % intervals over 3 seeds are apart.',
    );
    expect(variantFinding('relu', '32', [0.885, 0.887, 0.884], [0.594, 0.61, 0.58])).toBe(
      'With ReLU, 32 drops from 0.885 to 0.595 (−0.290); the 95 % intervals over 3 seeds are apart.',
    );
  });

  test('overlapping intervals: within noise', () => {
    expect(variantFinding('scaled', '4×32', [0.1135, 0.2, 0.1028], [0.1135, 0.11, 0.15])).toBe(
      'With inputs scaled to 0..1, 4×32: 0.124 against 0.139, within noise (the 95 % intervals over 3 seeds overlap).',
    );
  });

  test('one seed: the numbers, and no claim', () => {
    expect(variantFinding('adam', '4×32', [0.1135], [0.859])).toBe(
      'With Adam, 4×32 rises from 0.114 to 0.859 (+0.745): one seed each, so no claim yet (repeat it to know whether the difference is more than chance).',
    );
    expect(variantFinding('adam', '4×32', [0.1135, 0.11], [0.859])).toMatch(/one seed on one side, so no claim yet/);
    expect(variantFinding('adam', '4×32', [], [0.859])).toBe('With Adam, 4×32: no finished runs to compare yet.');
  });
});
