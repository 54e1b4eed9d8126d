/**
 * The group trial (core/runs/groupTrial.ts): times `config`'s network alone, as a run trains alone
 * (timeBatches, the backend trial's timing), then in groups of each size, many networks in one step
 * as a queue's group trains them (trainGroup), on the first images of the data. Nothing of it is
 * kept. Must run on WASM; without our products (ownProducts) only the time alone is had.
 */
import type { TrainData } from '../../core/dataset/dataset';
import type { TrialTiming } from '../../core/device/backendTrial';
import type { GroupTime } from '../../core/runs/groupTrial';
import type { TrainConfig } from '../../core/network/spec';
import { ownProducts } from '../kernels/gemm/wasmGemm';
import { timeBatches, timeTraining, TRIAL_WARMUP } from '../timeBackends';
import type { TrainOptions } from '../train/types';
import { trainGroup } from './trainGroup';

/**
 * A group's timing after the run alone has warmed the backend up (WASM's faster tiers): a short
 * warm-up for the group's own first batches, then three intervals.
 */
const GROUP_TIMING: TrialTiming = { warmMs: 60, intervals: 3, budgetMs: 1500 };

type Options = Pick<TrainOptions, 'yieldFn' | 'checkDevice' | 'deviceData'>;

/** Each size's ms per batch of one network (sizes in order; size 1 first warms the backend up). */
export async function timeGroups(
  data: TrainData,
  config: TrainConfig,
  sizes: readonly number[],
  signal: AbortSignal,
  options: Options = {},
): Promise<GroupTime[]> {
  const times: GroupTime[] = [];
  for (const size of sizes) {
    if (signal.aborted) break;
    if (size > 1 && !ownProducts()) continue;
    const ms =
      size === 1
        ? await timeBatches(data, config, signal, options)
        : await timeGroup(data, config, size, signal, options);
    times.push({ size, msPerRun: ms / size });
  }
  return times;
}

/** ms per batch of a group of `size` networks of `config` (seeds from config.seed on). */
function timeGroup(data: TrainData, config: TrainConfig, size: number, signal: AbortSignal, options: Options) {
  return timeTraining(data, config, signal, GROUP_TIMING, (trial, onProgress, stop) => {
    const runs = Array.from({ length: size }, (_, i) => ({
      config: { ...trial, seed: config.seed + i },
      callbacks: i === 0 ? { onProgress } : {},
    }));
    return trainGroup(data, runs, stop, { ...options, readEvery: TRIAL_WARMUP });
  });
}
