import { expect, test, type Locator, type Page } from '@playwright/test';
import { waitForStatus } from './helpers';

// The page's layout, measured with bounding boxes: a calm first screen with one primary action,
// the learning loop of a 4-layer network on one 1440×900 screen (no scrolling), a link to an
// experiment that opens it in view, and a phone's order, tab strip, bottom bar and touch targets.

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The page's visible controls (as a person counts them: buttons, fields, links, disclosures), all and in the first viewport. */
function countControls(page: Page) {
  return page.evaluate(() => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return (
        r.width > 0 &&
        r.height > 0 &&
        getComputedStyle(el).visibility !== 'hidden' &&
        el.closest('details:not([open]) > :not(summary)') === null
      );
    };
    const all = [...document.querySelectorAll('button, input, select, textarea, a[href], summary')].filter(visible);
    const kinds: Record<string, number> = {};
    for (const el of all) {
      const kind =
        el.tagName.toLowerCase() + ((el as HTMLInputElement).type ? `:${(el as HTMLInputElement).type}` : '');
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    return {
      all: all.length,
      firstViewport: all.filter((el) => el.getBoundingClientRect().top < innerHeight).length,
      hints: all.filter((el) => el.textContent?.trim() === '?').length,
      // Buttons filled with the accent colour, as Train is: the page's primary actions.
      primary: all
        .filter((el) => el.tagName === 'BUTTON' && getComputedStyle(el).backgroundColor === 'rgb(37, 99, 235)')
        .map((el) => el.textContent?.trim() ?? ''),
      kinds,
    };
  });
}

