import { expect, test } from '@playwright/test';
import { waitForStatus } from './helpers';

// Issue 25, item 1: a guided start in the page. It appears on a first visit with the control its
// step needs highlighted, moves on when a run shows the step done, stays closed once closed (also
// after a reload), comes back from "Start here", and a teacher can link to a step.

test('the guide: first visit, a step done by a run, closed for good, Start here, ?guide=2', async ({ page }) => {
  await page.goto('/?subset=600&epochs=1&backend=cpu');
  const guide = page.getByTestId('guide');
  await expect(guide).toHaveAttribute('data-step', '1');
  await expect(guide).toContainText('Step 1 of 4: Train the article’s network');
  await expect(page.getByTestId('train-button')).toHaveClass(/guide-target/);
  await expect(guide).toBeInViewport();

  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(guide).toHaveAttribute('data-step', '2');
  await expect(page.getByTestId('add-layer')).toHaveClass(/guide-target/);
  await expect(page.getByTestId('train-button')).not.toHaveClass(/guide-target/);

  await guide.getByRole('button', { name: 'Close the guide' }).click();
  await expect(guide).toHaveCount(0);
  await expect(page.locator('.guide-target')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('train-button')).toBeVisible();
  await expect(guide).toHaveCount(0);

  await page.getByTestId('start-here').click();
  await expect(guide).toHaveAttribute('data-step', '1');
  await expect(page.getByTestId('start-here')).toHaveCount(0); // offered only while the guide is closed

  // A teacher's link to step 2 opens it, in a browser that closed the guide.
  await guide.getByRole('button', { name: 'Close the guide' }).click();
  await page.goto('/?guide=2');
  await expect(guide).toHaveAttribute('data-step', '2');
  await expect(guide).toContainText('Add layers until it breaks');
});
