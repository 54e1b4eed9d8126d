import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { waitForStatus, workerTensors } from './helpers';

async function download(page: Page, name: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  return readFile(await file.path());
}

test('a link opens the depth experiment; its queue runs in quick mode, can be cancelled mid-run and resumed, and the results sit beside the article', async ({
  page,
}) => {
  await page.goto('/?experiment=depth');
  await expect(page.getByRole('radio', { name: /2\. Depth/ })).toBeChecked();
  await page.getByLabel(/quick: train on 6,000/).check();
  const run = page.getByTestId('experiment-run');
  await expect(run).toHaveText('Run experiment 2: 4 runs to train');
  await run.click();
  const queue = page.getByTestId('queue-status');
  await expect(queue).toContainText('Training 32 sigmoid, seed 1');

  // Cancel during the second run: it stops at once, without leaking tensors.
  await expect(queue).toContainText('Training 2×32 sigmoid, seed 1', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(queue).toHaveAttribute('data-status', 'cancelled');
  await waitForStatus(page, ['stopped']);
  const [before, after] = await workerTensors(page);
  expect(after).toBe(before);

  // Resume without a reload: the cancelled run runs again, then the rest.
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(queue).toContainText('Training 2×32 sigmoid, seed 1');
  await expect(queue).toContainText('1 of 4 finished');
  await expect(queue).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(queue).toContainText('Experiment 2 finished: 4 runs');
  const [b2, a2] = await workerTensors(page);
  expect(a2).toBe(b2);

  // One finished run per config, the article's numbers beside them, and the depth pattern.
  const rows = page.getByTestId('experiment-results').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId('result-article')).toHaveText(['0.888', '0.767', '0.438', '0.114']);
  const means = (await page.getByTestId('result-mean').allTextContents()).map(Number);
  expect(means.every((m) => m > 0 && m < 1)).toBe(true);
  expect(means[0]).toBeGreaterThan(means[3] as number);
  await expect(page.getByTestId('experiment-chart').locator('.recharts-line')).toHaveCount(2);
  // Every run is in the history too: 4 finished, 1 stopped by the cancel.
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(5);
  await expect(page.getByTestId('run-status-cell').filter({ hasText: 'stopped' })).toHaveCount(1);
  await page.getByTestId('tab-experiments').click();

  // The results and the chart as files.
  const csv = (await download(page, 'Results CSV')).toString('utf8').trim().split('\r\n');
  expect(csv).toHaveLength(5);
  expect(csv[0]).toContain('test_acc_mean');
  expect(csv.slice(1).map((l) => l.split(',')[1])).toEqual(['32', '2×32', '3×32', '4×32']);
  const json = JSON.parse((await download(page, 'Results JSON')).toString('utf8')) as {
    format: string;
    mode: string;
    results: { runs: number }[];
  };
  expect([json.format, json.mode, json.results.map((r) => r.runs)]).toEqual([
    'mlp-lab-experiment',
    'quick',
    [1, 1, 1, 1],
  ]);
  const svg = (await download(page, 'Chart SVG')).toString('utf8');
  expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('recharts-line');
  const png = await download(page, 'Chart PNG');
  expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  expect(png.length).toBeGreaterThan(5000);

  // Restart trains nothing again: every run of the plan is in the history, same setup and seed.
  await page.getByRole('button', { name: 'Restart' }).click();
  await expect(queue).toContainText('Experiment 2: all 4 runs were already in the history');
  // A second seed per config: only the new seeds train; Stop pauses the queue.
  await page.getByLabel(/repeats per config/).fill('2');
  await expect(run).toHaveText('Run experiment 2: 4 runs to train');
  await expect(page.getByTestId('experiment-reuse')).toContainText('4 of its 8 runs are already in the history');
  await run.click();
  // A quick run can end between two polls, so any of the second seeds' runs will do.
  await expect(queue).toContainText(/Training (\d×)?32 sigmoid, seed 2/);
  await expect(queue).toContainText('4 more reused from the history');
  // The status line says what was reused; the run line's "already in the history" would count the
  // queue's own runs as they finish, so it is gone while the queue runs or waits.
  await expect(page.getByTestId('experiment-reuse')).toBeHidden();
  await page.getByTestId('stop-button').click();
  await expect(queue).toHaveAttribute('data-status', 'paused');
  // A run that ends as the stop arrives is counted: read the count and the rest from one text.
  await expect
    .poll(async () => {
      const text = (await queue.textContent()) ?? '';
      const m =
        /Paused with (\d) of 4 runs finished \(4 more reused from the history[^)]*\); resume trains (.+?)\./.exec(text);
      const k = Number(m?.[1]);
      return m !== null && k < 4 && m[2] === (k === 3 ? 'the last one' : `the other ${4 - k}`);
    })
    .toBe(true);
  await expect(page.getByTestId('experiment-reuse')).toBeHidden();
});

