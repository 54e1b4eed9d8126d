/**
 * Hostile input, the model import (TensorFlow.js Layers format): the lab's own export reads back as
 * the same network; model.json text and weights bytes, random or mangled, give a network the lab
 * can run or a message of at most 700 characters, never a throw; and large files are read in
 * linear time.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { layersArtifacts, WEIGHTS_FILE } from '../../../src/core/interchange/layersExport';
import {
  IMPORT_LIMITS,
  pickModelFiles,
  readLayersModel,
  weightFilesNeeded,
  type ReadModel,
} from '../../../src/core/interchange/layersImport';
import type { Checked } from '../../../src/core/interchange/layersModelJson';
import { decodeConfig, encodeConfig } from '../../../src/core/link/urlCodec';
import { totalParams } from '../../../src/core/network/params';
import { ACTIVATIONS, DATASETS, INPUT_SIZE, LIMITS, NUM_CLASSES, PREPROCESSING } from '../../../src/core/network/spec';
import { checkModel, type TrainedModel } from '../../../src/core/runs/model';
import {
  applyEdits,
  applyTextEdits,
  check,
  configArb,
  deeplyNestedText,
  DEEP,
  editArb,
  expectLinear,
  textEditArb,
} from './arbitraries';

/** The longest message the import may show. */
const MAX_MESSAGE = 700;

type WeightFile = { readonly name: string; readonly bytes: Uint8Array };

/** Floats from a seed (mulberry32), now and then one at the edge of float32: -0, subnormal, the largest. */
function floats(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  const special = [-0, 1.4e-45, -3.4028234663852886e38, 3.4028234663852886e38, 1, -1];
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = u < 0.01 ? (special[Math.floor(u * 600)] as number) : (u - 0.5) * 4;
  }
  return out;
}

/** A dropout rate: none, or one from the lab's range. */
const dropoutArb = fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: LIMITS.maxDropout, noNaN: true }));

/** A trained network of small widths (so that each case stays quick) with weights from a seed. */
const modelArb: fc.Arbitrary<TrainedModel> = fc
  .record({
    layers: fc.array(
      fc
        .tuple(
          fc.record({ units: fc.integer({ min: 1, max: 8 }), activation: fc.constantFrom(...ACTIVATIONS) }),
          dropoutArb,
        )
        .map(([l, dropout]) => (dropout > 0 ? { ...l, dropout } : l)),
      { maxLength: LIMITS.maxLayers },
    ),
    inputDropout: dropoutArb,
    preprocessing: fc.constantFrom(...PREPROCESSING),
    dataset: fc.option(fc.constantFrom(...DATASETS), { nil: undefined }),
    seed: fc.nat(),
  })
  .map(({ layers, inputDropout, preprocessing, dataset, seed }) => {
    const widths = [INPUT_SIZE, ...layers.map((l) => l.units), NUM_CLASSES];
    const kernels = widths.slice(1).map((w, i) => floats((widths[i] as number) * w, seed + i));
    const biases = widths.slice(1).map((w, i) => floats(w, seed + 1000 + i));
    const m: TrainedModel = { layers, preprocessing, kernels, biases, ...(inputDropout > 0 ? { inputDropout } : {}) };
    return dataset === undefined ? m : { ...m, dataset };
  });

/** The lab's export of a model, as the files a person chooses: model.json's text and the weights. */
function exported(m: TrainedModel, query: string): { text: string; files: WeightFile[] } {
  const art = layersArtifacts(m, query);
  return {
    text: JSON.stringify(art.modelJson),
    files: [{ name: WEIGHTS_FILE, bytes: new Uint8Array(art.weightData) }],
  };
}

const exportArb = fc.tuple(modelArb, configArb).map(([m, c]) => ({
  model: m,
  ...exported(m, encodeConfig({ ...c, layers: m.layers })),
}));

