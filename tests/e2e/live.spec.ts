import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { waitForStatus } from './helpers';

// Watching a network learn: layer health, the diagnosis, the live prediction of a drawn digit,
// the one-screen layout, the keyboard, and accessibility. Small subsets of the real MNIST images.

/** Records every distinct value of `read()` while the run status is `training`, until the run ends. */
async function recordWhileTraining(page: Page, read: string): Promise<string[]> {
  await page.evaluate((read) => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    const snap = () => {
      if (document.querySelector('[data-testid=run-status]')?.textContent !== 'training') return;
      const v = new Function(`return (${read})`)() as string;
      if (w.seen.at(-1) !== v) w.seen.push(v);
    };
    new MutationObserver(snap).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  }, read);
  await waitForStatus(page, ['done', 'stopped', 'error'], 240_000);
  return page.evaluate(() => (window as unknown as { seen: string[] }).seen);
}

test('the collapsing 4×32 sigmoid network: layer 1 shows saturated during epoch 1 and the diagnosis names it, with numbers and fixes', async ({
  page,
}) => {
  // On WebGL and 24,000 images, so that the first epoch lasts long enough to look at (on WASM an
  // epoch of 6,000 images is over in a tenth of a second).
  await page.goto('/?layers=32,32,32,32&seed=1&subset=24000&epochs=2&backend=webgl');
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-state', 'waiting');
  await page.getByTestId('train-button').click();
  // While the first epoch is still running, the health view has samples...
  const health = page.getByTestId('layer-health');
  await expect
    .poll(async () => Number(await health.getAttribute('data-samples')), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(1);
  const during = await page.evaluate(() => ({
    status: document.querySelector('[data-testid=run-status]')?.textContent,
    epochsDone: document.querySelectorAll('[data-testid=history-table] tbody tr').length,
    share: document.querySelector('[data-testid=health-share-1]')?.textContent ?? '',
    findings: document.querySelector('[data-testid=diagnosis]')?.getAttribute('data-findings') ?? '',
    text: document.querySelector('[data-testid=diagnosis]')?.textContent ?? '',
  }));
  expect(during.status).toBe('training');
  expect(during.epochsDone).toBe(0);
  // ...layer 1 is mostly saturated...
  const saturated = Number(/(\d+) % sat/.exec(during.share)?.[1]);
  expect(saturated).toBeGreaterThanOrEqual(50);
  // ...and the diagnosis says so in words, with the share the table shows (a note: an explanation).
  expect(during.findings.split(',')).toContain('saturated');
  expect(during.text).toContain(`Layer 1 is ${saturated} % saturated`);
  await expect(page.locator('[data-testid=finding][data-finding=saturated]')).toHaveAttribute('data-level', 'note');
  expect(during.text).toContain('raw pixel values 0..255');
  // The gradient reaching the early layers is a small fraction of the output layer's.
  const table = page.getByTestId('health-table');
  const grads = await table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[0]?.textContent)));
  expect(grads).toHaveLength(5);
  expect(grads[4]! / grads[1]!).toBeGreaterThan(10);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-findings', /vanishing/);
  await expect(page.getByTestId('diagnosis')).toContainText(/layer \d gets 1\/\d+ of the output layer's/);
  // The three heat maps are drawn.
  await expect(health.locator('canvas[data-metric]')).toHaveCount(3);

  await waitForStatus(page, ['done'], 240_000);
  // Near chance at the end: said large, and the chance finding offers the setup that learns well.
  await expect(page.getByTestId('test-accuracy-headline')).toHaveAttribute('data-chance', 'true');
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-findings', /^chance,/);
  // One click applies a fix to the controls, says so, and can be undone.
  await page.locator('[data-fix=relu]').click();
  await expect(page).toHaveURL(/act=relu/);
  await expect(page.getByTestId('undo-bar')).toContainText('Use ReLU');
  await page.getByTestId('undo').click();
  await expect(page).toHaveURL(/act=sigmoid/);
});

test('a healthy ReLU network with Adam trains without a single warning; at the end it is told it was still learning, in the Epochs table’s numbers', async ({
  page,
}) => {
  await page.goto('/?layers=128&act=relu&pre=scaled&opt=adam&lr=0.001&seed=1&subset=6000&epochs=2');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['training']);
  const findings = await recordWhileTraining(
    page,
    `document.querySelector('[data-testid=diagnosis]').getAttribute('data-findings')`,
  );
  expect(findings.filter((f) => f !== '')).toEqual([]);
  // Two epochs on 6,000 images: the second still adds points, and the run ended there.
  const valAcc = (await page.getByTestId('history-table').locator('tbody tr td:nth-child(5)').allTextContents()).map(
    Number,
  );
  expect(valAcc[1]! - valAcc[0]!).toBeGreaterThanOrEqual(0.02);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-findings', 'still-learning');
  const still = page.locator('[data-testid=finding][data-finding=still-learning]');
  await expect(still).toHaveAttribute('data-level', 'holds-back');
  await expect(still).toContainText(`from ${valAcc[0]!.toFixed(4)} to ${valAcc[1]!.toFixed(4)}`);
  expect(Number(await page.getByTestId('layer-health').getAttribute('data-samples'))).toBeGreaterThanOrEqual(3);
  // The live weight tiles were read back and show the first 24 of the 128 units.
  await expect(page.getByTestId('live-tiles')).toHaveAttribute('data-tiles', '24');
  // The test accuracy is shown large, as a percentage.
  await expect(page.getByTestId('test-accuracy-headline')).toContainText(/\d+\.\d %Test accuracy/);
});

