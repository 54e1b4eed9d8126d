import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { experimentById, experimentPlan } from '../../../../src/core/experiments/experiments';
import { kerasScript, scriptKey } from '../../../../src/core/interchange/kerasScript';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';
import { readRunsDocument } from '../../../../src/core/runs/runsImport';

const dir = mkdtempSync(join(tmpdir(), 'keras-script-'));
const python = (args: string[]) => spawnSync('python3', args, { encoding: 'utf8', cwd: dir });

const depthPlan = experimentPlan(experimentById('depth'), {
  repeats: 2,
  quick: false,
  dataset: 'mnist',
  variants: ['relu', 'he'],
});
const runScript = kerasScript('4×32 sigmoid', [
  {
    config: {
      ...DEFAULT_CONFIG,
      layers: [{ units: 32, activation: 'relu' }],
      optimizer: 'momentum',
      init: 'he_normal',
    },
    tag: null,
  },
]);
const depthScript = kerasScript('Experiment 2: Depth', depthPlan);

describe('the Keras script of a run and of an experiment', () => {
  test.each([
    ['run', runScript],
    ['depth experiment', depthScript],
  ])('the %s\u2019s script compiles with python3 -m py_compile', (name, script) => {
    const file = join(dir, `${name.replace(/ /g, '-')}.py`);
    writeFileSync(file, script);
    const r = python(['-m', 'py_compile', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('it embeds every run of the plan with its config, seed and key, readable from Python', () => {
    const file = join(dir, 'embed.py');
    writeFileSync(
      file,
      depthScript.replace(
        'if __name__ == "__main__":\n    sys.exit(main())',
        'print(json.dumps([[r["key"], r["seed"], r["config"]["layers"][0]["activation"], r["config"]["init"]] for r in RUNS]))',
      ),
    );
    const out = JSON.parse(execFileSync('python3', [file], { encoding: 'utf8' })) as [string, number, string, string][];
    expect(out).toHaveLength(4 * 3 * 2);
    expect(out.slice(0, 6)).toEqual([
      ['w32d1', 1, 'sigmoid', 'glorot_uniform'],
      ['w32d1', 2, 'sigmoid', 'glorot_uniform'],
      ['w32d1-relu', 1, 'relu', 'glorot_uniform'],
      ['w32d1-relu', 2, 'relu', 'glorot_uniform'],
      ['w32d1-he', 1, 'sigmoid', 'he_uniform'],
      ['w32d1-he', 2, 'sigmoid', 'he_uniform'],
    ]);
    expect(depthPlan.map(scriptKey)).toContain('w32d4-relu');
  });

  test('the optimizer, initialiser and the Fashion-MNIST difference are in the script', () => {
    expect(runScript).toContain('keras.optimizers.SGD(learning_rate=lr, momentum=0.9)');
    expect(runScript).toContain('"init": "he_normal"');
    expect(runScript).toMatch(/Fashion-MNIST uses its own train\/test split/);
  });

  test('--merge combines per-run files (no Keras needed); a --config that matches nothing exits 2', () => {
    const file = join(dir, 'merge.py');
    writeFileSync(file, depthScript);
    const doc = (id: string) => JSON.stringify({ format: 'mlp-lab-runs', version: 1, runs: [{ id }] });
    writeFileSync(join(dir, 'a.json'), doc('a'));
    writeFileSync(join(dir, 'b.json'), doc('b'));
    const r = python([file, '--merge', 'a.json', 'b.json', '-o', 'merged.json']);
    expect(r.status).toBe(0);
    const merged = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as {
      format: string;
      runs: { id: string }[];
    };
    expect([merged.format, merged.runs.map((x) => x.id)]).toEqual(['mlp-lab-runs', ['a', 'b']]);
    const none = python([file, '--config', 'w999d9']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no run matches');
  });
});

// Issue 26, item 4: a tag key is any string in a record made by hand; the script joins it into a
// file path and into its --help text.
describe('a hostile tag key in a Keras script', () => {
  const key = '../../escaped%s %d';
  const hostile = kerasScript('hostile', [
    { config: DEFAULT_CONFIG, tag: { experiment: 'depth', key, repeat: 1, quick: false } },
  ]);
  test('becomes a plain file name, and --help still works', () => {
    expect(scriptKey({ config: DEFAULT_CONFIG, tag: { experiment: 'depth', key, repeat: 1, quick: false } })).toBe(
      '______escaped_s__d',
    );
    writeFileSync(join(dir, 'hostile.py'), hostile);
    const help = python(['hostile.py', '--help']);
    expect(help.stderr).toBe('');
    expect(help.stdout).toContain('______escaped_s__d');
    // The tag itself travels as data (a JSON string); the key the script uses is the plain one.
    expect(hostile).toContain('"key": "______escaped_s__d"');
  });
});

describe('what a Keras script writes comes back into the lab', () => {
  test('run end to end on a stand-in for Keras (tests/support/fake-keras), a one-config run writes a results file the lab imports as that run, marked as run in Keras', () => {
    const file = join(dir, 'roundtrip.py');
    writeFileSync(file, depthScript);
    const env = { ...process.env, PYTHONPATH: resolve('tests/support/fake-keras') };
    const r = spawnSync('python3', [file, '--config', 'w32d4-relu', '--seed', '2', '--out', 'out'], {
      encoding: 'utf8',
      cwd: dir,
      env,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = readFileSync(join(dir, 'out', 'w32d4-relu-seed2.json'), 'utf8');
    const imported = readRunsDocument(text, 'w32d4-relu-seed2.json');
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.skipped).toEqual([]);
    const [run] = imported.runs;
    expect(run?.config.layers).toEqual(Array.from({ length: 4 }, () => ({ units: 32, activation: 'relu' })));
    expect(run?.config.seed).toBe(2);
    expect(run?.tag).toEqual({ experiment: 'depth', key: 'w32d4', repeat: 2, quick: false, variant: 'relu' });
    expect(run?.testAcc).toBe(0.875);
    expect(run?.trainCount).toBe(54000);
    expect(run?.valCount).toBe(6000);
    expect(run?.epochs.map((e) => e.valAcc)).toEqual([0.6, 0.61, 0.62, 0.63, 0.64]);
    expect(run?.origin).toEqual({ kind: 'results', ranOn: 'keras-3.0.0-fake-fake', file: 'w32d4-relu-seed2.json' });
  });

  test('a layer with batch normalization is built as Dense without bias, BatchNormalization, Activation, then its Dropout; the others as before', () => {
    const config: TrainConfig = {
      ...DEFAULT_CONFIG,
      layers: [
        { units: 16, activation: 'relu', batchNorm: true, dropout: 0.2 },
        { units: 8, activation: 'tanh' },
      ],
    };
    const script = kerasScript('16 relu, 8 tanh', [{ config, tag: null }]);
    // The run's parameter count, as Keras 3's count_params() gives it for this network (12,834: the
    // moving statistics included).
    expect(script).toContain('"params": 12834');
    expect(script).toMatch(/batch normalization \(Dense without bias, BatchNormalization with\nKeras's defaults/);
    const file = join(dir, 'build.py');
    writeFileSync(
      file,
      script.replace(
        'if __name__ == "__main__":\n    sys.exit(main())',
        'print(json.dumps(build(RUNS[0]["config"], 1).layers))',
      ),
    );
    const env = { ...process.env, PYTHONPATH: resolve('tests/support/fake-keras') };
    const r = spawnSync('python3', [file], { encoding: 'utf8', cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      ['input', [784]],
      ['dense', 16, null, 'no bias'],
      ['batch_normalization'],
      ['activation', 'relu'],
      ['dropout', 0.2],
      ['dense', 8, 'tanh'],
      ['dense', 10, 'softmax'],
    ]);
  });

  test('a run whose loss diverged (NaN, Infinity) is written as valid JSON and imports with those values', () => {
    const file = join(dir, 'diverge.py');
    writeFileSync(file, depthScript);
    const env = { ...process.env, PYTHONPATH: resolve('tests/support/fake-keras'), FAKE_KERAS_DIVERGE: '1' };
    const r = spawnSync('python3', [file, '--config', 'w32d4', '--seed', '1', '--out', 'nan'], {
      encoding: 'utf8',
      cwd: dir,
      env,
    });
    expect(r.stderr).toBe('');
    const text = readFileSync(join(dir, 'nan', 'w32d4-seed1.json'), 'utf8');
    expect(text).not.toMatch(/\bNaN\b(?!")/);
    const imported = readRunsDocument(text, 'w32d4-seed1.json');
    if (!imported.ok) throw new Error(imported.message);
    const [run] = imported.runs;
    expect(run?.testLoss).toBeNaN();
    expect(run?.testAcc).toBe(0.098);
    expect(run?.epochs[2]?.loss).toBeNaN();
    expect(run?.epochs[2]?.valLoss).toBe(Infinity);
  });
});