/** A network the lab can run, or a message of at most MAX_MESSAGE characters. */
function expectSound(r: Checked<ReadModel>): void {
  if (!r.ok) {
    expect(Object.keys(r).sort()).toEqual(['message', 'ok']);
    expect(typeof r.message).toBe('string');
    expect(r.message.length).toBeGreaterThan(0);
    expect(r.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    return;
  }
  const { model, config } = r.value;
  expect(() => checkModel(model)).not.toThrow();
  expect(model.layers.length).toBeLessThanOrEqual(LIMITS.maxLayers);
  for (const l of model.layers) {
    expect(ACTIVATIONS).toContain(l.activation);
    expect(Number.isInteger(l.units) && l.units >= LIMITS.minWidth && l.units <= LIMITS.maxWidth).toBe(true);
  }
  expect(totalParams(model.layers)).toBeLessThanOrEqual(LIMITS.maxParams);
  for (const a of [...model.kernels, ...model.biases]) expect(a.every(Number.isFinite)).toBe(true);
  expect(config.layers).toEqual(model.layers);
  expect(PREPROCESSING).toContain(model.preprocessing);
  expect(DATASETS).toContain(model.dataset);
}

/** A message of at most MAX_MESSAGE characters, or a value. */
function expectShort<T>(r: Checked<T>): void {
  if (!r.ok) {
    expect(typeof r.message).toBe('string');
    expect(r.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
  }
}

/** Reads model.json's text and the chosen files as the page does: which files, then the model. */
function readSound(text: string, files: readonly WeightFile[]): void {
  const chosen = files.map((f) => ({ name: f.name, size: f.bytes.length, f }));
  expectShort(pickModelFiles([{ name: 'model.json', size: text.length }, ...chosen]));
  const need = weightFilesNeeded(text, chosen);
  expectShort(need);
  expectSound(readLayersModel(text, need.ok ? need.value.map((c) => c.f) : files));
}

/** Edits of the weights: bytes changed (NaN and infinities appear), cut, lengthened, split into shards. */
const byteEditArb = fc.record({
  op: fc.constantFrom('set' as const, 'cut' as const, 'grow' as const, 'nan' as const, 'split' as const),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});

function editBytes(
  files: readonly WeightFile[],
  edits: readonly { op: string; at: number; byte: number }[],
): WeightFile[] {
  let bytes = (files[0] as WeightFile).bytes.slice();
  let out: WeightFile[] | null = null;
  for (const e of edits) {
    const at = bytes.length === 0 ? 0 : e.at % bytes.length;
    if (e.op === 'set' && bytes.length > 0) bytes[at] = e.byte;
    else if (e.op === 'nan' && bytes.length >= 4)
      bytes.set([0, 0, 0xc0 | (e.byte & 1 ? 0 : 0x80), 0x7f], Math.min(at & ~3, bytes.length - 4));
    else if (e.op === 'cut') bytes = bytes.slice(0, at);
    else if (e.op === 'grow') bytes = Uint8Array.from([...bytes, ...new Uint8Array(1 + (e.at % 9))]);
    else if (e.op === 'split')
      out = [
        { name: 'group1-shard1of2.bin', bytes: bytes.slice(0, at) },
        { name: 'group1-shard2of2.bin', bytes: bytes.slice(at) },
      ];
  }
  return out ?? [{ name: WEIGHTS_FILE, bytes }];
}

describe('fuzz: the model import', () => {
  test("the lab's export reads back as the same network, with the settings of its link", () => {
    check(
      fc.property(modelArb, configArb, (model, c) => {
        const query = encodeConfig({ ...c, layers: model.layers });
        const { text, files } = exported(model, query);
        const chosen = [
          { name: 'model.json', size: text.length },
          ...files.map((f) => ({ ...f, size: f.bytes.length })),
        ];
        const picked = pickModelFiles(chosen);
        expect(picked.ok && picked.value.json.name).toBe('model.json');
        const need = weightFilesNeeded(text, picked.ok ? picked.value.weights : []);
        expect(need.ok && need.value.map((f) => f.name)).toEqual([WEIGHTS_FILE]);
        const r = readLayersModel(text, files);
        if (!r.ok) throw new Error(r.message);
        const dataset = model.dataset ?? 'mnist';
        // The loss it trained with comes from its link (its test reports that loss).
        expect(r.value.model).toEqual({ ...model, dataset, ...(c.loss === 'mse' ? { loss: 'mse' } : {}) });
        expect(r.value.config).toEqual({
          ...decodeConfig(query).config,
          layers: model.layers,
          preprocessing: model.preprocessing,
          dataset,
          // The file's Dropout layers say what it was trained with, whatever its link says.
          inputDropout: model.inputDropout ?? 0,
        });
        expect(r.value.notes).toEqual([]);
        expect(r.value.generatedBy).toBe('MLP Lab');
      }),
      200,
    );
  });

  test('any text as model.json gives a message, never a throw', () => {
    check(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.json(),
          fc.object().map((o) => JSON.stringify(o)),
        ),
        (text) => readSound(text, [{ name: WEIGHTS_FILE, bytes: new Uint8Array(8) }]),
      ),
      400,
    );
  });

  test('an exported model.json mangled as text: a network or a short message, never a throw', () => {
    check(
      fc.property(exportArb, fc.array(textEditArb, { minLength: 1, maxLength: 8 }), (x, edits) => {
        readSound(applyTextEdits(x.text, edits), x.files);
      }),
      400,
    );
  });

  test('an exported model.json mangled as JSON (set, deleted, nudged, duplicated, wrapped): a network or a short message', () => {
    check(
      fc.property(exportArb, fc.array(editArb, { minLength: 1, maxLength: 6 }), (x, edits) => {
        readSound(JSON.stringify(applyEdits(JSON.parse(x.text), edits)), x.files);
      }),
      500,
    );
  });

  test('exported weights mangled (bytes set, NaN, cut, lengthened, split): a network or a short message', () => {
    check(
      fc.property(exportArb, fc.array(byteEditArb, { minLength: 1, maxLength: 4 }), (x, edits) => {
        readSound(x.text, editBytes(x.files, edits));
      }),
      300,
    );
  });

  test('any chosen files: pickModelFiles gives the files or a short message', () => {
    const fileArb = fc.record({
      name: fc.oneof(
        fc.constantFrom('model.json', 'MODEL.JSON', 'a.json', '.json', WEIGHTS_FILE, 'x.bin'),
        fc.string({ unit: 'binary', maxLength: 300 }),
      ),
      size: fc.oneof(
        fc.nat(),
        fc.constantFrom(0, IMPORT_LIMITS.maxJsonBytes, IMPORT_LIMITS.maxJsonBytes + 1, IMPORT_LIMITS.maxWeightBytes),
      ),
    });
    check(
      fc.property(fc.array(fileArb, { maxLength: 30 }), (files) => {
        const r = pickModelFiles(files);
        expectShort(r);
        if (r.ok) {
          expect(files).toContain(r.value.json);
          expect(r.value.weights).toHaveLength(files.length - 1);
        }
      }),
      400,
    );
  });

  // A JSON array nested 100,000 deep is valid JSON (JSON.parse reads it); model.json may hold one
  // where the import quotes a value (JSON.stringify, String).
  test('model.json with a deeply nested value in a field the import quotes: a message, never a throw', () => {
    const model: TrainedModel = {
      layers: [{ units: 2, activation: 'relu' }],
      preprocessing: 'scaled',
      kernels: [floats(INPUT_SIZE * 2, 1), floats(20, 2)],
      biases: [floats(2, 3), floats(10, 4)],
    };
    const { text, files } = exported(model, 'layers=2&act=relu');
    const spots = [
      'modelTopology.config.layers.0.config.units',
      'modelTopology.config.layers.0.config.activation',
      'modelTopology.config.layers.1.config.units',
      'modelTopology.config.layers.0.config.name',
      'modelTopology.config.layers.0.class_name',
      'modelTopology.class_name',
      'weightsManifest.0.weights.0.dtype',
      'weightsManifest.0.weights.0.name',
      'weightsManifest.0.weights.0.shape',
      'weightsManifest.0.paths',
      'userDefinedMetadata.query',
      'userDefinedMetadata.dataset',
      'generatedBy',
      'format',
    ];
    check(
      fc.property(fc.constantFrom(...spots), (spot) => {
        const doc = JSON.parse(text) as Record<string, unknown>;
        const keys = spot.split('.');
        let node = doc as Record<string, unknown>;
        for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
        node[keys.at(-1) as string] = 'DEEP-VALUE';
        readSound(JSON.stringify(doc).replace('"DEEP-VALUE"', deeplyNestedText(DEEP)), files);
      }),
      spots.length * 3,
    );
  });

  test('timing: model.json of 2 MB and 4 MB (a long layer list, a long name) is read in linear time', () => {
    const base = JSON.parse(
      exported(
        {
          layers: [{ units: 2, activation: 'relu' }],
          preprocessing: 'scaled',
          kernels: [floats(INPUT_SIZE * 2, 1), floats(20, 2)],
          biases: [floats(2, 3), floats(10, 4)],
        },
        '',
      ).text,
    ) as { modelTopology: { config: { layers: unknown[] } }; weightsManifest: { weights: { name: string }[] }[] };
    const dropouts = (n: number) => {
      const d = structuredClone(base);
      const list = d.modelTopology.config.layers;
      const drop = { class_name: 'Dropout', config: { rate: 0.5 } };
      // Dropouts between the two Dense layers: the walk reads them all, then the network is the same.
      list.splice(1, 0, ...Array.from({ length: Math.round(n / JSON.stringify(drop).length) }, () => drop));
      return JSON.stringify(d);
    };
    const longName = (n: number) => {
      const d = structuredClone(base);
      (d.weightsManifest[0] as { weights: { name: string }[] }).weights[0]!.name = 'w'.repeat(n);
      return JSON.stringify(d);
    };
    const read = (t: string) => readLayersModel(t, []);
    expectLinear(read, dropouts(2_000_000), dropouts(4_000_000));
    expectLinear(read, longName(2_000_000), longName(4_000_000));
    expectSound(read(longName(4_000_000)));
    // Text that is no JSON at all.
    const junk = (n: number) => '{"modelTopology":' + '['.repeat(n);
    expectLinear(read, junk(2_000_000), junk(4_000_000));
  });

  // A manifest whose group lists many weights files, and as many files chosen: each is matched to
  // its name once.
  test('timing: a manifest of 12,000 and 24,000 weights files, all chosen, is matched in linear time', () => {
    const base = JSON.parse(
      exported(
        {
          layers: [],
          preprocessing: 'scaled',
          kernels: [floats(INPUT_SIZE * NUM_CLASSES, 1)],
          biases: [floats(NUM_CLASSES, 2)],
        },
        '',
      ).text,
    ) as { weightsManifest: { paths: string[] }[] };
    const shards = (n: number) => {
      const d = structuredClone(base);
      const paths = Array.from({ length: n }, (_, i) => `group1-shard${i + 1}of${n}.bin`);
      (d.weightsManifest[0] as { paths: string[] }).paths = paths;
      // Chosen in the order a file dialog may give them: any order; here the reverse.
      const chosen = paths.map((name) => ({ name, size: 0 })).reverse();
      return { text: JSON.stringify(d), chosen };
    };
    const need = (x: { text: string; chosen: { name: string; size: number }[] }) => weightFilesNeeded(x.text, x.chosen);
    expectLinear(need, shards(12_000), shards(24_000), { reps: 1 });
  });
});
