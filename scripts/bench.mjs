#!/usr/bin/env node
// `npm run bench`: builds the app (npm script), serves dist/ with Vite's preview server, and in
// headless Chromium times, per hidden-layer setup and backend, ms per batch of 128 for this lab's
// training loop and for TensorFlow.js's model.fit on the same network. Prints a table.
// Then, in the app page itself, the latency of one prediction of a drawn digit (preprocessing plus
// the worker's forward pass and the round trip) for a few trained networks.
// Options: --batches N (batches per timed epoch, default 20), --rounds N (default 3),
// --only webgl|wasm, --layers '32;512', --dense (time the plain path: no column compaction, no head kernels),
// --predict-only (skip the training benchmark), --no-predict (skip the prediction benchmark),
// --predictions N (timed predictions per network, default 200), --no-live (skip timing the loop with the live
// measurements the page shows: layer health, weight tiles, the drawn digit's prediction), --parts health,probe,tiles
// (time only some of those)
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const batches = Number(opt('batches', '20'));
const rounds = Number(opt('rounds', '3'));
const backends = opt('only', 'webgl,wasm').split(',');
const predictOnly = args.includes('--predict-only');
const predictions = Number(opt('predictions', '200'));
const setups = opt('layers', '32;32,32,32,32;512;2048;512,512,512')
  .split(';')
  .map((s) => s.split(',').map(Number));

const server = await preview({ preview: { port: 4183, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'],
});
const rows = [];
const predictRows = [];
try {
  const page = await browser.newPage();
  await page.goto('http://127.0.0.1:4183/bench.html');
  await page.waitForFunction(() => typeof window.benchRun === 'function');
  for (const backend of predictOnly ? [] : backends) {
    for (const widths of setups) {
      const t0 = Date.now();
      const r = await page.evaluate((req) => window.benchRun(req), { widths, backend, batches, rounds, baseUrl: 'http://127.0.0.1:4183/', compact: !args.includes('--dense'), live: !args.includes('--no-live'), ...(opt('parts', '') ? { liveParts: opt('parts', '') } : {}) });
      rows.push(r);
      const ratio = r.labMsPerBatch / r.fitMsPerBatch;
      console.error(`  [${widths}] on ${r.backend}: lab ${r.labMsPerBatch.toFixed(1)} ms, with live measurements ${r.liveMsPerBatch.toFixed(1)} ms, fit ${r.fitMsPerBatch.toFixed(1)} ms, ratio ${ratio.toFixed(2)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  if (!args.includes('--no-predict')) {
    // Networks for the prediction latency: the article's, the quick-draw one, deep, and wide.
    const nets = ['layers=32', 'layers=128&act=relu&pre=scaled', 'layers=512,512,512', 'layers=2048'];
    for (const net of nets) {
      const app = await browser.newPage();
      await app.goto(`http://127.0.0.1:4183/?${net}&subset=600&epochs=1&seed=1`);
      await app.getByTestId('train-button').click();
      await app.waitForFunction(() => document.querySelector('[data-testid=run-status]')?.textContent === 'done', null, { timeout: 600_000 });
      await app.waitForFunction(() => document.querySelector('[data-testid=model-in-use]') !== null, null, { timeout: 60_000 });
      const r = await app.evaluate(async (n) => {
        // A drawn 0: an ellipse stroked as the canvas draws, read back as ink 0..1.
        const c = new OffscreenCanvas(280, 280);
        const ctx = c.getContext('2d');
        ctx.lineWidth = 22;
        ctx.lineCap = 'round';
        ctx.beginPath();
        ctx.ellipse(140, 140, 60, 95, 0, 0, Math.PI * 2);
        ctx.stroke();
        const data = ctx.getImageData(0, 0, 280, 280).data;
        const ink = Array.from({ length: 280 * 280 }, (_, i) => data[i * 4 + 3] / 255);
        await window.mlpLab.timePredictions(ink, 280, 280, 20); // warm-up: shaders, model upload
        return window.mlpLab.timePredictions(ink, 280, 280, n);
      }, predictions);
      const sorted = [...r.ms].sort((a, b) => a - b);
      const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
      const backend = (await app.getByTestId('backend-name').textContent()) ?? '?';
      predictRows.push({ net, backend, median: q(0.5), p95: q(0.95), max: sorted[sorted.length - 1], n: sorted.length, tensors: r.tensors });
      console.error(`  predict ${net} on ${backend}: median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms`);
      await app.close();
    }
  }
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}

if (predictRows.length > 0) {
  console.log(`\nms per prediction of a drawn digit (280x280 ink -> MNIST preprocessing -> worker forward pass -> page), ${predictions} in a row after 20 warm-up\n`);
  console.log('| network | backend | median ms | p95 ms | max ms | worker tensors first/last |');
  console.log('| --- | --- | ---: | ---: | ---: | --- |');
  for (const r of predictRows) {
    console.log(`| ${r.net} | ${r.backend} | ${r.median.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.max.toFixed(2)} | ${r.tensors.before} / ${r.tensors.after} |`);
  }
}
if (rows.length === 0) process.exit(0);

const ua = 'headless Chromium (Debian), batch 128, sigmoid hidden layers, SGD 0.01, MNIST images; ' + `median of ${rounds} rounds of ${batches} batches, lab and fit alternating after a warm-up`;
console.log(`\nms per training batch: this lab's loop vs TensorFlow.js model.fit\n${ua}\n`);
console.log('| hidden layers | backend | lab ms/batch | with live measurements | overhead | model.fit ms/batch | ratio (lab / fit) | loss diff fast path vs tf ops |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const live = Number.isFinite(r.liveMsPerBatch) ? r.liveMsPerBatch.toFixed(1) : '–';
  const overhead = Number.isFinite(r.liveMsPerBatch) ? `${(((r.liveMsPerBatch - r.labMsPerBatch) / r.labMsPerBatch) * 100).toFixed(1)} %` : '–';
  console.log(`| [${r.widths.join(', ')}] | ${r.backend} | ${r.labMsPerBatch.toFixed(1)} | ${live} | ${overhead} | ${r.fitMsPerBatch.toFixed(1)} | ${(r.labMsPerBatch / r.fitMsPerBatch).toFixed(2)} | ${r.lossDiff.toExponential(1)} |`);
}
console.log(`\nWith live measurements: the loop as the page runs it while it shows a run (${opt('parts', 'health,probe,tiles')}): layer health every 40 batches and at least 500 ms apart (and at the first read-back and each epoch end), the first layer's weights every 2 s and at the end, a drawn digit classified at most every 250 ms.`);
