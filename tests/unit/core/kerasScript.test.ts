import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { experimentById, experimentPlan } from '../../../src/core/experiments';
import { kerasScript, scriptKey } from '../../../src/core/kerasScript';
import { DEFAULT_CONFIG } from '../../../src/core/spec';

const dir = mkdtempSync(join(tmpdir(), 'keras-script-'));
const python = (args: string[]) => spawnSync('python3', args, { encoding: 'utf8', cwd: dir });

const depthPlan = experimentPlan(experimentById('depth'), { repeats: 2, quick: false, dataset: 'mnist', variants: ['relu', 'he'] });
const runScript = kerasScript('4×32 sigmoid', [{ config: { ...DEFAULT_CONFIG, layers: [{ units: 32, activation: 'relu' }], optimizer: 'momentum', init: 'he_normal' }, tag: null }]);
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
    writeFileSync(file, depthScript.replace('if __name__ == "__main__":\n    sys.exit(main())', 'print(json.dumps([[r["key"], r["seed"], r["config"]["layers"][0]["activation"], r["config"]["init"]] for r in RUNS]))'));
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
    const merged = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as { format: string; runs: { id: string }[] };
    expect([merged.format, merged.runs.map((x) => x.id)]).toEqual(['mlp-lab-runs', ['a', 'b']]);
    const none = python([file, '--config', 'w999d9']);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no run matches');
  });
});
