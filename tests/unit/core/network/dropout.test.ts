import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  describeDropout,
  encodeDropouts,
  hasDropout,
  MaskStream,
  setDropout,
} from '../../../../src/core/network/dropout';
import { mulberry32 } from '../../../../src/core/network/rng';
import { DEFAULT_CONFIG, LIMITS, type TrainConfig } from '../../../../src/core/network/spec';
import { decodeConfig, encodeConfig } from '../../../../src/core/link/urlCodec';
import { kerasSummaryLines } from '../../../../src/core/network/summary';
import { readRunRecord, RUN_SCHEMA, toStored } from '../../../../src/core/runs/runSchema';
import { newRunRecord } from '../../../../src/core/runs/runs';
import { layersArtifacts } from '../../../../src/core/interchange/layersExport';
import { readLayersModel } from '../../../../src/core/interchange/layersImport';
import type { TrainedModel } from '../../../../src/core/runs/model';

const twoLayers: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [
    { units: 64, activation: 'relu' },
    { units: 32, activation: 'relu' },
  ],
};

describe("the mask follows Keras's inverted dropout", () => {
  test('zeros at the rate (within binomial bounds), the rest 1 / (1 − rate): the mean is kept', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: LIMITS.maxDropout, noNaN: true }), fc.integer(), (rate, seed) => {
        const n = 20_000;
        const mask = new MaskStream(seed).fill(rate, new Float32Array(n));
        const zeros = mask.filter((v) => v === 0).length;
        const sd = Math.sqrt(n * rate * (1 - rate));
        expect(Math.abs(zeros - n * rate)).toBeLessThan(5 * sd);
        const keep = Math.fround(1 / (1 - rate));
        expect(mask.every((v) => v === 0 || v === keep)).toBe(true);
        // The mean of the mask is about 1: what passes through is the input's size on average.
        const mean = mask.reduce((s, v) => s + v, 0) / n;
        expect(Math.abs(mean - 1)).toBeLessThan((5 * sd * keep) / n);
      }),
      { numRuns: 30 },
    );
  });
  test("each value's draw is half of one of mulberry32's 32-bit numbers, low half first; a stream goes on where it stopped", () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: LIMITS.maxDropout, noNaN: true }), (seed, rate) => {
        const rng = mulberry32(seed);
        const threshold = Math.round(rate * 65536);
        const want: number[] = [];
        for (let k = 0; k < 50; k++) {
          const u = Math.round(rng() * 4294967296);
          want.push(u % 65536 < threshold ? 0 : 1, Math.floor(u / 65536) < threshold ? 0 : 1);
        }
        const stream = new MaskStream(seed);
        // 37 values (the 38th number is not used), then the rest from the next draw on.
        const first = stream.fill(rate, new Float32Array(37));
        const rest = stream.fill(rate, new Float32Array(62));
        const got = [...first, ...rest].map((v) => (v === 0 ? 0 : 1));
        expect(got).toEqual([...want.slice(0, 37), ...want.slice(38)]);
      }),
      { numRuns: 50 },
    );
  });
  test('only `count` values are written', () => {
    const part = new MaskStream(7).fill(0.5, new Float32Array(100).fill(9), 10);
    expect(Array.from(part.subarray(10))).toEqual(new Array(90).fill(9));
  });
});

