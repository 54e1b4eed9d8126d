/**
 * A fully connected network as plain tf.Variables, with a hand-written forward and backward pass
 * that computes exactly what Keras computes for Dense layers, softmax and categorical
 * cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7]), in fewer GPU programs than autodiff.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, NUM_CLASSES, type Activation, type HiddenLayer } from '../core/spec';
import { deriveSeed, mulberry32 } from '../core/rng';

export const CLIP_EPSILON = 1e-7;

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
  for (let i = 0; i + 1 < widths.length; i++) {
    const fanIn = widths[i] as number;
    const fanOut = widths[i + 1] as number;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let j = 0; j < w.length; j++) w[j] = (rng() * 2 - 1) * limit;
    // tidy frees the initial values; variables survive it.
    tf.tidy(() => {
      kernels.push(tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true));
      biases.push(tf.variable(tf.zeros([fanOut]), true));
    });
  }
  return {
    activations: hidden.map((l) => l.activation),
    kernels,
    biases,
    dispose: () => tf.dispose([...kernels, ...biases]),
  };
}

function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, act: Activation): tf.Tensor {
  if (act === 'tanh') return tf.tanh(tf.fused.matMul({ a: x, b: w, bias: b }));
  return tf.fused.matMul({ a: x, b: w, bias: b, activation: act });
}

/** Derivative of the activation, written in terms of its output h. */
function activationGrad(h: tf.Tensor, act: Activation, dh: tf.Tensor): tf.Tensor {
  switch (act) {
    case 'sigmoid':
      return tf.mul(dh, tf.mul(h, tf.sub(1, h)));
    case 'tanh':
      return tf.mul(dh, tf.sub(1, tf.square(h)));
    case 'relu':
      return tf.mul(dh, tf.step(h));
    case 'linear':
      return dh;
  }
}

/**
 * Forward pass. `x` is [batch, 784]; returns every layer's output: hidden activations then the
 * softmax probabilities [batch, 10]. Call inside tf.tidy.
 */
export function forward(net: Mlp, x: tf.Tensor): tf.Tensor[] {
  const outs: tf.Tensor[] = [];
  let h = x;
  net.activations.forEach((act, i) => {
    h = dense(h, net.kernels[i] as tf.Tensor, net.biases[i] as tf.Tensor, act);
    outs.push(h);
  });
  const last = net.activations.length;
  const logits = tf.fused.matMul({ a: h, b: net.kernels[last] as tf.Tensor, bias: net.biases[last] as tf.Tensor });
  outs.push(tf.softmax(logits));
  return outs;
}

export interface BatchStats {
  /** Sum over the batch of the per-sample Keras cross-entropy, scalar. */
  readonly lossSum: tf.Tensor;
  /** Number of samples whose argmax matches the label, scalar float. */
  readonly correct: tf.Tensor;
}

/** Loss and accuracy sums of probabilities [batch, 10] against one-hot labels. Inside tidy. */
export function batchStats(probs: tf.Tensor, oneHot: tf.Tensor, labels: tf.Tensor): BatchStats & { pTrue: tf.Tensor } {
  const pTrue = tf.sum(tf.mul(probs, oneHot), 1);
  const lossSum = tf.neg(tf.sum(tf.log(tf.clipByValue(pTrue, CLIP_EPSILON, 1 - CLIP_EPSILON))));
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labels), 'float32'));
  return { lossSum, correct, pTrue };
}

/**
 * Gradients of the mean batch loss for every kernel and bias (same order as the variables),
 * from the outputs of `forward`. Uses d(loss)/d(logits) = mask * (p - y) / batch, where the mask
 * is zero for samples whose true-class probability was clipped (the clip's gradient is zero
 * there, as in Keras/TensorFlow). Inside tidy.
 */
export function backward(
  net: Mlp,
  x: tf.Tensor,
  outs: readonly tf.Tensor[],
  oneHot: tf.Tensor,
  pTrue: tf.Tensor,
  batch: number,
): { kernelGrads: tf.Tensor[]; biasGrads: tf.Tensor[] } {
  const probs = outs[outs.length - 1] as tf.Tensor;
  const inRange = tf.logicalAnd(tf.greaterEqual(pTrue, CLIP_EPSILON), tf.lessEqual(pTrue, 1 - CLIP_EPSILON));
  const scale = tf.div(tf.cast(inRange, 'float32'), batch).reshape([batch, 1]);
  let dz: tf.Tensor = tf.mul(tf.sub(probs, oneHot), scale);
  const n = net.kernels.length;
  const kernelGrads: tf.Tensor[] = new Array<tf.Tensor>(n);
  const biasGrads: tf.Tensor[] = new Array<tf.Tensor>(n);
  for (let i = n - 1; i >= 0; i--) {
    const input = i === 0 ? x : (outs[i - 1] as tf.Tensor);
    kernelGrads[i] = tf.matMul(input, dz, true, false);
    biasGrads[i] = tf.sum(dz, 0);
    if (i > 0) {
      const dh = tf.matMul(dz, net.kernels[i] as tf.Tensor, false, true);
      dz = activationGrad(outs[i - 1] as tf.Tensor, net.activations[i - 1] as Activation, dh);
    }
  }
  return { kernelGrads, biasGrads };
}
