import { expect, test } from '@playwright/test';
import { waitForStatus } from './helpers';

test.use({ serviceWorkers: 'allow' });

test('issue 13: after one visit and a short run the lab says it is available offline; offline, the page reloads and a run on the cached data finishes', async ({
  page,
  context,
}) => {
  const url = '/?layers=32&act=relu&pre=scaled&opt=adam&epochs=1&subset=6000&seed=11&backend=wasm';
  await page.goto(url);
  const status = page.getByTestId('offline-status');
  await expect(status).toHaveText('Available offline');
  await expect(status).toHaveAttribute('data-readiness', 'ready');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  const first = await page.getByTestId('test-accuracy').textContent();

  await context.setOffline(true);
  await page.reload();
  await expect(status).toHaveText('Offline: the lab runs from this browser’s copy');
  // The page came from the service worker, and the run before is still listed.
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  // A different seed, so that this is a new run, on the data kept from the first.
  await page.goto(url.replace('seed=11', 'seed=12'));
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  const second = Number(await page.getByTestId('test-accuracy').textContent());
  expect(second).toBeGreaterThan(0.7);
  // Still cross-origin isolated (the kept responses carry COOP/COEP), so WASM keeps its threads.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(first).not.toBeNull();
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await context.setOffline(false);
});

test('the offline test above is not vacuous: without the service worker, an offline reload gets no page', async ({
  browser,
}) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto('/');
  await context.setOffline(true);
  await expect(page.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  await context.close();
});
