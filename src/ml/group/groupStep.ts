/**
 * K networks of one shape trained in one step on WASM: their kernels and biases stacked along a
 * first axis ([K, in, out], [K, out]), each batch of K × b rows (each network its own rows)
 * gathered at once, every product of the forward and backward pass one call of our product module
 * over the K networks (kernels/gemm/wasmGemm.ts, rank 3), and every other op one op over all K.
 *
 * Each network's numbers are those of a run trained alone (train/step.ts) to the last bit:
 * - its sums run over k in the same order, from the bias; the alone run multiplies only the
 *   columns its batch uses (compaction), and the group multiplies all of them, but a column it
 *   leaves out is zero in every row, and adding 0·w to a sum leaves it as it is;
 * - the gradient of a row the batch does not use is 0 (or −0), and plain SGD's update w + 0 is w;
 * - the loss head is headOps's, op for op, with each network's scale −lr / b per row, and the
 *   batch's sums taken per network over its b rows, in order, as a run sums its own.
 * So only the cases core/runs/groups.ts allows: plain SGD, cross-entropy, no dropout, batch
 * normalization, penalty or augmentation. Checked in tests/unit/ml/group/trainGroup.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES, type Activation } from '../../core/network/spec';
import { ACTIVATION_FORMS } from '../activations';
import { CLIP_EPSILON } from '../clip';
import { wasmGemm } from '../kernels/gemm/wasmGemm';
import { wasmGatherRows } from '../kernels/wasmKernels';
import { withNaN } from '../kernels/opsKernels';
import { createMlp, GPU_INPUT_WIDTH, type Mlp } from '../mlp';
import type { HiddenLayer } from '../../core/network/spec';
import type { InitName } from '../../core/network/init';

export interface NetworkGroup {
  readonly size: number;
  /** [K, 2]: per network, [summed loss, number correct] of the epoch so far. */
  readonly sums: tf.Variable;
  /** Sets each network's learning rate (the step's scale −lr / b per row). */
  setRates(rates: readonly number[]): void;
  /**
   * Trains each network i on rows orders[i][start, start + size) of x / y, in one step.
   * Adds the batch's sums to `sums`.
   */
  train(orders: readonly Int32Array[], start: number, size: number): void;
  /** Network i as an Mlp of slices of the stacked weights (for evaluate()); dispose() frees the slices. */
  network(i: number): Mlp;
  dispose(): void;
}

/**
 * A group of networks of `layers`, network i drawn from seeds[i] exactly as createMlp draws a
 * run's, trained on images x [N, GPU_INPUT_WIDTH] and int32 labels y [N] (not owned).
 */
export function createGroup(
  layers: readonly HiddenLayer[],
  seeds: readonly number[],
  init: InitName,
  x: tf.Tensor,
  y: tf.Tensor,
): NetworkGroup {
  // Variables outlive tf.tidy: on a failure half way (out of memory) every one made is freed here.
  const nets: Mlp[] = [];
  const made: tf.Variable[] = [];
  const stack = (pick: (n: Mlp) => readonly tf.Variable[], l: number) => {
    const v = tf.tidy(() => tf.variable(tf.stack(nets.map((n) => pick(n)[l] as tf.Tensor)), true));
    made.push(v);
    return v;
  };
  let kernels: tf.Variable[];
  let biases: tf.Variable[];
  try {
    for (const seed of seeds) nets.push(createMlp(layers, seed, init));
    const depth = layers.length + 1;
    kernels = Array.from({ length: depth }, (_, l) => stack((n) => n.kernels, l));
    biases = Array.from({ length: depth }, (_, l) => stack((n) => n.biases, l));
  } catch (e) {
    tf.dispose(made);
    throw e;
  } finally {
    nets.forEach((n) => n.dispose());
  }
  return new Group(
    layers.map((l) => l.activation),
    kernels,
    biases,
    x,
    y,
  );
}

class Group implements NetworkGroup {
  readonly size: number;
  readonly sums: tf.Variable;
  /** Each network's gradient scale −lr, a double until divided by b (as a run's gradientScale / batch). */
  private scales: readonly number[];
  /** [K, 1, b] ones (the bias gradients: ones · dz) and the rows' scales [K·b, 1], made again when b changes. */
  private ones: tf.Tensor | null = null;
  private rowScales: tf.Tensor | null = null;

  constructor(
    private readonly activations: readonly Activation[],
    private readonly kernels: readonly tf.Variable[],
    private readonly biases: readonly tf.Variable[],
    private readonly x: tf.Tensor,
    private readonly y: tf.Tensor,
  ) {
    this.size = (kernels[0] as tf.Variable).shape[0] as number;
    const size = this.size;
    this.sums = tf.tidy(() => tf.variable(tf.zeros([size, 2]), false));
    this.scales = kernels.map(() => 0);
  }

  setRates(rates: readonly number[]): void {
    if (rates.length !== this.size) throw new Error(`setRates: ${rates.length} rates for ${this.size} networks`);
    this.scales = rates.map((r) => -r);
    this.rowScales?.dispose();
    this.rowScales = null;
  }

