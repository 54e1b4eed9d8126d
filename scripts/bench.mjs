#!/usr/bin/env node
// `npm run bench`: builds the app (npm script), serves dist/ with Vite's preview server, and in
// headless Chromium times, per hidden-layer setup and backend, ms per batch of 128 for this lab's
// training loop and for TensorFlow.js's model.fit on the same network. Prints a table.
// Then, in the app page itself, the latency of one prediction of a drawn digit (preprocessing plus
// the worker's forward pass and the round trip) for a few trained networks.
// Options: --batches N (batches per timed epoch, default 20), --rounds N (default 3),
// --only webgl|wasm, --layers '32;512', --dense (time the plain path: no column compaction, no head kernels),
// --l2 λ, --l1 λ, --maxnorm c (the lab's runs with that weight decay or max-norm constraint),
// --dropout p, --indrop p (with dropout after every hidden layer, or on the input), --aug affine|elastic
// (with the training images distorted), --bn (batch normalization in every hidden layer),
// --predict-only (skip the training benchmark), --no-predict (skip the prediction benchmark),
// --predictions N (timed predictions per network, default 200), --no-live (skip timing the loop with the live
// measurements the page shows: layer health, weight tiles, the drawn digit's prediction), --parts health,probe,tiles
// (time only some of those), --runs (only the consecutive-runs benchmark: five full-data runs of [32] in one
// worker with a different validation split each, then the first predictions after a run of [2048]),
// --profile (also where a step's time goes, kernel by kernel, from tf.profile over one round),
// --threads N (WASM threads, default as many as cores), --xnnpack (WASM products by XNNPACK, not by the lab's own),
// --fma (the lab's own with relaxed SIMD's fused multiply-add, which changes a run's last bits),
// --sweep (only the sweep benchmark: K = 1, 2, 4, 8, 16 networks of [32], [128] and [512] trained at once, each in a
// worker of its own as an experiment queue trains them, and, for even K >= 4, in one group of K / 2 networks trained in one
// step (ml/group) on each of two workers; on WASM; --k '1,2', --sweep-layers '32;512', --sweep-epochs N
// (default 1: runs per minute are for the article's 5-epoch runs, from N epochs each), --no-groups)
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
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-swiftshader',
  ],
});
const rows = [];
const predictRows = [];
const runRows = [];
const firstPredictions = [];
const runsOnly = args.includes('--runs');
const sweepOnly = args.includes('--sweep');
const sweepRows = [];
const sweepEpochs = Number(opt('sweep-epochs', '1'));
/** The 280x280 ink of a drawn 0 (an ellipse stroked as the canvas draws), 0..1, in the page. */
const drawnZero = () => {
  const c = new OffscreenCanvas(280, 280);
  const ctx = c.getContext('2d');
  ctx.lineWidth = 22;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.ellipse(140, 140, 60, 95, 0, 0, Math.PI * 2);
  ctx.stroke();
  const data = ctx.getImageData(0, 0, 280, 280).data;
  return Array.from({ length: 280 * 280 }, (_, i) => data[i * 4 + 3] / 255);
};
try {
  if (runsOnly) {
    // Consecutive runs in one worker, each with another validation split (so other tensor shapes):
    // how long from Train until the first batch, and what the worker's device memory is after each.
    const app = await browser.newPage();
    await app.goto('http://127.0.0.1:4183/?layers=32&epochs=1&seed=1');
    const status = () => app.getByTestId('run-status').textContent();
    for (const val of [0.1, 0.15, 0.2, 0.25, 0.3]) {
      const field = app.getByLabel('validation split', { exact: true });
      if (!(await field.isVisible())) await app.getByText(/^Advanced: /).click();
      await field.fill(String(val));
      await field.press('Enter');
      const t0 = Date.now();
      await app.getByTestId('train-button').click();
      await app.waitForFunction(
        () => document.querySelector('[data-testid=run-status]')?.textContent?.startsWith('training'),
        null,
        { timeout: 600_000 },
      );
      const started = Date.now() - t0;
      await app.waitForFunction(
        () => document.querySelector('[data-testid=run-status]')?.textContent === 'done',
        null,
        { timeout: 600_000 },
      );
      const total = Date.now() - t0;
      const tensors = await app.getByTestId('worker-tensors').textContent();
      const memory = await app.getByTestId('worker-memory').textContent();
      runRows.push({ val, started, total, tensors, memory, status: await status() });
      console.error(`  run val=${val}: training after ${started} ms, done after ${total} ms; ${tensors}; ${memory}`);
    }
    await app.close();
    // The first predictions of a drawn digit after a run of a wide network: the weights' way to
    // the device for the first one.
    for (const net of ['layers=32', 'layers=2048']) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:4183/?${net}&subset=600&epochs=1&seed=1`);
      await page.getByTestId('train-button').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid=run-status]')?.textContent === 'done',
        null,
        { timeout: 600_000 },
      );
      await page.waitForFunction(() => document.querySelector('[data-testid=model-in-use]') !== null, null, {
        timeout: 60_000,
      });
      const r = await page.evaluate(
        async (ink) => window.mlpLab.timePredictions(ink, 280, 280, 5),
        await page.evaluate(`(${drawnZero})()`),
      );
      firstPredictions.push({ net, ms: r.ms });
      console.error(`  first predictions after a run of ${net}: ${r.ms.map((m) => m.toFixed(1)).join(', ')} ms`);
      await page.close();
    }
  }
  const page = await browser.newPage();
  await page.goto('http://127.0.0.1:4183/bench.html');
  await page.waitForFunction(() => typeof window.benchRun === 'function');
  if (sweepOnly) {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    for (const width of opt('sweep-layers', '32;128;512').split(';').map(Number))
      for (const k of opt('k', '1,2,4,8,16').split(',').map(Number)) {
        // As the lab trains them: one run alone on every WASM thread, a queue's runs on one thread each.
        const threads = k === 1 ? cores : 1;
        const req = { width, k, threads, epochs: sweepEpochs, baseUrl: 'http://127.0.0.1:4183/' };
        const r = await page.evaluate((q) => window.benchSweep(q), req);
        sweepRows.push(r);
        console.error(`  sweep [${width}] K=${k}: ${r.wallSeconds.toFixed(1)} s wall (${r.backend})`);
        if (k < 4 || k % 2 === 1 || args.includes('--no-groups')) continue;
        // The same K networks in two workers (the queue's two lanes), K / 2 in one step in each.
        const g = await page.evaluate((q) => window.benchSweep(q), { ...req, group: k / 2 });
        sweepRows.push(g);
        console.error(`  sweep [${width}] K=${k} in 2 groups: ${g.wallSeconds.toFixed(1)} s wall`);
      }
  }
  for (const backend of predictOnly || runsOnly || sweepOnly ? [] : backends) {
    for (const widths of setups) {
      const t0 = Date.now();
      const r = await page.evaluate((req) => window.benchRun(req), {
        widths,
        backend,
        batches,
        rounds,
        baseUrl: 'http://127.0.0.1:4183/',
        compact: !args.includes('--dense'),
        live: !args.includes('--no-live'),
        ...(opt('parts', '') ? { liveParts: opt('parts', '') } : {}),
        profile: args.includes('--profile'),
        ...(opt('threads', '') ? { threads: Number(opt('threads', '')) } : {}),
        xnnpack: args.includes('--xnnpack'),
        fma: args.includes('--fma'),
        regularization: {
          l2: Number(opt('l2', '0')),
          l1: Number(opt('l1', '0')),
          maxNorm: Number(opt('maxnorm', '0')),
          dropout: Number(opt('dropout', '0')),
          inputDropout: Number(opt('indrop', '0')),
          augment: opt('aug', 'none'),
          batchNorm: args.includes('--bn'),
        },
      });
      rows.push(r);
      const ratio = r.labMsPerBatch / r.fitMsPerBatch;
      console.error(
        `  [${widths}] on ${r.backend}: lab ${r.labMsPerBatch.toFixed(1)} ms, with live measurements ${r.liveMsPerBatch.toFixed(1)} ms, fit ${r.fitMsPerBatch.toFixed(1)} ms, ratio ${ratio.toFixed(2)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
      );
    }
  }
  if (!args.includes('--no-predict') && !runsOnly && !sweepOnly) {
    // Networks for the prediction latency: the article's, the quick-draw one, deep, and wide.
    const nets = ['layers=32', 'layers=128&act=relu&pre=scaled', 'layers=512,512,512', 'layers=2048'];
    for (const net of nets) {
      const app = await browser.newPage();
      await app.goto(`http://127.0.0.1:4183/?${net}&subset=600&epochs=1&seed=1`);
      await app.getByTestId('train-button').click();
      await app.waitForFunction(
        () => document.querySelector('[data-testid=run-status]')?.textContent === 'done',
        null,
        { timeout: 600_000 },
      );
      await app.waitForFunction(() => document.querySelector('[data-testid=model-in-use]') !== null, null, {
        timeout: 60_000,
      });
      const ink = await app.evaluate(`(${drawnZero})()`);
      const r = await app.evaluate(
        async ([ink, n]) => {
          await window.mlpLab.timePredictions(ink, 280, 280, 20); // warm-up: shaders, model upload
          return window.mlpLab.timePredictions(ink, 280, 280, n);
        },
        [ink, predictions],
      );
      const sorted = [...r.ms].sort((a, b) => a - b);
      const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
      const backend = (await app.getByTestId('backend-name').textContent()) ?? '?';
      predictRows.push({
        net,
        backend,
        median: q(0.5),
        p95: q(0.95),
        max: sorted[sorted.length - 1],
        n: sorted.length,
        tensors: r.tensors,
      });
      console.error(`  predict ${net} on ${backend}: median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms`);
      await app.close();
    }
  }
} finally {
  await browser.close();
  await new Promise((resolve) => server.httpServer.close(resolve));
}

