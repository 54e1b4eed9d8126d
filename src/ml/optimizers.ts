/**
 * The optimizers of Keras 2.2 with its defaults, applied to our own variables. Each owns its slot
 * variables and frees them in dispose(). Call apply() inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../core/network/spec';
import type { Kernels } from './kernels/types';

/**
 * Which rows a compact first gradient stands for (see ColumnTensors in mlp.ts): int32 [rows], and
 * the step's kernels that expand it.
 */
export interface CompactRows {
  readonly inv: tf.Tensor;
  readonly kernels: Pick<Kernels, 'expandRows' | 'addExpandedRows'>;
}

export interface Optimizer {
  /**
   * What the loop multiplies the loss gradient by before backpropagation: -lr for plain SGD,
   * whose update is then a single add per variable; 1 for the others. It follows setRate.
   */
  readonly gradientScale: number;
  /**
   * Sets the learning rate of the next updates (a schedule's rate for the coming step:
   * core/network/schedule.ts). Call it outside tf.tidy or inside: the rate's scalar is kept.
   */
  setRate(rate: number): void;
  /** True when the step is exactly the (scaled) gradient: w + g (plain SGD). */
  readonly stepIsGradient: boolean;
  /**
   * Updates `vars[i]` from `grads[i]` (the gradient of the mean batch loss times gradientScale).
   * With `compact`, grads[0] holds only the rows of the columns the batch used.
   */
  apply(vars: readonly tf.Variable[], grads: readonly tf.Tensor[], compact?: CompactRows): void;
  dispose(): void;
}

/** grads with a compact first gradient expanded to the full shape. */
function expanded(grads: readonly tf.Tensor[], compact: CompactRows | undefined): readonly tf.Tensor[] {
  if (!compact) return grads;
  return [compact.kernels.expandRows(grads[0] as tf.Tensor, compact.inv), ...grads.slice(1)];
}

const EPSILON = 1e-7; // Keras's K.epsilon()

/** A zero slot variable per variable; on failure half way (out of memory), none is left behind. */
function slotsLike(vars: readonly tf.Variable[]): tf.Variable[] {
  const slots: tf.Variable[] = [];
  try {
    for (const v of vars) slots.push(tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
    return slots;
  } catch (e) {
    tf.dispose(slots);
    throw e;
  }
}

/** The learning rate as a number and as a device scalar (made again only when the rate changes). */
class Rate {
  private scalar: tf.Scalar | null = null;

  constructor(public value: number) {}

  set(rate: number): void {
    if (rate === this.value) return;
    this.value = rate;
    this.scalar?.dispose();
    this.scalar = null;
  }

  /** The rate on the device, kept across tf.tidy until the rate changes or dispose(). */
  get tensor(): tf.Scalar {
    this.scalar ??= tf.keep(tf.scalar(this.value));
    return this.scalar;
  }

  dispose(): void {
    this.scalar?.dispose();
    this.scalar = null;
  }
}

export function createOptimizer(name: OptimizerName, learningRate: number, vars: readonly tf.Variable[]): Optimizer {
  const lr = new Rate(learningRate);
  switch (name) {
    case 'sgd':
      return sgd(lr);
    case 'momentum':
      return momentum(lr, vars);
    case 'adam':
      return adam(lr, vars);
    case 'rmsprop':
      return rmsprop(lr, vars);
  }
}

/** Plain SGD: the gradients arrive as -lr * g, so w + (-lr g) is the whole update. */
function sgd(lr: Rate): Optimizer {
  return {
    get gradientScale() {
      return -lr.value;
    },
    setRate: (rate) => lr.set(rate),
    stepIsGradient: true,
    apply: (vs, gs, compact) =>
      vs.forEach((v, i) => {
        const g = gs[i] as tf.Tensor;
        v.assign(i === 0 && compact ? compact.kernels.addExpandedRows(v, g, compact.inv) : tf.add(v, g));
      }),
    dispose: () => undefined,
  };
}

/** apply() of a rule with one slot per variable: `update(variable, its gradient, its slot)` for each. */
function perVariable(
  slots: readonly tf.Variable[],
  update: (v: tf.Variable, g: tf.Tensor, slot: tf.Variable) => void,
): Optimizer['apply'] {
  return (vs, grads, compact) =>
    expanded(grads, compact).forEach((g, i) => update(vs[i] as tf.Variable, g, slots[i] as tf.Variable));
}

/** Keras SGD(momentum=0.9): m = 0.9 m - lr g; w = w + m. */
function momentum(lr: Rate, vars: readonly tf.Variable[]): Optimizer {
  const m = slotsLike(vars);
  const mu = tf.scalar(0.9);
  return {
    gradientScale: 1,
    setRate: (rate) => lr.set(rate),
    stepIsGradient: false,
    apply: perVariable(m, (v, g, mi) => {
      mi.assign(tf.sub(tf.mul(mi, mu), tf.mul(g, lr.tensor)));
      v.assign(tf.add(v, mi));
    }),
    dispose: () => {
      lr.dispose();
      tf.dispose([mu, ...m]);
    },
  };
}

/** Keras 2.2 Adam: beta1 0.9, beta2 0.999, bias correction folded into the step size. */
function adam(lr: Rate, vars: readonly tf.Variable[]): Optimizer {
  const m = slotsLike(vars);
  let s: tf.Variable[];
  try {
    s = slotsLike(vars);
  } catch (e) {
    tf.dispose(m);
    throw e;
  }
  const b1 = 0.9;
  const b2 = 0.999;
  let t = 0;
  return {
    gradientScale: 1,
    setRate: (rate) => lr.set(rate),
    stepIsGradient: false,
    apply: (vs, grads, compact) => {
      t += 1;
      const lrT = tf.scalar((lr.value * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t));
      expanded(grads, compact).forEach((g, i) => {
        const v = vs[i] as tf.Variable;
        const mi = m[i] as tf.Variable;
        const si = s[i] as tf.Variable;
        mi.assign(tf.add(tf.mul(mi, b1), tf.mul(g, 1 - b1)));
        si.assign(tf.add(tf.mul(si, b2), tf.mul(tf.square(g), 1 - b2)));
        v.assign(tf.sub(v, tf.div(tf.mul(mi, lrT), tf.add(tf.sqrt(si), EPSILON))));
      });
    },
    dispose: () => tf.dispose([...m, ...s]),
  };
}

/** Keras 2.2 RMSprop: rho 0.9. */
function rmsprop(lr: Rate, vars: readonly tf.Variable[]): Optimizer {
  const a = slotsLike(vars);
  return {
    gradientScale: 1,
    setRate: (rate) => lr.set(rate),
    stepIsGradient: false,
    apply: perVariable(a, (v, g, ai) => {
      ai.assign(tf.add(tf.mul(ai, 0.9), tf.mul(tf.square(g), 0.1)));
      v.assign(tf.sub(v, tf.div(tf.mul(g, lr.tensor), tf.add(tf.sqrt(ai), EPSILON))));
    }),
    dispose: () => {
      lr.dispose();
      tf.dispose(a);
    },
  };
}
