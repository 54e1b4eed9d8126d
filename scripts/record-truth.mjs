#!/usr/bin/env node
// Records the truth suite's runs (tests/truth/cases.json) from the built app in Debian's Chromium:
// each case's run and its counterfactual, trained in the page as a person trains them, and the
// run's trace as the diagnosis reads it (window.mlpLab.trace(), diagnostics build only), thinned.
//   npm run build:diagnostics && node scripts/record-truth.mjs [case names...]
//   node scripts/record-truth.mjs --evidence     # only rebuild evidence.json from the recordings
// Writes tests/truth/recordings/<name>.json, and each pair's test accuracies into
// src/core/diagnosis/evidence.json (what the suggestions quote). Then `npx vitest run tests/unit/core/diagnosis/truth.test.ts`
// says which expected findings the rules give on the new recordings.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { serveStatic } from './serve.mjs';

const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const EVIDENCE = join(ROOT, 'src/core/diagnosis/evidence.json');
const { cases } = JSON.parse(readFileSync(join(ROOT, 'tests/truth/cases.json'), 'utf8'));
const RECORDINGS = join(ROOT, 'tests/truth/recordings');

/** The numbers the diagnosis's suggestions quote (src/core/diagnosis/fixes.ts), from the recordings, never typed by hand. */
function writeEvidence() {
  const evidence = {};
  for (const file of readdirSync(RECORDINGS)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const r = JSON.parse(readFileSync(join(RECORDINGS, file), 'utf8'));
    evidence[r.name] = {
      config: { subset: r.config.subset, seed: r.config.seed, epochs: r.config.epochs },
      testAcc: r.testAcc,
      counterfactual: { change: r.counterfactual.change, testAcc: r.counterfactual.testAcc },
    };
  }
  writeFileSync(EVIDENCE, JSON.stringify(evidence, null, 1) + '\n');
}

if (process.argv.includes('--evidence')) {
  writeEvidence();
  process.exit(0);
}
const only = process.argv.slice(2);
if (!existsSync(join(ROOT, 'dist/bench.html'))) {
  console.error('record-truth: dist/ is not a diagnostics build; run npm run build:diagnostics first');
  process.exit(1);
}

/** At most `max` items: the first and last `keep` exactly (the diagnosis reads those), the rest evenly. */
function thin(items, max, keep) {
  if (items.length <= max) return items;
  const head = items.slice(0, keep);
  const tail = items.slice(-keep);
  const middle = items.slice(keep, -keep);
  const room = max - 2 * keep;
  const step = middle.length / room;
  return [...head, ...Array.from({ length: room }, (_, i) => middle[Math.floor(i * step)]), ...tail];
}

/** Numbers to 6 significant digits (float32 carries about 7): small files, nothing the rules notice. */
const short = (x) =>
  JSON.parse(
    JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v)),
  );

async function train(page, url, query) {
  await page.goto(`${url}?${query}`);
  await page.getByTestId('train-button').click();
  const status = page.getByTestId('run-status');
  await status.filter({ hasText: /^(done|error|stopped)/ }).waitFor({ timeout: 30 * 60_000 });
  const trace = await page.evaluate(() => window.mlpLab.trace());
  if (trace.status !== 'done') throw new Error(`${query}: the run ended ${trace.status}`);
  return trace;
}

const { server, url } = await serveStatic({ dir: join(ROOT, 'dist'), base: '/' });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-background-networking', '--enable-unsafe-swiftshader'],
});
try {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  for (const c of cases) {
    if (only.length && !only.includes(c.name)) continue;
    const started = Date.now();
    const run = await train(page, url, c.query);
    const cf = await train(page, url, c.counterfactual.query);
    const recording = short({
      name: c.name,
      query: c.query,
      recordedAt: new Date().toISOString(),
      browser: `Chromium ${browser.version()}`,
      backend: run.backend,
      config: run.config,
      testAcc: run.testAcc,
      testLoss: run.testLoss,
      epochs: run.epochs,
      samples: thin(run.samples, 160, 6),
      health: thin(run.health, 80, 6),
      counterfactual: {
        change: c.counterfactual.change,
        query: c.counterfactual.query,
        backend: cf.backend,
        testAcc: cf.testAcc,
        epochs: cf.epochs,
      },
    });
    writeFileSync(join(ROOT, 'tests/truth/recordings', `${c.name}.json`), JSON.stringify(recording) + '\n');
    writeEvidence();
    const last = (e) => e.at(-1)?.valAcc?.toFixed(4);
    console.log(
      `${c.name}: test ${run.testAcc?.toFixed(4)} (val ${last(run.epochs)}); with ${c.counterfactual.change}: test ${cf.testAcc?.toFixed(4)} (val ${last(cf.epochs)}) [${((Date.now() - started) / 1000).toFixed(0)} s]`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
