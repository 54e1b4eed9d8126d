import { expect, test } from '@playwright/test';
import { DIGITS, drawStrokes } from './drawing';
import { waitForStatus } from './helpers';

test('before any run the draw panel offers a quick training run, which loads its network and starts', async ({
  page,
}) => {
  await page.goto('/?layers=32&seed=5');
  const quick = page.getByTestId('quick-train');
  await expect(quick).toBeVisible();
  await expect(page.getByTestId('prediction')).toHaveText('');
  // Drawing without a model shows the preprocessed image but predicts nothing, and breaks nothing.
  await drawStrokes(page, DIGITS['1'] ?? []);
  await expect(page.locator('canvas[data-testid=digit-preview]')).toBeVisible();
  await expect(page.getByTestId('prediction')).toHaveText('');
  await quick.click();
  await expect(page).toHaveURL(/layers=128&act=relu&epochs=3&batch=128&lr=0.001&opt=adam&val=0.1&pre=scaled&seed=5/);
  // The focus follows the run to Stop (the quick-run button went away).
  await expect(page.getByTestId('stop-button')).toBeFocused();
  // It says that it replaced the network in the controls, and offers to put it back.
  await expect(page.getByTestId('undo-bar')).toContainText('quick-draw network');
  await waitForStatus(page, ['loading', 'training']);
  await page.getByTestId('stop-button').click();
  await waitForStatus(page, ['stopped']);
  await page.getByTestId('undo').click();
  await expect(page).toHaveURL(/layers=32&act=sigmoid/);
  await expect(page.getByTestId('param-total')).toHaveText('25,450');
});

test('after a short run, digits drawn with the mouse are read correctly, and the look inside shows the trained model', async ({
  page,
}) => {
  // One epoch of a network that reads drawings well: about 95 % on the test set.
  await page.goto('/?layers=128&act=relu&pre=scaled&opt=adam&lr=0.001&epochs=1&seed=1');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('model-in-use')).toContainText('128 relu');
  const testAcc = Number(await page.getByTestId('test-accuracy').textContent());

  for (const [digit, strokes] of Object.entries(DIGITS)) {
    await drawStrokes(page, strokes);
    await expect(page.getByTestId('prediction'), `drawn ${digit}`).toHaveText(digit);
    // The network's input is a real 28x28 image with ink around the centre.
    const ink = await page.locator('canvas[data-testid=digit-preview]').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')?.getImageData(0, 0, 28, 28).data ?? new Uint8ClampedArray();
      let sum = 0;
      let sx = 0;
      let sy = 0;
      for (let i = 0; i < 784; i++) {
        const v = d[i * 4] ?? 0;
        sum += v;
        sx += v * ((i % 28) + 0.5);
        sy += v * (Math.floor(i / 28) + 0.5);
      }
      return { sum, cx: sx / sum, cy: sy / sum };
    });
    expect(ink.sum).toBeGreaterThan(0);
    expect(Math.abs(ink.cx - 14)).toBeLessThanOrEqual(1);
    expect(Math.abs(ink.cy - 14)).toBeLessThanOrEqual(1);
    await page.getByTestId('clear-canvas').click();
    await expect(page.getByTestId('prediction')).toHaveText('');
  }

  // Activations of the drawn digit: one strip for the one hidden layer.
  await drawStrokes(page, DIGITS['0'] ?? []);
  await page.getByTestId('tab-inside').click();
  await expect(page.getByTestId('activation-strips').getByRole('listitem')).toHaveCount(1);
  await expect(page.getByTestId('activation-strips')).toContainText('Layer 1 (128 relu)');

  // 100 predictions in the worker leave its tensor count where it was.
  const timed = await page.evaluate(async () => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid=digit-canvas]');
    const data = c?.getContext('2d')?.getImageData(0, 0, 280, 280).data ?? new Uint8ClampedArray();
    const ink = Array.from({ length: 280 * 280 }, (_, i) => (data[i * 4 + 3] ?? 0) / 255);
    const lab = (
      window as unknown as {
        mlpLab: {
          timePredictions(
            ink: number[],
            w: number,
            h: number,
            n: number,
          ): Promise<{ ms: number[]; tensors: { before: number; after: number } }>;
        };
      }
    ).mlpLab;
    return lab.timePredictions(ink, 280, 280, 100);
  });
  expect(timed.ms).toHaveLength(100);
  expect(timed.tensors.after).toBe(timed.tensors.before);

  // Weight tiles: 64 of the 128 first-layer units, drawn from real (not all-equal) weights.
  const tiles = page.getByTestId('weight-tiles');
  await expect(tiles).toHaveAttribute('data-tiles', '64');
  const distinct = await tiles.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')?.getImageData(0, 0, 28, 28).data ?? new Uint8ClampedArray();
    return new Set(Array.from({ length: 784 }, (_, i) => `${d[i * 4]},${d[i * 4 + 2]}`)).size;
  });
  expect(distinct).toBeGreaterThan(50);

  // The confusion matrix covers the 10,000 test images and agrees with the test accuracy.
  const matrix = page.getByTestId('confusion-matrix');
  const cells = await matrix
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => Number(td.textContent))));
  expect(cells.flat().reduce((a, b) => a + b, 0)).toBe(10000);
  const correct = cells.reduce((s, row, i) => s + (row[i] ?? 0), 0);
  expect(correct / 10000).toBeCloseTo(testAcc, 4);

  // Clicking a cell filters the misclassified gallery to that true and predicted label.
  const biggest = cells
    .flatMap((row, t) => row.map((n, p) => ({ n, t, p })))
    .filter((c) => c.t !== c.p)
    .sort((a, b) => b.n - a.n)[0];
  if (!biggest) throw new Error('no mistakes at all');
  await page.getByTestId(`confusion-cell-${biggest.t}-${biggest.p}`).click();
  await expect(page.getByTestId('mistakes-count')).toContainText(`${biggest.n} image`);
  const shown = page.getByTestId('mistake');
  await expect(shown).toHaveCount(Math.min(40, biggest.n));
  const pairs = await shown.evaluateAll((els) =>
    els.map((e) => `${e.getAttribute('data-label')}>${e.getAttribute('data-pred')}`),
  );
  expect(new Set(pairs)).toEqual(new Set([`${biggest.t}>${biggest.p}`]));
});
