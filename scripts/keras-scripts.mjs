#!/usr/bin/env node
// Writes the lab's generated Keras scripts of the article's experiments (the article's setup, full
// data, MNIST, seeds 1..N) into a folder, as the experiments panel's "Keras script" button makes
// them (src/core/interchange/kerasScript.ts, loaded through Vite). keras/reference.py trains these.
//   node scripts/keras-scripts.mjs --out DIR [--seeds 5]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withSource } from './load-core.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const out = opt('--out', null);
const seeds = Number(opt('--seeds', '5'));
if (!out || !(seeds >= 1 && seeds <= 10)) {
  console.error('usage: node scripts/keras-scripts.mjs --out DIR [--seeds 1..10]');
  process.exit(2);
}
await withSource(
  ['/src/core/experiments/experiments.ts', '/src/core/interchange/kerasScript.ts'],
  ({ EXPERIMENTS, experimentPlan }, { kerasScript }) => {
    mkdirSync(out, { recursive: true });
    for (const e of EXPERIMENTS) {
      const plan = experimentPlan(e, { repeats: seeds, quick: false, dataset: 'mnist' });
      writeFileSync(join(out, `${e.id}.py`), kerasScript(`Experiment ${e.number}: ${e.title}`, plan));
    }
    console.log(`keras-scripts: ${EXPERIMENTS.length} scripts in ${out}`);
  },
);