  train(orders: readonly Int32Array[], start: number, b: number): void {
    this.perBatch(b);
    tf.tidy(() => {
      const { size, kernels, biases, activations } = this;
      const rows = new Int32Array(size * b);
      orders.forEach((o, i) => rows.set(o.subarray(start, start + b), i * b));
      const idx = tf.tensor1d(rows, 'int32');
      const xb = tf.reshape(wasmGatherRows(this.x, idx), [size, b, GPU_INPUT_WIDTH]);
      // Forward: each hidden layer's outputs [K, b, units], then the logits [K·b, 10].
      const hidden: tf.Tensor[] = [];
      let h = xb;
      activations.forEach((act, l) => {
        h = ACTIVATION_FORMS[act].activate(wasmGemm(h, kernels[l] as tf.Tensor, false, false, biases[l]));
        hidden.push(h);
      });
      const depth = kernels.length;
      const out = wasmGemm(h, kernels[depth - 1] as tf.Tensor, false, false, biases[depth - 1]);
      const logits = tf.reshape(out, [size * b, NUM_CLASSES]);
      const { stats, dz } = head(logits, tf.gather(this.y, idx), size, b, this.rowScales as tf.Tensor);
      // Backward and update: w + (−lr) g, as a plain SGD run's.
      let d = tf.reshape(dz, [size, b, NUM_CLASSES]);
      for (let l = depth - 1; l >= 0; l--) {
        const kernel = kernels[l] as tf.Variable;
        const bias = biases[l] as tf.Variable;
        const dw = wasmGemm(l === 0 ? xb : (hidden[l - 1] as tf.Tensor), d, true, false);
        const db = tf.reshape(wasmGemm(this.ones as tf.Tensor, d, false, false), bias.shape);
        if (l > 0) {
          const dh = wasmGemm(d, kernel, false, true);
          d = ACTIVATION_FORMS[activations[l - 1] as Activation].gradient(hidden[l - 1] as tf.Tensor, dh);
        }
        kernel.assign(tf.add(kernel, dw));
        bias.assign(tf.add(bias, db));
      }
      this.sums.assign(tf.add(this.sums, stats));
    });
  }

  /** The ones and the rows' scales for batches of b rows (each row: its network's −lr / b, as float32). */
  private perBatch(b: number): void {
    if (this.ones?.shape[2] !== b) {
      this.ones?.dispose();
      this.ones = tf.ones([this.size, 1, b]);
      this.rowScales?.dispose();
      this.rowScales = null;
    }
    if (this.rowScales === null) {
      const values = new Float32Array(this.size * b);
      this.scales.forEach((s, i) => values.fill(s / b, i * b, (i + 1) * b));
      this.rowScales = tf.tensor2d(values, [this.size * b, 1]);
    }
  }

  network(i: number): Mlp {
    const slice = (v: tf.Variable) => tf.tidy(() => tf.squeeze(tf.slice(v, [i], [1]), [0])) as tf.Variable;
    const kernels = this.kernels.map(slice);
    const biases = this.biases.map(slice);
    return {
      activations: this.activations,
      kernels,
      biases,
      norms: this.activations.map(() => null),
      trainable: [...kernels, ...biases],
      state: [...kernels, ...biases],
      dispose: () => tf.dispose([...kernels, ...biases]),
    };
  }

  dispose(): void {
    tf.dispose([...this.kernels, ...this.biases, this.sums]);
    this.ones?.dispose();
    this.rowScales?.dispose();
  }
}

/**
 * headOps (kernels/opsKernels.ts) for K networks' logits [K·b, 10] and labels [K·b]: the same ops
 * row by row; the loss and correct count summed per network over its b rows ([K, 2]); each row's
 * gradient scaled by its network's −lr / b (`scale` [K·b, 1]). Inside tidy.
 */
function head(logits: tf.Tensor, labels: tf.Tensor, size: number, b: number, scale: tf.Tensor) {
  const probs = tf.softmax(logits);
  const oneHot = tf.oneHot(labels, NUM_CLASSES);
  const pTrue = tf.sum(tf.mul(probs, oneHot), 1);
  const perNetwork = (t: tf.Tensor) => tf.sum(tf.reshape(t, [size, b]), 1);
  const perRow = tf.reshape(pTrue, [size, b]);
  const lossSum = withNaN(tf.neg(perNetwork(tf.log(tf.clipByValue(pTrue, CLIP_EPSILON, 1 - CLIP_EPSILON)))), perRow);
  const correct = perNetwork(tf.cast(tf.equal(tf.argMax(probs, 1), labels), 'float32'));
  const inRange = tf.logicalAnd(tf.greaterEqual(pTrue, CLIP_EPSILON), tf.lessEqual(pTrue, 1 - CLIP_EPSILON));
  const rowScale = tf.mul(tf.cast(inRange, 'float32').reshape([size * b, 1]), scale);
  return { stats: tf.stack([lossSum, correct], 1), dz: tf.mul(tf.sub(probs, oneHot), rowScale) };
}
