#!/usr/bin/env node
// `npm run bench`: builds the app (npm script), serves dist/ with Vite's preview server, and in
// headless Chromium times, per hidden-layer setup and backend, ms per batch of 128 for this lab's
// training loop and for TensorFlow.js's model.fit on the same network. Prints a table.
// Options: --batches N (batches per timed epoch, default 20), --rounds N (default 3),
// --only webgl|wasm, --layers '32;512', --dense (time the plain path: no column compaction, no head kernels)
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
const setups = opt('layers', '32;512;2048;512,512,512')
  .split(';')
  .map((s) => s.split(',').map(Number));

const server = await preview({ preview: { port: 4183, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'],
});
const rows = [];
try {
  const page = await browser.newPage();
  await page.goto('http://127.0.0.1:4183/bench.html');
  await page.waitForFunction(() => typeof window.benchRun === 'function');
  for (const backend of backends) {
    for (const widths of setups) {
      const t0 = Date.now();
      const r = await page.evaluate((req) => window.benchRun(req), { widths, backend, batches, rounds, baseUrl: 'http://127.0.0.1:4183/', compact: !args.includes('--dense') });
      rows.push(r);
      const ratio = r.labMsPerBatch / r.fitMsPerBatch;
      console.error(`  [${widths}] on ${r.backend}: lab ${r.labMsPerBatch.toFixed(1)} ms, fit ${r.fitMsPerBatch.toFixed(1)} ms, ratio ${ratio.toFixed(2)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}

const ua = 'headless Chromium (Debian), batch 128, sigmoid hidden layers, SGD 0.01, MNIST images; ' + `median of ${rounds} rounds of ${batches} batches, lab and fit alternating after a warm-up`;
console.log(`\nms per training batch: this lab's loop vs TensorFlow.js model.fit\n${ua}\n`);
console.log('| hidden layers | backend | lab ms/batch | model.fit ms/batch | ratio (lab / fit) | loss diff fast path vs tf ops |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| [${r.widths.join(', ')}] | ${r.backend} | ${r.labMsPerBatch.toFixed(1)} | ${r.fitMsPerBatch.toFixed(1)} | ${(r.labMsPerBatch / r.fitMsPerBatch).toFixed(2)} | ${r.lossDiff.toExponential(1)} |`);
}
