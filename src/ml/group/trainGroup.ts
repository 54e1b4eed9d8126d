/**
 * Trains a group of runs (core/runs/groups.ts: one config but for the seed, the learning rate, the initializer and
 * the activations)
 * together, many networks in one step (groupStep.ts), each as trainRun trains it alone: its own
 * initial weights, its own shuffles from its seed, the same batches, read-backs, validation after
 * each epoch and test at the end, so that each run's epochs and test give, to the last bit, what
 * the run gives trained alone on WASM. A network whose loss becomes NaN fails alone (its result is
 * its DivergedError) and the others go on. Stopped through the signal, every run is stopped.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainData } from '../../core/dataset/dataset';
import { batchBounds } from '../../core/dataset/split';
import { deriveSeed, mulberry32, shuffledIndices } from '../../core/network/rng';
import type { TrainConfig } from '../../core/network/spec';
import { groupKey } from '../../core/runs/groups';
import type { EpochLog } from '../../core/runs/runs';
import { createDeviceData } from '../deviceData';
import type { TrainedModel } from '../../core/runs/model';
import { evaluate, readModel, type Evaluation } from '../train/evaluate';
import { planRun, type TrainPlan } from '../train/plan';
import { readBack } from '../train/readBack';
import { DivergedError, type RunOutcome, type TrainCallbacks, type TrainOptions } from '../train/types';
import { createGroup, groupsHere, type NetworkGroup } from './groupStep';

/** One run of a group: its config and its callbacks (as trainRun's). */
export interface GroupRun {
  readonly config: TrainConfig;
  readonly callbacks: TrainCallbacks;
}

export type GroupOptions = Pick<
  TrainOptions,
  'readEvery' | 'checkDevice' | 'yieldFn' | 'now' | 'deviceData' | 'keepModel'
>;

/** A network's test: its loss and accuracy, and with keepModel its weights and per-image predictions. */
type Tested = Evaluation & { readonly model?: TrainedModel };

/** Each run's outcome, or the error that ended it (its loss became NaN). */
export type GroupResult = RunOutcome | DivergedError;

/** Per network: its shuffle, its order, its epochs; and whether it still trains. */
interface Member {
  readonly config: TrainConfig;
  readonly callbacks: TrainCallbacks;
  readonly rng: () => number;
  readonly order: Int32Array;
  readonly epochs: EpochLog[];
  failed: DivergedError | null;
  /** The epoch's sums at the previous read-back (for the loss since: the live chart's points). */
  previous: { loss: number; correct: number; seen: number };
}

/**
 * Trains `runs` (at least one; all of one group key) on `data` and tests each. Must run on the
 * WASM backend with our products or on the CPU backend (groupsHere()).
 */
export async function trainGroup(
  data: TrainData,
  runs: readonly GroupRun[],
  signal: AbortSignal,
  options: GroupOptions = {},
): Promise<GroupResult[]> {
  const first = runs[0];
  const key = first ? groupKey(first.config) : null;
  if (!first || key === null || runs.some((r) => groupKey(r.config) !== key))
    throw new Error('trainGroup: the runs are not one group (core/runs/groups.ts)');
  if (!groupsHere()) throw new Error('trainGroup: needs the WASM backend with our products, or the CPU backend');
  const now = options.now ?? (() => performance.now());
  const plan = planRun(data, first.config, options);
  const { trainCount, valCount, batchesPerEpoch } = plan.split;
  const members: Member[] = runs.map((r) => ({
    config: r.config,
    callbacks: r.callbacks,
    rng: mulberry32(deriveSeed(r.config.seed, 1)),
    order: new Int32Array(trainCount),
    epochs: [],
    failed: null,
    previous: { loss: 0, correct: 0, seen: 0 },
  }));
  const base = { params: plan.params, trainCount, valCount };
  const outcomes = (status: 'done' | 'stopped', tests: readonly (Tested | null)[] = []) =>
    members.map((m, i): GroupResult => {
      if (m.failed) return m.failed;
      const t = tests[i];
      const outcome = { status, epochs: m.epochs, testLoss: t?.loss ?? null, testAcc: t?.acc ?? null, ...base };
      if (!t?.model || !t.preds || !t.probs) return outcome;
      const test = { labels: data.test.labels.slice(), preds: t.preds, probs: t.probs };
      return { ...outcome, kept: { model: t.model, test } };
    });
  const ownData = options.deviceData ? null : createDeviceData();
  const deviceData = options.deviceData ?? ownData;
  let group: NetworkGroup | null = null;
  try {
    if (signal.aborted || !deviceData) return outcomes('stopped');
    deviceData.keepOnly([data.train, data.test], plan.scaled);
    const { x, y } = deviceData.images(data.train, plan.total, plan.scaled);
    group = createGroup(
      runs.map(({ config: c }) => ({ layers: c.layers, seed: c.seed, init: c.init })),
      x,
      y,
    );
    group.setRates(runs.map((r) => r.config.learningRate));
    members.forEach((m) => m.callbacks.onStart?.({ trainCount, valCount, batches: batchesPerEpoch }));
    const loop = { group, x, y, plan, members, signal, options, now, start: now() };
    for (let epoch = 1; epoch <= plan.epochs; epoch++) {
      const logs = await trainEpoch(loop, epoch);
      if (!logs) return outcomes('stopped');
      for (const [i, log] of logs) {
        const m = members[i] as Member;
        m.epochs.push(log);
        m.callbacks.onEpoch?.(log);
      }
      if (members.every((m) => m.failed)) break;
    }
    if (signal.aborted) return outcomes('stopped');
    const rows = data.test.labels.length;
    const test = deviceData.images(data.test, rows, plan.scaled);
    const tests = await evaluateEach(group, members, test.x, test.y, [0, rows], plan, options, options.keepModel);
    return outcomes('done', tests);
  } finally {
    group?.dispose();
    ownData?.dispose();
  }
}

