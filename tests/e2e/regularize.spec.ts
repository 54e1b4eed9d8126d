import { expect, test, type Page } from '@playwright/test';
import { epochRows, waitForStatus } from './helpers';

// Issue 22, L2 weight decay: a setting under Advanced with its explanation, in the link, kept
// across a reload, named with the run, printed beside the Keras summary, and trained with (the
// loss the lab reports includes λ·Σw², as Keras reports it).

/**
 * Trains `query` on WebGL, then on the CPU (after `check` on each page), and holds WebGL's epoch
 * table to the CPU's, to its last digit; returns the CPU's table.
 */
async function sameOnWebglAndCpu(page: Page, query: string, check?: () => Promise<void>): Promise<string[][]> {
  const tables: Record<string, string[][]> = {};
  for (const backend of ['webgl', 'cpu']) {
    await page.goto(`/?${query}&backend=${backend}`);
    await check?.();
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done']);
    await expect(page.getByTestId('backend-name')).toHaveText(backend);
    tables[backend] = await epochRows(page);
  }
  const cpu = tables.cpu as string[][];
  expect(tables.webgl).toHaveLength(cpu.length);
  (tables.webgl as string[][]).forEach((row, i) =>
    row.slice(1).forEach((cell, j) => {
      const reference = cpu[i]?.[j + 1] ?? '';
      const unit = 10 ** -(reference.split('.')[1]?.length ?? 0);
      expect(
        Math.abs(Number(cell) - Number(reference)),
        `${query}: epoch ${i + 1}, column ${j + 2}`,
      ).toBeLessThanOrEqual(unit * 1.01);
    }),
  );
  return cpu;
}

const RUN = '/?layers=32&pre=scaled&opt=adam&lr=0.001&subset=1000&epochs=1&seed=2&backend=cpu';

test('L2 weight decay: set it, share it, train with it, and see it in the summary', async ({ page }) => {
  await page.goto(`${RUN}&l2=0.001`);
  const field = page.getByTestId('l2');
  // A link that sets it opens Advanced, where it is explained.
  await expect(field).toBeVisible();
  await expect(field).toHaveValue('0.001');
  await expect(page.getByRole('button', { name: /L2 weight decay/ })).toBeVisible();

  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('chart-run')).toContainText('L2 0.001');
  await expect(page.getByTestId('history-table').locator('tbody tr')).toHaveCount(1);
  const withL2 = Number((await page.getByTestId('history-table').locator('tbody tr td').nth(1).textContent()) ?? NaN);
  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('summary-l2')).toContainText('keras.regularizers.L1L2(l1=0, l2=0.001)');

  // The same run without it reports a lower loss: the penalty is part of the loss (Σw² > 0).
  await page.reload();
  await expect(field).toHaveValue('0.001');
  await field.fill('0');
  await field.press('Enter');
  await expect.poll(() => page.url()).not.toContain('l2=');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await page.getByTestId('tab-epochs').click();
  await expect(page.getByTestId('history-table').locator('tbody tr')).toHaveCount(1);
  const without = Number((await page.getByTestId('history-table').locator('tbody tr td').nth(1).textContent()) ?? NaN);
  expect(withL2).toBeGreaterThan(without);
});

test('L1 weight decay and max-norm: set by a link, explained, kept across a reload, named, and trained with', async ({
  page,
}) => {
  await page.goto(`${RUN}&l1=0.0001&maxnorm=3`);
  await expect(page.getByTestId('l1')).toHaveValue('0.0001');
  await expect(page.getByTestId('maxnorm')).toHaveValue('3');
  await expect(page.getByRole('button', { name: /L1 weight decay/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /max-norm/ })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('maxnorm')).toHaveValue('3');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('chart-run')).toContainText('L1 0.0001 · max-norm 3');
  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('summary-l2')).toContainText('L1L2(l1=0.0001, l2=0)');
  await expect(page.getByTestId('summary-l2')).toContainText('MaxNorm(3)');
});

