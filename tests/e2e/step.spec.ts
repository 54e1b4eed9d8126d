import { expect, test, type Page } from '@playwright/test';
import { DIGITS, drawStrokes } from './drawing';
import { epochRows, waitForStatus } from './helpers';

// Issue 25, item 8: Step trains exactly one batch and shows it; a unit's sum is written out and
// gives the output its strip shows. 143 images leave 128 to train on (10 % validate): one batch.
const ONE_BATCH = '/?layers=16&subset=143&epochs=1&seed=3&backend=cpu';

type Lab = { mlpLab: { stepProbs(): number[]; drawnProbs(): number[] } };

async function step(page: Page, n: number) {
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('step-summary')).toContainText(`Step ${n}:`, { timeout: 60_000 });
}

test('Step trains exactly one batch: its loss and the weights after it are a one-batch run', async ({ page }) => {
  await page.goto(ONE_BATCH);
  await drawStrokes(page, DIGITS['3'] ?? []);
  await page.getByRole('tab', { name: 'One step' }).click();
  await step(page, 1);
  await expect(page.getByTestId('step-summary')).toContainText('epoch 1, batch 1 of 1 (128 images)');
  await expect(page.getByTestId('step-view')).toContainText('The image: your drawing.');
  const stepLoss = await page.getByTestId('step-loss').textContent();
  const stepProbs = await page.evaluate(() => (window as unknown as Lab).mlpLab.stepProbs());
  expect(stepProbs).toHaveLength(10);

  // The same network trained by a run of one batch: the epoch's loss is the batch's, and the model
  // it leaves reads the drawing as the stepped network does (the same weights).
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await page.getByRole('tab', { name: 'Epochs' }).click();
  await expect(page.getByTestId('history-table').locator('tbody tr')).toHaveCount(1);
  const [row] = await epochRows(page);
  expect(row?.[1]).toBe(stepLoss);
  await expect.poll(() => page.evaluate(() => (window as unknown as Lab).mlpLab.drawnProbs().length)).toBe(10);
  const runProbs = await page.evaluate(() => (window as unknown as Lab).mlpLab.drawnProbs());
  runProbs.forEach((p, i) => expect(p).toBeCloseTo(stepProbs[i] ?? NaN, 6));

  // A second press steps again, from where the first left off (the run did not change it: the
  // worker made the stepped network afresh when the run started, so this is step 1 again).
  await page.getByRole('tab', { name: 'One step' }).click();
  await step(page, 1);
  expect(await page.getByTestId('step-loss').textContent()).toBe(stepLoss);
  await step(page, 2);
  await expect(page.getByTestId('step-summary')).toContainText('epoch 2, batch 1 of 1');
  expect(await page.getByTestId('step-loss').textContent()).not.toBe(stepLoss);
});

/** The numbers of the unit detail: the terms, the rest, the bias, z and the output. */
async function unitNumbers(page: Page) {
  const detail = page.getByTestId('unit-detail');
  await expect(detail.getByTestId('unit-z')).toBeVisible();
  const num = async (id: string) => Number(await detail.getByTestId(id).textContent());
  const terms = (await detail.getByTestId('dot-term-product').allTextContents()).map(Number);
  return {
    terms,
    rest: await num('dot-rest'),
    bias: await num('dot-bias'),
    z: await num('unit-z'),
    out: await num('unit-output'),
  };
}

test("a unit's sum, written out, gives the output its strip shows", async ({ page }) => {
  await page.goto('/?layers=16,8&pre=scaled&lr=0.5&seed=4&backend=cpu');
  await page.getByRole('tab', { name: 'One step' }).click();
  await step(page, 1);
  await step(page, 2);
  await expect(page.getByTestId('step-view')).toContainText('The image: test image 1 (a 7)');
  const layers = page.getByTestId('step-layer');
  await expect(layers).toHaveCount(3);

  for (const [layer, unit] of [
    [0, 3],
    [1, 5],
  ] as const) {
    const bar = layers.nth(layer).getByTestId('strip-values').getByRole('button').nth(unit);
    const shown = Number(await bar.getAttribute('data-value'));
    await bar.click();
    await expect(page.getByTestId('unit-detail')).toContainText(`Layer ${layer + 1}, unit ${unit + 1}`);
    const n = await unitNumbers(page);
    // Each number is written to 4 significant digits: they add up within that rounding.
    const sum = n.terms.reduce((a, b) => a + b, 0) + n.rest + n.bias;
    expect(Math.abs(sum - n.z)).toBeLessThan(5e-3 * Math.max(1, Math.abs(n.z)) * (n.terms.length + 2));
    expect(n.out).toBeCloseTo(1 / (1 + Math.exp(-n.z)), 3);
    expect(n.out).toBe(shown);
    // The first layer's weights as a 28×28 tile; the second's as bars.
    await expect(page.getByTestId(layer === 0 ? 'unit-tile' : 'unit-weight-bars')).toBeVisible();
  }
  // An output unit: z is its logit, the value its strip shows.
  const logit = layers.nth(2).getByTestId('strip-values').getByRole('button').nth(7);
  const shown = Number(await logit.getAttribute('data-value'));
  await logit.click();
  await expect(page.getByTestId('unit-detail')).toContainText('Output, unit 8');
  const n = await unitNumbers(page);
  expect(n.out).toBe(shown);
  expect(n.z).toBe(shown);
  // A further step reads the chosen unit again, with the new weights.
  await step(page, 3);
  await expect(page.getByTestId('unit-detail')).toContainText('Output, unit 8');
  expect((await unitNumbers(page)).out).toBe(Number(await logit.getAttribute('data-value')));
});
