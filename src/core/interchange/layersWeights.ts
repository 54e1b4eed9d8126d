/**
 * The weights of a Layers model's Dense layers and their batch normalizations, taken from the
 * weights manifest's entries (layersImport.ts reads the bytes), checked against the layers'
 * shapes, pure. A layer with batch normalization gives its BatchNormalization's beta as its bias
 * and its gamma and moving statistics as its norm (core/runs/model.ts); a bias its Dense layer had
 * as well is folded into the moving mean (moving mean − bias: the same outputs).
 */
import type { NormWeights } from '../runs/model';
import { NORM_PARTS, type NormPart } from './layersBatchNorm';
import { fail, shapeText, type Checked, type DenseSpec, type WeightSpec } from './layersModelJson';

export type Entry = { readonly spec: WeightSpec; readonly data: Float32Array };

/** Each Dense layer's kernel and bias (beta where it has batch normalization), and each hidden layer's norm or null. */
export interface LayerWeights {
  readonly kernels: Float32Array[];
  readonly biases: Float32Array[];
  readonly norms: (NormWeights | null)[];
}

type Part = 'kernel' | 'bias' | NormPart;
/** One weight the layers call for: the layer it belongs to, which of its weights, the shape it must have. */
type Want = { readonly layer: string; readonly part: Part; readonly shape: readonly number[] };

/** The weights a Dense layer and its batch normalization call for, in Keras's order. */
function wants(d: DenseSpec): Want[] {
  return [
    { layer: d.name, part: 'kernel', shape: [d.inputs, d.units] },
    ...(d.useBias ? [{ layer: d.name, part: 'bias' as const, shape: [d.units] }] : []),
    ...(d.norm === null ? [] : NORM_PARTS.map((part) => ({ layer: d.norm as string, part, shape: [d.units] }))),
  ];
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Each weight the layers call for, by name, as TensorFlow.js loads them ("dense_1/kernel", Keras
 * 3's "sequential/dense_1/kernel"): the manifest lists frozen weights (batch normalization's moving
 * statistics, a frozen layer's) after the others. By position, in Keras's order, where names do not
 * say. Each checked against its shape; per layer, its weights by part.
 */
function findWeights(dense: readonly DenseSpec[], entries: readonly Entry[]): Checked<Map<Part, Float32Array>[]> {
  const all = dense.map(wants);
  const flat = all.flat();
  if (entries.length !== flat.length) {
    const norms = dense.filter((d) => d.norm !== null).length;
    const layers = `${dense.length} Dense layers${norms > 0 ? ` and ${norms} BatchNormalization layers` : ''}`;
    return fail(`model.json's weightsManifest lists ${entries.length} weights; its ${layers} have ${flat.length}.`);
  }
  const byName = (w: Want) =>
    entries.filter((e) => e.spec.name === `${w.layer}/${w.part}` || e.spec.name.endsWith(`/${w.layer}/${w.part}`));
  const named = flat.every((w) => byName(w).length === 1);
  const found = all.map(() => new Map<Part, Float32Array>());
  let at = 0;
  for (const [k, layer] of all.entries()) {
    for (const w of layer) {
      const e = (named ? byName(w)[0] : entries[at]) as Entry;
      at++;
      if (!sameShape(e.spec.shape, w.shape))
        return fail(
          `The ${w.part} of ${w.layer} is ${shapeText(e.spec.shape)} in the weightsManifest; the layer needs ${shapeText(w.shape)}.`,
        );
      found[k]?.set(w.part, e.data);
    }
  }
  return { ok: true, value: found };
}

/** A layer's norm from its BatchNormalization's weights, the Dense bias (zeros if none) folded into the moving mean. */
function normOf(parts: ReadonlyMap<Part, Float32Array>, bias: Float32Array | undefined): NormWeights {
  const mean = parts.get('moving_mean') as Float32Array;
  return {
    gamma: parts.get('gamma') as Float32Array,
    movingMean: bias ? mean.map((m, i) => m - (bias[i] as number)) : mean,
    movingVariance: parts.get('moving_variance') as Float32Array,
  };
}

/** Each Dense layer's weights from the manifest's entries, or the message naming the one that does not fit. */
export function layerWeights(dense: readonly DenseSpec[], entries: readonly Entry[]): Checked<LayerWeights> {
  const found = findWeights(dense, entries);
  if (!found.ok) return found;
  const out: LayerWeights = { kernels: [], biases: [], norms: [] };
  for (const [k, d] of dense.entries()) {
    const parts = found.value[k] as Map<Part, Float32Array>;
    if (![...parts.values()].every((a) => a.every(Number.isFinite)))
      return fail(
        `The weights of ${d.norm === null ? d.name : `${d.name} or ${d.norm}`} hold NaN or infinite values: the network cannot predict.`,
      );
    if (parts.get('moving_variance')?.some((v) => v < 0))
      return fail(`The moving variance of ${d.norm as string} has negative values: the network cannot predict.`);
    out.kernels.push(parts.get('kernel') as Float32Array);
    const norm = d.norm === null ? null : normOf(parts, parts.get('bias'));
    out.biases.push((norm ? parts.get('beta') : parts.get('bias')) ?? new Float32Array(d.units));
    if (k < dense.length - 1) out.norms.push(norm);
  }
  return { ok: true, value: out };
}