describe('dropout in the config', () => {
  test('every layer or one; 0 removes the field; rates are clamped to 0..0.8', () => {
    const all = setDropout(twoLayers, 0.5);
    expect(all.layers.map((l) => l.dropout)).toEqual([0.5, 0.5]);
    const one = setDropout(all, 0, 1);
    expect(one.layers[1]).toEqual({ units: 32, activation: 'relu' });
    expect(setDropout(twoLayers, 3).layers[0]?.dropout).toBe(LIMITS.maxDropout);
    expect(setDropout(all, Number.NaN).layers[0]?.dropout).toBe(0.5);
    expect(hasDropout(twoLayers)).toBe(false);
    expect(hasDropout({ ...twoLayers, inputDropout: 0.2 })).toBe(true);
    expect(hasDropout(one)).toBe(true);
  });
  test('how it reads: one rate for all, else per layer', () => {
    expect(encodeDropouts(twoLayers.layers)).toBeNull();
    expect(encodeDropouts(setDropout(twoLayers, 0.5).layers)).toBe('0.5');
    expect(encodeDropouts(setDropout(twoLayers, 0.2, 1).layers)).toBe('0,0.2');
    expect(describeDropout({ ...setDropout(twoLayers, 0.5), inputDropout: 0.2 })).toBe(
      'input dropout 0.2 · dropout 0.5',
    );
    expect(describeDropout(setDropout(twoLayers, 0.2, 0))).toBe('dropout 0.2, 0');
    expect(describeDropout(twoLayers)).toBe('');
  });
});

describe('dropout in the link', () => {
  test('one rate for every layer, a list per layer, and indrop; a link without them has none', () => {
    const c = decodeConfig('layers=64,32&dropout=0.5&indrop=0.2').config;
    expect(c.layers.map((l) => l.dropout)).toEqual([0.5, 0.5]);
    expect(c.inputDropout).toBe(0.2);
    expect(decodeConfig('layers=64,32&act=relu&dropout=0.5,0').config.layers).toEqual(
      setDropout(twoLayers, 0.5, 0).layers,
    );
    const none = decodeConfig('layers=64,32').config;
    expect(hasDropout(none)).toBe(false);
    expect(encodeConfig(none)).not.toMatch(/dropout|indrop/);
  });
  test('a config with dropout survives the link', () => {
    const c: TrainConfig = { ...setDropout(setDropout(twoLayers, 0.3), 0.6, 1), inputDropout: 0.1 };
    const back = decodeConfig(encodeConfig(c)).config;
    expect(back.layers).toEqual(c.layers);
    expect(back.inputDropout).toBe(0.1);
    expect(encodeConfig(c)).toContain('dropout=0.3,0.6');
  });
  test('bad rates are noted and replaced: too high is cut to 0.8, not a number is 0, a list of the wrong length', () => {
    const r = decodeConfig('layers=64,32&dropout=0.9,x,0.1&indrop=-1');
    expect(r.config.layers.map((l) => l.dropout ?? 0)).toEqual([0.8, 0]);
    expect(r.config.inputDropout).toBe(0);
    const notes = r.notices.filter((n) => n.param === 'dropout' || n.param === 'indrop');
    expect(notes.map((n) => n.param)).toEqual(['dropout', 'indrop']);
    expect(notes[0]?.reason).toContain('3 rates for 2 hidden layers');
    expect(notes[0]?.used).toBe('0.8,0');
  });
});

describe('dropout in the run record', () => {
  test('a record of schema 4 reads as without dropout; one with dropout reads back with it', () => {
    const run = newRunRecord('r1', 1000, twoLayers);
    const v4 = { ...toStored(run), schema: 4, config: { ...run.config, inputDropout: undefined } };
    const r = readRunRecord(JSON.parse(JSON.stringify(v4)));
    if (!r.ok) throw new Error(r.reason);
    expect(r.from).toBe(4);
    expect(r.record.config.inputDropout).toBe(0);
    expect(hasDropout(r.record.config)).toBe(false);
    expect(RUN_SCHEMA).toBeGreaterThanOrEqual(5);
    const withDrop = newRunRecord('r2', 1000, { ...setDropout(twoLayers, 0.5, 1), inputDropout: 0.2 });
    const back = readRunRecord(JSON.parse(JSON.stringify(toStored(withDrop))));
    if (!back.ok) throw new Error(back.reason);
    expect(back.record.config).toEqual(withDrop.config);
  });
  test('a rate out of range makes the record unreadable, with the layer named', () => {
    const run = newRunRecord('r1', 1000, twoLayers);
    const bad = { ...toStored(run), config: { ...run.config, layers: [{ units: 4, activation: 'relu', dropout: 1 }] } };
    const r = readRunRecord(bad);
    expect(r.ok ? 'read' : r.reason).toBe("layer 1's dropout 1 is outside 0..0.8");
  });
});