test('Fashion-MNIST trains on the lab’s own split and shows class names', async ({ page }) => {
  await page.goto('/?data=fashion&layers=64&act=relu&pre=scaled&opt=adam&lr=0.001&subset=6000&epochs=2&seed=1');
  await expect(page.getByTestId('dataset')).toHaveValue('fashion');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByText('Trained on 5,400 images, validated on 600')).toBeVisible();
  const acc = Number(await page.getByTestId('test-accuracy').textContent());
  // Ten classes: chance is 0.1; a small network gets well past it in two epochs.
  expect(acc).toBeGreaterThan(0.6);
  await expect(page.getByTestId('fashion-draw-note')).toContainText('one of its ten garments');
  await page.getByTestId('tab-inside').click();
  await expect(page.getByTestId('confusion-matrix')).toContainText('Ankle boot');
  await page.getByTestId('tab-images').click();
  await page.getByTestId('gallery-new').click();
  // The gallery fills once the worker has sent the images: wait for them before reading.
  await expect(page.locator('.gallery-label')).toHaveCount(24);
  const labels = await page.locator('.gallery-label').allTextContents();
  expect(labels).toHaveLength(24);
  const names = [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ];
  expect(labels.every((l) => names.includes(l))).toBe(true);
});

test('experiment 9 sets each published result beside the lab’s closest recipe and says what differs', async ({
  page,
}) => {
  await page.goto('/?experiment=history');
  await expect(page.getByRole('radio', { name: /9\. The MLP on MNIST, 1998–2014/ })).toBeChecked();
  // Not the article's setup: each row has its own recipe, and variants do not apply.
  const setup = page.getByTestId('experiment-setup');
  await expect(setup).toContainText('Every run: its row’s network and recipe');
  await expect(setup).toContainText('800, affine distortions (10 epochs); 800, elastic distortions (10 epochs);');
  await expect(setup).not.toContainText('article');
  await expect(page.getByText('so they take none')).toBeVisible();
  await expect(page.locator('.variant-picker')).toHaveCount(0);
  await page.getByLabel('repeats per config (seeds 1, 2, …)').fill('2');
  await expect(page.getByTestId('experiment-run')).toHaveText('Run experiment 9: 24 runs to train');

  const table = page.getByTestId('experiment-results');
  await expect(table.locator('thead')).toContainText('published');
  await expect(table.locator('thead')).not.toContainText('Keras');
  await expect(table.locator('tbody tr[data-key]')).toHaveCount(12);
  const simard = table.locator('tr[data-key="simard800-elastic"]');
  await expect(simard).toContainText('800, elastic distortions');
  await expect(simard).toContainText('Simard et al. 2003');
  await expect(simard.getByTestId('result-article')).toContainText('0.9930');
  await expect(simard.getByTestId('result-article')).toContainText('0.70 % error');
  // Under each row, on a line of its own: what differs from the paper's recipe.
  await expect(table.locator('tr[data-differs="simard800-elastic"]')).toContainText(
    'What differs from the paper: Adam, not plain SGD',
  );
  await expect(table.locator('tr[data-differs="simard800-elastic"]')).toContainText(
    'elastic field (α 34, σ 4) on 28×28 images',
  );
  // The last row is the lab's own best recipe: nothing published to set it against.
  const best = table.locator('tbody tr[data-key]').last();
  await expect(best).toHaveAttribute('data-key', 'best');
  await expect(best.getByTestId('result-article')).toHaveText('–');

  // Its Keras script carries every row's recipe (the squared error, elastic distortions, max-norm).
  const script = (await download(page, 'Keras script')).toString();
  expect(script).toContain('Experiment 9: The MLP on MNIST, 1998–2014: MLP Lab runs as a Keras 3 script.');
  for (const q of ['loss=mse', 'aug=elastic', 'maxnorm=2', 'sched=onecycle']) expect(script).toContain(q);
});