/** A box as "x,y w×h" for the log. */
const show = (b: { x: number; y: number; width: number; height: number }) =>
  `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}`;

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${locator.toString()} has no box`);
  return b;
}

test('the first screen is calm: one primary action, the budget folded away and its number disabled while off, a readable diagram', async ({
  page,
}) => {
  await page.setViewportSize(WIDE);
  await page.goto('/');
  await expect(page.getByTestId('train-button')).toBeVisible();
  await page.waitForTimeout(500);
  const counts = await countControls(page);
  console.log(`first screen at 1440×900, visible controls: ${JSON.stringify(counts)}`);
  // Before issue 25: 42 visible controls (10 of them "?" hints), 38 of them in the first viewport,
  // and two blue buttons (Train and the quick training run).
  expect(counts.primary).toEqual(['Train']);
  expect(counts.all).toBeLessThan(42);
  expect(counts.firstViewport).toBeLessThan(38);
  // The quick run is a secondary button: not the filled blue of Train.
  const fill = (l: Locator) => l.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await fill(page.getByTestId('quick-train'))).not.toBe(await fill(page.getByTestId('train-button')));

  // The parameter budget sits under a disclosure; its number is disabled until the box is ticked.
  await expect(page.getByTestId('budget-mode')).toBeHidden();
  await page.getByTestId('budget').locator('summary').click();
  await expect(page.getByTestId('param-budget')).toBeDisabled();
  await page.getByTestId('budget-mode').check();
  await expect(page.getByTestId('param-budget')).toBeEnabled();
  await expect(page.getByTestId('budget').locator('summary')).toContainText('holding 25,450');
  await page.getByTestId('budget-mode').uncheck();
  await expect(page.getByTestId('param-budget')).toBeDisabled();

  // The diagram: one bar per layer with its unit count in type a person can read, and a colour key.
  await page.goto('/?layers=64,32&act=relu,sigmoid');
  const diagram = page.getByTestId('network-diagram');
  const d = await box(diagram);
  const labels = await diagram
    .locator('text')
    .evaluateAll((els) => els.map((el) => ({ text: el.textContent, height: el.getBoundingClientRect().height })));
  console.log(`diagram ${show(d)}; labels ${JSON.stringify(labels)}`);
  expect(d.height).toBeGreaterThanOrEqual(90);
  expect(d.width).toBeGreaterThanOrEqual(300);
  for (const units of ['784', '64', '32', '10']) expect(labels.map((l) => l.text)).toContain(units);
  for (const l of labels) expect(l.height).toBeGreaterThanOrEqual(10);
  await expect(page.locator('.diagram-legend')).toHaveText(/784 pixels.*relu.*sigmoid.*10 softmax/);
});

test('at 1440×900 a finished 4-layer run fits one screen: Train, the sliders, the chart, layer health, the first finding’s fixes, the drawing, the tabs', async ({
  page,
}) => {
  await page.setViewportSize(WIDE);
  await page.goto('/?layers=32,32,32,32&subset=3000&epochs=2&seed=1&backend=cpu');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('finding').first().locator('.fix').first()).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const strip = await box(page.getByRole('tablist', { name: 'More of the lab' }));
  const parts: [string, Locator][] = [
    ['train button', page.getByTestId('train-button')],
    ...[0, 1, 2, 3].map((i): [string, Locator] => [`layer ${i + 1} slider`, page.getByTestId(`layer-${i}-slider`)]),
    ['accuracy chart', page.getByTestId('accuracy-chart')],
    ['layer health', page.getByTestId('layer-health')],
    ['first finding', page.getByTestId('finding').first().locator('p').first()],
    ...(await page.getByTestId('finding').first().locator('.fixes > li > button').all()).map(
      (b, i): [string, Locator] => [`first finding's button ${i + 1}`, b],
    ),
    ['drawing canvas', page.getByTestId('digit-canvas')],
    ['prediction bars', page.getByTestId('probabilities')],
  ];
  const lines = [`tab strip ${show(strip)}`];
  for (const [name, locator] of parts) {
    const b = await box(locator);
    lines.push(`${name} ${show(b)}, bottom ${Math.round(b.y + b.height)}`);
    // Whole, inside the window, and above the tab strip (which may lie at the window's bottom edge).
    expect(b.x, name).toBeGreaterThanOrEqual(0);
    expect(b.y, name).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width, name).toBeLessThanOrEqual(WIDE.width);
    expect(b.y + b.height, `${name} above the tab strip`).toBeLessThanOrEqual(strip.y);
  }
  console.log(`4 layers, done, 1440×900:\n  ${lines.join('\n  ')}`);
  expect(strip.y).toBeGreaterThanOrEqual(0);
  expect(strip.y + strip.height).toBeLessThanOrEqual(WIDE.height);
  // Every tab of the strip is in the window.
  for (const tab of await page.getByRole('tab').all()) {
    const t = await box(tab);
    expect(t.y + t.height).toBeLessThanOrEqual(WIDE.height);
    expect(t.x + t.width).toBeLessThanOrEqual(WIDE.width);
  }
  // Choosing a tab brings its panel into view (as far as the page scrolls).
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('tab-runs')).toHaveAttribute('aria-selected', 'true');
  await expect
    .poll(async () => (await box(page.getByRole('tabpanel'))).y, { timeout: 5_000 })
    .toBeLessThanOrEqual(WIDE.height - 200);
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
});

test('a link to an experiment opens the Experiments tab in view', async ({ page }) => {
  for (const viewport of [WIDE, PHONE]) {
    await page.setViewportSize(viewport);
    await page.goto('/?experiment=depth');
    await expect(page.getByTestId('tab-experiments')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('experiment-run')).toBeVisible();
    await page.waitForTimeout(800);
    const panel = await box(page.getByRole('tabpanel'));
    const strip = await box(page.getByRole('tablist', { name: 'More of the lab' }));
    const scrolled = await page.evaluate(() => window.scrollY);
    console.log(
      `?experiment=depth at ${viewport.width}: scrolled ${scrolled}, strip ${show(strip)}, panel ${show(panel)}`,
    );
    expect(scrolled).toBeGreaterThan(0);
    expect(strip.y).toBeGreaterThanOrEqual(0);
    expect(panel.y).toBeLessThanOrEqual(viewport.height / 3);
    const picked = await box(page.locator('.experiment-option.picked'));
    expect(picked.y + picked.height).toBeLessThanOrEqual(viewport.height);
  }
});

