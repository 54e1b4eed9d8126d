/**
 * What a TensorFlow.js Layers model.json says, read for the import (layersImport.ts), pure: the
 * file as JSON, its Sequential layer list walked into the Dense layers the lab runs (with the input
 * shape, its Dropout rates, its batch normalizations: layersBatchNorm.ts), and its weights
 * manifest. Each step gives its value or the message naming what does not fit; nothing throws.
 */
import { isObject } from '../runs/runSchema';
import { ACTIVATION_INFO, fromKerasName } from '../network/activations';
import { ACTIVATIONS, INPUT_SIZE, LIMITS, NUM_CLASSES } from '../network/spec';
import { capQuotes, quoteValue } from '../words';
import { walkBatchNorm } from './layersBatchNorm';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };
/** A failure with its message; what the files held is quoted at most 80 characters at a time. */
export const fail = <T>(message: string): Checked<T> => ({ ok: false, message: capQuotes(message) });

/** A Dense layer as model.json describes it (its activation by its Keras name). */
export interface DenseSpec {
  readonly name: string;
  readonly units: number;
  readonly activation: string;
  readonly useBias: boolean;
  readonly inputs: number;
  /** The rate of the Dropout layers right after it (0: none). */
  readonly dropout: number;
  /** The name of the BatchNormalization layer between it and its activation (null: none). */
  readonly norm: string | null;
}

/** One weight of the manifest: its name ("dense_1/kernel") and shape. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** A group of the manifest: the files its bytes are split over, and its weights in order. */
export interface WeightGroup {
  readonly paths: string[];
  readonly weights: WeightSpec[];
}

export const product = (dims: readonly unknown[]) =>
  dims.reduce<number>((p, d) => p * (typeof d === 'number' ? d : Number.NaN), 1);
export const shapeText = (dims: readonly unknown[]) =>
  `[${dims.map((d) => (d === null ? 'None' : String(d))).join(', ')}]`;

/** model.json's text as a JSON object, or what it is instead (a runs file, a graph model). */
export function parseJson(text: string): Checked<Record<string, unknown>> {
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

/** The topology's layer list (Sequential only), unwrapping the converter's `model_config`. */
export function layerList(topology: unknown): Checked<readonly unknown[]> {
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

/** The layer walk so far: the shape of what the next layer takes, the Dense layers, the input's dropout, what was left out. */
interface Walk {
  shape: readonly unknown[] | null;
  readonly dense: DenseSpec[];
  /** The dropout rate before the first Dense layer. */
  inputDropout: number;
  readonly notes: string[];
}

/** A Dropout layer's rate into the walk: on the input, or after the Dense layer before it (two in a row drop as one: 1 − keep × keep). */
function walkDropout(w: Walk, c: Record<string, unknown>, where: string): void {
  const rate = c.rate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    w.notes.push(`${where} is a Dropout layer with rate ${quoteValue(rate)}; it was left out.`);
    return;
  }
  const join = (before: number) => (before === 0 ? rate : 1 - (1 - before) * (1 - rate));
  const last = w.dense[w.dense.length - 1];
  if (last) w.dense[w.dense.length - 1] = { ...last, dropout: join(last.dropout) };
  else w.inputDropout = join(w.inputDropout);
}

/** The input shape a layer declares (without its batch dimension), or null. */
function declaredShape(c: Record<string, unknown>): readonly unknown[] | null {
  for (const key of ['batch_input_shape', 'batch_shape']) {
    const s = c[key];
    if (Array.isArray(s)) return s.slice(1);
  }
  return Array.isArray(c.input_shape) ? c.input_shape : null;
}

/** Layers that are an activation, by their class, and the activation's Keras name. */
const ACTIVATION_LAYERS: Readonly<Record<string, string>> = { Softmax: 'softmax', ReLU: ACTIVATION_INFO.relu.keras };

/** An activation as a layer of its own, right after a linear Dense layer (or its BatchNormalization), is that layer's: true when folded in. */
function foldActivation(w: Walk, cls: string, c: Record<string, unknown>): boolean {
  const folded = cls === 'Activation' ? c.activation : (ACTIVATION_LAYERS[cls] ?? null);
  const previous = w.dense[w.dense.length - 1];
  if (
    folded !== null &&
    previous &&
    previous.activation === ACTIVATION_INFO.linear.keras &&
    w.shape !== null &&
    w.shape.length === 1 &&
    w.shape[0] === previous.units &&
    typeof folded === 'string'
  ) {
    w.dense[w.dense.length - 1] = { ...previous, activation: folded };
    return true;
  }
  return false;
}

/** A Dense layer (`where` names it) added to the walk: null when it fits, else the message. */
function walkDense(w: Walk, c: Record<string, unknown>, where: string): string | null {
  if (w.shape === null)
    return `${where} does not say its input shape: model.json must give the first layer's batch_input_shape.`;
  if (w.shape.length !== 1)
    return `${where} is a Dense layer on an input of shape ${shapeText(w.shape)}: the lab's Dense layers take a flat vector (add a Flatten before it).`;
  const inputs = product(w.shape);
  const units = c.units;
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1)
    return `${where} has ${quoteValue(units)} units.`;
  const activation = c.activation === undefined || c.activation === null ? ACTIVATION_INFO.linear.keras : c.activation;
  if (typeof activation !== 'string')
    return `${where} has an activation the lab cannot read (${quoteValue(activation)}).`;
  const useBias = c.use_bias !== false;
  w.dense.push({
    name: typeof c.name === 'string' ? c.name : `dense_${w.dense.length + 1}`,
    units,
    activation,
    useBias,
    inputs,
    dropout: 0,
    norm: null,
  });
  w.shape = [units];
  return null;
}