if (runRows.length > 0) {
  console.log(
    '\nFive runs in a row in one worker: [32], full MNIST, 1 epoch, seed 1, a different validation split each (WebGL)\n',
  );
  console.log(
    '| validation split | Train → first batch ms | Train → done ms | worker tensors (bytes) before / after | device memory after |',
  );
  console.log('| ---: | ---: | ---: | --- | --- |');
  for (const r of runRows) console.log(`| ${r.val} | ${r.started} | ${r.total} | ${r.tensors} | ${r.memory} |`);
}
if (sweepRows.length > 0) {
  console.log(
    `\nSweep: K networks of one hidden layer trained at once, each in a worker of its own, or in groups (K / 2 networks in one step in each of two workers) (the article's setup on all 60,000 images, ${sweepEpochs} epoch${sweepEpochs === 1 ? '' : 's'} each and its test, seeds 1..K, WASM)\n`,
  );
  console.log(
    '| hidden layers | K | workers × networks each | WASM threads each | wall s | s per worker | article runs (5 epochs) per minute | test acc, mean |',
  );
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of sweepRows) {
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const perMinute = ((r.k * (sweepEpochs / 5)) / r.wallSeconds) * 60;
    console.log(
      `| [${r.width}] | ${r.k} | ${r.seconds.length} × ${r.group ?? 1}${(r.group ?? 1) > 1 ? ' in one step' : ''} | ${r.threads} | ${r.wallSeconds.toFixed(1)} | ${mean(r.seconds).toFixed(1)} | ${perMinute.toFixed(1)} | ${mean(r.testAcc).toFixed(4)} |`,
    );
  }
  console.log(`\nBackends: ${[...new Set(sweepRows.map((r) => r.backend))].join(' / ')}`);
}
if (firstPredictions.length > 0) {
  console.log('\nThe first five predictions of a drawn digit after a run (600 images, 1 epoch), ms each\n');
  console.log('| network | 1st | 2nd | 3rd | 4th | 5th |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of firstPredictions) console.log(`| ${r.net} | ${r.ms.map((m) => m.toFixed(1)).join(' | ')} |`);
}
if (predictRows.length > 0) {
  console.log(
    `\nms per prediction of a drawn digit (280x280 ink -> MNIST preprocessing -> worker forward pass -> page), ${predictions} in a row after 20 warm-up\n`,
  );
  console.log('| network | backend | median ms | p95 ms | max ms | worker tensors first/last |');
  console.log('| --- | --- | ---: | ---: | ---: | --- |');
  for (const r of predictRows) {
    console.log(
      `| ${r.net} | ${r.backend} | ${r.median.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.max.toFixed(2)} | ${r.tensors.before} / ${r.tensors.after} |`,
    );
  }
}
if (rows.length === 0) process.exit(0);

const ua =
  'headless Chromium (Debian), batch 128, sigmoid hidden layers, SGD 0.01, MNIST images; ' +
  `median of ${rounds} rounds of ${batches} batches, lab and fit alternating after a warm-up`;
console.log(`\nms per training batch: this lab's loop vs TensorFlow.js model.fit\n${ua}\n`);
console.log(
  '| hidden layers | backend | lab ms/batch | with live measurements | overhead | model.fit ms/batch | ratio (lab / fit) | loss diff fast path vs tf ops |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const live = Number.isFinite(r.liveMsPerBatch) ? r.liveMsPerBatch.toFixed(1) : '–';
  const overhead = Number.isFinite(r.liveMsPerBatch)
    ? `${(((r.liveMsPerBatch - r.labMsPerBatch) / r.labMsPerBatch) * 100).toFixed(1)} %`
    : '–';
  console.log(
    `| [${r.widths.join(', ')}] | ${r.backend} | ${r.labMsPerBatch.toFixed(1)} | ${live} | ${overhead} | ${r.fitMsPerBatch.toFixed(1)} | ${(r.labMsPerBatch / r.fitMsPerBatch).toFixed(2)} | ${r.lossDiff.toExponential(1)} |`,
  );
}
/** Floating-point operations of one training step of [784, ...widths, 10] at batch 128: x·W, xᵀ·dz and (but the first layer) dz·Wᵀ. */
const stepFlops = (widths) => {
  const dims = [784, ...widths, 10];
  let f = 0;
  for (let i = 0; i + 1 < dims.length; i++) f += 2 * 128 * dims[i] * dims[i + 1] * (i === 0 ? 2 : 3);
  return f;
};
console.log(
  '\nGFLOP/s of the products of a step (x·W, xᵀ·dz and dz·Wᵀ; 784 input columns, without the compaction that skips unused ones)\n',
);
console.log('| hidden layers | backend | MFLOP per batch | lab GFLOP/s | model.fit GFLOP/s |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const r of rows) {
  const f = stepFlops(r.widths);
  console.log(
    `| [${r.widths.join(', ')}] | ${r.backend} | ${(f / 1e6).toFixed(0)} | ${(f / r.labMsPerBatch / 1e6).toFixed(1)} | ${(f / r.fitMsPerBatch / 1e6).toFixed(1)} |`,
  );
}
console.log('\nEach product of a step timed alone (10 in a row, the weights updated before each), ms and GFLOP/s\n');
console.log('| hidden layers | backend | product | ms | GFLOP/s |');
console.log('| --- | --- | --- | ---: | ---: |');
for (const r of rows)
  for (const p of r.products)
    console.log(
      `| [${r.widths.join(', ')}] | ${r.backend} | ${p.name} | ${p.ms.toFixed(2)} | ${p.gflops.toFixed(1)} |`,
    );
if (rows.some((r) => r.kernels.length > 0)) {
  console.log(
    "\nWhere the lab's step spends its time, kernel by kernel (tf.profile over one round of 2 epochs, per batch; kernels only, not the ops that wrap them; not on WebGL, whose programs run later on the GPU)\n",
  );
  console.log('| hidden layers | backend | kernel | ms per batch | calls per batch |');
  console.log('| --- | --- | --- | ---: | ---: |');
  for (const r of rows)
    for (const k of r.kernels.filter((k) => !k.kernel.endsWith('__op')).slice(0, 12))
      console.log(
        `| [${r.widths.join(', ')}] | ${r.backend} | ${k.kernel} | ${k.msPerBatch.toFixed(2)} | ${k.callsPerBatch.toFixed(1)} |`,
      );
}
console.log('\nBackends: ' + [...new Set(rows.map((r) => `${r.backend}: ${r.backendReason}`))].join(' / '));
console.log(
  `\nWith live measurements: the loop as the page runs it while it shows a run (${opt('parts', 'health,probe,tiles')}): layer health every 40 batches and at least 500 ms apart (and at the first read-back and each epoch end), the first layer's weights every 2 s and at the end, a drawn digit classified at most every 250 ms.`,
);
