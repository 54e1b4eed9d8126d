/**
 * Which runs can train together, many networks in one step (ml/group/): runs of one config but for
 * the seed and the learning rate, so that every network has the same shapes, the same batches per
 * epoch (each its own rows) and the same plan, and whose step the group computes exactly as a run
 * trained alone computes it. That holds, to the last bit, for plain SGD with cross-entropy on
 * WASM, without dropout, batch normalization, weight penalties, max-norm, a schedule,
 * augmentation or early stopping (tests/unit/ml/group). Pure.
 */
import { totalParams } from '../network/params';
import { isScheduled } from '../network/schedule';
import type { TrainConfig } from '../network/spec';
import { cachedSecondsPerEpoch } from './runEstimate';
import { median, setupKey, type RunRecord } from './runs';

/** Why a config cannot train in a group, or null when it can. */
export function ungroupable(config: TrainConfig): string | null {
  if (config.backend !== 'wasm') return 'groups train on WASM only';
  if (config.optimizer !== 'sgd') return 'only plain SGD';
  if (config.loss !== 'ce') return 'only cross-entropy';
  if (config.augment !== 'none') return 'no augmentation';
  if (config.l1 !== 0 || config.l2 !== 0 || config.maxNorm !== 0) return 'no weight penalty or max-norm';
  if (config.inputDropout !== 0 || config.layers.some((l) => (l.dropout ?? 0) > 0)) return 'no dropout';
  if (config.layers.some((l) => l.batchNorm === true)) return 'no batch normalization';
  if (config.earlyPatience !== null) return 'no early stopping';
  if (isScheduled(config)) return 'a constant learning rate';
  return null;
}

/**
 * The key runs share when they can train in one group (equal keys: same setup, runs.ts's setupKey,
 * but for the seed and the learning rate), or null when the config cannot train in a group.
 */
export function groupKey(config: TrainConfig): string | null {
  if (ungroupable(config) !== null) return null;
  return setupKey({ ...config, learningRate: 0 });
}

/** The most networks a queue trains in one group. */
export const GROUP_SIZE = 8;

/**
 * About how much faster a run trains in a group than alone, for sharing a setup's runs between a
 * queue's two lanes: measured 1.14-1.41 for [32] in Node (GROUP_UP_TO_PARAMS), 1.16-1.3 in the page.
 */
export const GROUP_SPEEDUP = 1.3;

/**
 * Networks up to this many parameters train in groups; bigger ones alone. Measured on 2 cores, WASM,
 * one thread, an epoch of 60,000 images with its validation, a group's time per run against a run
 * alone (Node): [32] (25,450 parameters) 1.14x faster in a group of 2, 1.27x of 3, 1.41x of 5,
 * 1.28x of 8; [64] (50,890) 1.1x in 2 or 3, 0.93x in 5; [128] (101,770) 0.95-0.99x. In the page, an
 * experiment queue's groups of 4 and 5 runs of [32 x 4] took 3.4-3.8 s a run against 4.4 s alone. A
 * step's fixed cost per kernel call is what a group shares; past a few dozen units the arithmetic,
 * which it does not share, is the cost.
 */
export const GROUP_UP_TO_PARAMS = 40_000;

/**
 * How many runs of `config` a queue trains together: up to GROUP_SIZE when they can and it pays,
 * else 1. Whether it pays is measured here: `history`'s runs of the same network (parameters),
 * batch size and training images on WASM, trained by a queue in a group and alone beside it
 * (groupMeasured); without both, the rule of GROUP_UP_TO_PARAMS.
 */
export function groupSize(config: TrainConfig, history: readonly RunRecord[] = []): number {
  if (groupKey(config) === null) return 1;
  const measured = groupMeasured(config, history);
  if (measured) return measured.grouped < measured.alone ? GROUP_SIZE : 1;
  return totalParams(config.layers) <= GROUP_UP_TO_PARAMS ? GROUP_SIZE : 1;
}

/**
 * Seconds per epoch of a network like `config`'s (same parameters, batch size and training
 * images, on WASM) in `history`'s queue runs: the median of those trained alone, and the median
 * share of those trained in a group (its group's seconds / K); null without both.
 */
export function groupMeasured(
  config: TrainConfig,
  history: readonly RunRecord[],
): { alone: number; grouped: number } | null {
  const params = totalParams(config.layers);
  const alone: number[] = [];
  const grouped: number[] = [];
  for (const r of history) {
    const c = r.config;
    // Queue runs (tagged): on two lanes both trained on one WASM thread, side by side.
    if (r.status !== 'done' || r.tag === null || r.backend !== 'wasm' || r.trainCount === null) continue;
    if (r.params !== params || c.batchSize !== config.batchSize || c.subset !== config.subset) continue;
    const s = cachedSecondsPerEpoch(r);
    if (s === null) continue;
    if (r.group === undefined) alone.push(s);
    else grouped.push(s / r.group);
  }
  if (alone.length === 0 || grouped.length === 0) return null;
  return { alone: median(alone), grouped: median(grouped) };
}
