import { expect, test, type Page } from '@playwright/test';
import { storedRunCount, waitForStatus } from './helpers';

// Issue 25, item 3: the last run stays in view. After a reload the main view shows the newest
// run's curves, layer health, diagnosis and test accuracy, as they were when it ended; choosing a
// run in the runs table shows it there, labelled, with a way back to the live run.

const validationDots = (page: Page) => page.getByTestId('accuracy-chart').locator('circle[data-series="validation"]');

/** What the main view says of the run it shows (once its chart has drawn `dots` validation points). */
const mainView = async (page: Page, dots?: number) => {
  // The chart is drawn a frame or two after the rest of the view: wait for its points.
  if (dots !== undefined) await expect(validationDots(page)).toHaveCount(dots);
  return {
    headline: await page.getByTestId('test-accuracy-headline').textContent(),
    health: await page.getByTestId('health-table').textContent(),
    findings: await page.getByTestId('finding').allTextContents(),
    validation: await validationDots(page).count(),
  };
};

test('a reload keeps the last run in view, and a run chosen in the table is shown until going back', async ({
  page,
}) => {
  await page.goto('/?layers=32,32,32,32&subset=3000&epochs=2&seed=1&backend=cpu');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('finding').first()).toBeVisible();
  const ended = await mainView(page, 2);
  expect(ended.findings.length).toBeGreaterThan(0);
  await expect.poll(() => storedRunCount(page)).toBe(1);

  await page.reload();
  await expect(page.getByTestId('shown-run')).toContainText('Kept run: 4×32 sigmoid');
  await expect(page.getByTestId('finding').first()).toBeVisible();
  expect(await mainView(page, ended.validation)).toEqual(ended);
  // Nothing is training: the controls are idle, and there is no live run to go back to.
  await expect(page.getByTestId('run-status')).toHaveText(/^idle/);
  await expect(page.getByRole('button', { name: 'Back to the live run' })).toHaveCount(0);

  // A second run, then the first chosen from the runs table.
  await page.goto('/?layers=16&subset=3000&epochs=1&seed=2&backend=cpu');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('shown-run')).toHaveCount(0);
  const second = await page.getByTestId('test-accuracy-headline').textContent();
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('run-load').filter({ hasText: '4×32 sigmoid' }).click();
  await expect(page.getByTestId('shown-run')).toContainText('Kept run: 4×32 sigmoid');
  expect(await mainView(page, ended.validation)).toEqual(ended);
  await page.getByRole('button', { name: 'Back to the live run' }).click();
  await expect(page.getByTestId('shown-run')).toHaveCount(0);
  await expect(page.getByTestId('test-accuracy-headline')).toHaveText(second ?? '');
  await expect(page.getByTestId('chart-run')).toContainText('16 sigmoid');
});