test('dropout: every layer or one, and on the input; in the link, the layer rows, the run name and the summary', async ({
  page,
}) => {
  await page.goto(
    '/?layers=32,16&pre=scaled&opt=adam&lr=0.001&subset=1000&epochs=1&seed=2&backend=cpu&dropout=0.5&indrop=0.2',
  );
  // A link that sets it opens Advanced: one rate for every layer, and the input's, each explained.
  await expect(page.getByTestId('dropout')).toHaveValue('0.5');
  await expect(page.getByTestId('indrop')).toHaveValue('0.2');
  await expect(page.getByRole('button', { name: 'What is dropout?' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'What is a layer’s dropout?' })).toBeVisible();
  await expect(page.getByRole('button', { name: /input dropout/i })).toBeVisible();
  // Each layer shows its own rate; changing one makes the link list them per layer.
  await expect(page.getByTestId('layer-0-dropout')).toHaveValue('0.5');
  const second = page.getByTestId('layer-1-dropout');
  await second.fill('0');
  await second.press('Enter');
  await expect.poll(() => page.url()).toContain('dropout=0.5,0');
  await expect(page.getByTestId('dropout')).toHaveValue('');
  await page.reload();
  await expect(page.getByTestId('layer-0-dropout')).toHaveValue('0.5');
  await expect(page.getByTestId('layer-1-dropout')).toHaveValue('0');

  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('chart-run')).toContainText('input dropout 0.2 · dropout 0.5, 0');
  // Keras's model.summary() lists Dropout as layers of their own, without parameters.
  await page.getByTestId('tab-summary').click();
  const summary = page.getByTestId('keras-summary');
  await expect(summary).toContainText(/dropout_1 \(Dropout\)\s+\(None, 784\)\s+0/);
  await expect(summary).toContainText(/dropout_2 \(Dropout\)\s+\(None, 32\)\s+0/);
  await expect(summary).not.toContainText('dropout_3');
});

test('early stopping: set by a link, trained with, the stop and the kept epoch said and marked; off takes it out', async ({
  page,
}) => {
  // 300 training images, Adam at 0.01: the network overfits within a few epochs and val_loss turns up.
  await page.goto(
    '/?layers=64&act=relu&pre=scaled&opt=adam&lr=0.01&subset=400&val=0.25&epochs=12&seed=4&backend=cpu&early=1',
  );
  await expect(page.getByTestId('early-on')).toHaveValue('val_loss');
  await expect(page.getByTestId('early')).toHaveValue('1');
  await expect(page.getByRole('button', { name: 'What is early stopping?' }).first()).toBeVisible();
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('chart-run')).toContainText('early stopping 1 (val_loss)');
  const text = page.getByTestId('early-stop');
  await expect(text).toContainText(/stopped the run after epoch (\d+)/);
  const said = (await text.textContent()) ?? '';
  const stopped = Number(/after epoch (\d+)/.exec(said)?.[1]);
  const kept = Number(/kept epoch (\d+)'s weights/.exec(said)?.[1]);
  // The table has the epochs that ran, the kept one marked; the charts mark it too.
  const rows = page.getByTestId('history-table').locator('tbody tr');
  await expect(rows).toHaveCount(stopped);
  expect(stopped).toBeLessThan(12);
  await expect(rows.nth(kept - 1)).toContainText('(kept)');
  await expect(page.getByTestId('accuracy-chart')).toContainText(`weights kept: epoch ${kept}`);
  // The live weight tiles are the last trained epoch's, and say so.
  await expect(page.getByTestId('tiles-not-kept')).toContainText(`back epoch ${kept}'s`);
  // Off: every epoch runs again, and the link says nothing of it.
  await page.getByTestId('early-on').selectOption('off');
  await expect.poll(() => page.url()).not.toContain('early=');
  await expect(page.getByTestId('early')).toHaveCount(0);
});

