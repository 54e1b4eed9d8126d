/**
 * The training loop: Keras's fit(validation_split, shuffle=True) followed by evaluate() on the
 * test set, on whatever tfjs backend is active. It owns every tensor it makes and frees them all
 * whether the run finishes, is stopped through the AbortSignal, or fails.
 *
 * trainRun puts the parts in train/ together: the plan (plan.ts), the epoch loop (epochLoop.ts)
 * with its step (step.ts) and read-backs (readBack.ts), and the evaluation (evaluate.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainData } from '../core/dataset/dataset';
import type { TrainConfig } from '../core/network/spec';
import type { EpochLog } from '../core/runs/runs';
import { createMlp, type Mlp } from './mlp';
import { createOptimizer, type Optimizer } from './optimizers';
import { createDeviceData, type DeviceData } from './deviceData';
import { DropoutMasks } from './dropout';
import { Augmenter } from './augment';
import { earlyStoppingOf } from '../core/runs/earlyStopping';
import { planRun } from './train/plan';
import { EpochLoop } from './train/epochLoop';
import { evaluate, readModel } from './train/evaluate';
import type { RunOutcome, TrainCallbacks, TrainOptions } from './train/types';

export type { EpochLog };
export type {
  ExtrasRequest,
  LiveSample,
  Progress,
  RunOutcome,
  RunPlan,
  TrainCallbacks,
  TrainOptions,
} from './train/types';
export { DivergedError } from './train/types';

/**
 * Trains a fresh network of `config` on `data` and evaluates it on the test set.
 * Resolves with status 'stopped' (and the finished epochs) when `signal` aborts; stop takes effect
 * before the next batch. Rejects with DivergedError when the loss stops being finite.
 */
export async function trainRun(
  data: TrainData,
  config: TrainConfig,
  callbacks: TrainCallbacks,
  signal: AbortSignal,
  options: TrainOptions = {},
): Promise<RunOutcome> {
  const now = options.now ?? (() => performance.now());
  const plan = planRun(data, config, options);
  const { trainCount, valCount, batchesPerEpoch } = plan.split;
  const epochs: EpochLog[] = [];
  const base = { params: plan.params, trainCount, valCount };
  const stopped = (): RunOutcome => ({ status: 'stopped', epochs, testLoss: null, testAcc: null, ...base });

  let net: Mlp | null = null;
  let optimizer: Optimizer | null = null;
  let sums: tf.Variable | null = null;
  let best: tf.Tensor[] | null = null;
  // The run's own upload cache unless it was given one; its images are views of one upload each.
  const ownData = options.deviceData ? null : createDeviceData();
  const deviceData = options.deviceData ?? (ownData as DeviceData);
  try {
    if (signal.aborted) return stopped();
    // Rows [0, trainCount) train, [trainCount, total) validate: one upload of the first `total`.
    deviceData.keepOnly([data.train, data.test], plan.scaled);
    const { x, y } = deviceData.images(data.train, plan.total, plan.scaled);
    net = createMlp(config.layers, config.seed, config.init);
    const vars = net.trainable;
    optimizer = createOptimizer(config.optimizer, config.learningRate, vars);
    sums = tf.tidy(() => tf.variable(tf.zeros([2]), false));
    const streams = { dropout: DropoutMasks.of(config), augment: Augmenter.of(config) };
    const tensors = { net, optimizer, vars, sums, x, y, ...streams };

    callbacks.onStart?.({ trainCount, valCount, batches: batchesPerEpoch });
    const loop = new EpochLoop({ images: data.train.images, config, plan, tensors, callbacks, signal, options, now });
    // Early stopping keeps the best epoch's weights: clones share a variable's storage until the
    // next update replaces it, so keeping them copies nothing.
    const early = earlyStoppingOf(config);
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const log = await loop.epoch(epoch);
      if (!log) return stopped();
      epochs.push(log);
      callbacks.onEpoch?.(log);
      const decision = early?.update(log);
      if (decision === 'best') {
        tf.dispose(best ?? []);
        best = (net as Mlp).state.map((v) => tf.clone(v));
      }
      if (decision === 'stop') break;
    }
    if (signal.aborted) return stopped();
    if (best) {
      // Keras's restore_best_weights: the run ends with the best epoch's weights (the moving
      // statistics of batch normalization too: Keras's get_weights), stopped early or not.
      const kept = best;
      net.state.forEach((v, i) => v.assign(kept[i] as tf.Tensor));
    }

    const testRows = data.test.labels.length;
    const { x: xTest, y: yTest } = deviceData.images(data.test, testRows, plan.scaled);
    const keep = options.keepModel ?? false;
    const test = await evaluate(
      net,
      xTest,
      yTest,
      [0, testRows],
      options.checkDevice,
      keep,
      plan.regularization,
      plan.loss,
    );
    const outcome = { status: 'done' as const, epochs, testLoss: test.loss, testAcc: test.acc, ...base };
    if (!keep || !test.preds || !test.probs) return outcome;
    const model = await readModel(net, config);
    const labels = data.test.labels.slice();
    if (options.adopt) {
      // From here on the weights are the callee's (they stay on the device to predict).
      const trained = net;
      net = null;
      options.adopt(trained);
    }
    return { ...outcome, kept: { model, test: { labels, preds: test.preds, probs: test.probs } } };
  } finally {
    net?.dispose();
    optimizer?.dispose();
    sums?.dispose();
    tf.dispose(best ?? []);
    ownData?.dispose();
  }
}
