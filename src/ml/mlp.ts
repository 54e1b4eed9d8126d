/**
 * A fully connected network as plain tf.Variables, with a hand-written forward and backward pass
 * that computes exactly what Keras computes for Dense layers, softmax and categorical
 * cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7]), in fewer programs than autodiff.
 * The passes are written once, over the kernels of kernels/types.ts; each backend brings its own.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, NUM_CLASSES, type Activation, type HiddenLayer } from '../core/network/spec';
import { deriveSeed, mulberry32 } from '../core/network/rng';
import { drawKernel, type InitName } from '../core/network/init';
import { CLIP_EPSILON } from './clip';
import { kernelsFor } from './kernels/kernels';
import type { Kernels } from './kernels/types';
import { headOps } from './kernels/opsKernels';
import {
  createNorm,
  foldedNorm,
  normBackward,
  normTrain,
  normVariables,
  type LayerNorm,
  type NormCache,
} from './batchNorm';

export { CLIP_EPSILON, headOps };

/**
 * Width of the input rows the GPU holds: the 784 pixels and two always-zero columns. The zero
 * columns pad compacted batches (core/dataset/columns.ts) and keep the shared dimension even, which
 * TensorFlow.js's packed matMul needs to run at full speed. The first kernel has as many rows;
 * its rows 784 and 785 are zero and stay zero (their inputs are always zero).
 */
export const GPU_INPUT_WIDTH = INPUT_SIZE + 2;

export interface Mlp {
  readonly activations: readonly Activation[];
  /** Kernels [in, out], then biases [out], per Dense layer, hidden layers first. */
  readonly kernels: readonly tf.Variable[];
  /** A layer's bias; for a layer with batch normalization, its β. */
  readonly biases: readonly tf.Variable[];
  /** Per hidden layer, its batch normalization (ml/batchNorm.ts), or null. */
  readonly norms: readonly (LayerNorm | null)[];
  /** What the optimizer trains: the kernels, the biases, then each batch normalization's γ. */
  readonly trainable: readonly tf.Variable[];
  /** Everything the network is (trainable, then the moving statistics): what early stopping keeps. */
  readonly state: readonly tf.Variable[];
  dispose(): void;
}

/**
 * Kernels drawn by `init` (core/network/init.ts; Glorot uniform, Keras's Dense default, unless named) and
 * zero biases, from the seeded generator on the CPU so that a seed gives the same weights on
 * every backend.
 */
export function createMlp(hidden: readonly HiddenLayer[], seed: number, init: InitName = 'glorot_uniform'): Mlp {
  const rng = mulberry32(deriveSeed(seed, 0));
  const widths = [INPUT_SIZE, ...hidden.map((l) => l.units), NUM_CLASSES];
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  const norms: (LayerNorm | null)[] = [];
  const all = () => [...kernels, ...biases, ...norms.flatMap((n) => (n ? normVariables(n) : []))];
  try {
    for (let i = 0; i + 1 < widths.length; i++) {
      const fanIn = widths[i] as number;
      const fanOut = widths[i + 1] as number;
      const rows = i === 0 ? GPU_INPUT_WIDTH : fanIn;
      const w = new Float32Array(rows * fanOut);
      drawKernel(init, fanIn, fanOut, rng, w);
      // tidy frees the initial values; variables survive it.
      tf.tidy(() => {
        kernels.push(tf.variable(tf.tensor2d(w, [rows, fanOut]), true));
        biases.push(tf.variable(tf.zeros([fanOut]), true));
      });
      if (i < hidden.length) norms.push(hidden[i]?.batchNorm ? createNorm(fanOut) : null);
    }
  } catch (e) {
    // Out of memory half way (a huge layer): free the layers already made, then say so.
    tf.dispose(all());
    throw e;
  }
  const gammas = norms.flatMap((n) => (n ? [n.gamma] : []));
  const moving = norms.flatMap((n) => (n ? [n.movingMean, n.movingVariance] : []));
  const trainable = [...kernels, ...biases, ...gammas];
  return {
    activations: hidden.map((l) => l.activation),
    kernels,
    biases,
    norms,
    trainable,
    state: [...trainable, ...moving],
    dispose: () => tf.dispose(all()),
  };
}

/**
 * The input columns a batch uses (see core/dataset/columns.ts), as int32 tensors: `cols` [k] and `inv`
 * [GPU_INPUT_WIDTH], where inv[pixel] is the pixel's position in cols, or k when unused.
 */
export interface ColumnTensors {
  readonly cols: tf.Tensor;
  readonly inv: tf.Tensor;
}

function firstKernel(net: Mlp, columns: ColumnTensors | undefined, k: Kernels): tf.Tensor {
  const w = net.kernels[0] as tf.Tensor;
  return columns ? k.gatherRows(w, columns.cols) : w;
}

/**
 * The dropout masks of one training batch (ml/dropout.ts): on the input [batch, columns] and after
 * each hidden layer [batch, units], null where that layer has none. Masks hold 0 or 1 / (1 − rate).
 */
export interface BatchMasks {
  readonly input: tf.Tensor | null;
  readonly hidden: readonly (tf.Tensor | null)[];
}

export interface Forward {
  /** Each hidden layer's outputs, before its dropout (what the activation gave). */
  readonly hidden: tf.Tensor[];
  /** What each Dense layer multiplied: the input, then each hidden layer's outputs, after dropout. */
  readonly inputs: tf.Tensor[];
  readonly logits: tf.Tensor;
  /** In training, per hidden layer, what its batch normalization keeps for the backward pass (null: none). */
  readonly norms: (NormCache | null)[];
}

