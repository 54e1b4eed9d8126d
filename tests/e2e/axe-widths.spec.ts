import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { waitForStatus } from './helpers';

// Issue 25: no accessibility violations at a desktop and a phone width, on every tab, with the
// guided start showing (a first visit), with the step view and a unit's detail, and with a kept run
// shown after a reload.

const violations = async (page: Page, where: string, include?: string) => {
  const builder = new AxeBuilder({ page });
  const r = await (include ? builder.include(include) : builder).analyze();
  return r.violations.map((v) => `${where} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

for (const [width, height] of [
  [1440, 900],
  [390, 844],
] as const) {
  test(`axe finds nothing at ${width}×${height}: first visit with the guide, after a run, every tab, the step view, a kept run`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.goto('/?layers=32,32&seed=1&subset=2000&epochs=1&backend=cpu');
    await expect(page.getByTestId('guide')).toBeVisible();
    const found = await violations(page, 'first visit');
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done']);
    await expect(page.getByTestId('health-table')).toBeVisible();
    found.push(...(await violations(page, 'after a run')));
    for (const tab of ['runs', 'experiments', 'inside', 'summary', 'images']) {
      await page.getByTestId(`tab-${tab}`).click();
      found.push(...(await violations(page, tab, '.tab-panel')));
    }
    // The step view, with a unit shown in detail.
    await page.getByTestId('tab-step').click();
    await page.getByTestId('step-button').click();
    await page.getByTestId('strip-values').first().getByRole('button').first().click();
    await expect(page.getByTestId('unit-z')).toBeVisible({ timeout: 60_000 });
    found.push(...(await violations(page, 'step', '.tab-panel')));
    await page.reload();
    await expect(page.getByTestId('shown-run')).toBeVisible();
    found.push(...(await violations(page, 'kept run')));
    expect(found).toEqual([]);
    await context.close();
  });
}
