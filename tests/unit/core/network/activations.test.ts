// The activation table (core/network/activations.ts): each entry checked against an independent
// source. The formula and range against TensorFlow.js's own layer (ml/activations.ts), whether
// it saturates or dies against its derivative there, the share it counts against the device's
// share, the Keras name against what the Keras script and the Layers export hand to Keras, and
// the name against what a share link reads.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ACTIVATION_INFO,
  atLimit,
  fromKerasName,
  limitsText,
  SATURATION_MARGIN,
  saturates,
  unboundedAbove,
} from '../../../../src/core/network/activations';
import { ACTIVATIONS, DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import { decodeConfig, encodeConfig } from '../../../../src/core/link/urlCodec';
import { kerasScript } from '../../../../src/core/interchange/kerasScript';
import { layersArtifacts } from '../../../../src/core/interchange/layersExport';
import { readLayersModel } from '../../../../src/core/interchange/layersImport';
import { ACTIVATION_FORMS } from '../../../../src/ml/activations';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Sums from far below 0 to far above it, and around the points where the formulas bend. */
const SUMS = [-1e6, -60, -20, -5, -1, -0.25, -1e-3, 0, 1e-3, 0.25, 1, 5, 20, 60, 1e6];

/** TensorFlow.js's Dense layer of one unit with weight 1 and bias 0: its activation of each sum. */
function tfOf(a: (typeof ACTIVATIONS)[number], z: readonly number[]): number[] {
  const x = tf.tensor2d(z.map((v) => [v]));
  return Array.from(ACTIVATION_FORMS[a].dense(x, tf.tensor2d([[1]]), tf.tensor1d([0])).dataSync());
}

/** The slope of the activation at output h, from ml/activations.ts's derivative (dh = 1). */
function slopeAt(a: (typeof ACTIVATIONS)[number], h: number): number {
  return ACTIVATION_FORMS[a].gradient(tf.tensor2d([[h]]), tf.tensor2d([[1]])).dataSync()[0] as number;
}

test('one entry per activation, in the order of ACTIVATIONS', () => {
  expect(Object.keys(ACTIVATION_INFO)).toEqual([...ACTIVATIONS]);
});

describe.each(ACTIVATIONS)('%s', (a) => {
  const info = ACTIVATION_INFO[a];

  test('its plain formula gives what TensorFlow.js computes', () => {
    const want = tfOf(a, SUMS);
    SUMS.forEach((z, i) => {
      const w = want[i] as number;
      expect(Math.abs(info.apply(z) - w)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w)));
    });
  });

  test('its formula text is the same formula', () => {
    const js = info.formula.replace(/\b(exp|max|tanh)\(/g, 'Math.$1(');
    const f = new Function('z', `return ${js};`) as (z: number) => number;
    for (const z of SUMS) expect(f(z)).toBe(info.apply(z));
  });

  test('its outputs stay in its range and reach both ends', () => {
    const out = tfOf(a, SUMS);
    for (const h of out) {
      expect(h).toBeGreaterThanOrEqual(info.range.min);
      expect(h).toBeLessThanOrEqual(info.range.max);
    }
    // The ends: reached (within 1e-6) where finite, passed by far where not.
    const [lo, hi] = [out[0] as number, out.at(-1) as number];
    if (Number.isFinite(info.range.min)) expect(lo - info.range.min).toBeLessThan(1e-6);
    else expect(lo).toBeLessThan(-1e5);
    if (Number.isFinite(info.range.max)) expect(info.range.max - hi).toBeLessThan(1e-6);
    else expect(hi).toBeGreaterThan(1e5);
    expect(unboundedAbove(a)).toBe(info.range.max === Infinity);
  });

  test('it saturates where its slope vanishes at both ends, dies where it is flat at zero below 0', () => {
    const far = tfOf(a, [-20, 20]);
    const ends = far.map((h) => slopeAt(a, h));
    const flatBelow = slopeAt(a, far[0] as number) === 0 && (far[0] as number) === 0;
    const vanishes = ends.every((s) => Math.abs(s) < 1e-6);
    expect(info.limit).toBe(vanishes ? 'saturates' : flatBelow ? 'dies' : null);
    expect(saturates(a)).toBe(vanishes);
    // Just above 0 the slope is well away from zero: the unit learns there.
    expect(slopeAt(a, tfOf(a, [0.25])[0] as number)).toBeGreaterThan(0.1);
  });

  test('the outputs it counts (atLimit) are the share the device computes', () => {
    const m = SATURATION_MARGIN;
    const bounded = [info.range.min, info.range.max].filter(Number.isFinite);
    const hs = [
      ...tfOf(a, SUMS),
      ...bounded.flatMap((e) => [e, e + m / 2, e - m / 2, e + 2 * m, e - 2 * m]),
      -0.5,
      0.5,
    ].filter((h) => h >= info.range.min && h <= info.range.max);
    // One image, a unit per output: a unit is dead when its one output is.
    const share = ACTIVATION_FORMS[a].share(tf.tensor2d([hs])).dataSync()[0] as number;
    const counted = hs.filter((h) => atLimit(a, h)).length / hs.length;
    expect(share).toBeCloseTo(counted, 6);
    expect(counted > 0).toBe(info.limit !== null);
  });

  test('its Keras name is what the Keras script and the Layers export hand to Keras, and what the import reads', () => {
    const config = { ...DEFAULT_CONFIG, layers: [{ units: 3, activation: a }] };
    const script = kerasScript('t', [{ config, tag: null }]);
    const runs = JSON.parse(/RUNS = json\.loads\(r"""([\s\S]*?)"""\)/.exec(script)?.[1] ?? 'null') as {
      config: { layers: { activation: string }[] };
    }[];
    // The script passes each layer's activation to keras.layers.Dense as it is.
    expect(script).toContain('keras.layers.Dense(layer["units"], activation=layer["activation"]');
    expect(runs[0]?.config.layers[0]?.activation).toBe(info.keras);
    const model = {
      layers: config.layers,
      preprocessing: 'scaled' as const,
      dataset: 'mnist' as const,
      kernels: [new Float32Array(784 * 3), new Float32Array(30)],
      biases: [new Float32Array(3), new Float32Array(10)],
    };
    const art = layersArtifacts(model, '');
    expect(JSON.stringify(art.modelJson)).toContain(`"activation":"${info.keras}"`);
    const back = readLayersModel(JSON.stringify(art.modelJson), [
      { name: 'model.weights.bin', bytes: new Uint8Array(art.weightData) },
    ]);
    expect(back.ok && back.value.model.layers[0]?.activation).toBe(a);
    expect(fromKerasName(info.keras)).toBe(a);
  });

  test('its name is the one a share link writes and reads', () => {
    const d = decodeConfig(`layers=3&act=${info.name}`);
    expect(d.notices).toEqual([]);
    expect(d.config.layers[0]?.activation).toBe(a);
    expect(encodeConfig({ ...DEFAULT_CONFIG, layers: [{ units: 3, activation: a }] })).toContain(`act=${info.name}&`);
  });
});

test('the ends of the saturating ranges in words, and names the lab does not have', () => {
  expect(limitsText('sigmoid')).toBe('0 or 1');
  expect(limitsText('tanh')).toBe('-1 or 1');
  expect(fromKerasName('elu')).toBeUndefined();
  expect(fromKerasName('softmax')).toBeUndefined();
  expect(new Set(ACTIVATIONS.map((a) => ACTIVATION_INFO[a].name)).size).toBe(ACTIVATIONS.length);
});
