import { expect, test } from '@playwright/test';
import { waitForStatus } from './helpers';

// Issue 10: faults a user cannot repair, injected in Chromium. Each test failed on the code before
// its fix.

const PROXY_PAGE = '<!doctype html><html><body>Please log in to the network</body></html>';

test('one bad download does not break training for good: it is never kept, and a reload trains', async ({ page }) => {
  // The network hands back a web page with HTTP 200 instead of the labels file.
  await page.route('**/data/mnist/train-labels-idx1-ubyte.gzdata', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: PROXY_PAGE }));
  await page.goto('/?layers=8&subset=500&epochs=1');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['error'], 60_000);
  await expect(page.getByTestId('error-message')).toContainText('train-labels-idx1-ubyte');
  // The network is fine again: after a reload the run trains (the bad body was not cached).
  await page.unroute('**/data/mnist/train-labels-idx1-ubyte.gzdata');
  await page.reload();
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done'], 120_000);
});

test('a kept data file that fails its checks is dropped and fetched again', async ({ page }) => {
  await page.goto('/?layers=8&subset=500&epochs=1');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done'], 120_000);
  // Spoil the kept labels file in Cache Storage, as an earlier bad download would have.
  const spoiled = await page.evaluate(async (body) => {
    const cache = await caches.open('mlp-lab-data');
    const keys = (await cache.keys()).map((r) => r.url).filter((u) => u.includes('train-labels-idx1-ubyte.gzdata?v='));
    for (const k of keys) await cache.put(k, new Response(body));
    return keys.length;
  }, PROXY_PAGE);
  expect(spoiled).toBe(1);
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.gzdata')) fetched.push(r.url());
  });
  await page.reload();
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done'], 120_000);
  // Only the spoiled file came from the network again.
  expect(fetched.map((u) => u.split('/').pop())).toEqual(['train-labels-idx1-ubyte.gzdata']);
});

test('Stop works while the data is still downloading from a stalled server', async ({ page }) => {
  // The images file never arrives.
  await page.route('**/data/mnist/train-images-idx3-ubyte.gzdata', () => undefined);
  await page.goto('/?layers=8&subset=500&epochs=1');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['loading']);
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('run-status')).toHaveText('loading');
  const t0 = Date.now();
  await page.getByTestId('stop-button').click();
  await waitForStatus(page, ['stopped'], 5_000);
  expect(Date.now() - t0).toBeLessThan(3000);
  await expect(page.getByTestId('train-button')).toBeEnabled();
});

test('a stalled manifest request does not block a start when the data is already cached', async ({ page }) => {
  await page.goto('/?layers=8&subset=500&epochs=1');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done'], 120_000);
  // Now the server stops answering altogether; the data is in the browser's cache.
  await page.route('**/data/mnist/manifest.json', () => undefined);
  await page.route('**/*.gzdata', () => undefined);
  await page.reload();
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done'], 60_000);
});

test('progress describes the run, not the controls: editing epochs mid-run changes nothing, and Fashion-MNIST says so while loading', async ({ page }) => {
  await page.goto('/?layers=16&subset=20000&epochs=3&seed=1');
  await page.getByTestId('train-button').click();
  await expect(page.getByText(/Epoch 1 of 3, batch \d+ of 141/)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('spinbutton', { name: 'epochs' }).fill('7');
  await expect(page).toHaveURL(/epochs=7/);
  await expect(page.getByText(/Epoch \d of 3, batch/)).toBeVisible();
  await expect(page.getByText(/ of 7, batch/)).toHaveCount(0);
  await page.getByTestId('stop-button').click();
  await waitForStatus(page, ['stopped']);
  // Loading Fashion-MNIST is called that, not MNIST.
  await page.route('**/data/fashion/train-images-idx3-ubyte.gzdata', () => undefined);
  await page.goto('/?data=fashion&layers=8&subset=500&epochs=1');
  await page.getByTestId('train-button').click();
  await expect(page.getByText(/Loading Fashion-MNIST/)).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('stop-button').click();
  await waitForStatus(page, ['stopped']);
});

test('copy buttons work where the page may not use the clipboard: the text is selected for Ctrl+C', async ({ page }) => {
  // Plain HTTP on a LAN address has no navigator.clipboard.
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?layers=32,16&seed=3');
  await page.getByTestId('copy-link').click();
  const link = page.getByTestId('link-text');
  await expect(link).toBeVisible();
  await expect(link).toHaveValue(/layers=32,16&.*seed=3/);
  expect(await link.evaluate((el: HTMLInputElement) => el.value.slice(el.selectionStart ?? 0, el.selectionEnd ?? 0))).toBe(await link.inputValue());
  await page.getByTestId('tab-summary').click();
  await page.getByRole('button', { name: 'Copy summary' }).click();
  await expect(page.getByText('the summary is selected, press Ctrl+C')).toBeVisible();
  expect(await page.evaluate(() => getSelection()?.toString() ?? '')).toContain('Total params: 25,818');
  expect(errors).toEqual([]);
});

test('a tab opened before a new release says so and offers a reload, instead of a worker crash on every Train', async ({ page }) => {
  await page.goto('/?layers=8&subset=500&epochs=1');
  // A new release is deployed: the old worker chunk is gone, the page names new chunks.
  await page.route('**/assets/train.worker-*.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.route(/:4173\/\?v=1&/, async (route) => {
    const html = (await (await route.fetch()).text()).replace(/main-[\w-]+\.js/, 'main-NEWRELEASE.js');
    await route.fulfill({ status: 200, contentType: 'text/html', body: html });
  });
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['error'], 30_000);
  await expect(page.getByTestId('error-message')).toContainText('a new version of the lab');
  await expect(page.getByTestId('error-message')).not.toContainText('crashed');
  // The offered reload brings the new version (here: the same one, as the routes are lifted).
  await page.unrouteAll();
  await page.getByRole('button', { name: 'Reload the page' }).click();
  await page.waitForLoadState('load');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done'], 120_000);
});