test('the Keras summary lists each Dropout layer where Keras would, numbered apart, with 0 parameters', () => {
  const lines = kerasSummaryLines(setDropout(twoLayers, 0.5, 0).layers, 0.2);
  const names = lines.filter((l) => /\((Dense|Dropout)\)/.test(l)).map((l) => l.replace(/\s+/g, ' ').trim());
  expect(names).toEqual([
    'dropout_1 (Dropout) (None, 784) 0',
    'dense_1 (Dense) (None, 64) 50240',
    'dropout_2 (Dropout) (None, 64) 0',
    'dense_2 (Dense) (None, 32) 2080',
    'dense_3 (Dense) (None, 10) 330',
  ]);
  expect(lines.every((l) => l.length === 65 || !l.includes('('))).toBe(true);
  expect(lines).toContain('Total params: 52,650');
});

describe('dropout in the TensorFlow.js Layers export and import', () => {
  const model: TrainedModel = {
    layers: [
      { units: 3, activation: 'relu', dropout: 0.5 },
      { units: 2, activation: 'tanh' },
    ],
    preprocessing: 'scaled',
    dataset: 'mnist',
    inputDropout: 0.2,
    kernels: [new Float32Array(784 * 3).fill(0.1), new Float32Array(6).fill(0.2), new Float32Array(20).fill(0.3)],
    biases: [new Float32Array(3), new Float32Array(2), new Float32Array(10)],
  };
  const weights = (a: ReturnType<typeof layersArtifacts>) => [
    { name: 'model.weights.bin', bytes: new Uint8Array(a.weightData) },
  ];
  test('exported as Dropout layers (the first one with the input shape), read back as the same rates', () => {
    const art = layersArtifacts(model, '');
    const topology = art.modelJson.modelTopology as {
      config: { layers: { class_name: string; config: Record<string, unknown> }[] };
    };
    const layers = topology.config.layers;
    expect(layers.map((l) => l.class_name)).toEqual(['Dropout', 'Dense', 'Dropout', 'Dense', 'Dense']);
    expect(layers.map((l) => l.config.rate ?? null)).toEqual([0.2, null, 0.5, null, null]);
    expect(layers[0]?.config.batch_input_shape).toEqual([null, 784]);
    const r = readLayersModel(JSON.stringify(art.modelJson), weights(art));
    if (!r.ok) throw new Error(r.message);
    expect(r.value.model).toEqual(model);
    expect(r.value.config.inputDropout).toBe(0.2);
    expect(r.value.config.layers).toEqual(model.layers);
    expect(r.value.notes).toEqual([]);
  });
  test('a Dropout after the output is left out, a rate above 0.8 is cut, each with a note', () => {
    const art = layersArtifacts(model, '');
    const j = JSON.parse(JSON.stringify(art.modelJson)) as { modelTopology: { config: { layers: unknown[] } } };
    const layers = j.modelTopology.config.layers as { class_name: string; config: Record<string, unknown> }[];
    (layers[2] as { config: Record<string, unknown> }).config.rate = 0.9;
    layers.push({ class_name: 'Dropout', config: { name: 'dropout_9', rate: 0.1 } });
    const r = readLayersModel(JSON.stringify(j), weights(art));
    if (!r.ok) throw new Error(r.message);
    expect(r.value.config.layers[0]?.dropout).toBe(0.8);
    expect(r.value.notes.join(' ')).toMatch(/dense_1 has dropout 0.9; the lab's highest is 0.8/);
    expect(r.value.notes.join(' ')).toMatch(/after the output layer was left out/);
  });
});