test('a digit drawn before Train is read again and again while the network learns', async ({ page }) => {
  await page.goto('/?layers=64&act=relu&pre=scaled&opt=adam&lr=0.001&seed=3&subset=20000&epochs=2');
  // Draw a 1 before any model exists: it shows what the network will receive, predicts nothing yet.
  const canvas = page.getByTestId('digit-canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.85, { steps: 10 });
  await page.mouse.up();
  await expect(page.locator('canvas[data-testid=digit-preview]')).toBeVisible();
  await expect(page.getByTestId('prediction')).toHaveText('');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['training']);
  await expect(page.getByTestId('model-in-use')).toHaveAttribute('data-live', 'true');
  // The top probability, as read at each change of the page while it trains.
  const tops = await recordWhileTraining(
    page,
    `Math.max(...Array.from(document.querySelectorAll('[data-testid=probabilities] .prob-value'), (e) => Number(e.textContent) || 0)).toFixed(3)`,
  );
  const values = [...new Set(tops.filter((t) => Number(t) > 0))];
  expect(values.length).toBeGreaterThanOrEqual(2);
  // After the run, the finished model reads the same drawing as a 1.
  await expect(page.getByTestId('prediction')).toHaveText('1');
});

test('the learning loop fits one 1440×900 screen, and a phone has no sideways scroll', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?layers=32,32,32,32&seed=1');
  const inView = async (testId: string) => {
    const b = await page.getByTestId(testId).boundingBox();
    if (!b) throw new Error(`${testId} has no box`);
    return b.x >= 0 && b.y >= 0 && b.x + b.width <= 1440 && b.y + b.height <= 900;
  };
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  for (const id of [
    'layer-0-slider',
    'train-button',
    'accuracy-chart',
    'loss-chart',
    'layer-health',
    'diagnosis',
    'digit-canvas',
  ]) {
    expect(await inView(id), `${id} in the first 1440×900 viewport`).toBe(true);
  }
  // The health view keeps its place once it fills in.
  await page.goto('/?layers=32,32,32,32&seed=1&subset=3000&epochs=20');
  await page.getByTestId('train-button').click();
  await expect
    .poll(async () => Number(await page.getByTestId('layer-health').getAttribute('data-samples')), { timeout: 120_000 })
    .toBeGreaterThanOrEqual(1);
  for (const id of ['layer-0-slider', 'accuracy-chart', 'layer-health', 'digit-canvas'])
    expect(await inView(id), `${id} while training`).toBe(true);
  await page.getByTestId('stop-button').click();
  await waitForStatus(page, ['stopped']);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?layers=32,32,32,32&seed=1');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBe(0);
  // Train stays on screen at the bottom on a phone.
  const train = await page.getByTestId('train-button').boundingBox();
  expect(train && train.y + train.height <= 844).toBe(true);
  await page.getByTestId('tab-runs').click();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(
    0,
  );
});

test('keyboard: Train moves the focus to Stop, Escape stops, the focus comes back; a test image stands in for drawing', async ({
  page,
}) => {
  await page.goto('/?layers=16&seed=2&subset=30000&epochs=3');
  await page.getByTestId('train-button').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stop-button')).toBeFocused();
  await waitForStatus(page, ['training']);
  await page.keyboard.press('Escape');
  await waitForStatus(page, ['stopped'], 10_000);
  await expect(page.getByTestId('train-button')).toBeFocused();
  // In the layer-health maps, the arrows move a cursor through the samples; Escape first lets go of
  // the cursor, then stops the run like anywhere else.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stop-button')).toBeFocused();
  await expect
    .poll(async () => Number(await page.getByTestId('layer-health').getAttribute('data-samples')), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(2);
  const maps = page.getByRole('group', { name: /Layer health heat maps/ });
  await maps.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('health-table').locator('caption')).toContainText(/^Sample: epoch/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('health-table').locator('caption')).toContainText(/^Newest sample/);
  expect(await page.getByTestId('run-status').textContent()).toBe('training');
  await page.keyboard.press('Escape');
  await waitForStatus(page, ['stopped'], 10_000);
  // Without a pointer: a random test image goes to the network like a drawing.
  await page.getByTestId('random-test-image').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('test-image-label')).toContainText(/Test image \d+, labelled \d/);
  await expect(page.locator('canvas[data-testid=digit-preview]')).toBeVisible();
});

test('the setup switch sets the article’s setup or one that learns well, and says so', async ({ page }) => {
  await page.goto('/?layers=32,32&seed=1');
  await expect(page.getByTestId('setup-switch')).toHaveAttribute('data-setup', 'article');
  await page.getByTestId('setup-learns-well').click();
  await expect(page).toHaveURL(/layers=32,32&act=relu.*opt=adam.*pre=scaled/);
  await expect(page.getByTestId('setup-switch')).toHaveAttribute('data-setup', 'learns-well');
  await expect(page.getByTestId('undo-bar')).toContainText('learns well');
  await page.getByTestId('setup-article').click();
  await expect(page).toHaveURL(/act=sigmoid.*lr=0.01&opt=sgd.*pre=raw/);
});

test('axe finds no accessibility violations on the page idle and after a run', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/?layers=32,32&seed=1&subset=2000&epochs=1');
  const idle = await new AxeBuilder({ page }).analyze();
  expect(idle.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('health-table')).toBeVisible();
  const after = await new AxeBuilder({ page }).analyze();
  expect(after.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // Every tab's content too.
  for (const tab of ['runs', 'experiments', 'inside', 'summary', 'images']) {
    await page.getByTestId(`tab-${tab}`).click();
    const r = await new AxeBuilder({ page }).include('.tab-panel').analyze();
    expect(r.violations.map((v) => `${tab} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await context.close();
});
