/**
 * What the training loop reads back from the device, and when: the watched read itself, the clock
 * that decides which read-backs carry a layer-health sample, and the decoding of one read-back
 * (the epoch's sums, then the extras the step flattened after them) into a live sample.
 */
import type * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE } from '../../core/network/spec';
import { decodeHealth, healthVectorLength, type TrainSample } from '../../core/diagnosis/health';
import type { HealthPlan, TrainPlan } from './plan';
import type { LiveSample } from './types';

/**
 * Reads a tensor back, but gives up with the error of `checkDevice` if the device goes away
 * meanwhile: on a lost WebGL context a read-back may never resolve.
 */
export async function readBack(t: tf.Tensor, checkDevice: (() => void) | undefined): Promise<Float32Array> {
  const read = t.data() as Promise<Float32Array>;
  if (!checkDevice) return read;
  let timer: ReturnType<typeof setInterval> | undefined;
  const watch = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      try {
        checkDevice();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    }, 250);
  });
  try {
    return await Promise.race([read, watch]);
  } finally {
    clearInterval(timer);
  }
}

/**
 * Decides, batch by batch, which read-backs carry a layer-health sample: the run's first, each
 * epoch's last full batch, and otherwise every `every` batches once `minMs` have passed. Only full
 * batches are sampled. Kept as fields, not returned objects: it is asked at every batch.
 */
export class HealthClock {
  private batchesSince = 0;
  private lastAt = -Infinity;
  private first = true;

  constructor(
    private readonly plan: HealthPlan,
    private readonly now: () => number,
  ) {}

  /** Whether batch `b` is the one the epoch's own sample comes from (it then reads back). */
  epochSampleAt(b: number): boolean {
    return this.plan.on && b === this.plan.lastFullBatch;
  }

  /** Counts a batch of `size` rows; true when it samples health. */
  tick(size: number, read: boolean, epochSample: boolean): boolean {
    const p = this.plan;
    this.batchesSince++;
    const due = read && this.batchesSince >= p.every && this.now() - this.lastAt >= p.minMs;
    const sample = p.on && read && size >= p.fullEnough && (this.first || epochSample || due);
    if (sample) {
      this.batchesSince = 0;
      this.lastAt = this.now();
    }
    return sample;
  }

  /** A read-back happened: the run's first is behind it. */
  read(): void {
    this.first = false;
  }
}

/**
 * The live sample of one read-back: `values` holds [summed loss, correct], then the health vector,
 * the probe's 10 probabilities and the tiles, each only when it was asked for, in that order.
 */
export function liveSample(
  values: Float32Array,
  train: TrainSample,
  plan: TrainPlan,
  gradientScale: number,
  withHealth: boolean,
  withProbe: boolean,
  withTiles: boolean,
): LiveSample {
  const { x } = train;
  let at = 2;
  const health = withHealth ? decodeHealth(values, at, plan.activations, plan.units, gradientScale, x) : null;
  if (withHealth) at += healthVectorLength(plan.units.length);
  const probe = withProbe ? values.slice(at, at + 10) : null;
  if (withProbe) at += 10;
  const tiles = withTiles
    ? { units: plan.tileUnits, values: values.slice(at, at + INPUT_SIZE * plan.tileUnits), x }
    : null;
  return { train, health, tiles, probe };
}
