/**
 * A fully connected network as plain tf.Variables, with a hand-written forward and backward pass
 * that computes exactly what Keras computes for Dense layers, softmax and categorical
 * cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7]), in fewer GPU programs than autodiff.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, NUM_CLASSES, type Activation, type HiddenLayer } from '../core/spec';
import { deriveSeed, mulberry32 } from '../core/rng';
import { ACTIVATION_FORMS } from './activations';
import { CLIP_EPSILON } from './clip';
import { headGradient, headStats } from './headKernels';
import { activationGradient, columnSums, gatherRows, zeroPadding } from './rowKernels';

export { CLIP_EPSILON };

/**
 * Width of the input rows the GPU holds: the 784 pixels and two always-zero columns. The zero
 * columns pad compacted batches (core/columns.ts) and keep the shared dimension even, which
 * TensorFlow.js's packed matMul needs to run at full speed. The first kernel has as many rows;
 * its rows 784 and 785 are zero and stay zero (their inputs are always zero).
 */
export const GPU_INPUT_WIDTH = INPUT_SIZE + 2;

export interface Mlp {
  readonly activations: readonly Activation[];
  /** Kernels [in, out], then biases [out], per Dense layer, hidden layers first. */
  readonly kernels: readonly tf.Variable[];
  readonly biases: readonly tf.Variable[];
  dispose(): void;
}

/**
 * Glorot-uniform kernels (limit sqrt(6 / (fanIn + fanOut))) and zero biases, as Keras's Dense
 * defaults, drawn from the seeded generator on the CPU so that a seed gives the same weights on
 * every backend.
 */
export function createMlp(hidden: readonly HiddenLayer[], seed: number): Mlp {
  const rng = mulberry32(deriveSeed(seed, 0));
  const widths = [INPUT_SIZE, ...hidden.map((l) => l.units), NUM_CLASSES];
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  try {
    for (let i = 0; i + 1 < widths.length; i++) {
      const fanIn = widths[i] as number;
      const fanOut = widths[i + 1] as number;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const rows = i === 0 ? GPU_INPUT_WIDTH : fanIn;
      const w = new Float32Array(rows * fanOut);
      for (let j = 0; j < fanIn * fanOut; j++) w[j] = (rng() * 2 - 1) * limit;
      // tidy frees the initial values; variables survive it.
      tf.tidy(() => {
        kernels.push(tf.variable(tf.tensor2d(w, [rows, fanOut]), true));
        biases.push(tf.variable(tf.zeros([fanOut]), true));
      });
    }
  } catch (e) {
    // Out of memory half way (a huge layer): free the layers already made, then say so.
    tf.dispose([...kernels, ...biases]);
    throw e;
  }
  return {
    activations: hidden.map((l) => l.activation),
    kernels,
    biases,
    dispose: () => tf.dispose([...kernels, ...biases]),
  };
}

/**
 * The input columns a batch uses (see core/columns.ts), as int32 tensors: `cols` [k] and `inv`
 * [GPU_INPUT_WIDTH], where inv[pixel] is the pixel's position in cols, or k when unused.
 */
export interface ColumnTensors {
  readonly cols: tf.Tensor;
  readonly inv: tf.Tensor;
}

function firstKernel(net: Mlp, columns: ColumnTensors | undefined): tf.Tensor {
  const w = net.kernels[0] as tf.Tensor;
  return columns ? gatherRows(w, columns.cols) : w;
}

/**
 * Forward pass. `x` is [batch, GPU_INPUT_WIDTH], or [batch, k] holding only the `columns` of the
 * batch; returns the hidden layers' outputs and the logits [batch, 10]. Call inside tf.tidy.
 */
