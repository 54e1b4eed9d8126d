import { expect, test, type Page } from '@playwright/test';
import { waitForStatus } from './helpers';

// Issue 10, item 20: a long history must not make the page slow. 1,000 stored runs are written
// straight into IndexedDB, as a year of use would leave them.

/** Writes `n` finished runs of assorted networks, a third of them tagged as depth-experiment runs. */
async function seedRuns(page: Page, n: number): Promise<void> {
  await page.evaluate(async (count) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('mlp-lab');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('runs', 'readwrite');
    for (let i = 0; i < count; i++) {
      const layers = Array.from({ length: 1 + (i % 4) }, () => ({
        units: [16, 32, 64, 128, 512][i % 5] as number,
        activation: i % 2 ? 'relu' : 'sigmoid',
      }));
      const widths = [784, ...layers.map((l) => l.units), 10];
      let params = 0;
      for (let k = 0; k + 1 < widths.length; k++)
        params += (widths[k] as number) * (widths[k + 1] as number) + (widths[k + 1] as number);
      const startedAt = Date.UTC(2026, 0, 1) + i * 60_000;
      tx.objectStore('runs').put({
        schema: 1,
        id: `${startedAt.toString(36).padStart(9, '0')}-${String(i).padStart(4, '0')}`,
        startedAt,
        config: {
          layers,
          epochs: 5,
          batchSize: 128,
          learningRate: 0.01,
          optimizer: 'sgd',
          validationSplit: 0.1,
          preprocessing: 'raw',
          seed: i,
          dataset: 'mnist',
          backend: 'auto',
          subset: 6000,
        },
        status: 'done',
        epochs: Array.from({ length: 5 }, (_, e) => ({
          epoch: e + 1,
          loss: 1 / (e + 1),
          acc: 0.8 + e / 100,
          valLoss: 0.5,
          valAcc: 0.85,
          seconds: 1 + (i % 7) / 10,
        })),
        testAcc: 0.85 + (i % 10) / 100,
        testLoss: 0.4,
        params,
        backend: 'webgl',
        trainCount: 5400,
        valCount: 600,
        error: null,
        tag: i % 3 === 0 ? { experiment: 'depth', key: `w32d${1 + (i % 4)}`, repeat: 1 + (i % 5), quick: true } : null,
      });
    }
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, n);
}

/** The long tasks (ms) since the last call. */
const longTasks = (page: Page) =>
  page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0));

test('item 20: with 1,000 stored runs the runs panel, Select all and a running experiment queue stay responsive', async ({
  page,
}) => {
  await page.goto('/');
  await seedRuns(page, 1000);
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => w.longTasks.push(Math.round(e.duration))),
    ).observe({ type: 'longtask' });
  });
  await page.goto('/?experiment=depth');
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await page.waitForTimeout(1000);
  await longTasks(page); // loading the page is not what this test is about

  const seen: Record<string, number[]> = {};
  const step = async (name: string, act: () => Promise<void>) => {
    await act();
    await page.waitForTimeout(400);
    seen[name] = await longTasks(page);
  };
  await step('open the runs tab', async () => {
    await page.getByTestId('tab-runs').click();
    await expect(page.getByTestId('run-row')).toHaveCount(25);
  });
  await step('select all', async () => {
    await page.getByLabel('Select all runs').check();
    await expect(page.getByTestId('compare-capped')).toContainText('first 10 of the 1000 ticked runs');
  });
  await step('unselect all', () => page.getByLabel('Select all runs').uncheck());
  await step('show more', async () => {
    await page.getByTestId('runs-show-more').click();
    await expect(page.getByTestId('run-row')).toHaveCount(50);
  });
  await step('tick one run', () => page.getByTestId('run-row').nth(30).getByRole('checkbox').check());
  await step('open the experiments tab', async () => {
    await page.getByTestId('tab-experiments').click();
    await expect(page.getByTestId('experiment-results')).toBeVisible();
    await expect(page.getByTestId('experiment-chart')).toBeVisible();
  });
  // A queue ticks its time estimate (over the whole history) at every progress message. On all
  // the images: on WASM a quick-mode run now takes about a second, and the queue would be over
  // (or be all run endings) within the 8 s.
  await page.getByLabel(/quick: train on 6,000/).uncheck();
  await page.getByTestId('experiment-run').click();
  await waitForStatus(page, ['training']);
  await longTasks(page); // the worker's start-up is measured by the training test
  await step('a queue training for 8 s', () => page.waitForTimeout(8000));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'cancelled');
  await waitForStatus(page, ['stopped', 'done']);

  console.log(`long tasks (ms) with 1,000 stored runs: ${JSON.stringify(seen)}`);
  // The experiments tab draws its recharts chart in a task of its own, 55-80 ms here with 4 runs
  // as with 1,000 (a fixed cost of the chart library, not of the history): held to 150 ms. While
  // the queue trains, a page that re-rendered the history at every progress message (four a
  // second) had a long task at each; one run ending and the next starting may take one just over
  // 50 ms on a loaded machine (seen once in a full e2e run), so a few are allowed, none over 150 ms.
  for (const [name, tasks] of Object.entries(seen)) {
    const queue = name === 'a queue training for 8 s';
    expect(
      tasks.filter((d) => d > (name === 'open the experiments tab' || queue ? 150 : 50)),
      name,
    ).toEqual([]);
    if (queue) expect(tasks.filter((d) => d > 50).length, name).toBeLessThanOrEqual(3);
  }
});
