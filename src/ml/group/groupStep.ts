/**
 * K networks of one shape trained in one step on WASM: their kernels and biases stacked along a
 * first axis ([K, in, out], [K, out]), each batch of K × b rows (each network its own rows)
 * gathered at once, every product of the forward and backward pass one call of our product module
 * over the K networks (kernels/gemm/wasmGemm.ts, rank 3), and every other op one op over all K.
 * On the CPU backend (plain JavaScript) the products are TensorFlow.js's batched matMul, the same
 * loops as a run's own matMul; there each network's numbers agree with its run's to 4 decimals (a
 * run alone may multiply only its batch's columns, summed in other blocks; a 5-epoch comparison
 * found differences up to 3.5e-7).
 * (TensorFlow.js's WASM matMul of stacked operands is a plain loop at about 2 GFLOP/s: on WASM
 * only our products group.)
 *
 * On WASM each network's numbers are those of a run trained alone (train/step.ts) to the last bit:
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
import { ownProducts, wasmGemm } from '../kernels/gemm/wasmGemm';

/** Whether the active backend trains groups: WASM with our products, or the CPU backend. */
export const groupsHere = () => ownProducts() || tf.getBackend() === 'cpu';
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

/** One network of a group: its hidden layers (the same widths as the others'), seed and initializer. */
export interface GroupNetwork {
  readonly layers: readonly HiddenLayer[];
  readonly seed: number;
  readonly init: InitName;
}

/**
 * A group of networks of the same widths, network i drawn from its seed and initializer exactly as
 * createMlp draws a run's, each with its own activations, trained on images x [N,
 * GPU_INPUT_WIDTH] and int32 labels y [N] (not owned).
 */
export function createGroup(networks: readonly GroupNetwork[], x: tf.Tensor, y: tf.Tensor): NetworkGroup {
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
    for (const n of networks) nets.push(createMlp(n.layers, n.seed, n.init));
    const depth = (networks[0]?.layers.length ?? 0) + 1;
    kernels = Array.from({ length: depth }, (_, l) => stack((n) => n.kernels, l));
    biases = Array.from({ length: depth }, (_, l) => stack((n) => n.biases, l));
  } catch (e) {
    tf.dispose(made);
    throw e;
  } finally {
    nets.forEach((n) => n.dispose());
  }
  const layers = networks[0]?.layers ?? [];
  return new Group(
    layers.map((_, l) => networks.map((n) => (n.layers[l] as HiddenLayer).activation)),
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
    /** Per hidden layer, each network's activation. */
    private readonly activations: readonly (readonly Activation[])[],
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
      const own = ownProducts();
      const gemm = own ? wasmGemm : opsGemm;
      const xb = tf.reshape(own ? wasmGatherRows(this.x, idx) : tf.gather(this.x, idx), [size, b, GPU_INPUT_WIDTH]);
      // Forward: each hidden layer's outputs [K, b, units], then the logits [K·b, 10].
      const hidden: tf.Tensor[] = [];
      let h = xb;
      activations.forEach((acts, l) => {
        h = activateEach(acts, gemm(h, kernels[l] as tf.Tensor, false, false, biases[l]));
        hidden.push(h);
      });
      const depth = kernels.length;
      const out = gemm(h, kernels[depth - 1] as tf.Tensor, false, false, biases[depth - 1]);
      const logits = tf.reshape(out, [size * b, NUM_CLASSES]);
      const { stats, dz } = head(logits, tf.gather(this.y, idx), size, b, this.rowScales as tf.Tensor);
      // Backward and update: w + (−lr) g, as a plain SGD run's.
      let d = tf.reshape(dz, [size, b, NUM_CLASSES]);
      for (let l = depth - 1; l >= 0; l--) {
        const kernel = kernels[l] as tf.Variable;
        const bias = biases[l] as tf.Variable;
        const dw = gemm(l === 0 ? xb : (hidden[l - 1] as tf.Tensor), d, true, false);
        const db = own ? tf.reshape(wasmGemm(this.ones as tf.Tensor, d, false, false), bias.shape) : tf.sum(d, 1);
        if (l > 0) {
          const dh = gemm(d, kernel, false, true);
          d = gradientEach(activations[l - 1] as readonly Activation[], hidden[l - 1] as tf.Tensor, dh);
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
      activations: this.activations.map((acts) => acts[i] as Activation),
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
 * Each network's activation of stacked pre-activations [K, b, units]: one op where they share it,
 * else one per network (an activation is elementwise: the same numbers either way).
 */
function activateEach(acts: readonly Activation[], a: tf.Tensor): tf.Tensor {
  const first = acts[0] as Activation;
  if (acts.every((x) => x === first)) return ACTIVATION_FORMS[first].activate(a);
  const parts = tf.split(a, acts.length, 0);
  return tf.concat(
    parts.map((p, i) => ACTIVATION_FORMS[acts[i] as Activation].activate(p)),
    0,
  );
}

/** dh times each network's activation derivative, in terms of its outputs h [K, b, units]. */
function gradientEach(acts: readonly Activation[], h: tf.Tensor, dh: tf.Tensor): tf.Tensor {
  const first = acts[0] as Activation;
  if (acts.every((x) => x === first)) return ACTIVATION_FORMS[first].gradient(h, dh);
  const [hs, ds] = [tf.split(h, acts.length, 0), tf.split(dh, acts.length, 0)];
  return tf.concat(
    hs.map((p, i) => ACTIVATION_FORMS[acts[i] as Activation].gradient(p, ds[i] as tf.Tensor)),
    0,
  );
}

/** op(a)·op(b) (+ bias [K, n]) of stacked [K, …] operands by TensorFlow.js's ops (no products of our own). */
function opsGemm(a: tf.Tensor, b: tf.Tensor, transA: boolean, transB: boolean, bias?: tf.Tensor): tf.Tensor {
  const p = tf.matMul(a, b, transA, transB);
  return bias ? tf.add(p, tf.expandDims(bias, 1)) : p;
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
