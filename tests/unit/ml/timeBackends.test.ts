import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, test } from 'vitest';
import { rememberTrial, sizeClass } from '../../../src/core/device/backendTrial';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { deviceKey } from '../../../src/ml/backend';
import { chooseByTrial, TRIAL_WARMUP, timeBatches } from '../../../src/ml/timeBackends';
import { loadMnist, useNodeWasmFiles } from '../helpers';

// In Node the lab's two CPU backends stand in for WebGL and WASM: what is chosen, from what times,
// and that a remembered trial is not run again, does not depend on which backends they are.
useNodeWasmFiles(setWasmPaths);
const candidates = ['cpu', 'wasm'] as const;
const data = { train: loadMnist('train', 2000), test: loadMnist('t10k', 200) };
const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [{ units: 16, activation: 'sigmoid' }],
  batchSize: 32,
  seed: 1,
};
const signal = new AbortController().signal;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('auto chooses the faster backend by the times per batch', () => {
  test('measured: each backend is timed once on the network, the faster is left active and named', async () => {
    for (const [fast, slow] of [
      ['wasm', 'cpu'],
      ['cpu', 'wasm'],
    ] as const) {
      const timed: string[] = [];
      const { choice, trial } = await chooseByTrial(data, config, signal, {
        candidates,
        time: async () => {
          timed.push(tf.getBackend());
          return tf.getBackend() === fast ? 5 : 50;
        },
      });
      expect(timed).toEqual(['cpu', 'wasm']);
      expect(choice.name).toBe(fast);
      expect(tf.getBackend()).toBe(fast);
      expect(trial).toMatchObject({
        source: 'measured',
        chosen: fast,
        sizeClass: sizeClass(config.layers, 32),
        device: deviceKey(),
      });
      expect(trial?.times.map((t) => [t.name, t.ms])).toEqual([
        [fast, 5],
        [slow, 50],
      ]);
    }
  });

  test('remembered for this device and size: no backend is timed again', async () => {
    const first = await chooseByTrial(data, config, signal, {
      candidates,
      time: async () => (tf.getBackend() === 'cpu' ? 3 : 30),
    });
    const remembered = rememberTrial({}, first.trial!);
    let timedAgain = 0;
    const second = await chooseByTrial(data, config, signal, {
      candidates,
      remembered,
      time: async () => {
        timedAgain++;
        return 1;
      },
    });
    expect(timedAgain).toBe(0);
    expect(second.trial).toMatchObject({ source: 'remembered', chosen: 'cpu', times: first.trial!.times });
    // Another size class is timed afresh.
    const wide = { ...config, layers: [{ units: 512, activation: 'sigmoid' as const }] };
    const third = await chooseByTrial(data, wide, signal, {
      candidates,
      remembered,
      time: async () => (timedAgain++, tf.getBackend() === 'wasm' ? 2 : 20),
    });
    expect(timedAgain).toBe(2);
    expect(third.trial).toMatchObject({ source: 'measured', chosen: 'wasm' });
  });

  test('injected times are used as given (a real GPU that is faster than WASM picks WebGL)', async () => {
    let timed = 0;
    const { trial } = await chooseByTrial(data, config, signal, {
      candidates,
      injected: { cpu: 4, wasm: 40 },
      time: async () => ++timed,
    });
    expect(timed).toBe(0);
    expect(trial).toMatchObject({ source: 'injected', chosen: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
  });

  test('with one backend there is nothing to choose: nothing is timed, no trial', async () => {
    let timed = 0;
    const { trial } = await chooseByTrial(data, config, signal, { candidates: ['cpu'], time: async () => ++timed });
    expect(trial).toBeNull();
    expect(timed).toBe(0);
  });

  test('a backend that starts but fails to train is not chosen', async () => {
    const { trial } = await chooseByTrial(data, config, signal, {
      candidates,
      time: async () => {
        if (tf.getBackend() === 'cpu') throw new Error('the GPU context (WebGL) was lost');
        return 30;
      },
    });
    expect(trial).toMatchObject({ source: 'measured', chosen: 'wasm', times: [{ name: 'wasm', ms: 30 }] });
  });

  test('a Stop during the trial leaves no trial to show or remember', async () => {
    const stop = new AbortController();
    const { trial } = await chooseByTrial(data, config, stop.signal, {
      candidates,
      time: async () => {
        stop.abort();
        return 5;
      },
    });
    expect(trial).toBeNull();
  });
});

describe('timing a few batches of the real training loop', () => {
  test('gives a time per batch on each backend and leaves no tensor behind', async () => {
    for (const backend of candidates) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const ms = await timeBatches(data, config, signal);
      expect(tf.memory().numTensors).toBe(before);
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThan(5000);
    }
  });

  test('a batch size whose trial covers all the images there are still gives a time, and leaves no tensor behind', async () => {
    await tf.setBackend('cpu');
    const wide = { ...config, batchSize: 512 };
    const few = { train: loadMnist('train', 2 * TRIAL_WARMUP * 512), test: data.test };
    const before = tf.memory().numTensors;
    // 6 batches of 512 here, fewer than the trial's warm-up and intervals: it stops at the last batch of its epoch.
    expect(await timeBatches(few, wide, signal)).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a stop during the trial ends it at once', async () => {
    const stop = new AbortController();
    stop.abort();
    expect(await timeBatches(data, config, stop.signal)).toBeNaN();
  });
});