test('on a phone the chart comes first, the tabs scroll sideways in one row, and the bottom bar says the whole status', async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await page.goto('/?layers=32&subset=6000&epochs=2&seed=1&backend=cpu');
  await expect(page.getByTestId('train-button')).toBeVisible();
  const chart = await box(page.getByTestId('accuracy-chart'));
  const epochs = await box(page.getByRole('spinbutton', { name: 'epochs', exact: true }));
  const slider = await box(page.getByTestId('layer-0-slider'));
  console.log(
    `phone: accuracy chart at y ${Math.round(chart.y)}, epochs at ${Math.round(epochs.y)}, layer 1 slider at ${Math.round(slider.y)}`,
  );
  expect(chart.y + chart.height).toBeLessThanOrEqual(epochs.y);
  expect(chart.y + chart.height).toBeLessThanOrEqual(slider.y);
  expect(chart.y + chart.height).toBeLessThanOrEqual(PHONE.height);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(
    0,
  );

  // The tabs: one row that scrolls sideways; each a 44 px touch target, like Train and Stop.
  const tabs = await Promise.all((await page.getByRole('tab').all()).map(box));
  const rows = new Set(tabs.map((t) => Math.round(t.y)));
  const list = page.getByRole('tablist', { name: 'More of the lab' });
  const scroll = await list.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  console.log(
    `phone tabs: ${tabs.length} tabs on ${rows.size} row(s), strip ${scroll.client} px showing ${scroll.scroll} px`,
  );
  expect(rows.size).toBe(1);
  expect(scroll.scroll).toBeGreaterThan(scroll.client);
  for (const t of tabs) expect(t.height).toBeGreaterThanOrEqual(44);
  for (const id of ['train-button', 'stop-button'])
    expect((await box(page.getByTestId(id))).height).toBeGreaterThanOrEqual(44);
  // The last tab can be scrolled to and chosen.
  await page.getByTestId('tab-images').click();
  await expect(page.getByTestId('tab-images')).toHaveAttribute('aria-selected', 'true');
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(
    0,
  );

  // The bottom bar's status fits its box, whole, before, while and after a run.
  const status = page.getByTestId('status-line');
  const fits = async (when: string) => {
    const m = await status.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      text: (el.querySelector('.status-short') as HTMLElement).innerText,
      bottom: el.getBoundingClientRect().bottom,
    }));
    console.log(`phone status ${when}: "${m.text}" ${m.scroll} / ${m.client} px`);
    expect(m.scroll, when).toBeLessThanOrEqual(m.client);
    expect(m.bottom, when).toBeLessThanOrEqual(PHONE.height);
    return m.text;
  };
  expect(await fits('idle')).toBe('Ready: press Train');
  await page.getByTestId('train-button').click();
  await expect(page.locator('.run-dock .status-short')).toHaveText(/^Epoch \d+\/2, .+ left$/, { timeout: 60_000 });
  await fits('training');
  await waitForStatus(page, ['done']);
  expect(await fits('done')).toMatch(/^Done: \d+\.\d % right$/);
});

test('the control bar says where the run trains in one short line; a tie in auto’s trial is said as a tie, the trial in full under Technical details', async ({
  page,
}) => {
  await page.setViewportSize(WIDE);
  await page.goto('/?layers=16&subset=600&epochs=1&seed=1');
  await page.evaluate(() =>
    (window as unknown as { mlpLab: { injectBackendTimes(t: object): void } }).mlpLab.injectBackendTimes({
      webgl: 11,
      wasm: 11.4,
    }),
  );
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  const line = page.locator('.backend-line');
  await expect(page.getByTestId('backend-trial')).toHaveText('11 ms a batch, about as fast as WebAssembly (11 ms)');
  const m = await line.evaluate((el) => ({
    text: (el as HTMLElement).innerText,
    scroll: el.scrollWidth,
    client: el.clientWidth,
    height: el.getBoundingClientRect().height,
  }));
  console.log(`backend line: "${m.text}", ${m.scroll} / ${m.client} px, ${Math.round(m.height)} px tall`);
  expect(m.text).toMatch(/^on WebGL \(software renderer\), 11 ms a batch, about as fast as WebAssembly \(11 ms\)$/);
  expect(m.scroll).toBeLessThanOrEqual(m.client);
  expect(m.height).toBeLessThan(24);
  await page.getByText('Technical details').click();
  await expect(page.getByTestId('backend-trial-details')).toHaveText(
    /^Auto timed the backends \(times injected by a test\): WebGL \(software renderer\): 11 ms per batch; WebAssembly \(CPU, \d+ threads?\): 11 ms\. About as fast \(within 10 %\); chose WebGL\.$/,
  );
});