/** Layer i of the list added to the walk: null when it fits, else the message. */
function walkLayer(w: Walk, raw: unknown, i: number): string | null {
  const where = `Layer ${i + 1}`;
  if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config))
    return `${where} of model.json is not a layer description.`;
  const cls = raw.class_name;
  const c = raw.config;
  const name = typeof c.name === 'string' ? ` (${c.name})` : '';
  const given = declaredShape(c);
  if (given && w.shape === null) w.shape = given;
  if (cls === 'InputLayer') return null;
  if (cls === 'Dropout') {
    walkDropout(w, c, `${where}${name}`);
    return null;
  }
  if (cls === 'Flatten') {
    if (w.shape !== null) w.shape = [product(w.shape)];
    return null;
  }
  if (cls === 'BatchNormalization') return walkBatchNorm(w, c, `${where}${name}`);
  if (foldActivation(w, cls, c)) return null;
  if (cls !== 'Dense') {
    return `${where}${name} is a ${cls} layer: the lab runs only Dense layers (an InputLayer, a Flatten of the 28×28 image, Dropout, BatchNormalization between a Dense layer and its activation, and an activation layer after a linear Dense layer are accepted too).`;
  }
  return walkDense(w, c, `${where}${name}`);
}

/** Whether the Dense layers make a network the lab runs: 784 inputs, hidden layers it has, 10 softmax outputs. */
function checkStack(dense: readonly DenseSpec[]): string | null {
  if (dense.length === 0) return 'The model has no Dense layer.';
  const first = dense[0] as DenseSpec;
  if (!Number.isFinite(first.inputs) || first.inputs !== INPUT_SIZE) {
    return `The model takes ${Number.isFinite(first.inputs) ? first.inputs : 'an unknown number of'} inputs; the lab's images are 28×28 = ${INPUT_SIZE} pixels, so it needs ${INPUT_SIZE} inputs.`;
  }
  const last = dense[dense.length - 1] as DenseSpec;
  if (last.units !== NUM_CLASSES)
    return `The last layer (${last.name}) has ${last.units} outputs; the lab needs ${NUM_CLASSES}, one per digit.`;
  if (last.norm !== null)
    return `The last layer (${last.name}) has batch normalization (${last.norm}); the lab's output layer has none.`;
  if (last.activation !== 'softmax')
    return `The last layer (${last.name}) uses the activation ${last.activation}; the lab needs softmax there (class probabilities).`;
  const hidden = dense.slice(0, -1);
  for (const [k, d] of hidden.entries()) {
    if (fromKerasName(d.activation) === undefined) {
      return `Hidden layer ${k + 1} (${d.name}) uses the activation ${d.activation}; the lab has ${ACTIVATIONS.map((a) => ACTIVATION_INFO[a].name).join(', ')}.`;
    }
    if (d.units > LIMITS.maxWidth)
      return `Hidden layer ${k + 1} (${d.name}) has ${d.units} units; the lab's widest is ${LIMITS.maxWidth}.`;
  }
  if (hidden.length > LIMITS.maxLayers)
    return `The model has ${hidden.length} hidden layers; the lab runs at most ${LIMITS.maxLayers}.`;
  return null;
}

