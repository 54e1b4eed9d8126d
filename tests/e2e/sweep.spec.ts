// Issue 23: an experiment queue on a machine with a second core trains two runs at a time, one in
// the page's worker and one in a side worker, each on one WASM thread. A run trained that way is
// the run trained alone: the same loss and accuracy, epoch by epoch.
import { expect, test, type Page } from '@playwright/test';
import { experimentById, experimentPlan } from '../../src/core/experiments/experiments';
import { encodeConfig } from '../../src/core/link/urlCodec';
import { groupTrialKey, parseGroupTrials } from '../../src/core/runs/groupTrial';
import type { RunRecord } from '../../src/core/runs/runs';
import { waitForStatus } from './helpers';

/** Every run record the page's IndexedDB holds. */
function storedRuns(page: Page): Promise<RunRecord[]> {
  return page.evaluate(
    () =>
      new Promise<RunRecord[]>((resolve, reject) => {
        const r = indexedDB.open('mlp-lab');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const all = r.result.transaction('runs', 'readonly').objectStore('runs').getAll();
          all.onsuccess = () => resolve(all.result as RunRecord[]);
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** A remembered group trial (as stored) for each network of `experiment` on `backend`, in which groups are faster. */
function fasterInGroups(experiment: 'budget' | 'depth', backend: 'wasm' | 'cpu'): string {
  const plan = experimentPlan(experimentById(experiment), { repeats: 1, quick: true, dataset: 'mnist' });
  const times = [1, 2, 4, 8].map((size) => ({ size, msPerRun: 1 - 0.05 * size }));
  const trials = plan.map(({ config }) => ({ network: groupTrialKey({ ...config, backend }), times, at: 1 }));
  return JSON.stringify(Object.fromEntries(trials.map((t) => [t.network, t])));
}

/** A run's epochs as the numbers compared: loss, accuracy, validation loss and accuracy, to 4 decimals. */
const epochs = (r: RunRecord | undefined) =>
  r?.epochs.map((e) => [e.loss, e.acc, e.valLoss ?? NaN, e.valAcc ?? NaN].map((v) => v.toFixed(4)).join(' '));

for (const backend of ['wasm', 'cpu'] as const) {
  test(`${backend}: the equal-budget queue (odd widths) trains two runs at a time, and each gives, epoch by epoch, what it gives trained alone`, async ({
    page,
  }) => {
    test.skip(
      (await page.evaluate(() => navigator.hardwareConcurrency)) < 2,
      'one core: the queue trains one run at a time',
    );
    await page.goto(`/?experiment=budget&backend=${backend}`);
    await page.getByLabel(/quick: train on 6,000/).check();
    await page.getByTestId('experiment-run').click();
    const queue = page.getByTestId('queue-status');
    // A second run starts at once beside the first, and says where it trains.
    await expect(page.getByTestId('queue-side')).toContainText(/Beside it, on a second worker: .+, seed 1/);
    await expect(queue).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
    await expect(queue).toContainText('Experiment 7 finished: 5 runs.');
    const queued = await storedRuns(page);
    expect(queued.filter((r) => r.status === 'done')).toHaveLength(5);

    // The first run (the page's worker, one thread) and the second (the side worker, quiet), each
    // trained again alone from its link with the Train button (all threads, live measurements).
    for (const key of ['b25450d1', 'b25450d2']) {
      const inQueue = queued.find((r) => r.tag?.key === key);
      expect(inQueue?.config.layers.length).toBe(key === 'b25450d1' ? 1 : 2);
      await page.goto(`/?${encodeConfig({ ...(inQueue as RunRecord).config, backend })}`);
      await page.getByTestId('train-button').click();
      await waitForStatus(page, ['done']);
      const alone = (await storedRuns(page)).filter((r) => r.tag === null && r.status === 'done');
      const last = alone.sort((a, b) => b.startedAt - a.startedAt)[0];
      expect(last?.config).toEqual(inQueue?.config);
      expect(epochs(last), `${key} trained alone vs in the queue`).toEqual(epochs(inQueue));
      expect(epochs(last)).toHaveLength(5);
    }
  });
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`${backend}: runs of one setup train on the second worker together, many networks in one step, and each gives, epoch by epoch, what it gives trained alone`, async ({
    page,
  }) => {
    test.skip(
      (await page.evaluate(() => navigator.hardwareConcurrency)) < 2,
      'one core: the queue trains one run at a time',
    );
    // How many train together is the group trial's choice (its own test below, and unit tests);
    // here a remembered trial in which groups are faster, so that this test is about exactness.
    await page.addInitScript((t) => localStorage.setItem('mlp-lab:group-trials', t), fasterInGroups('budget', backend));
    await page.goto(`/?experiment=budget&backend=${backend}`);
    await page.getByLabel(/quick: train on 6,000/).check();
    await page.getByLabel(/repeats per config/).fill('3');
    await page.getByTestId('experiment-run').click();
    const queue = page.getByTestId('queue-status');
    // Seed 1 of the first setup on the page's worker; seeds 2 and 3 together on the second.
    await expect(page.getByTestId('queue-side')).toContainText(
      /Beside it, on a second worker, 2 networks in one step \(1\.1× a run alone’s speed, as timed here\): .+, seeds 2 and 3/,
    );
    const groupedDone = async () => (await storedRuns(page)).filter((r) => r.status === 'done' && (r.group ?? 1) > 1);
    if (backend === 'cpu') {
      // Plain JavaScript is slow: one finished group of odd widths is enough; the queue stops there.
      const odd = (r: RunRecord) => r.config.layers.some((l) => l.units % 2 === 1);
      await expect.poll(async () => (await groupedDone()).some(odd), { timeout: 150_000 }).toBe(true);
      await page.getByRole('button', { name: 'Cancel' }).click();
    } else {
      await expect(queue).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
      await expect(queue).toContainText('Experiment 7 finished: 15 runs.');
      expect((await storedRuns(page)).filter((r) => r.status === 'done')).toHaveLength(15);
      // The runs table says which runs shared their steps (their seconds are the group's).
      await page.getByTestId('tab-runs').click();
      const marked = page.getByTestId('run-row').filter({ hasText: /group of \d/ });
      await expect(marked).toHaveCount((await groupedDone()).length);
    }
    const grouped = await groupedDone();
    expect(grouped.length).toBeGreaterThanOrEqual(2);

    // The deepest grouped run (odd widths) trained again alone from its link with the Train button.
    const deepest = grouped.sort((a, b) => b.config.layers.length - a.config.layers.length)[0] as RunRecord;
    expect(deepest.config.layers.some((l) => l.units % 2 === 1)).toBe(true);
    await page.goto(`/?${encodeConfig(deepest.config)}`);
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done']);
    const alone = (await storedRuns(page)).filter((r) => r.tag === null && r.status === 'done');
    expect(alone[0]?.config).toEqual(deepest.config);
    expect(alone[0]?.group).toBeUndefined();
    expect(epochs(alone[0])).toHaveLength(5);
    if (backend === 'wasm') expect(epochs(alone[0]), 'trained alone vs in a group').toEqual(epochs(deepest));
    else {
      // On the CPU backend a run alone sums some products in another order: within 1e-5 (4 decimals).
      const [a, b] = [alone[0], deepest].map((r) =>
        (r?.epochs ?? []).flatMap((e) => [e.loss, e.acc, e.valLoss ?? NaN, e.valAcc ?? NaN]),
      ) as [number[], number[]];
      expect(a).toHaveLength(b.length);
      a.forEach((x, i) => expect(Math.abs(x - (b[i] as number)), `number ${i}`).toBeLessThan(1e-5));
    }
  });
}

test('wasm: the first queue that could train runs of a network together times it alone and in groups, says so, and the page remembers the times', async ({
  page,
}) => {
  test.skip(
    (await page.evaluate(() => navigator.hardwareConcurrency)) < 2,
    'one core: the queue trains one run at a time',
  );
  await page.goto('/?experiment=depth&backend=wasm');
  // Full data: quick runs are too short to pay for a trial (they train alone unless one is remembered).
  await page.getByLabel(/repeats per config/).fill('3');
  await page.getByTestId('experiment-run').click();
  await expect(page.getByTestId('queue-side')).toContainText(
    'Beside it, on a second worker: timing 4×32 sigmoid alone and in groups of 2, 4 and 8',
  );
  // Then the trial is in local storage (the side worker goes on with whatever is left by then).
  const stored = async () =>
    parseGroupTrials(await page.evaluate(() => localStorage.getItem('mlp-lab:group-trials')))['32x32x32x32/b128/wasm'];
  await expect.poll(async () => (await stored())?.times.map((t) => t.size), { timeout: 60_000 }).toEqual([1, 2, 4, 8]);
  const trial = await stored();
  // Every time per network is a measured one: positive, and below a second a batch for this small network.
  for (const t of trial?.times ?? []) expect(t.msPerRun).toBeGreaterThan(0);
  for (const t of trial?.times ?? []) expect(t.msPerRun).toBeLessThan(1000);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'cancelled');

  // A reload, and a queue with three more seeds: at least two 4×32 runs are free for the second
  // worker, which would time 4×32 first if nothing were remembered; it trains them at once.
  await page.reload();
  await page.getByLabel(/repeats per config/).fill('6');
  await page.getByTestId('experiment-run').click();
  await expect(page.getByTestId('queue-side')).toContainText(
    /^Beside it, on a second worker.*: 4×32 sigmoid, seeds? \d/,
  );
  expect((await stored())?.at).toBe(trial?.at);
  await page.getByRole('button', { name: 'Cancel' }).click();
});
