/**
 * The group trial (core/runs/groupTrial.ts): times `config`'s network alone, as a run trains alone
 * (trainRun), then in groups of each size, many networks in one step as a queue's group trains
 * them (trainGroup), on the first images of the data, each timed the same way. Nothing of it is
 * kept. Where the backend trains no groups (groupsHere: WASM without our products) only the time
 * alone is had.
 */
import type { TrainData } from '../../core/dataset/dataset';
import type { TrialTiming } from '../../core/device/backendTrial';
import type { GroupTime } from '../../core/runs/groupTrial';
import type { TrainConfig } from '../../core/network/spec';
import { timeTraining, type TimedTraining } from '../timeBackends';
import { trainRun } from '../train';
import type { TrainOptions } from '../train/types';
import { trainGroup } from './trainGroup';
import { groupsHere } from './groupStep';

/**
 * Read back every 10 batches (as a run does), a short warm-up for each size's own first batches
 * (a quarter second for the first size timed: WASM's faster tiers), then the fastest of four
 * intervals. Intervals of 3 batches (the backend trial's) are a few ms for [32] here, too short
 * to time against the other lane's run beside it.
 */
const READ_EVERY = 10;
const TIMING: TrialTiming = { warmMs: 100, intervals: 4, budgetMs: 2000 };
const FIRST: TrialTiming = { ...TIMING, warmMs: 250 };
/** Enough images that a small network's warm-up and intervals fit in one epoch (the whole set here). */
const TRIAL_ROWS = 60_000;

type Options = Pick<TrainOptions, 'yieldFn' | 'checkDevice' | 'deviceData'>;

/** Each size's ms per batch of one network, in the order of `sizes` (a size that could not be timed left out). */
export async function timeGroups(
  data: TrainData,
  config: TrainConfig,
  sizes: readonly number[],
  signal: AbortSignal,
  options: Options = {},
): Promise<GroupTime[]> {
  const times: GroupTime[] = [];
  const each = { ...options, readEvery: READ_EVERY };
  // The first size timed runs on a backend still warming up (its faster tiers come in the worker's
  // first seconds, while the other lane starts too): [32 x 4] alone, timed first, took 2.1-3.4 ms
  // a batch here, against about 1.5 in the queue's runs alone. So it is timed again last, and its
  // faster time kept.
  for (const size of sizes[0] === 1 && sizes.length > 1 ? [...sizes, 1] : sizes) {
    if (signal.aborted) break;
    if (size > 1 && !groupsHere()) continue;
    const train: TimedTraining =
      size === 1
        ? (trial, onProgress, stop) => trainRun(data, trial, { onProgress }, stop, each)
        : (trial, onProgress, stop) => {
            const runs = Array.from({ length: size }, (_, i) => ({
              config: { ...trial, seed: config.seed + i },
              callbacks: i === 0 ? { onProgress } : {},
            }));
            return trainGroup(data, runs, stop, each);
          };
    const ms = await timeTraining(data, config, signal, times.length === 0 ? FIRST : TIMING, train, TRIAL_ROWS);
    // Too few batches to time (a tiny subset): no time for that size.
    const earlier = times.find((t) => t.size === size);
    if (!Number.isFinite(ms)) continue;
    if (earlier) times.splice(times.indexOf(earlier), 1, { size, msPerRun: Math.min(earlier.msPerRun, ms / size) });
    else times.push({ size, msPerRun: ms / size });
  }
  return times;
}