test('rate schedule: set by a link, drawn ahead, said while training and at each step, named; one-cycle drops the warm-up', async ({
  page,
}) => {
  // 4,500 training images: 36 batches an epoch, 108 steps; the first epoch climbs from 0.
  await page.goto(
    '/?layers=32&pre=scaled&opt=adam&lr=0.001&subset=5000&epochs=3&seed=2&backend=cpu&sched=cos&warmup=1',
  );
  await expect(page.getByTestId('sched')).toHaveValue('cos');
  await expect(page.getByTestId('warmup')).toHaveValue('1');
  await expect(page.getByRole('button', { name: 'What is the rate schedule?' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'What is warm-up?' })).toBeVisible();
  await expect(page.getByTestId('rate-sketch')).toContainText('rate over the 3 epochs: 0 → 4.76e-7, peak 0.001');
  // One step: the first warm-up step's rate is 0, the second's 1/36 of the rate.
  await page.getByRole('tab', { name: 'One step' }).click();
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('step-summary')).toContainText(
    "Step 1: epoch 1, batch 1 of 36 (128 images), on the CPU backend, at the schedule's rate 0.",
  );
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('step-summary')).toContainText("at the schedule's rate 2.78e-5.");
  await page.getByTestId('train-button').click();
  // While training, the status line gives the rate of the batch just trained.
  await expect(page.getByTestId('status-line')).toContainText(/batch \d+ of 36 · rate \d/);
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('chart-run')).toContainText('cosine decay, warm-up 1');
  await page.reload();
  await expect(page.getByTestId('sched')).toHaveValue('cos');
  // One-cycle has its own climb: no warm-up field, none in the link.
  await page.getByTestId('sched').selectOption('onecycle');
  await expect.poll(() => page.url()).toContain('sched=onecycle');
  expect(page.url()).not.toContain('warmup');
  await expect(page.getByTestId('warmup')).toHaveCount(0);
  await expect(page.getByTestId('rate-sketch')).toContainText('4e-5 → 4e-9, peak 0.001');
});

test('learning-rate finder: one click draws loss against rate, suggests a rate with its rule, and Use puts it in the link', async ({
  page,
}) => {
  await page.goto('/?layers=32&act=relu&pre=scaled&opt=adam&lr=0.001&subset=2000&epochs=1&seed=2&backend=wasm');
  await page.getByTestId('lr-finder').click();
  // The finder trains in the run's worker: Train waits for it (it first loads the images).
  await expect(page.getByTestId('train-button')).toBeDisabled();
  const suggestion = page.getByTestId('lr-suggestion');
  await expect(suggestion).toContainText(/Suggested rate \S+: where the loss .* fell fastest/, { timeout: 120_000 });
  const rate = /Suggested rate (\S+):/.exec((await suggestion.textContent()) ?? '')?.[1] ?? '';
  expect(Number(rate)).toBeGreaterThan(1e-4);
  expect(Number(rate)).toBeLessThan(0.1);
  await expect(page.getByTestId('rate-finder').locator('svg.recharts-surface')).toBeVisible();
  await page.getByTestId('lr-apply').click();
  await expect.poll(() => page.url()).toContain(`lr=${rate}`);
  await expect(page.getByText(`learning rate ${rate}`)).toBeVisible();
  await expect(page.getByTestId('lr-apply')).toHaveText('In use');
  await expect(page.getByTestId('train-button')).toBeEnabled();
});

test('mean squared error: set by a link, explained, trained with on WebGL as on the CPU, charted against its own guessing line', async ({
  page,
}) => {
  // Odd widths: the squared error's head on WebGL's packed textures, against the CPU's ops.
  const cpu = await sameOnWebglAndCpu(
    page,
    'layers=33,7&act=relu&pre=scaled&opt=adam&lr=0.003&loss=mse&subset=1000&epochs=2&seed=3',
    async () => {
      await expect(page.getByTestId('loss')).toHaveValue('mse');
      await expect(page.getByRole('button', { name: 'What is the loss function?' })).toBeVisible();
    },
  );
  await expect(page.getByTestId('chart-run')).toContainText('MSE loss');
  expect(cpu).toHaveLength(2);
  // Squared errors: at most 0.2 per image, and below guessing's 0.09 after two epochs.
  for (const row of cpu) for (const j of [1, 3]) expect(Number(row[j])).toBeLessThan(0.2);
  expect(Number(cpu[1]?.[3])).toBeLessThan(0.09);
  // The chart's axis fits the squared error (in hundredths, not cross-entropy's halves), and its
  // guessing line is at 0.09, inside it.
  const ticks = await page.getByTestId('loss-chart').locator('text.recharts-yAxis').allTextContents();
  expect(ticks.length).toBeGreaterThan(2);
  expect(ticks[1]).toMatch(/^0\.0\d$/);
  expect(Math.max(...ticks.map(Number))).toBeLessThanOrEqual(0.2);
  await expect(page.getByTestId('loss-chart').locator('.recharts-reference-line')).toHaveCount(1);
  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('summary-loss')).toContainText('loss="mean_squared_error"');
  await page.reload();
  await expect(page.getByTestId('loss')).toHaveValue('mse');
  await page.getByTestId('loss').selectOption('ce');
  await expect.poll(() => page.url()).not.toContain('loss=');
});

