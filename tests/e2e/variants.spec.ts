import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { experimentById } from '../../src/core/experiments/experiments';
import { boundedInterval } from '../../src/core/experiments/stats';
import { variantFindings, type VariantRow } from '../../src/core/experiments/variantResults';
import { VARIANT_IDS, type VariantId } from '../../src/core/experiments/variants';

test('a budget link opens with widths solved for it; editing a width by hand leaves budget mode', async ({ page }) => {
  await page.goto('/?layers=32,32,32,32&budget=25450&seed=1');
  const total = Number((await page.getByTestId('param-total').textContent())?.replace(/,/g, ''));
  expect(Math.abs(total - 25450) / 25450).toBeLessThan(0.01);
  await expect(page.getByTestId('budget-mode')).toBeChecked();
  await expect(page.getByTestId('param-budget')).toHaveValue('25450');
  await expect(page.getByTestId('budget-status')).toContainText('Widths solved for 25,450 parameters');
  // A fifth layer: the widths are solved again for the same budget.
  await page.getByTestId('add-layer').click();
  const five = Number((await page.getByTestId('param-total').textContent())?.replace(/,/g, ''));
  expect(Math.abs(five - 25450) / 25450).toBeLessThan(0.01);
  await expect(page).toHaveURL(/budget=25450/);
  // A width typed by hand: budget mode ends, the link no longer carries a budget.
  await page.getByTestId('layer-0-units').fill('100');
  await page.getByTestId('layer-0-units').press('Enter');
  await expect(page.getByTestId('budget-mode')).not.toBeChecked();
  await expect(page).not.toHaveURL(/budget=/);
});

test('variants queue beside the article\u2019s setup; the table has a column per setup and the findings are the pure function\u2019s for the numbers shown', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await page.goto('/?experiment=depth&backend=wasm&seed=1');
  await page.getByLabel(/quick: train on 6,000/).check();
  await page.getByLabel(/repeats per config/).fill('2');
  await page.getByTestId('variant-relu').check();
  await page.getByTestId('variant-scaled').check();
  const run = page.getByTestId('experiment-run');
  await expect(run).toHaveText('Run experiment 2: 24 runs to train');
  await run.click();
  // The variant table appears with the ticked columns before any run has finished.
  const table = page.getByTestId('variant-results');
  await expect(table.locator('thead th')).toHaveText([
    'hidden layers',
    'article’s setup',
    'ReLU instead of sigmoid',
    'inputs scaled to 0..1',
  ]);
  await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'done', { timeout: 400_000 });

  // Shape: a row per config, a cell per setup, two runs in each.
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(4);
  const depth = experimentById('depth');
  const shown: VariantRow[] = [];
  for (const row of await rows.all()) {
    const key = (await row.getAttribute('data-key')) as string;
    const config = depth.configs.find((c) => c.key === key);
    expect(config).toBeDefined();
    const cells = row.locator('td[data-variant]');
    await expect(cells).toHaveCount(3);
    const parsed = [];
    for (const cell of await cells.all()) {
      const name = (await cell.getAttribute('data-variant')) as string;
      const values = ((await cell.getAttribute('data-values')) as string).split(' ').map(Number);
      expect(values).toHaveLength(2);
      expect(values.every((v) => v > 0 && v < 1)).toBe(true);
      // The cell shows the mean and the 95 % interval of these values.
      const i = boundedInterval(values);
      await expect(cell).toHaveText(`${i.mean.toFixed(3)} [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]`);
      parsed.push({ variant: name === 'article' ? null : (name as VariantId), values, interval: i });
    }
    shown.push({
      config: config as (typeof depth.configs)[number],
      label: (await row.locator('td').first().textContent()) as string,
      cells: parsed,
    });
  }
  const variants = VARIANT_IDS.filter((v) => v === 'relu' || v === 'scaled');
  await expect(page.getByTestId('findings').locator('li')).toHaveText(variantFindings(shown, variants, true));
  // Quick mode draws no conclusion and says why.
  await expect(page.getByTestId('findings').locator('li').first()).toContainText('no conclusion is drawn');
  // Every variant run is an ordinary run in the history.
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(24);
});

test('the experiments panel downloads a Keras script of the queued plan (variants included) that Python compiles', async ({
  page,
}) => {
  await page.goto('/?experiment=depth&seed=1');
  await page.getByLabel(/repeats per config/).fill('2');
  await page.getByTestId('variant-adam').check();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-keras').click()]);
  expect(file.suggestedFilename()).toBe('mlp-lab-depth.py');
  const path = await file.path();
  const script = readFileSync(path, 'utf8');
  expect(script).toContain('"key": "w32d4-adam"');
  expect(script).toContain('Experiment 2: Depth');
  const compiled = spawnSync('python3', ['-m', 'py_compile', path], { encoding: 'utf8' });
  expect([compiled.status, compiled.stderr]).toEqual([0, '']);
});
