import { expect, test } from '@playwright/test';
import { waitForStatus } from './helpers';

// A browser without WebGL: the worker falls back to WebAssembly and says so.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--disable-software-rasterizer'],
  },
});

test('without WebGL the run falls back to WASM and shows why', async ({ page }) => {
  await page.goto('/?layers=16&subset=1000&epochs=1&seed=2');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  // Said plainly beside the progress, and in full under the technical details.
  // The preview server sends no isolation headers: one thread, and the page says why.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('backend-plain')).toHaveText('WebAssembly (CPU, 1 thread), because webgl could not start in this browser');
  await page.getByText('Technical details').click();
  await expect(page.getByText(/because webgl could not start in this browser/).last()).toBeVisible();
  await expect(page.getByText(/1 thread: the page is not cross-origin isolated/).last()).toBeVisible();
  expect(Number(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(0.1);
});

test('backend=cpu in the URL trains on the CPU backend', async ({ page }) => {
  await page.goto('/?layers=8&subset=600&epochs=1&backend=cpu');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('backend-name')).toHaveText('cpu');
});