test('augmentation: set by a link, explained, shown on the training images, trained with on WebGL as on the CPU (affine and elastic)', async ({
  page,
}) => {
  for (const aug of ['affine', 'elastic']) {
    // WebGL's warp and the CPU's train the same network (to the table's last digit).
    const cpu = await sameOnWebglAndCpu(
      page,
      `layers=33,7&act=relu&pre=scaled&opt=adam&aug=${aug}&subset=600&epochs=1&seed=3`,
      () => expect(page.getByTestId('aug')).toHaveValue(aug),
    );
    expect(cpu).toHaveLength(1);
    await expect(page.getByTestId('chart-run')).toContainText(
      aug === 'affine' ? 'affine augmentation' : 'elastic distortions',
    );
  }
  await expect(page.getByRole('button', { name: 'What is augmentation?' })).toBeVisible();
  // The Training images tab shows each image as training distorts it, under the originals.
  await page.getByRole('tab', { name: 'Training images' }).click();
  await page.getByTestId('gallery-new').click();
  await expect(page.getByTestId('gallery-image').first()).toBeVisible();
  const shown = await page.getByTestId('gallery-image').count();
  expect(shown).toBeGreaterThan(0);
  await expect(page.getByTestId('gallery-augmented').locator('canvas')).toHaveCount(shown);
  await page.reload();
  await expect(page.getByTestId('aug')).toHaveValue('elastic');
  await page.getByTestId('aug').selectOption('none');
  await expect.poll(() => page.url()).not.toContain('aug=');
  await page.getByRole('tab', { name: 'Training images' }).click();
  await expect(page.getByTestId('gallery-augmented')).toHaveCount(0);
});

test('batch normalization: set by a link or per layer, explained, trained with on WebGL as on the CPU, in the summary', async ({
  page,
}) => {
  // Odd widths, the first layer normalized and the second not: the normalization on WebGL's packed
  // textures, against the CPU's ops, and the moving statistics in every validation.
  const cpu = await sameOnWebglAndCpu(
    page,
    'layers=33,7&act=sigmoid&pre=raw&bn=1,0&opt=adam&lr=0.003&subset=1000&batch=32&epochs=2&seed=3',
  );
  await expect(page.getByTestId('chart-run')).toContainText('batch norm in layer 1');
  expect(cpu).toHaveLength(2);
  // Raw 0..255 pixels into a normalized sigmoid layer learn: 0.55 validation accuracy after 2
  // epochs (the same network without batch normalization: 0.29, measured in Node on the CPU).
  expect(Number(cpu[1]?.[4])).toBeGreaterThan(0.45);
  // Advanced says which layers, each row has its switch, and the summary lists Keras's layers.
  await expect(page.getByTestId('bn')).toHaveValue('some');
  await expect(page.getByRole('button', { name: 'What is batch normalization?' })).toBeVisible();
  await expect(page.getByTestId('layer-0-bn')).toBeChecked();
  await expect(page.getByTestId('layer-1-bn')).not.toBeChecked();
  // The rows' BN column has its own "?" (as units and activation do).
  await expect(page.getByRole('button', { name: 'What is batch normalization (BN)?' })).toBeVisible();
  await page.getByTestId('tab-summary').click();
  const summary = page.getByTestId('keras-summary');
  await expect(summary).toContainText(/dense_1 \(Dense\)\s+\(None, 33\)\s+25872/);
  // Keras 2.2 cuts the name at its column, as it prints it.
  await expect(summary).toContainText(/batch_normalization_1 \(Batch\s+\(None, 33\)\s+132/);
  await expect(summary).toContainText(/activation_1 \(Activation\)\s+\(None, 33\)\s+0/);
  await expect(summary).toContainText('Non-trainable params: 66');
  // One click on the second row's switch: every layer, said so in Advanced and the link; kept on reload.
  await page.getByTestId('layer-1-bn').check();
  await expect.poll(() => page.url()).toMatch(/bn=1(&|$)/);
  await expect(page.getByTestId('bn')).toHaveValue('all');
  await page.reload();
  await expect(page.getByTestId('layer-1-bn')).toBeChecked();
  await page.getByTestId('bn').selectOption('none');
  await expect.poll(() => page.url()).not.toContain('bn=');
  await expect(page.getByTestId('layer-0-bn')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'What is batch normalization (BN)?' })).toHaveCount(0);
});