const dropped = (t: tf.Tensor, mask: tf.Tensor | null | undefined): tf.Tensor => (mask ? tf.mul(t, mask) : t);

/**
 * Forward pass. `x` is [batch, GPU_INPUT_WIDTH], or [batch, k] holding only the `columns` of the
 * batch; returns the hidden layers' outputs and the logits [batch, 10]. With `masks` (training
 * only), the input and the hidden outputs are dropped out as they pass on. Batch normalization
 * uses the batch's statistics when `train`, else the moving ones (folded into the layer's
 * product). Call inside tf.tidy.
 */
export function forward(
  net: Mlp,
  x: tf.Tensor,
  columns?: ColumnTensors,
  k: Kernels = kernelsFor(),
  masks?: BatchMasks,
  train = false,
): Forward {
  const hidden: tf.Tensor[] = [];
  const norms: (NormCache | null)[] = [];
  let h = dropped(x, masks?.input);
  const inputs = [h];
  net.activations.forEach((act, i) => {
    const w = i === 0 ? firstKernel(net, columns, k) : (net.kernels[i] as tf.Tensor);
    const b = net.biases[i] as tf.Tensor;
    const norm = net.norms[i];
    let out: tf.Tensor;
    if (!norm) out = k.dense(h, w, b, act);
    else if (train) {
      const { a, cache } = normTrain(k.product(h, w, false, false), norm, b);
      norms[i] = cache;
      out = k.activate(a, act);
    } else {
      const folded = foldedNorm(w, norm, b);
      out = k.dense(h, folded.w, folded.b, act);
    }
    norms[i] ??= null;
    hidden.push(out);
    h = dropped(out, masks?.hidden[i]);
    inputs.push(h);
  });
  const last = net.activations.length;
  const wOut = last === 0 ? firstKernel(net, columns, k) : (net.kernels[last] as tf.Tensor);
  return { hidden, inputs, logits: k.affine(h, wOut, net.biases[last] as tf.Tensor), norms };
}

/** The gradients of a batch: per Dense layer, its kernel's and bias's (β's); then each batch normalization's γ. */
export interface Gradients {
  readonly kernelGrads: tf.Tensor[];
  readonly biasGrads: tf.Tensor[];
  readonly gammaGrads: tf.Tensor[];
}

/**
 * Gradients for every kernel and bias from the hidden outputs of `forward` and dz, the gradient
 * at the logits. When forward ran on compacted columns, the first kernel's gradient has one row
 * per column of the batch (the optimizer expands it). With dropout, `dropout` gives forward's
 * `inputs` and the masks it used; with batch normalization, `norms` its caches. Inside tidy.
 */
export function backward(
  net: Mlp,
  x: tf.Tensor,
  hidden: readonly tf.Tensor[],
  dzLogits: tf.Tensor,
  k: Kernels = kernelsFor(),
  dropout?: { readonly inputs: readonly tf.Tensor[]; readonly masks: BatchMasks },
  norms: readonly (NormCache | null)[] = [],
): Gradients {
  let dz = dzLogits;
  let beta: tf.Tensor | null = null;
  const n = net.kernels.length;
  const kernelGrads: tf.Tensor[] = new Array<tf.Tensor>(n);
  const biasGrads: tf.Tensor[] = new Array<tf.Tensor>(n);
  const gammaGrads: tf.Tensor[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const input = dropout ? (dropout.inputs[i] as tf.Tensor) : i === 0 ? x : (hidden[i - 1] as tf.Tensor);
    kernelGrads[i] = k.product(input, dz, true, false);
    biasGrads[i] = beta ?? k.columnSums(dz);
    beta = null;
    if (i > 0) {
      // The gradient at the layer's dropped outputs, back through its mask to its outputs.
      const dh = dropped(k.product(dz, net.kernels[i] as tf.Tensor, false, true), dropout?.masks.hidden[i - 1]);
      dz = k.activationGradient(hidden[i - 1] as tf.Tensor, dh, net.activations[i - 1] as Activation);
      const cache = norms[i - 1];
      const norm = net.norms[i - 1];
      if (cache && norm) {
        const g = normBackward(dz, cache, norm.gamma, k);
        dz = g.dz;
        beta = g.dBeta;
        gammaGrads.unshift(g.dGamma);
      }
    }
  }
  return { kernelGrads, biasGrads, gammaGrads };
}

/**
 * Takes the network over for inference (the drawings after a run): its kernels and biases, each
 * layer with batch normalization folded with its moving statistics into a new kernel and bias,
 * whose originals, γ and moving statistics are freed. The caller owns what it gets.
 */
export function inferenceWeights(net: Mlp): { kernels: tf.Tensor[]; biases: tf.Tensor[] } {
  const kernels: tf.Tensor[] = [...net.kernels];
  const biases: tf.Tensor[] = [...net.biases];
  net.norms.forEach((norm, i) => {
    if (!norm) return;
    const folded = tf.tidy(() => foldedNorm(kernels[i] as tf.Tensor, norm, biases[i] as tf.Tensor));
    tf.dispose([kernels[i] as tf.Tensor, biases[i] as tf.Tensor, ...normVariables(norm)]);
    kernels[i] = folded.w;
    biases[i] = folded.b;
  });
  return { kernels, biases };
}
