/**
 * Reading a trained network in TensorFlow.js's Layers format (issue 13), pure: `model.json` and
 * its weights files, as `tf.LayersModel.save` and the `tensorflowjs` converter write them. What the
 * lab can run is a Sequential stack of Dense layers from 784 inputs to 10 softmax outputs (an
 * InputLayer, a Flatten of a 28×28 image and Dropout layers are accepted too: they change nothing
 * at inference). Anything else comes back as a message naming what does not fit; nothing here
 * throws on any input.
 */
import { isObject } from '../runs/runSchema';
import { decodeConfig } from '../link/urlCodec';
import { totalParams } from '../network/params';
import type { TrainedModel } from '../runs/model';
import {
  ACTIVATIONS,
  DATASETS,
  DEFAULT_CONFIG,
  INPUT_SIZE,
  LIMITS,
  NUM_CLASSES,
  type Activation,
  type DatasetName,
  type HiddenLayer,
  type Preprocessing,
  type TrainConfig,
} from '../network/spec';

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

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };
const fail = <T>(message: string): Checked<T> => ({ ok: false, message });

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
  /** What the lab had to assume (a missing input range, ignored Dropout layers), for the page. */
  readonly notes: readonly string[];
}

interface DenseSpec {
  readonly name: string;
  readonly units: number;
  readonly activation: string;
  readonly useBias: boolean;
  readonly inputs: number;
}

const product = (dims: readonly unknown[]) =>
  dims.reduce<number>((p, d) => p * (typeof d === 'number' ? d : Number.NaN), 1);
const shapeText = (dims: readonly unknown[]) => `[${dims.map((d) => (d === null ? 'None' : String(d))).join(', ')}]`;

/** The topology's layer list (Sequential only), unwrapping the converter's `model_config`. */
function layerList(topology: unknown): Checked<readonly unknown[]> {
  let t = topology;
  if (isObject(t) && isObject(t.model_config)) t = t.model_config;
  if (!isObject(t)) return fail('model.json has no model topology: it is not a TensorFlow.js Layers model.');
  const cls = t.class_name;
  if (cls !== 'Sequential') {
    return fail(
      `The model is a ${typeof cls === 'string' ? cls : 'model of unknown class'}, not a Sequential stack of layers: the lab imports Sequential models of Dense layers.`,
    );
  }
  const config = t.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) return fail('model.json lists no layers.');
  return { ok: true, value: layers };
}