/** A rate the lab trains with: at most LIMITS.maxDropout (noted when cut). */
function labRate(rate: number, where: string, notes: string[]): number {
  if (rate <= LIMITS.maxDropout) return rate;
  notes.push(`${where} has dropout ${rate}; the lab's highest is ${LIMITS.maxDropout}, used for a rerun.`);
  return LIMITS.maxDropout;
}

/** Walks the layers: Dense specs in order (each with the dropout after it), the input's dropout, and what was left out. */
export function denseSpecs(
  layers: readonly unknown[],
): Checked<{ dense: DenseSpec[]; inputDropout: number; notes: string[] }> {
  const w: Walk = { shape: null, dense: [], inputDropout: 0, notes: [] };
  for (const [i, raw] of layers.entries()) {
    const problem = walkLayer(w, raw, i);
    if (problem !== null) return fail(problem);
  }
  const problem = checkStack(w.dense);
  if (problem !== null) return fail(problem);
  const { notes } = w;
  const out = w.dense[w.dense.length - 1] as DenseSpec;
  if (out.dropout > 0)
    notes.push('A Dropout layer after the output layer was left out: the lab does not drop its outputs.');
  const dense = w.dense.map((d, i) =>
    i === w.dense.length - 1 ? { ...d, dropout: 0 } : { ...d, dropout: labRate(d.dropout, d.name, notes) },
  );
  return { ok: true, value: { dense, inputDropout: labRate(w.inputDropout, 'The input', notes), notes } };
}

/** One manifest group's weights, or the message saying what is wrong with them. */
function groupWeights(weights: readonly unknown[]): Checked<WeightSpec[]> {
  const out: WeightSpec[] = [];
  for (const w of weights) {
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
      return fail(`The weight ${w.name} is ${quoteValue(w.dtype)}; the lab imports float32 weights only.`);
    out.push({ name: w.name, shape: w.shape as number[] });
  }
  return { ok: true, value: out };
}

/** The weights manifest's entries in order, and the file paths of each group. */
export function manifest(json: Record<string, unknown>): Checked<{ groups: WeightGroup[] }> {
  const m = json.weightsManifest;
  if (!Array.isArray(m)) return fail('model.json has no weightsManifest: it does not say where its weights are.');
  const groups: WeightGroup[] = [];
  for (const g of m) {
    if (
      !isObject(g) ||
      !Array.isArray(g.paths) ||
      !Array.isArray(g.weights) ||
      !g.paths.every((p) => typeof p === 'string')
    )
      return fail("model.json's weightsManifest is not a list of {paths, weights}.");
    const weights = groupWeights(g.weights);
    if (!weights.ok) return weights;
    groups.push({ paths: g.paths as string[], weights: weights.value });
  }
  return { ok: true, value: { groups } };
}

/** model.json's Dense layers and weights manifest, as the import reads them before any weights file. */
export function readModelJson(
  json: Record<string, unknown>,
): Checked<{ dense: DenseSpec[]; inputDropout: number; notes: string[]; groups: WeightGroup[] }> {
  const list = layerList(json.modelTopology);
  if (!list.ok) return list;
  const specs = denseSpecs(list.value);
  if (!specs.ok) return specs;
  const m = manifest(json);
  if (!m.ok) return m;
  return { ok: true, value: { ...specs.value, groups: m.value.groups } };
}
