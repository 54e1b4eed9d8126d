/**
 * Reading a trained network in TensorFlow.js's Layers format (issue 13), pure: `model.json` and
 * its weights files, as `tf.LayersModel.save` and the `tensorflowjs` converter write them. What the
 * lab can run is a Sequential stack of Dense layers from 784 inputs to 10 softmax outputs (an
 * InputLayer, a Flatten of a 28×28 image and Dropout layers are accepted too: Dropout changes
 * nothing at inference, and its rates become the run's dropout settings; so is a
 * BatchNormalization between a hidden Dense layer and its activation, with Keras's defaults, as the
 * lab's batch normalization). Anything else comes back as a message naming what does not fit;
 * nothing here throws on any input. What model.json says is read in layersModelJson.ts and
 * layersBatchNorm.ts, the weights of each layer in layersWeights.ts; this file picks the files,
 * reads their bytes and makes the run's config.
 */
import { decodeConfig } from '../link/urlCodec';
import { fromKerasName } from '../network/activations';
import { withBatchNorm } from '../network/batchNorm';
import { withDropout } from '../network/dropout';
import { totalParams } from '../network/params';
import type { TrainedModel } from '../runs/model';
import { isObject } from '../runs/runSchema';
import {
  DATASETS,
  DEFAULT_CONFIG,
  LIMITS,
  type Activation,
  type DatasetName,
  type HiddenLayer,
  type Preprocessing,
  type TrainConfig,
} from '../network/spec';
import { fail, parseJson, product, readModelJson, type Checked, type WeightGroup } from './layersModelJson';
import { layerWeights, type Entry } from './layersWeights';

export type { Checked } from './layersModelJson';

/** A chosen file: its name and size, and (once read) its bytes. */
export interface ImportFile {
  readonly name: string;
  readonly size: number;
}

/** The largest files read at all: model.json (text) and the weights (the lab's largest network). */
export const IMPORT_LIMITS = {
  maxJsonBytes: 4_000_000,
  maxWeightBytes: LIMITS.maxParams * 4,
} as const;

