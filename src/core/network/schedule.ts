/**
 * Learning-rate schedules: the rate of every optimizer step of a run, as Keras 3 computes it when
 * the optimizer's `learning_rate` is a schedule (the rate of update i, 0-based, is schedule(i)):
 * - `const`: the learning rate throughout;
 * - `step`: step decay, the rate times 0.1 after half of the run's steps and again after three
 *   quarters (Keras `PiecewiseConstantDecay`);
 * - `exp`: exponential decay to 1/100 of the rate by the run's last step (Keras `ExponentialDecay`);
 * - `cos`: cosine decay to 0 (Keras `CosineDecay`, Loshchilov & Hutter 2016);
 * - `onecycle`: one-cycle (Smith 2018) as PyTorch's `OneCycleLR` with its defaults: from rate/25 up
 *   to the rate over the first 30 % of the steps, then down to rate/250,000, both along a half
 *   cosine (Keras has no built-in one; the Keras script carries this formula as a schedule class).
 * Constant and cosine take a linear warm-up from 0 over the first `warmup` epochs, as Keras's
 * CosineDecay(warmup_target, warmup_steps) does (constant is CosineDecay with alpha = 1).
 */
import type { ScheduleName, TrainConfig } from './spec';

export type ScheduleConfig = Pick<TrainConfig, 'learningRate' | 'schedule' | 'warmup' | 'epochs'>;

/** How each schedule is named on the page. */
export const SCHEDULE_LABELS: Readonly<Record<ScheduleName, string>> = {
  const: 'constant',
  step: 'step decay',
  exp: 'exponential decay',
  cos: 'cosine decay',
  onecycle: 'one-cycle',
};

/** What each schedule does, in a sentence. */
export const SCHEDULE_WORDS: Readonly<Record<ScheduleName, string>> = {
  const: 'The rate stays the same for the whole run.',
  step: 'The rate drops to a tenth after half of the run and to a hundredth after three quarters.',
  exp: 'The rate falls smoothly, by the same factor every step, to a hundredth by the last step.',
  cos: 'The rate falls along half a cosine from the full rate to 0 at the last step.',
  onecycle:
    'The rate climbs from a 25th of the rate to the full rate over the first 30 % of the steps, then falls to almost 0.',
};

/** Step decay: the factor, and the shares of the run's steps after which it applies (once, then twice). */
export const STEP_DECAY = { factor: 0.1, after: [0.5, 0.75] } as const;
/** Exponential decay: the share of the rate left at the run's last step. */
export const EXP_FINAL = 0.01;
/** One-cycle, PyTorch's OneCycleLR defaults: where the peak is, and the start and end divisors. */
export const ONE_CYCLE = { peakAt: 0.3, divFactor: 25, finalDivFactor: 1e4 } as const;

/** Whether a schedule takes a warm-up (constant and cosine). */
export function takesWarmup(schedule: ScheduleName): boolean {
  return schedule === 'const' || schedule === 'cos';
}

/** The warm-up a run does, in epochs: none where the schedule takes none, and always less than the run. */
export function warmupEpochs(c: Pick<TrainConfig, 'schedule' | 'warmup' | 'epochs'>): number {
  return takesWarmup(c.schedule) ? Math.max(0, Math.min(Math.floor(c.warmup), c.epochs - 1)) : 0;
}

/** Whether the rate ever differs from the learning rate. */
export function isScheduled(c: Pick<TrainConfig, 'schedule' | 'warmup' | 'epochs'>): boolean {
  return c.schedule !== 'const' || warmupEpochs(c) > 0;
}

/** Step decay's boundaries (Keras's `PiecewiseConstantDecay`: step ≤ b0 has the rate, b0 < step ≤ b1 a tenth). */
export function stepBoundaries(totalSteps: number): [number, number] {
  const [a, b] = STEP_DECAY.after;
  return [Math.max(0, Math.floor(totalSteps * a) - 1), Math.max(0, Math.floor(totalSteps * b) - 1)];
}

/** PyTorch's `_annealing_cos`: from `start` (pct 0) to `end` (pct 1) along half a cosine. */
function cosAnneal(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** One-cycle's rate at `step` of `total`, as PyTorch's OneCycleLR (two phases, cosine) computes it. */
function oneCycle(lr: number, step: number, total: number): number {
  const initial = lr / ONE_CYCLE.divFactor;
  const min = initial / ONE_CYCLE.finalDivFactor;
  const peak = ONE_CYCLE.peakAt * total - 1;
  if (step <= peak) return cosAnneal(initial, lr, step / peak);
  return cosAnneal(lr, min, (step - peak) / (total - 1 - peak));
}

/**
 * The learning rate of optimizer step `step` (0-based, counted over the whole run) of a run with
 * `perEpoch` steps an epoch.
 */
export function rateAt(c: ScheduleConfig, step: number, perEpoch: number): number {
  const lr = c.learningRate;
  const total = Math.max(1, c.epochs * perEpoch);
  const warm = warmupEpochs(c) * perEpoch;
  if (warm > 0 && step < warm) return (lr * step) / warm;
  switch (c.schedule) {
    case 'const':
      return lr;
    case 'step': {
      const [b0, b1] = stepBoundaries(total);
      return step <= b0 ? lr : step <= b1 ? lr * STEP_DECAY.factor : lr * STEP_DECAY.factor * STEP_DECAY.factor;
    }
    case 'exp':
      return lr * Math.pow(EXP_FINAL, step / total);
    case 'cos': {
      const span = total - warm;
      const done = Math.min(step - warm, span) / span;
      return lr * 0.5 * (1 + Math.cos(Math.PI * done));
    }
    case 'onecycle':
      return oneCycle(lr, step, total);
  }
}

export interface RatePoint {
  /** Epochs into the run (0 at its first step, `epochs` at its end). */
  readonly x: number;
  readonly rate: number;
}

/** The rate over the whole run at about `points` evenly spaced steps (and its first and last step). */
export function rateCurve(c: ScheduleConfig, perEpoch: number, points = 120): RatePoint[] {
  const total = Math.max(1, c.epochs * perEpoch);
  const every = Math.max(1, Math.floor(total / points));
  const out: RatePoint[] = [];
  for (let s = 0; s < total; s += every) out.push({ x: s / perEpoch, rate: rateAt(c, s, perEpoch) });
  if ((total - 1) % every !== 0) out.push({ x: (total - 1) / perEpoch, rate: rateAt(c, total - 1, perEpoch) });
  return out;
}

/** The schedule in a few words for a run's name ("cosine decay, warm-up 2"), or '' for a constant rate. */
export function describeSchedule(c: Pick<TrainConfig, 'schedule' | 'warmup' | 'epochs'>): string {
  if (!isScheduled(c)) return '';
  const warm = warmupEpochs(c);
  const name = c.schedule === 'const' ? 'constant rate' : SCHEDULE_LABELS[c.schedule];
  return warm > 0 ? `${name}, warm-up ${warm}` : name;
}
