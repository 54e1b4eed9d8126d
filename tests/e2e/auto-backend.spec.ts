import { expect, test, type Page } from '@playwright/test';
import { waitForStatus } from './helpers';

// backend=auto (the default) times the run's network on each backend, picks the faster, says so
// with the times, and remembers them for this device and network size.

const LABELS: Record<string, RegExp> = {
  webgl: /^WebGL \(software renderer\)/,
  wasm: /^WebAssembly \(CPU, \d+ threads?\)/,
};

async function trainOnce(page: Page) {
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  const trial = page.getByTestId('backend-trial');
  await expect(trial).toBeVisible();
  return {
    source: await trial.getAttribute('data-source'),
    chosen: (await trial.getAttribute('data-chosen')) ?? '',
    times: JSON.parse((await trial.getAttribute('data-times')) ?? '{}') as Record<string, number>,
    short: (await trial.textContent()) ?? '',
    text: (await page.getByTestId('backend-trial-details').textContent()) ?? '',
    label: (await page.getByTestId('backend-plain').textContent()) ?? '',
  };
}

test('auto times the network on WebGL and on WASM, picks the faster and says so; the next run and a reload reuse the times', async ({
  page,
}) => {
  await page.goto('/?layers=64&subset=600&epochs=1&seed=1');
  const first = await trainOnce(page);
  console.log(`auto trial: ${first.text}`);
  expect(first.source).toBe('measured');
  expect(Object.keys(first.times).sort()).toEqual(['wasm', 'webgl']);
  for (const ms of Object.values(first.times)) expect(ms).toBeGreaterThan(0);
  const faster = (first.times.webgl ?? Infinity) <= (first.times.wasm ?? Infinity) ? 'webgl' : 'wasm';
  expect(first.chosen).toBe(faster);
  expect(first.label).toMatch(LABELS[faster] as RegExp);
  expect(first.text).toMatch(
    /^Auto timed the backends \(timed just now on this network\): .+: [\d.,]+ ms per batch; .+: [\d.,]+ ms\. (Chose \w+, the faster|About as fast \(within 10 %\); chose \w+)\.$/,
  );
  expect(first.short).toMatch(
    /^[\d.,]+ ms a batch, (faster than|about as fast as) (WebGL|WebAssembly) \([\d.,]+ ms\)$/,
  );

  // The same size of network again: no trial, the same times.
  const second = await trainOnce(page);
  expect(second.source).toBe('remembered');
  expect(second.times).toEqual(first.times);
  expect(second.chosen).toBe(faster);
  expect(second.text).toContain('remembered from a trial');

  // A fresh worker after a reload remembers too; a network of another size is timed afresh.
  await page.goto('/?layers=64&subset=600&epochs=1&seed=2');
  expect((await trainOnce(page)).source).toBe('remembered');
  await page.goto('/?layers=256&subset=600&epochs=1&seed=2');
  expect((await trainOnce(page)).source).toBe('measured');
});

test('with injected times auto picks the faster either way (a real GPU faster than WASM gets WebGL), and a named backend is honoured', async ({
  page,
}) => {
  await page.goto('/?layers=16&subset=600&epochs=1&seed=1');
  const inject = (times: Record<string, number>) =>
    page.evaluate(
      (t) => (window as unknown as { mlpLab: { injectBackendTimes(t: object): void } }).mlpLab.injectBackendTimes(t),
      times,
    );
  await inject({ webgl: 4, wasm: 40 });
  const gpu = await trainOnce(page);
  expect(gpu).toMatchObject({ source: 'injected', chosen: 'webgl', times: { webgl: 4, wasm: 40 } });
  expect(gpu.label).toMatch(LABELS.webgl as RegExp);
  await inject({ webgl: 40, wasm: 4 });
  const cpu = await trainOnce(page);
  expect(cpu).toMatchObject({ source: 'injected', chosen: 'wasm' });
  expect(cpu.label).toMatch(LABELS.wasm as RegExp);
  expect(cpu.text).toMatch(/WebAssembly \(CPU, \d+ threads?\): 4 ms per batch; WebGL \(software renderer\): 40 ms/);
  expect(cpu.short).toBe('4 ms a batch, faster than WebGL (40 ms)');

  await page.goto('/?layers=16&subset=600&epochs=1&seed=1&backend=webgl');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('backend-plain')).toHaveText(LABELS.webgl as RegExp);
  await expect(page.getByTestId('backend-trial')).toHaveCount(0);
});

test('Stop while auto is timing the backends ends the run at once, remembers nothing, and the next run chooses afresh', async ({
  page,
}) => {
  await page.goto('/?layers=1024&subset=6000&epochs=1&seed=1');
  await page.getByTestId('train-button').click();
  await expect(page.getByText('Choosing the backend: timing a few batches of this network on each…')).toBeVisible({
    timeout: 60_000,
  });
  await page.getByTestId('stop-button').click();
  await waitForStatus(page, ['stopped'], 15_000);
  await expect(page.getByTestId('backend-trial')).toHaveCount(0);
  expect(await page.evaluate(() => localStorage.getItem('mlp-lab:backend-trials'))).toBeNull();
  const next = await trainOnce(page);
  expect(next.source).toBe('measured');
});