const baseName = (path: string) => {
  const last = path.split(/[\\/]/).pop() ?? path;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
};
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Before any file is read: which one is model.json, and whether the sizes are sane. The weights
 * files are the others (matched by name to the manifest's paths later).
 */
export function pickModelFiles<F extends ImportFile>(files: readonly F[]): Checked<{ json: F; weights: F[] }> {
  const jsons = files.filter((f) => /\.json$/i.test(f.name));
  if (jsons.length === 0) {
    return fail(
      'Choose model.json together with its weights file (model.weights.bin): no .json file was among the files chosen.',
    );
  }
  const json = jsons.find((f) => f.name.toLowerCase() === 'model.json') ?? (jsons.length === 1 ? jsons[0] : undefined);
  if (!json)
    return fail(
      `Choose one model.json at a time (${jsons.length} .json files were chosen: ${jsons.map((f) => f.name).join(', ')}).`,
    );
  if (json.size > IMPORT_LIMITS.maxJsonBytes)
    return fail(
      `${json.name} is ${mb(json.size)}: too large for a model description (at most ${mb(IMPORT_LIMITS.maxJsonBytes)}). Is it the right file?`,
    );
  const weights = files.filter((f) => f !== json);
  const total = weights.reduce((s, f) => s + f.size, 0);
  if (total > IMPORT_LIMITS.maxWeightBytes) {
    return fail(
      `The weights files are ${mb(total)} together: more than the lab's largest network holds (${mb(IMPORT_LIMITS.maxWeightBytes)}, ${LIMITS.maxParams.toLocaleString('en-US')} parameters).`,
    );
  }
  return { ok: true, value: { json, weights } };
}

/** A Layers model the lab can run, with the config its run record shows and what was assumed. */
export interface ReadModel {
  readonly model: TrainedModel;
  readonly config: TrainConfig;
  /** Where the file says it came from (its `generatedBy`), or null. */
  readonly generatedBy: string | null;
  /** What the lab had to assume (a missing input range, a Dropout layer it left out), for the page. */
  readonly notes: readonly string[];
}

/**
 * The weights files each manifest group names, by file name (a path's last part), or the message
 * naming the file that is missing. Call it to know which of the chosen files to read.
 */
export function weightFilesNeeded<F extends ImportFile>(jsonText: string, chosen: readonly F[]): Checked<F[]> {
  const parsed = parseJson(jsonText);
  if (!parsed.ok) return parsed;
  // What does not fit is said first, before any missing file.
  const m = readModelJson(parsed.value);
  if (!m.ok) return m;
  const out: F[] = [];
  const paths = m.value.groups.flatMap((g) => g.paths);
  const named = new Set<string>();
  const byName = new Map<string, F>();
  for (const c of chosen) if (!byName.has(c.name)) byName.set(c.name, c);
  for (const p of paths) {
    const want = baseName(p);
    // Each shard once: a manifest naming one file many times would have it read many times over.
    if (named.has(want)) return fail(`model.json names the weights file ${want} more than once.`);
    named.add(want);
    let f = byName.get(want);
    // One file wanted and one chosen under another name: a browser renames a second download
    // "model.weights (1).bin".
    if (!f && paths.length === 1 && chosen.length === 1) f = chosen[0];
    if (!f)
      return fail(`model.json's weights are in ${want}, which was not chosen: choose it together with model.json.`);
    out.push(f);
  }
  // Sizes are known before reading: a file of the wrong size is not read at all.
  let at = 0;
  for (const g of m.value.groups) {
    const parts = out.slice(at, (at += g.paths.length));
    const problem = sizeProblem(
      groupBytes(g),
      parts.reduce((sum, f) => sum + f.size, 0),
      parts,
    );
    if (problem) return fail(problem);
  }
  return { ok: true, value: out };
}

/** Bytes of weights a manifest group describes. */
const groupBytes = (g: WeightGroup) => g.weights.reduce((s, w) => s + product(w.shape) * 4, 0);

/** Why files of `got` bytes cannot hold a group of `need` bytes ('' : they can). */
function sizeProblem(need: number, got: number, parts: readonly { readonly name: string }[]): string {
  const names = parts.map((p) => p.name).join(' + ');
  const counts = `model.json describes ${need.toLocaleString('en-US')} bytes of weights, ${names} has ${got.toLocaleString('en-US')}.`;
  if (got < need) return `The weights file is truncated: ${counts}`;
  if (got > need)
    return `The weights file does not match model.json: ${counts.replace('model.json describes', 'it describes')}`;
  return '';
}

type WeightFile = { readonly name: string; readonly bytes: Uint8Array };

/** Each group's bytes: its files one after another, exactly as long as its weights, cut into its weights in order. */
function readEntries(groups: readonly WeightGroup[], weightFiles: readonly WeightFile[]): Checked<Entry[]> {
  const entries: Entry[] = [];
  let fileAt = 0;
  for (const g of groups) {
    const parts = g.paths.map(() => weightFiles[fileAt++]);
    if (parts.some((p) => p === undefined)) return fail('Not every weights file model.json names was read.');
    const got = parts.reduce((s, p) => s + (p as { bytes: Uint8Array }).bytes.length, 0);
    const problem = sizeProblem(groupBytes(g), got, parts as WeightFile[]);
    if (problem) return fail(problem);
    const all = new Uint8Array(got);
    let at = 0;
    for (const p of parts as { bytes: Uint8Array }[]) {
      all.set(p.bytes, at);
      at += p.bytes.length;
    }
    let offset = 0;
    for (const w of g.weights) {
      const n = product(w.shape);
      entries.push({ spec: w, data: new Float32Array(all.buffer.slice(offset, offset + n * 4)) });
      offset += n * 4;
    }
  }
  return { ok: true, value: entries };
}

/**
 * The run's settings: the input range and dataset the file's metadata gives (else assumed, with a
 * note), and the ones the lab wrote into the file if they match the network, else the defaults.
 */
function runConfig(json: Record<string, unknown>, layers: HiddenLayer[], notes: string[]): TrainConfig {
  const meta = isObject(json.userDefinedMetadata) ? json.userDefinedMetadata : {};
  let preprocessing: Preprocessing = 'scaled';
  if (meta.preprocessing === 'raw' || meta.preprocessing === 'scaled') preprocessing = meta.preprocessing;
  else
    notes.push(
      'model.json does not say what input range the network expects; the lab gives it pixels scaled to 0..1 (divided by 255), as most Keras examples train.',
    );
  const dataset: DatasetName = (DATASETS as readonly unknown[]).includes(meta.dataset)
    ? (meta.dataset as DatasetName)
    : 'mnist';
  if (dataset !== meta.dataset)
    notes.push(
      'model.json does not say which dataset it learned; the lab tests it on MNIST digits (a Fashion-MNIST model would score about chance there).',
    );
  const fromQuery = typeof meta.query === 'string' ? decodeConfig(meta.query).config : null;
  const sameLayers = (c: TrainConfig) =>
    c.layers.length === layers.length &&
    c.layers.every((l, i) => l.units === layers[i]?.units && l.activation === layers[i]?.activation);
  const base = fromQuery && sameLayers(fromQuery) ? fromQuery : DEFAULT_CONFIG;
  return { ...base, layers, preprocessing, dataset };
}

/**
 * Reads model.json's text and the bytes of each weights file it names (in the manifest's order,
 * as weightFilesNeeded lists them) into a network the lab runs, or says what does not fit.
 */
export function readLayersModel(jsonText: string, weightFiles: readonly WeightFile[]): Checked<ReadModel> {
  const parsed = parseJson(jsonText);
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  const m = readModelJson(json);
  if (!m.ok) return m;
  const { dense, inputDropout, notes, groups } = m.value;
  const entries = readEntries(groups, weightFiles);
  if (!entries.ok) return entries;
  const weights = layerWeights(dense, entries.value);
  if (!weights.ok) return weights;
  const { kernels, biases, norms } = weights.value;
  const layers: HiddenLayer[] = dense
    .slice(0, -1)
    .map((d) =>
      withBatchNorm(
        withDropout({ units: d.units, activation: fromKerasName(d.activation) as Activation }, d.dropout),
        d.norm !== null,
      ),
    );
  const config = { ...runConfig(json, layers, notes), inputDropout };
  const { preprocessing, dataset } = config;
  if (totalParams(layers) > LIMITS.maxParams)
    return fail(
      `The model has ${totalParams(layers).toLocaleString('en-US')} parameters; the lab's limit is ${LIMITS.maxParams.toLocaleString('en-US')}.`,
    );
  const generatedBy = typeof json.generatedBy === 'string' ? json.generatedBy : null;
  return {
    ok: true,
    value: {
      model: {
        layers,
        preprocessing,
        dataset,
        kernels,
        biases,
        ...(norms.some((n) => n !== null) ? { norms } : {}),
        ...(inputDropout > 0 ? { inputDropout } : {}),
        ...(config.loss === 'ce' ? {} : { loss: config.loss }),
      },
      config,
      generatedBy,
      notes,
    },
  };
}