/** Walks the layers: Dense specs in order, the input shape, and what was skipped. */
function denseSpecs(layers: readonly unknown[]): Checked<{ dense: DenseSpec[]; notes: string[] }> {
  let shape: readonly unknown[] | null = null;
  const dense: DenseSpec[] = [];
  const notes: string[] = [];
  let dropouts = 0;
  const declared = (c: Record<string, unknown>): readonly unknown[] | null => {
    for (const key of ['batch_input_shape', 'batch_shape']) {
      const s = c[key];
      if (Array.isArray(s)) return s.slice(1);
    }
    return Array.isArray(c.input_shape) ? c.input_shape : null;
  };
  for (const [i, raw] of layers.entries()) {
    const where = `Layer ${i + 1}`;
    if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config))
      return fail(`${where} of model.json is not a layer description.`);
    const cls = raw.class_name;
    const c = raw.config;
    const name = typeof c.name === 'string' ? ` (${c.name})` : '';
    const given = declared(c);
    if (given && shape === null) shape = given;
    if (cls === 'InputLayer') continue;
    if (cls === 'Dropout') {
      dropouts++;
      continue;
    }
    if (cls === 'Flatten') {
      if (shape !== null) shape = [product(shape)];
      continue;
    }
    // An activation as a layer of its own, right after a linear Dense layer, is that layer's.
    const folded = cls === 'Activation' ? c.activation : cls === 'Softmax' ? 'softmax' : cls === 'ReLU' ? 'relu' : null;
    const previous = dense[dense.length - 1];
    if (
      folded !== null &&
      previous &&
      previous.activation === 'linear' &&
      shape !== null &&
      shape.length === 1 &&
      shape[0] === previous.units &&
      typeof folded === 'string'
    ) {
      dense[dense.length - 1] = { ...previous, activation: folded };
      continue;
    }
    if (cls !== 'Dense') {
      return fail(
        `${where}${name} is a ${cls} layer: the lab runs only Dense layers (an InputLayer, a Flatten of the 28×28 image, Dropout, and an activation layer after a linear Dense layer are accepted too).`,
      );
    }
    if (shape === null)
      return fail(
        `${where}${name} does not say its input shape: model.json must give the first layer's batch_input_shape.`,
      );
    if (shape.length !== 1)
      return fail(
        `${where}${name} is a Dense layer on an input of shape ${shapeText(shape)}: the lab's Dense layers take a flat vector (add a Flatten before it).`,
      );
    const inputs = product(shape);
    const units = c.units;
    if (typeof units !== 'number' || !Number.isInteger(units) || units < 1)
      return fail(`${where}${name} has ${JSON.stringify(units)} units.`);
    const activation = c.activation === undefined || c.activation === null ? 'linear' : c.activation;
    if (typeof activation !== 'string')
      return fail(`${where}${name} has an activation the lab cannot read (${JSON.stringify(activation)}).`);
    const useBias = c.use_bias !== false;
    dense.push({
      name: typeof c.name === 'string' ? c.name : `dense_${dense.length + 1}`,
      units,
      activation,
      useBias,
      inputs,
    });
    shape = [units];
  }
  if (dense.length === 0) return fail('The model has no Dense layer.');
  const first = dense[0] as DenseSpec;
  if (!Number.isFinite(first.inputs) || first.inputs !== INPUT_SIZE) {
    return fail(
      `The model takes ${Number.isFinite(first.inputs) ? first.inputs : 'an unknown number of'} inputs; the lab's images are 28×28 = ${INPUT_SIZE} pixels, so it needs ${INPUT_SIZE} inputs.`,
    );
  }
  const last = dense[dense.length - 1] as DenseSpec;
  if (last.units !== NUM_CLASSES)
    return fail(
      `The last layer (${last.name}) has ${last.units} outputs; the lab needs ${NUM_CLASSES}, one per digit.`,
    );
  if (last.activation !== 'softmax')
    return fail(
      `The last layer (${last.name}) uses the activation ${last.activation}; the lab needs softmax there (class probabilities).`,
    );
  const hidden = dense.slice(0, -1);
  for (const [k, d] of hidden.entries()) {
    if (!(ACTIVATIONS as readonly string[]).includes(d.activation)) {
      return fail(
        `Hidden layer ${k + 1} (${d.name}) uses the activation ${d.activation}; the lab has ${ACTIVATIONS.join(', ')}.`,
      );
    }
    if (d.units > LIMITS.maxWidth)
      return fail(`Hidden layer ${k + 1} (${d.name}) has ${d.units} units; the lab's widest is ${LIMITS.maxWidth}.`);
  }
  if (hidden.length > LIMITS.maxLayers)
    return fail(`The model has ${hidden.length} hidden layers; the lab runs at most ${LIMITS.maxLayers}.`);
  if (dropouts > 0)
    notes.push(
      `${dropouts} Dropout layer${dropouts === 1 ? ' was' : 's were'} left out: Dropout does nothing when a trained network predicts.`,
    );
  return { ok: true, value: { dense, notes } };
}

interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** The weights manifest's entries in order, and the file paths of each group. */
function manifest(json: Record<string, unknown>): Checked<{ groups: { paths: string[]; weights: WeightSpec[] }[] }> {
  const m = json.weightsManifest;
  if (!Array.isArray(m)) return fail('model.json has no weightsManifest: it does not say where its weights are.');
  const groups: { paths: string[]; weights: WeightSpec[] }[] = [];
  for (const g of m) {
    if (
      !isObject(g) ||
      !Array.isArray(g.paths) ||
      !Array.isArray(g.weights) ||
      !g.paths.every((p) => typeof p === 'string')
    )
      return fail("model.json's weightsManifest is not a list of {paths, weights}.");
    const weights: WeightSpec[] = [];
    for (const w of g.weights) {
      if (
        !isObject(w) ||
        typeof w.name !== 'string' ||
        !Array.isArray(w.shape) ||
        !w.shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
      ) {
        return fail("model.json's weightsManifest has an entry without a name and shape.");
      }
      if (w.quantization !== undefined)
        return fail(
          `The weight ${w.name} is quantized; the lab imports float32 weights only (convert without quantization).`,
        );
      if (w.dtype !== undefined && w.dtype !== 'float32')
        return fail(`The weight ${w.name} is ${String(w.dtype)}; the lab imports float32 weights only.`);
      weights.push({ name: w.name, shape: w.shape as number[] });
    }
    groups.push({ paths: g.paths as string[], weights });
  }
  return { ok: true, value: { groups } };
}

/**
 * The weights files each manifest group names, by file name (a path's last part), or the message
 * naming the file that is missing. Call it to know which of the chosen files to read.
 */
export function weightFilesNeeded<F extends ImportFile>(jsonText: string, chosen: readonly F[]): Checked<F[]> {
  const parsed = parseJson(jsonText);
  if (!parsed.ok) return parsed;
  // What does not fit is said first, before any missing file.
  const list = layerList(parsed.value.modelTopology);
  if (!list.ok) return list;
  const specs = denseSpecs(list.value);
  if (!specs.ok) return specs;
  const m = manifest(parsed.value);
  if (!m.ok) return m;
  const out: F[] = [];
  const paths = m.value.groups.flatMap((g) => g.paths);
  for (const p of paths) {
    const want = baseName(p);
    let f = chosen.find((c) => c.name === want);
    // One file wanted and one chosen under another name: a browser renames a second download
    // "model.weights (1).bin".
    if (!f && paths.length === 1 && chosen.length === 1) f = chosen[0];
    if (!f)
      return fail(`model.json's weights are in ${want}, which was not chosen: choose it together with model.json.`);
    out.push(f);
  }
  return { ok: true, value: out };
}