export function forward(net: Mlp, x: tf.Tensor, columns?: ColumnTensors): { hidden: tf.Tensor[]; logits: tf.Tensor } {
  const hidden: tf.Tensor[] = [];
  let h = x;
  net.activations.forEach((act, i) => {
    h = zeroPadding(ACTIVATION_FORMS[act].dense(h, i === 0 ? firstKernel(net, columns) : (net.kernels[i] as tf.Tensor), net.biases[i] as tf.Tensor));
    hidden.push(h);
  });
  const last = net.activations.length;
  const wOut = last === 0 ? firstKernel(net, columns) : (net.kernels[last] as tf.Tensor);
  return { hidden, logits: tf.fused.matMul({ a: h, b: wOut, bias: net.biases[last] as tf.Tensor }) };
}

/**
 * The loss head with TensorFlow.js ops, as Keras computes it: softmax, probabilities clipped to
 * [1e-7, 1 - 1e-7], cross-entropy. Returns [summed loss, number correct] (shape [2]) and
 * d(mean loss)/d(logits) times `gradientScale`, which is mask * (p - y) / batch: the mask is zero
 * for samples whose true-class probability was clipped (the clip's gradient is zero there, as in
 * Keras/TensorFlow). `labels` is int32 [batch]. Inside tidy.
 */
export function headOps(logits: tf.Tensor, labels: tf.Tensor, gradientScale = 1): { stats: tf.Tensor; dz: tf.Tensor } {
  const batch = logits.shape[0] as number;
  const probs = tf.softmax(logits);
  const oneHot = tf.oneHot(labels, NUM_CLASSES);
  const pTrue = tf.sum(tf.mul(probs, oneHot), 1);
  const lossSum = tf.neg(tf.sum(tf.log(tf.clipByValue(pTrue, CLIP_EPSILON, 1 - CLIP_EPSILON))));
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labels), 'float32'));
  const inRange = tf.logicalAnd(tf.greaterEqual(pTrue, CLIP_EPSILON), tf.lessEqual(pTrue, 1 - CLIP_EPSILON));
  const scale = tf.mul(tf.cast(inRange, 'float32'), gradientScale / batch).reshape([batch, 1]);
  return { stats: tf.stack([lossSum, correct]), dz: tf.mul(tf.sub(probs, oneHot), scale) };
}

/**
 * The same head on the fastest path of the active backend: two shader passes on WebGL
 * (headKernels.ts), headOps elsewhere.
 */
export function head(logits: tf.Tensor, labels: tf.Tensor, gradientScale: number, fused: boolean) {
  if (!fused || tf.getBackend() !== 'webgl') return headOps(logits, labels, gradientScale);
  return { stats: headStats(logits, labels), dz: headGradient(logits, labels, gradientScale) };
}

/**
 * a·b with a or b transposed. On WASM the transpose is made explicit: TensorFlow.js's WASM matMul
 * hands only untransposed operands to XNNPACK, and multiplies transposed ones in a plain loop
 * about 10-30 times slower (issue 11); a transpose costs one pass over the operand.
 */
function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

/**
 * Gradients for every kernel and bias from the hidden outputs of `forward` and dz, the gradient
 * at the logits. When forward ran on compacted columns, the first kernel's gradient has one row
 * per column of the batch (the optimizer expands it). Inside tidy.
 */
export function backward(net: Mlp, x: tf.Tensor, hidden: readonly tf.Tensor[], dzLogits: tf.Tensor): { kernelGrads: tf.Tensor[]; biasGrads: tf.Tensor[] } {
  let dz = dzLogits;
  const n = net.kernels.length;
  const kernelGrads: tf.Tensor[] = new Array<tf.Tensor>(n);
  const biasGrads: tf.Tensor[] = new Array<tf.Tensor>(n);
  for (let i = n - 1; i >= 0; i--) {
    const input = i === 0 ? x : (hidden[i - 1] as tf.Tensor);
    kernelGrads[i] = product(input, dz, true, false);
    biasGrads[i] = columnSums(dz);
    if (i > 0) {
      const dh = product(dz, net.kernels[i] as tf.Tensor, false, true);
      const h = hidden[i - 1] as tf.Tensor;
      const act = net.activations[i - 1] as Activation;
      dz = activationGradient(h, dh, act);
    }
  }
  return { kernelGrads, biasGrads };
}
