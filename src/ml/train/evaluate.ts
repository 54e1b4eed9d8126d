/**
 * What a run measures and keeps outside its batches: the loss and accuracy of the network over a
 * range of rows (the validation split after each epoch, the test set at the end, with per-image
 * predictions when the model is kept), and the trained weights as plain arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, type LossName, type TrainConfig } from '../../core/network/spec';
import type { TrainedModel } from '../../core/runs/model';
import { forward, GPU_INPUT_WIDTH, headOps, type Mlp } from '../mlp';
import { readBack } from './readBack';
import { withPenalty, type Regularization } from '../regularize';
import { sliceRows } from '../kernels/wasmKernels';

/** Rows per forward pass: bounds the device memory an evaluation takes. */
const EVAL_CHUNK = 2000;

export interface Evaluation {
  readonly loss: number;
  readonly acc: number;
  /** Per row, with `perRow`: the predicted class and its softmax probability. */
  readonly preds?: Uint8Array;
  readonly probs?: Float32Array;
}

/** Mean loss and accuracy of the network over rows [from, to) of x / y, in chunks (and per-row results). */
export async function evaluate(
  net: Mlp,
  x: tf.Tensor,
  y: tf.Tensor,
  [from, to]: readonly [number, number],
  checkDevice?: () => void,
  perRow = false,
  reg: Regularization = { l2: 0, l1: 0, maxNorm: 0 },
  loss: LossName = 'ce',
): Promise<Evaluation> {
  const n = to - from;
  const [totals, preds, probs] = tf.tidy(() => {
    let sums: tf.Tensor = tf.zeros([2]);
    const p: tf.Tensor[] = [];
    const q: tf.Tensor[] = [];
    for (let start = from; start < to; start += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, to - start);
      const xb =
        x.shape[1] === GPU_INPUT_WIDTH ? sliceRows(x, start, size) : tf.slice(x, [start, 0], [size, GPU_INPUT_WIDTH]);
      const yb = sliceRows(y, start, size);
      const logits = forward(net, xb).logits;
      sums = tf.add(sums, headOps(logits, yb, 1, loss).stats);
      if (perRow) {
        p.push(tf.argMax(logits, 1));
        q.push(tf.max(tf.softmax(logits), 1));
      }
    }
    // Keras reports the loss with the weight-decay penalty in evaluation too.
    sums = withPenalty(sums, net.kernels, reg, n);
    return perRow ? [sums, tf.concat(p), tf.concat(q)] : [sums];
  });
  try {
    const [loss = NaN, correct = 0] = await readBack(totals as tf.Tensor, checkDevice);
    if (!preds || !probs) return { loss: loss / n, acc: correct / n };
    const predRead = await (preds.data() as Promise<Int32Array>);
    return {
      loss: loss / n,
      acc: correct / n,
      preds: Uint8Array.from(predRead),
      probs: await readBack(probs, checkDevice),
    };
  } finally {
    tf.dispose([totals, preds, probs].filter((t): t is tf.Tensor => t !== undefined));
  }
}

/** The network's weights as plain arrays (the first kernel without its two zero padding rows). */
export async function readModel(net: Mlp, config: TrainConfig): Promise<TrainedModel> {
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let i = 0; i < net.kernels.length; i++) {
    const k = net.kernels[i] as tf.Variable;
    const all = (await k.data()) as Float32Array;
    kernels.push(i === 0 ? all.slice(0, INPUT_SIZE * (k.shape[1] as number)) : all);
    biases.push((await (net.biases[i] as tf.Variable).data()) as Float32Array);
  }
  const { layers, preprocessing, dataset, inputDropout, loss } = config;
  const norms = net.norms.some((n) => n !== null)
    ? await Promise.all(
        net.norms.map(async (n) =>
          n
            ? {
                gamma: (await n.gamma.data()) as Float32Array,
                movingMean: (await n.movingMean.data()) as Float32Array,
                movingVariance: (await n.movingVariance.data()) as Float32Array,
              }
            : null,
        ),
      )
    : null;
  return {
    layers,
    preprocessing,
    dataset,
    kernels,
    biases,
    ...(inputDropout > 0 ? { inputDropout } : {}),
    ...(loss === 'ce' ? {} : { loss }),
    ...(norms ? { norms } : {}),
  };
}
