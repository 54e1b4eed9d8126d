/**
 * Which runs can train together, many networks in one step (ml/group/): runs of one config but for
 * the seed, the learning rate, the initializer and the activations, so that every network has the
 * same shapes, the same batches per
 * epoch (each its own rows) and the same plan, and whose step the group computes exactly as a run
 * trained alone computes it. That holds, for plain SGD with cross-entropy without dropout, batch
 * normalization, weight penalties, max-norm, a schedule, augmentation or early stopping, on WASM to
 * the last bit and on the CPU backend to 4 decimals (tests/unit/ml/group). Pure.
 */
import { isScheduled } from '../network/schedule';
import type { TrainConfig } from '../network/spec';
import { setupKey } from './runs';

/** Why a config cannot train in a group, or null when it can. */
export function ungroupable(config: TrainConfig): string | null {
  if (config.backend !== 'wasm' && config.backend !== 'cpu') return 'groups train on WASM or the CPU only';
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
 * but for the seed, the learning rate, the initializer and the activations), or null when the
 * config cannot train in a group.
 */
export function groupKey(config: TrainConfig): string | null {
  if (ungroupable(config) !== null) return null;
  const layers = config.layers.map((l) => ({ ...l, activation: 'linear' as const }));
  return setupKey({ ...config, learningRate: 0, init: 'glorot_uniform', layers });
}

/** The most networks a queue trains in one group (the largest size a trial times, groupTrial.ts). */
export const GROUP_SIZE = 8;
