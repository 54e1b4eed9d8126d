import { expect, test } from '@playwright/test';
import { epochRows, waitForStatus, workerTensors } from './helpers';

// Short runs on the first images of the real MNIST training set, in real Chromium (WebGL through
// SwiftShader here): the full 60,000-image runs belong to the benchmark and the closing notes.

test('a short run trains on WebGL in the worker, fills the table live and reports test accuracy', async ({ page }) => {
  await page.goto('/?layers=32&subset=4000&epochs=3&seed=1&backend=webgl');
  await expect(page.getByTestId('param-total')).toHaveText('25,450');
  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('keras-summary')).toContainText(
    'dense_1 (Dense)              (None, 32)                25120',
  );
  await expect(page.getByTestId('keras-summary')).toContainText('Total params: 25,450');
  await page.getByTestId('tab-epochs').click();
  await expect(page.getByTestId('run-status')).toHaveText('idle');
  // Record what the page shows at every change: (status, finished epoch rows, chart points).
  await page.evaluate(() => {
    const w = window as unknown as { seen: [string, number][] };
    w.seen = [];
    const snap = () =>
      w.seen.push([
        document.querySelector('[data-testid=run-status]')?.textContent ?? '',
        document.querySelectorAll('[data-testid=history-table] tbody tr').length,
      ]);
    new MutationObserver(snap).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  // Live: epochs appeared one by one while the run was still training.
  const seen = await page.evaluate(() => (window as unknown as { seen: [string, number][] }).seen);
  for (const rows of [1, 2]) expect(seen).toContainEqual(['training', rows]);
  await expect(page.getByTestId('backend-name')).toHaveText('webgl');
  const rows = await epochRows(page);
  expect(rows).toHaveLength(3);
  const valAcc = rows.map((r) => Number(r[4]));
  expect(valAcc[2]).toBeGreaterThan(valAcc[0]!);
  const testAcc = Number(await page.getByTestId('test-accuracy').textContent());
  expect(testAcc).toBeGreaterThan(0.3); // chance is 0.1
  expect(testAcc).toBeLessThan(1);
  await expect(page.getByText('Trained on 3,600 images, validated on 400')).toBeVisible();
  const [before, after] = await workerTensors(page);
  expect(after).toBe(before);
  // The chart drew both curves: training as a line over the batches, validation as a point per epoch.
  const chart = page.getByTestId('accuracy-chart');
  await expect(chart.locator('path[data-series=training]')).toHaveCount(1);
  await expect(chart.locator('circle[data-series=validation]')).toHaveCount(3);
});

test('the same URL and seed give the same epoch table twice', async ({ page }) => {
  const url = '/?layers=16,16&subset=2000&epochs=2&seed=42';
  await page.goto(url);
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  const first = await epochRows(page);
  await page.goto(url);
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  expect(await epochRows(page)).toEqual(first);
  expect(first).toHaveLength(2);
});

test('Stop ends a run mid-epoch without leaking tensors, and a new run can start at once', async ({ page }) => {
  await page.goto('/?layers=64&subset=30000&epochs=5&seed=3');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['training']);
  await expect(page.getByText(/Epoch 1 of 5, batch \d+ of 211/)).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('stop-button').click();
  const t0 = Date.now();
  await waitForStatus(page, ['stopped'], 10_000);
  expect(Date.now() - t0).toBeLessThan(5000);
  await expect(page.getByTestId('history-table').locator('tbody tr')).toHaveCount(0);
  const [before, after] = await workerTensors(page);
  expect(after).toBe(before);
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['training'], 30_000);
  await page.getByTestId('stop-button').click();
  await waitForStatus(page, ['stopped'], 10_000);
});

test('the page stays responsive while training: the main thread is mostly idle and never blocked long', async ({
  page,
}) => {
  await page.goto('/?layers=512&subset=30000&epochs=2&seed=5');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // Seconds the page's main thread spent in tasks so far (Chromium's own count), and the wall clock.
  const busy = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return { task: metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN, at: Date.now() };
  };
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['training']);
  // Observed from the first progress on (start-up of the worker and data loading are logged by the
  // benchmark notes, not here: they compete for the two cores with SwiftShader's set-up).
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({
      type: 'longtask',
    });
  });
  const from = await busy();
  // While it trains, the page answers clicks and keys.
  await page.getByTestId('stop-button').focus();
  await expect(page.getByTestId('stop-button')).toBeFocused();
  await waitForStatus(page, ['done']);
  const to = await busy();
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const share = (to.task - from.task) / ((to.at - from.at) / 1000);
  console.log(
    `main thread while training: busy ${(share * 100).toFixed(1)} % of ${to.at - from.at} ms; long tasks ${JSON.stringify(longTasks.map(Math.round))}`,
  );
  // Training in the worker leaves the page only the charts and tables to draw: the main thread is
  // idle most of the time, and no pause is one a person notices (RAIL: 100 ms; an odd task just
  // over 50 ms happens when the machine is loaded, 52-87 ms seen on CI). Training on the main
  // thread keeps it busy throughout.
  expect(share).toBeLessThan(0.3);
  expect(Math.max(0, ...longTasks)).toBeLessThan(150);
});

test('WebGL learns exactly what the CPU backend learns, and WASM (its threads, its own product order) the same to rounding; odd layer widths included', async ({
  page,
}) => {
  // Odd widths leave padding in WebGL's packed textures; it must never leak into the weights.
  const tables: Record<string, string[][]> = {};
  for (const backend of ['webgl', 'cpu', 'wasm']) {
    await page.goto(`/?layers=33,7&pre=scaled&lr=0.5&subset=1500&epochs=2&seed=3&backend=${backend}`);
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done']);
    await expect(page.getByTestId('backend-name')).toHaveText(backend);
    tables[backend] = await epochRows(page);
  }
  expect(tables.webgl).toEqual(tables.cpu);
  // WASM sums in another order (explicit transposes, XNNPACK's blocking): the same epochs to the
  // table's last digit or one unit of it.
  const cpu = tables.cpu as string[][];
  const wasm = tables.wasm as string[][];
  expect(wasm.map((r) => r[0])).toEqual(cpu.map((r) => r[0]));
  wasm.forEach((row, i) =>
    row.slice(1).forEach((cell, j) => {
      const reference = cpu[i]?.[j + 1] ?? '';
      const unit = 10 ** -(reference.split('.')[1]?.length ?? 0);
      expect(
        Math.abs(Number(cell) - Number(reference)),
        `epoch ${i + 1}, column ${j + 2}: wasm ${cell}, cpu ${reference}`,
      ).toBeLessThanOrEqual(unit * 1.01);
    }),
  );
});
