import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { diagnose } from '../../../src/core/diagnosis';
import type { HealthSample } from '../../../src/core/diagnosis/health';
import { DEFAULT_CONFIG, type HiddenLayer, type TrainConfig } from '../../../src/core/network/spec';
import { createMlp } from '../../../src/ml/mlp';
import { trainRun, type EpochLog, type LiveSample, type RunOutcome, type TrainOptions } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// The live measurements of the training loop (health, windowed samples, tiles, probe) on the
// TensorFlow.js CPU backend, on the first 2,000 real MNIST training images.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 2000), test: loadMnist('t10k', 200) };
});

const never = new AbortController().signal;
// 2,000 images, 10 % held out: 1,800 training images, 15 batches of 128 per epoch, the last of 8.
const base: TrainConfig = { ...DEFAULT_CONFIG, subset: 2000, epochs: 1, seed: 7 };
const BATCHES = 15;
const TRAIN_COUNT = 1800;

interface Collected {
  readonly outcome: RunOutcome;
  readonly samples: LiveSample[];
  readonly epochs: EpochLog[];
  readonly progress: number;
}

async function collect(config: TrainConfig, options: TrainOptions): Promise<Collected> {
  const samples: LiveSample[] = [];
  const epochs: EpochLog[] = [];
  let progress = 0;
  const outcome = await trainRun(
    data,
    config,
    { onSample: (s) => samples.push(s), onEpoch: (e) => epochs.push(e), onProgress: () => progress++ },
    never,
    options,
  );
  return { outcome, samples, epochs, progress };
}

const healthOf = (c: Collected): HealthSample[] => c.samples.flatMap((s) => (s.health ? [s.health] : []));
const trainSamples = (c: Collected) => c.samples.map((s) => s.train);
const sigmoids = (n: number, units = 32): HiddenLayer[] =>
  Array.from({ length: n }, () => ({ units, activation: 'sigmoid' }));

/** Test image `i` in the run's input range. */
const testImage = (i: number, scaled: boolean) =>
  Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (b) => (scaled ? b / 255 : b));