interface Loop {
  readonly group: NetworkGroup;
  /** The training and validation rows (as trainRun's). */
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly plan: TrainPlan;
  readonly members: readonly Member[];
  readonly signal: AbortSignal;
  readonly options: GroupOptions;
  readonly now: () => number;
  readonly start: number;
}

/** One epoch of every network; each training network's log (by index), or null when stopped. */
async function trainEpoch(loop: Loop, epoch: number): Promise<[number, EpochLog][] | null> {
  const { group, x, y, plan, members, signal, options, now } = loop;
  const epochStart = now();
  const { trainCount, batchesPerEpoch: batches } = plan.split;
  for (const m of members) {
    shuffledIndices(trainCount, m.rng, m.order);
    m.previous = { loss: 0, correct: 0, seen: 0 };
  }
  const orders = members.map((m) => m.order);
  const readEvery = Math.max(1, options.readEvery ?? 10);
  tf.tidy(() => group.sums.assign(tf.zerosLike(group.sums)));
  let seen = 0;
  for (let b = 0; b < batches; b++) {
    if (signal.aborted) return null;
    const [start, end] = batchBounds(plan.split, plan.batchSize, b);
    group.train(orders, start, end - start);
    seen += end - start;
    if (b === batches - 1 || (b + 1) % readEvery === 0) {
      options.checkDevice?.();
      const sums = await readBack(group.sums, options.checkDevice);
      report(loop, sums, epoch, b, seen);
    } else if (options.yieldFn) await options.yieldFn();
  }
  const sums = await readBack(group.sums, options.checkDevice);
  const training = members.flatMap((m, i) => (m.failed ? [] : [i]));
  const val =
    plan.split.valCount > 0 ? await evaluateEach(group, members, x, y, [trainCount, plan.total], plan, options) : [];
  const seconds = (now() - epochStart) / 1000;
  return training.map((i) => [
    i,
    {
      epoch,
      loss: (sums[2 * i] ?? NaN) / seen,
      acc: (sums[2 * i + 1] ?? 0) / seen,
      valLoss: val[i]?.loss ?? null,
      valAcc: val[i]?.acc ?? null,
      seconds,
    },
  ]);
}

/** A read-back after batch b: each training network's progress, or its failure when its loss is not finite. */
function report(loop: Loop, sums: Float32Array, epoch: number, b: number, seen: number): void {
  const batches = loop.plan.split.batchesPerEpoch;
  const elapsed = Math.max(1e-9, (loop.now() - loop.start) / 1000);
  const done = ((epoch - 1) * loop.plan.split.trainCount + seen) / elapsed;
  loop.members.forEach((m, i) => {
    if (m.failed) return;
    const loss = (sums[2 * i] ?? NaN) / seen;
    if (!Number.isFinite(loss)) {
      m.failed = new DivergedError(epoch, b + 1, m.config.learningRate);
      return;
    }
    const [lossSum, correct] = [sums[2 * i] ?? NaN, sums[2 * i + 1] ?? 0];
    const window = seen - m.previous.seen;
    const train = {
      x: epoch - 1 + (b + 1) / batches,
      loss: (lossSum - m.previous.loss) / window,
      acc: (correct - m.previous.correct) / window,
    };
    m.previous = { loss: lossSum, correct, seen };
    m.callbacks.onSample?.({ train, health: null, tiles: null, probe: null });
    m.callbacks.onProgress?.({ epoch, batch: b + 1, batches, loss, acc: correct / seen, samplesPerSecond: done });
  });
}

/**
 * Each still-training network's loss and accuracy over rows [from, to) of x / y (null for a failed
 * one); with `keep`, also its per-row predictions and its weights (as trainRun keeps a run's).
 */
async function evaluateEach(
  group: NetworkGroup,
  members: readonly Member[],
  x: tf.Tensor,
  y: tf.Tensor,
  range: readonly [number, number],
  plan: TrainPlan,
  options: GroupOptions,
  keep = false,
): Promise<(Tested | null)[]> {
  const out: (Tested | null)[] = [];
  for (const [i, m] of members.entries()) {
    if (m.failed) {
      out.push(null);
      continue;
    }
    const net = group.network(i);
    try {
      const e = await evaluate(net, x, y, range, options.checkDevice, keep, plan.regularization, plan.loss);
      out.push(keep ? { ...e, model: await readModel(net, m.config) } : e);
    } finally {
      net.dispose();
    }
  }
  return out;
}
