#!/usr/bin/env node
// Parity as a distribution (issue 21): the lab's test accuracies over seeds 1..5 for the article's
// depth experiment, trained in the built app in Debian's Chromium, set against real Keras's over
// the same seeds (src/core/experiments/kerasReference.json, from keras/reference.py). For each config: both
// means, their 95 % intervals, and Welch's 95 % interval of the difference; the two agree when
// that interval contains 0 (a two-sided Welch test at 0.05 does not separate them).
//   npm run build:diagnostics && node scripts/parity.mjs [--backend wasm] [--out docs/keras-parity.md]
// About 5 minutes here. The statistics are the lab's own (src/core/experiments/stats.ts, loaded through Vite).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { withSource } from './load-core.mjs';
import { serveStatic } from './serve.mjs';

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const backend = opt('--backend', 'wasm');
const out = opt('--out', join(ROOT, 'docs', 'keras-parity.md'));
const SEEDS = 5;

const { meanInterval, differenceInterval } = await withSource(['/src/core/experiments/stats.ts'], (stats) => stats);
const reference = JSON.parse(readFileSync(join(ROOT, 'src/core/experiments/kerasReference.json'), 'utf8'));

const { server, url } = await serveStatic({ dir: join(ROOT, 'dist'), base: '/' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking'],
});
const chromiumVersion = `Chromium ${browser.version()}`;
let results;
const started = Date.now();
try {
  const page = await browser.newPage();
  await page.goto(`${url}?experiment=depth&backend=${backend}&seed=1`);
  await page.getByLabel(/repeats per config/).fill(String(SEEDS));
  await page.getByTestId('experiment-run').click();
  await page
    .getByTestId('queue-status')
    .and(page.locator('[data-status=done]'))
    .waitFor({ timeout: 60 * 60_000 });
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Results JSON' }).click(),
  ]);
  results = JSON.parse(readFileSync(await file.path(), 'utf8')).results;
} finally {
  await browser.close();
  server.close();
}

const f4 = (x) => (Number.isFinite(x) ? x.toFixed(4) : '–');
const signed = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}` : '–');
const lines = [
  '# The lab and real Keras, over the same seeds',
  '',
  `The article's depth experiment (sigmoid, raw 0..255 inputs, SGD 0.01, batch 128, 5 epochs, all 60,000 images), seeds 1 to ${SEEDS}: the lab's test accuracies (${backend === 'auto' ? 'backend auto' : backend.toUpperCase()}, ${chromiumVersion}) and real Keras's (${reference.versions.keras} on ${reference.versions.backend} ${reference.versions.backendVersion}, keras/reference.py). Written by \`node scripts/parity.mjs\` on ${new Date().toISOString().slice(0, 10)} (${Math.round((Date.now() - started) / 1000)} s); the statistics are the lab's own (src/core/experiments/stats.ts): 95 % t-intervals of each mean, and Welch's 95 % interval of the difference. The two agree where that interval contains 0 (a two-sided Welch test at 0.05 does not separate them).`,
  '',
  '| config | lab, seeds 1–5 | lab mean [95 %] | Keras, seeds 1–5 | Keras mean [95 %] | lab − Keras [95 %, Welch] | agree |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
let agreeing = 0;
for (const r of results) {
  const keras = reference.experiments.depth?.configs[r.config.key];
  if (!keras) continue;
  const lab = meanInterval(r.values);
  const k = meanInterval(keras.values);
  const d = differenceInterval(keras.values, r.values);
  const agree = Number.isFinite(d.half) ? d.low <= 0 && d.high >= 0 : null;
  if (agree) agreeing++;
  lines.push(
    `| ${r.label} | ${r.values.map(f4).join(', ')} | ${f4(lab.mean)} [${f4(lab.low)}, ${f4(lab.high)}] | ${keras.values.map(f4).join(', ')} | ${f4(k.mean)} [${f4(k.low)}, ${f4(k.high)}] | ${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}] | ${agree === null ? '–' : agree ? 'yes' : '**no**'} |`,
  );
}
lines.push('', `${agreeing} of ${results.length} configs agree.`, '');
writeFileSync(out, lines.join('\n'));
console.log(lines.join('\n'));
