import { expect, test } from '@playwright/test';
import { waitForStatus } from './helpers';

test('a lost WebGL context ends the run with a message, keeps the finished epochs, and the next run works', async ({ page }) => {
  await page.goto('/?layers=32&subset=12000&epochs=4&seed=4');
  await page.getByTestId('train-button').click();
  // At least one finished epoch (the next may follow before the assertion polls again).
  await expect.poll(() => page.getByTestId('history-table').locator('tbody tr').count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
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
