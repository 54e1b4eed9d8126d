import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { parseCsv } from '../support/csv';
import { epochRows, storedRunCount, waitForStatus } from './helpers';

async function trainAt(page: Page, query: string): Promise<void> {
  await page.goto(`/?${query}`);
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
}

async function download(page: Page, testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFile(await file.path(), 'utf8');
}

test('two finished runs are kept across a reload, overlay in one chart, export every epoch, and load back into the controls', async ({
  page,
}) => {
  await page.goto('/?layers=16&subset=600&epochs=2&seed=1');
  await expect(page.getByTestId('epoch-estimate')).toContainText('no estimate yet');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  const firstRows = await epochRows(page);
  await expect(page.getByTestId('epoch-estimate')).toContainText(/about [\d.]+ s \((webgl|wasm)\)/);

  await trainAt(page, 'layers=16,16&act=relu&pre=scaled&lr=0.1&subset=600&epochs=3&seed=2');
  const secondRows = await epochRows(page);
  const secondTest = await page.getByTestId('test-accuracy').textContent();

  await page.reload();
  await page.getByTestId('tab-runs').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  // Newest first, with their results.
  await expect(rows.nth(0).getByTestId('run-load')).toHaveText('2×16 relu');
  await expect(rows.nth(1).getByTestId('run-load')).toHaveText('16 sigmoid');
  await expect(rows.nth(0).getByTestId('run-test-acc')).toHaveText(secondTest ?? '');
  await expect(rows.nth(0).getByTestId('run-status-cell')).toHaveText('done');

  // Overlay: one validation line and one training line per run, legend named by architecture.
  await page.getByRole('checkbox', { name: /Select run 16 sigmoid/ }).check();
  await page.getByRole('checkbox', { name: /Select run 2×16 relu/ }).check();
  const chart = page.getByTestId('compare-chart');
  await expect(chart.locator('path[data-series]')).toHaveCount(4);
  const legend = page.getByTestId('compare-legend').getByRole('listitem');
  await expect(legend).toHaveCount(2);
  await expect(legend.nth(0)).toContainText('16 sigmoid');
  await expect(legend.nth(1)).toContainText('2×16 relu');
  // Each validation line has one dot per epoch (2 + 3).
  await expect(chart.locator('circle[data-series]')).toHaveCount(5);

  // CSV: one row per epoch of each chosen run, values as shown in the epoch table.
  const csv = parseCsv(await download(page, 'export-csv'));
  const header = csv[0] ?? [];
  const col = (name: string) => header.indexOf(name);
  expect(csv).toHaveLength(1 + 2 + 3);
  const byArch = (arch: string) => csv.slice(1).filter((r) => r[col('architecture')] === arch);
  expect(byArch('16 sigmoid').map((r) => r[col('epoch')])).toEqual(['1', '2']);
  expect(byArch('2×16 relu').map((r) => r[col('epoch')])).toEqual(['1', '2', '3']);
  expect(byArch('16 sigmoid').map((r) => Number(r[col('val_acc')]).toFixed(4))).toEqual(firstRows.map((r) => r[4]));
  expect(byArch('2×16 relu').map((r) => Number(r[col('acc')]).toFixed(4))).toEqual(secondRows.map((r) => r[2]));

  // JSON: the same runs with every epoch nested, and a query string that repeats each run.
  const json = JSON.parse(await download(page, 'export-json')) as {
    format: string;
    runs: { architecture: string; query: string; epochs: { epoch: number; valAcc: number }[] }[];
  };
  expect(json.format).toBe('mlp-lab-runs');
  expect(json.runs.map((r) => [r.architecture, r.epochs.length])).toEqual([
    ['2×16 relu', 3],
    ['16 sigmoid', 2],
  ]);
  expect(json.runs[0]?.query).toContain('layers=16,16&act=relu');
  expect(json.runs[1]?.epochs.map((e) => e.valAcc.toFixed(4))).toEqual(firstRows.map((r) => r[4]));

  // Load the older run's config back: controls and URL follow.
  await rows.nth(1).getByTestId('run-load').click();
  await expect(page.getByTestId('param-total')).toHaveText('12,730');
  await expect(page).toHaveURL(/layers=16&act=sigmoid&epochs=2&.*seed=1/);
  await expect(page.getByTestId('seed')).toHaveValue('1');

  // Delete one; it stays deleted after a reload.
  await rows.nth(0).getByRole('button', { name: 'Delete run 2×16 relu' }).click();
  await expect(rows).toHaveCount(1);
  // A reload within milliseconds of the click can cut the deletion's IndexedDB transaction short
  // (CI saw it once): the test waits for the deletion to be stored, as any person does.
  await expect.poll(() => storedRunCount(page)).toBe(1);
  await page.reload();
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByTestId('run-load')).toHaveText('16 sigmoid');
});

test('a run cut short by a reload is kept as stopped, with the epochs it finished', async ({ page }) => {
  await page.goto('/?layers=32&subset=3000&epochs=60&seed=4');
  await page.getByTestId('train-button').click();
  // Epochs of this small run take a fraction of a second: wait for two or more, not exactly two.
  const epochRowsShown = page.getByTestId('history-table').locator('tbody tr');
  await expect.poll(() => epochRowsShown.count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  await page.reload();
  await page.getByTestId('tab-runs').click();
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('run-status-cell')).toHaveText('stopped');
  const epochs = await row.getByTestId('run-epochs').textContent();
  expect(epochs).toMatch(/^\d+\/60$/);
  expect(Number(epochs?.split('/')[0])).toBeGreaterThanOrEqual(1);
  // A new run can start at once.
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await page.getByTestId('stop-button').click();
  await waitForStatus(page, ['stopped']);
});

test('the gallery shows random training images with labels, another selection, and an enlarged view', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('tab-images').click();
  await page.getByTestId('gallery-new').click();
  const images = page.getByTestId('gallery-image');
  await expect(images).toHaveCount(24);
  const labels = await page.locator('.gallery-label').allTextContents();
  expect(labels.every((l) => /^[0-9]$/.test(l))).toBe(true);
  // The canvas holds a real digit: ink on a black frame.
  const ink = await images
    .first()
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')?.getImageData(0, 0, 28, 28).data ?? new Uint8ClampedArray();
      let bright = 0;
      for (let i = 0; i < d.length; i += 4) if ((d[i] ?? 0) > 128) bright++;
      return { bright, corner: d[0] };
    });
  expect(ink.corner).toBe(0);
  expect(ink.bright).toBeGreaterThan(20);
  const before = await images.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')).join('|'));
  await page.getByTestId('gallery-new').click();
  await expect
    .poll(() => images.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')).join('|')))
    .not.toBe(before);
  // Enlarge with the keyboard, close with Escape.
  await images.nth(3).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('gallery-enlarged');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('h3')).toHaveText(new RegExp(`^Label ${labels.length > 0 ? '[0-9]' : ''}`));
  expect((await dialog.locator('canvas').boundingBox())?.width).toBeGreaterThanOrEqual(200);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
