import { expect, test } from '@playwright/test';
import { waitForStatus } from './helpers';

test('a lost WebGL context ends the run with a message, keeps the finished epochs, and the next run works', async ({
  page,
}) => {
  await page.goto('/?layers=32&subset=12000&epochs=4&seed=4&backend=webgl');
  await page.getByTestId('train-button').click();
  // At least one finished epoch (the next may follow before the assertion polls again).
  await expect
    .poll(() => page.getByTestId('history-table').locator('tbody tr').count(), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(1);
  await page.evaluate(() => (window as unknown as { mlpLab: { loseWebGLContext(): void } }).mlpLab.loseWebGLContext());
  await waitForStatus(page, ['error'], 30_000);
  await expect(page.getByTestId('error-message')).toContainText('The GPU context (WebGL) was lost');
  expect(await page.getByTestId('history-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
  // A fresh worker and GPU context: the same run now finishes.
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('history-table').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('error-message')).toHaveCount(0);
});

test('a WebGL context lost while idle: drawings are still read, and one press of Train trains (issue 10)', async ({
  page,
}) => {
  await page.goto('/?layers=64&act=relu&pre=scaled&opt=adam&lr=0.001&subset=6000&epochs=1&seed=2&backend=webgl');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  // A test image goes through the network; its prediction is shown.
  await page.getByTestId('random-test-image').click();
  await expect(page.getByTestId('prediction')).toHaveText(/^\d$/);
  const before = await page.getByTestId('probabilities').locator('.prob-value').allTextContents();
  await page.evaluate(() => (window as unknown as { mlpLab: { loseWebGLContext(): void } }).mlpLab.loseWebGLContext());
  // The next image is read by a fresh worker: a digit and ten probabilities that add up to 1.
  await page.getByTestId('random-test-image').click();
  await expect(page.getByTestId('prediction')).toHaveText(/^\d$/, { timeout: 30_000 });
  await expect(page.getByTestId('probabilities').locator('.prob-value')).not.toHaveText(before);
  const probs = (await page.getByTestId('probabilities').locator('.prob-value').allTextContents()).map(Number);
  expect(Math.abs(probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(0.02);
  await expect(page.getByText(/Could not predict/)).toHaveCount(0);
  // And Train works at the first press.
  await page.evaluate(() => (window as unknown as { mlpLab: { loseWebGLContext(): void } }).mlpLab.loseWebGLContext());
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done', 'error']);
  await expect(page.getByTestId('run-status')).toHaveText('done');
});
