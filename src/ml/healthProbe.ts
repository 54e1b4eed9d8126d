/**
 * Layer health on the device: for one training step, the numbers core/diagnosis/health.ts decodes. A few
 * small reductions per layer, run only on the steps that are sampled, and concatenated into one
 * vector so that they are read back together with the loss sums (no extra sync).
 */
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES, type Activation } from '../core/network/spec';
import { ACTIVATION_FORMS } from './activations';
import { CLIP_EPSILON } from './clip';

export interface HealthInputs {
  readonly activations: readonly Activation[];
  /** Hidden layers' outputs for the batch, [batch, units] each. */
  readonly hidden: readonly tf.Tensor[];
  /** Σg² of each kernel gradient as the step used it (see sumSq). */
  readonly gradSq: readonly tf.Tensor[];
  /** ΣΔW² of each kernel's step (for plain SGD the same tensors as gradSq: the step is the scaled gradient). */
  readonly stepSq: readonly tf.Tensor[];
  /** ΣW² of each kernel before the step. */
  readonly weightSq: readonly tf.Tensor[];
  /** Logits [batch, 10] and int32 labels [batch]. */
  readonly logits: tf.Tensor;
  readonly labels: tf.Tensor;
}

/** Σx² of a tensor, as a scalar tensor. */
export const sumSq = (t: tf.Tensor) => tf.sum(tf.square(t));

/**
 * The health vector [per layer: Σg², ΣΔW², ΣW², mean activation, share; then the clipped share].
 * Call inside tf.tidy.
 */
export function healthVector(inp: HealthInputs): tf.Tensor {
  const parts: tf.Tensor[] = [];
  const n = inp.gradSq.length;
  for (let i = 0; i < n; i++) {
    parts.push(inp.gradSq[i] as tf.Tensor, inp.stepSq[i] as tf.Tensor, inp.weightSq[i] as tf.Tensor);
    if (i < n - 1) {
      const h = inp.hidden[i] as tf.Tensor;
      parts.push(tf.mean(h), ACTIVATION_FORMS[inp.activations[i] as Activation].share(h));
    } else {
      parts.push(tf.mean(tf.max(tf.softmax(inp.logits), 1)), tf.scalar(0));
    }
  }
  const probs = tf.softmax(inp.logits);
  const pTrue = tf.sum(tf.mul(probs, tf.oneHot(inp.labels, NUM_CLASSES)), 1);
  parts.push(tf.mean(tf.cast(tf.less(pTrue, CLIP_EPSILON), 'float32')));
  return tf.stack(parts.map((p) => tf.reshape(p, [])));
}