describe('tensor hygiene with every live measurement on', () => {
  const config: TrainConfig = {
    ...base,
    layers: [
      { units: 32, activation: 'sigmoid' },
      { units: 16, activation: 'relu' },
    ],
    epochs: 2,
  };
  const options = (probe: Float32Array): TrainOptions => ({
    readEvery: 2,
    health: true,
    healthEvery: 4,
    extras: () => ({ tiles: true, probe }),
  });

  test('a whole run leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const c = await collect(config, options(testImage(0, false)));
    expect(tf.memory().numTensors).toBe(before);
    expect(c.outcome.status).toBe('done');
    // All three were really measured.
    expect(healthOf(c).length).toBeGreaterThan(2);
    expect(c.samples.every((s) => s.tiles !== null && s.probe !== null)).toBe(true);
  });

  test('a run stopped in the middle of an epoch leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let stoppedAt = 0;
    const samples: LiveSample[] = [];
    const outcome = await trainRun(
      data,
      config,
      {
        onSample: (s) => samples.push(s),
        onProgress: (p) => {
          if (p.epoch === 2 && p.batch >= 6 && !controller.signal.aborted) {
            stoppedAt = samples.length;
            controller.abort();
          }
        },
      },
      controller.signal,
      options(testImage(1, false)),
    );
    expect(outcome.status).toBe('stopped');
    expect(outcome.epochs).toHaveLength(1);
    expect(samples).toHaveLength(stoppedAt); // nothing measured after the stop
    expect(samples.some((s) => s.health !== null)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('training samples', () => {
  test('one per read-back, moving forward, and their windows add up to the epoch log', async () => {
    const config: TrainConfig = { ...base, preprocessing: 'scaled', learningRate: 0.5, epochs: 2 };
    const c = await collect(config, { readEvery: 4 });
    // Read-backs after batches 4, 8, 12 and 15 (the epoch's last) of each epoch.
    expect(c.samples).toHaveLength(8);
    expect(c.progress).toBe(8);
    const xs = c.samples.map((s) => s.train.x);
    const expected = [4, 8, 12, 15].map((b) => b / BATCHES);
    xs.forEach((x, i) => expect(x).toBeCloseTo((i < 4 ? 0 : 1) + (expected[i % 4] as number), 12));
    // Health, tiles and probe are off unless asked for.
    expect(c.samples.every((s) => s.health === null && s.tiles === null && s.probe === null)).toBe(true);

    for (const log of c.epochs) {
      const inEpoch = c.samples.filter((s) => Math.ceil(s.train.x - 1e-9) === log.epoch);
      let done = 0;
      let loss = 0;
      let acc = 0;
      for (const s of inEpoch) {
        const batches = Math.round((s.train.x - (log.epoch - 1)) * BATCHES);
        const upTo = Math.min(batches * config.batchSize, TRAIN_COUNT);
        const window = upTo - done; // the last window has 2 full batches and the batch of 8
        done = upTo;
        loss += s.train.loss * window;
        acc += s.train.acc * window;
      }
      expect(done).toBe(TRAIN_COUNT); // the windows of an epoch cover its batches exactly
      expect(loss / TRAIN_COUNT).toBeCloseTo(log.loss, 4);
      expect(acc / TRAIN_COUNT).toBeCloseTo(log.acc, 4);
    }
  });
});

describe('health samples', () => {
  test('at the first read-back, every healthEvery batches (rounded up to read-backs) and at the last full batch of each epoch', async () => {
    const config: TrainConfig = { ...base, layers: sigmoids(2, 16), epochs: 2 };
    // Read-backs every 2 batches; health every 5 is rounded up to 6, counted from the last sample
    // across epochs. Each epoch's batch 15 holds 8 images, too few to measure shares on: its
    // sample comes from batch 14 (read back for it). So: 2; 8 (6 after 2); 14 (epoch end); epoch 2:
    // 6 (batch 15 of epoch 1 and 5 more since 14), 12, 14.
    const c = await collect(config, { readEvery: 2, health: true, healthEvery: 5 });
    const health = healthOf(c);
    const at = [2, 8, 14, 15 + 6, 15 + 12, 15 + 14].map((b) => b / BATCHES);
    expect(health.map((h) => h.x)).toHaveLength(at.length);
    health.forEach((h, i) => expect(h.x).toBeCloseTo(at[i] as number, 12));
    // Each arrives with the training sample of the same read-back.
    for (const s of c.samples) if (s.health) expect(s.health.x).toBe(s.train.x);
    // One entry per Dense layer: two hidden layers and the output layer.
    for (const h of health) {
      expect(h.layers).toHaveLength(3);
      for (const l of h.layers) {
        expect(l.gradRms).toBeGreaterThan(0);
        expect(l.updateRatio).toBeGreaterThan(0);
      }
      expect(h.clipped).toBeGreaterThanOrEqual(0);
      expect(h.clipped).toBeLessThanOrEqual(1);
    }
  });

  test('a last batch of one image is never measured: a healthy ReLU network shows no dead layer for it', async () => {
    // 1,424 images, validation 0.1: 1,282 to train on, 10 batches of 128 and one of 2.
    const config: TrainConfig = {
      ...base,
      subset: 1424,
      epochs: 3,
      layers: [
        { units: 64, activation: 'relu' },
        { units: 64, activation: 'relu' },
      ],
      preprocessing: 'scaled',
      optimizer: 'adam',
      learningRate: 0.001,
    };
    const c = await collect(config, { health: true });
    const health = healthOf(c);
    expect(health.length).toBeGreaterThanOrEqual(3);
    // No sample at an epoch's end (the batch of 2): the epoch's sample is from batch 10 of 11.
    for (const h of health) expect(Math.abs(h.x - Math.round(h.x))).toBeGreaterThan(1e-9);
    expect(health.some((h) => Math.abs(h.x - 10 / 11) < 1e-9)).toBe(true);
    for (const h of health) for (const l of h.layers.slice(0, 2)) expect(l.dead ?? 1).toBeLessThan(0.2);
  });

  test("the article's 4×32 sigmoid network on raw inputs: layer 1 saturates and the gradient fades", async () => {
    const config: TrainConfig = { ...base, layers: sigmoids(4) };
    const c = await collect(config, { health: true });
    const health = healthOf(c);
    expect(health.length).toBeGreaterThanOrEqual(2);
    for (const h of health) {
      const [l1, l2, , , out] = h.layers;
      expect(h.layers).toHaveLength(5);
      expect(l1?.saturated).toBeGreaterThan(0.5);
      expect(l1?.dead).toBeNull();
      expect(out?.saturated).toBeNull();
      expect(out?.dead).toBeNull();
      expect(out?.gradRms).toBeGreaterThan(10 * (l2?.gradRms ?? Infinity));
      // The output layer's mean activation is the mean top probability.
      expect(out?.actMean).toBeGreaterThanOrEqual(0.1);
      expect(out?.actMean).toBeLessThanOrEqual(1);
    }
    // The diagnosis reads these real measurements as the lab describes them.
    const found = diagnose({ config, health, epochs: c.epochs, samples: trainSamples(c), finished: true }).map(
      (f) => f.id,
    );
    expect(found).toContain('vanishing');
    expect(found).toContain('saturated');
  });

  test('32 sigmoid units at learning rate 10: most of the batch is clipped and the run is diagnosed as stuck', async () => {
    const config: TrainConfig = { ...base, learningRate: 10 };
    const c = await collect(config, { health: true, healthEvery: 5 });
    const last = healthOf(c).at(-1);
    expect(last?.clipped).toBeGreaterThan(0.5);
    const recentLoss = c.samples.at(-1)?.train.loss ?? null;
    expect(recentLoss).toBeGreaterThan(8);
    expect(
      diagnose({ config, health: healthOf(c), epochs: c.epochs, samples: trainSamples(c), finished: true }).map(
        (f) => f.id,
      ),
    ).toContain('stuck');
  });

  test('64 ReLU units on scaled inputs with Adam: a dead share below 0.5, no saturated share', async () => {
    const config: TrainConfig = {
      ...base,
      layers: [{ units: 64, activation: 'relu' }],
      preprocessing: 'scaled',
      optimizer: 'adam',
      learningRate: 0.001,
    };
    const health = healthOf(await collect(config, { health: true }));
    expect(health.length).toBeGreaterThanOrEqual(2);
    for (const h of health) {
      const [l1, out] = h.layers;
      expect(typeof l1?.dead).toBe('number');
      expect(l1?.dead).toBeGreaterThanOrEqual(0);
      expect(l1?.dead).toBeLessThan(0.5);
      expect(l1?.saturated).toBeNull();
      expect(out).toMatchObject({ saturated: null, dead: null });
    }
  });

  // Raw inputs saturate most of the sigmoid layer; scaled ones leave some ReLU units dead.
  test.each(['raw', 'scaled'] as const)(
    'one step of plain SGD on %s inputs: every number equals an independent computation with tf.grads of the Keras loss',
    async (preprocessing) => {
      // 100 images, no validation, one batch of 100: the step sees every image, whatever the shuffle.
      const layers: HiddenLayer[] = [
        { units: 16, activation: 'sigmoid' },
        { units: 12, activation: 'relu' },
      ];
      const lr = 0.1;
      const scaled = preprocessing === 'scaled';
      const config: TrainConfig = {
        ...base,
        layers,
        subset: 100,
        validationSplit: 0,
        batchSize: 100,
        preprocessing,
        learningRate: lr,
        seed: 11,
      };
      const c = await collect(config, { readEvery: 1, health: true, healthEvery: 1, keepModel: true });
      const health = healthOf(c);
      expect(health).toHaveLength(1);
      const measured = health[0] as HealthSample;
      const final = c.outcome.kept?.model.kernels;
      expect(final).toBeDefined();

      // The same initial weights, without the first kernel's two zero padding rows.
      const net = createMlp(layers, config.seed);
      const w0 = [
        tf.slice(net.kernels[0] as tf.Tensor, [0, 0], [784, 16]),
        ...net.kernels.slice(1).map((k) => tf.clone(k)),
      ];
      const b0 = net.biases.map((b) => tf.clone(b));
      net.dispose();
      const x = tf.tensor2d(
        Float32Array.from(data.train.images.subarray(0, 100 * 784), (b) => (scaled ? b / 255 : b)),
        [100, 784],
      );
      const y = tf.oneHot(tf.tensor1d(Int32Array.from(data.train.labels.subarray(0, 100)), 'int32'), 10);

      // Keras: softmax, probabilities clipped to [1e-7, 1 - 1e-7], mean categorical cross-entropy.
      const hiddenOf = (ws: tf.Tensor[]) => {
        const h1 = tf.sigmoid(tf.add(tf.matMul(x, ws[0] as tf.Tensor), b0[0] as tf.Tensor));
        const h2 = tf.relu(tf.add(tf.matMul(h1, ws[1] as tf.Tensor), b0[1] as tf.Tensor));
        return { h1, h2, logits: tf.add(tf.matMul(h2, ws[2] as tf.Tensor), b0[2] as tf.Tensor) };
      };
      const loss = (...ws: tf.Tensor[]) => {
        const p = tf.sum(tf.mul(tf.softmax(hiddenOf(ws).logits), y), 1);
        return tf.mean(tf.neg(tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))));
      };
      const expected = tf.tidy(() => {
        const grads = tf.grads(loss)(w0);
        const { h1, h2, logits } = hiddenOf(w0);
        const p = tf.softmax(logits);
        const norm = (t: tf.Tensor) => Math.sqrt(tf.sum(tf.square(t)).dataSync()[0] as number);
        return {
          gradRms: grads.map((g) => Math.sqrt(tf.mean(tf.square(g)).dataSync()[0] as number)),
          updateRatio: grads.map((g, l) => (lr * norm(g)) / norm(w0[l] as tf.Tensor)),
          actMean: [h1, h2]
            .map((h) => tf.mean(h).dataSync()[0] as number)
            .concat(tf.mean(tf.max(p, 1)).dataSync()[0] as number),
          saturated: tf
            .mean(tf.cast(tf.logicalOr(tf.less(h1, 0.02), tf.greater(h1, 0.98)), 'float32'))
            .dataSync()[0] as number,
          dead: tf.mean(tf.cast(tf.lessEqual(tf.max(h2, 0), 0), 'float32')).dataSync()[0] as number,
          clipped: tf.mean(tf.cast(tf.less(tf.sum(tf.mul(p, y), 1), 1e-7), 'float32')).dataSync()[0] as number,
          // The weights after the step, as the run kept them: w0 - lr * g.
          after: grads.map((g, l) => tf.sub(w0[l] as tf.Tensor, tf.mul(g, lr)).dataSync() as Float32Array),
          before: w0.map((w) => w.dataSync() as Float32Array),
          w0Norm: w0.map(norm),
        };
      });
      tf.dispose([...w0, ...b0, x, y]);

      const close = (a: number | undefined, b: number | undefined, rel: number) =>
        expect(Math.abs((a ?? NaN) - (b ?? NaN))).toBeLessThanOrEqual(rel * Math.abs(b ?? NaN));
      measured.layers.forEach((l, i) => {
        close(l.gradRms, expected.gradRms[i], 1e-3);
        close(l.updateRatio, expected.updateRatio[i], 1e-3);
        close(l.actMean, expected.actMean[i], 1e-4);
        expect(l.gradRms).toBeGreaterThan(0);
      });
      if (!scaled) expect(expected.saturated).toBeGreaterThan(0.5);
      expect(measured.layers[0]?.saturated).toBeCloseTo(expected.saturated, 6);
      if (scaled) expect(expected.dead).toBeGreaterThan(0);
      expect(measured.layers[1]?.dead).toBeCloseTo(expected.dead, 6);
      expect(measured.clipped).toBeCloseTo(expected.clipped, 6);

      // The step itself was w - lr * g, and |ΔW| / |W| of the kept weights is the update ratio.
      expect(final).toHaveLength(3);
      (final ?? []).forEach((k, l) => {
        const want = expected.after[l] as Float32Array;
        const start = expected.before[l] as Float32Array;
        expect(k.length).toBe(want.length);
        let maxDiff = 0;
        let dw = 0;
        for (let j = 0; j < k.length; j++) {
          maxDiff = Math.max(maxDiff, Math.abs((k[j] as number) - (want[j] as number)));
          dw += ((k[j] as number) - (start[j] as number)) ** 2;
        }
        expect(maxDiff).toBeLessThan(1e-5);
        close(measured.layers[l]?.updateRatio, Math.sqrt(dw) / (expected.w0Norm[l] as number), 1e-3);
      });
    },
  );
});

describe('the probe image', () => {
  test('its probabilities sum to 1, change as the network learns, and end as the trained model predicts', async () => {
    const config: TrainConfig = {
      ...base,
      layers: [{ units: 32, activation: 'relu' }],
      preprocessing: 'scaled',
      optimizer: 'adam',
      learningRate: 0.001,
    };
    const asked: boolean[] = [];
    const c = await collect(config, {
      readEvery: 3,
      keepModel: true,
      extras: ({ last }) => {
        asked.push(last);
        return { tiles: false, probe: testImage(0, true) };
      },
    });
    // Asked once per read-back (after batches 3, 6, 9, 12, 15), `last` only at the epoch's end.
    expect(asked).toEqual([false, false, false, false, true]);
    const probes = c.samples.map((s) => s.probe);
    expect(probes).toHaveLength(5);
    for (const p of probes) {
      expect(p).toHaveLength(10);
      const sum = Array.from(p ?? []).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 5);
      expect(Array.from(p ?? []).every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    const first = Array.from(probes[0] ?? []);
    const last = Array.from(probes.at(-1) ?? []);
    expect(Math.max(...first.map((v, i) => Math.abs(v - (last[i] as number))))).toBeGreaterThan(1e-2);
    // The last read-back follows the last step: the trained model gives the same answer.
    const kept = c.outcome.kept?.test;
    expect(kept).toBeDefined();
    expect(last.indexOf(Math.max(...last))).toBe(kept?.preds[0]);
    expect(Math.max(...last)).toBeCloseTo(kept?.probs[0] ?? NaN, 4);
  });

  test('a probe of the wrong length is ignored', async () => {
    const c = await collect(
      { ...base, layers: [{ units: 8, activation: 'relu' }], preprocessing: 'scaled' },
      { extras: () => ({ tiles: false, probe: new Float32Array(10) }) },
    );
    expect(c.samples.length).toBeGreaterThan(0);
    expect(c.samples.every((s) => s.probe === null)).toBe(true);
  });
});

describe('live weight tiles', () => {
  /** Tiles at each epoch end only; returns them and the kept first kernel [784, width]. */
  async function tilesOf(layers: HiddenLayer[]) {
    const c = await collect(
      { ...base, layers, preprocessing: 'scaled', learningRate: 0.5 },
      { keepModel: true, extras: ({ last }) => ({ tiles: last, probe: null }) },
    );
    return { c, tiles: c.samples.flatMap((s) => (s.tiles ? [s.tiles] : [])), kernel: c.outcome.kept?.model.kernels[0] };
  }

  test('a wide first layer: the first 64 units, [784, 64], equal to the final kernel at the end', async () => {
    const { c, tiles, kernel } = await tilesOf([{ units: 100, activation: 'relu' }]);
    expect(tiles).toHaveLength(1); // asked for at the epoch's end only
    const t = tiles[0];
    expect(t?.units).toBe(64);
    expect(t?.values).toHaveLength(784 * 64);
    expect(t?.x).toBe(c.samples.at(-1)?.train.x);
    expect(kernel).toHaveLength(784 * 100);
    let maxDiff = 0;
    for (let r = 0; r < 784; r++) {
      for (let u = 0; u < 64; u++)
        maxDiff = Math.max(maxDiff, Math.abs((t?.values[r * 64 + u] ?? NaN) - (kernel?.[r * 100 + u] ?? NaN)));
    }
    expect(maxDiff).toBe(0);
  });

  test('a narrow first layer: all its units', async () => {
    const { tiles, kernel } = await tilesOf([
      { units: 20, activation: 'sigmoid' },
      { units: 100, activation: 'relu' },
    ]);
    const t = tiles.at(-1);
    expect(t?.units).toBe(20);
    expect(t?.values).toHaveLength(784 * 20);
    expect(Array.from(t?.values ?? [])).toEqual(Array.from(kernel ?? []));
  });
});