function parseJson(text: string): Checked<Record<string, unknown>> {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (e) {
    return fail(`model.json is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!isObject(x)) return fail('model.json is not a JSON object.');
  if (x.format === 'mlp-lab-runs')
    return fail('This is a runs results file (mlp-lab-runs), not a model: import it with "Import results".');
  if (x.format === 'graph-model')
    return fail(
      'This is a TensorFlow.js graph model (from a SavedModel): the lab imports Layers models (model.json with a modelTopology of Dense layers).',
    );
  return { ok: true, value: x };
}

/**
 * Reads model.json's text and the bytes of each weights file it names (in the manifest's order,
 * as weightFilesNeeded lists them) into a network the lab runs, or says what does not fit.
 */
export function readLayersModel(
  jsonText: string,
  weightFiles: readonly { readonly name: string; readonly bytes: Uint8Array }[],
): Checked<ReadModel> {
  const parsed = parseJson(jsonText);
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  const list = layerList(json.modelTopology);
  if (!list.ok) return list;
  const specs = denseSpecs(list.value);
  if (!specs.ok) return specs;
  const { dense, notes } = specs.value;
  const m = manifest(json);
  if (!m.ok) return m;

  // Each group's bytes: its files one after another, exactly as long as its weights.
  const entries: { spec: WeightSpec; data: Float32Array }[] = [];
  let fileAt = 0;
  for (const g of m.value.groups) {
    const parts = g.paths.map(() => weightFiles[fileAt++]);
    if (parts.some((p) => p === undefined)) return fail('Not every weights file model.json names was read.');
    const got = parts.reduce((s, p) => s + (p as { bytes: Uint8Array }).bytes.length, 0);
    const need = g.weights.reduce((s, w) => s + product(w.shape) * 4, 0);
    const names = parts.map((p) => (p as { name: string }).name).join(' + ');
    if (got < need)
      return fail(
        `The weights file is truncated: model.json describes ${need.toLocaleString('en-US')} bytes of weights, ${names} has ${got.toLocaleString('en-US')}.`,
      );
    if (got > need)
      return fail(
        `The weights file does not match model.json: it describes ${need.toLocaleString('en-US')} bytes of weights, ${names} has ${got.toLocaleString('en-US')}.`,
      );
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

  const expected = dense.reduce((s, d) => s + (d.useBias ? 2 : 1), 0);
  if (entries.length !== expected)
    return fail(
      `model.json's weightsManifest lists ${entries.length} weights; its ${dense.length} Dense layers have ${expected}.`,
    );
  // By name, as TensorFlow.js loads them ("dense_1/kernel", Keras 3's "sequential/dense_1/kernel"):
  // the manifest lists frozen layers' weights after the others. By position where names do not say.
  const byName = (layer: string, part: 'kernel' | 'bias') =>
    entries.filter((e) => e.spec.name === `${layer}/${part}` || e.spec.name.endsWith(`/${layer}/${part}`));
  const named = dense.every(
    (d) => byName(d.name, 'kernel').length === 1 && (!d.useBias || byName(d.name, 'bias').length === 1),
  );
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  let k = 0;
  for (const d of dense) {
    const kernel = (named ? byName(d.name, 'kernel')[0] : entries[k++]) as { spec: WeightSpec; data: Float32Array };
    if (kernel.spec.shape.length !== 2 || kernel.spec.shape[0] !== d.inputs || kernel.spec.shape[1] !== d.units) {
      return fail(
        `The kernel of ${d.name} is ${shapeText(kernel.spec.shape)} in the weightsManifest; the layer needs [${d.inputs}, ${d.units}].`,
      );
    }
    let bias: Float32Array = new Float32Array(d.units);
    if (d.useBias) {
      const b = (named ? byName(d.name, 'bias')[0] : entries[k++]) as { spec: WeightSpec; data: Float32Array };
      if (b.spec.shape.length !== 1 || b.spec.shape[0] !== d.units)
        return fail(
          `The bias of ${d.name} is ${shapeText(b.spec.shape)} in the weightsManifest; the layer needs [${d.units}].`,
        );
      bias = b.data;
    }
    if (!kernel.data.every(Number.isFinite) || !bias.every(Number.isFinite))
      return fail(`The weights of ${d.name} hold NaN or infinite values: the network cannot predict.`);
    kernels.push(kernel.data);
    biases.push(bias);
  }

  const layers: HiddenLayer[] = dense
    .slice(0, -1)
    .map((d) => ({ units: d.units, activation: d.activation as Activation }));
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
  // The run's settings: the ones the lab wrote into the file if they match the network, else the defaults.
  const fromQuery = typeof meta.query === 'string' ? decodeConfig(meta.query).config : null;
  const sameLayers = (c: TrainConfig) =>
    c.layers.length === layers.length &&
    c.layers.every((l, i) => l.units === layers[i]?.units && l.activation === layers[i]?.activation);
  const base = fromQuery && sameLayers(fromQuery) ? fromQuery : DEFAULT_CONFIG;
  const config: TrainConfig = { ...base, layers, preprocessing, dataset };
  if (totalParams(layers) > LIMITS.maxParams)
    return fail(
      `The model has ${totalParams(layers).toLocaleString('en-US')} parameters; the lab's limit is ${LIMITS.maxParams.toLocaleString('en-US')}.`,
    );
  const generatedBy = typeof json.generatedBy === 'string' ? json.generatedBy : null;
  return {
    ok: true,
    value: { model: { layers, preprocessing, dataset, kernels, biases }, config, generatedBy, notes },
  };
}
