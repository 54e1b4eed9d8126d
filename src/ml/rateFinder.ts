/**
 * The learning-rate finder on the device (core/network/rateFinder.ts says what and why): the
 * network of `config` from its initial weights, trained batch after batch exactly as a run trains
 * (ml/stepper.ts: same seed, shuffling, optimizer and dropout), each batch at the finder's next
 * rate, until the rates run out or the loss blows up. Everything it makes is freed at the end.
 */
import type { TrainData } from '../core/dataset/dataset';
import { FinderCurve, finderRate, RATE_FINDER, type FinderPoint } from '../core/network/rateFinder';
import type { TrainConfig } from '../core/network/spec';
import type { DeviceData } from './deviceData';
import { Stepper } from './stepper';

export async function findRate(
  data: TrainData,
  config: TrainConfig,
  deviceData: DeviceData,
  onPoint: (point: FinderPoint, index: number) => void,
  /** Asked before each batch: a reason to stop (a run has started in the same worker), or null to go on. */
  interrupted: () => string | null = () => null,
): Promise<FinderPoint[]> {
  // The finder sets every batch's rate itself: no schedule.
  const stepper = new Stepper(data, { ...config, schedule: 'const', warmup: 0 }, deviceData);
  const curve = new FinderCurve();
  try {
    for (let i = 0; i < RATE_FINDER.steps; i++) {
      const why = interrupted();
      if (why !== null) throw new Error(`${why}, so the rate finder stopped after ${i} batches`);
      const rate = finderRate(i);
      const go = curve.add(rate, await stepper.trainAt(rate));
      const last = curve.points.at(-1);
      if (last && curve.points.length === i + 1) onPoint(last, i);
      if (!go) break;
    }
  } finally {
    stepper.dispose();
  }
  return curve.points;
}
