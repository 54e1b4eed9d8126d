import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { serveStatic } from '../../scripts/serve.mjs';
import { DIGITS, drawStrokes } from './drawing';
import { waitForStatus } from './helpers';

type Served = { server: Server; url: string };
const serve = serveStatic as (o: { dir: string; base: string }) => Promise<Served>;

test.use({ serviceWorkers: 'allow' });

test('issue 13: dist/ served under /lab/ by a plain static server loads there, trains, reads drawn digits and works offline, asking for nothing outside /lab/', async ({
  page,
  context,
}) => {
  const { server, url } = await serve({ dir: process.env.E2E_DIST ?? 'dist', base: '/lab/' });
  try {
    const outside: string[] = [];
    const watch = (u: string) => {
      if (u.startsWith('http') && !u.startsWith(url)) outside.push(u);
    };
    page.on('request', (r) => watch(r.url()));
    page.on('worker', (w) => watch(w.url()));
    await page.goto(`${url}?layers=128&act=relu&pre=scaled&opt=adam&lr=0.001&epochs=1&seed=1&backend=wasm`);
    await expect(page.getByTestId('param-total')).toHaveText('101,770');
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done']);
    expect(Number(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(0.9);
    for (const digit of ['7', '1'] as const) {
      await drawStrokes(page, DIGITS[digit] ?? []);
      await expect(page.getByTestId('prediction')).toHaveText(digit);
      await page.getByTestId('clear-canvas').click();
    }
    // The share link keeps the path.
    expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lab\/\?v=1&layers=128/);
    await expect(page.getByTestId('offline-status')).toHaveText('Available offline');
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.scope ?? null))).toBe(
      url,
    );
    expect(outside).toEqual([]);
    // Offline under /lab/: the page reloads from the kept copy and trains on the kept data.
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('offline-status')).toHaveText('Offline: the lab runs from this browser’s copy');
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done']);
    expect(Number(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(0.9);
    await context.setOffline(false);
    expect(outside).toEqual([]);
    // The browser online but the lab's server gone (down, or a network without internet):
    // navigator.onLine still reads true, and the page served from the kept copy says offline.
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await page.reload();
    await expect(page.getByTestId('offline-status')).toHaveText('Offline: the lab runs from this browser’s copy');
    await expect(page.getByTestId('offline-status')).toHaveAttribute('data-online', 'false');
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);
  } finally {
    if (server.listening) server.close();
  }
});

test('issue 13: a new release deployed while a tab is open: the tab offers to reload into it, and does; another open tab is left alone', async ({
  page,
  context,
}) => {
  // A copy of dist/ whose service worker can change, as a deployment would change it.
  const dir = mkdtempSync(join(tmpdir(), 'lab-release-'));
  const dist = process.env.E2E_DIST ?? 'dist';
  for (const entry of readdirSync(dist)) {
    if (entry === 'data') symlinkSync(resolve(dist, 'data'), join(dir, 'data'));
    else cpSync(join(dist, entry), join(dir, entry), { recursive: true });
  }
  const { server, url } = await serve({ dir, base: '/' });
  try {
    await page.goto(url);
    await expect(page.getByTestId('offline-status')).toHaveText('Available offline');
    // The second visit runs from the kept release (the first one is never controlled).
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
    // A second tab of the lab (say, in the middle of a run): the update must not reload it.
    const other = await context.newPage();
    await other.goto(url);
    await other.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));
    const sw = join(dir, 'sw.js');
    writeFileSync(sw, `${readFileSync(sw, 'utf8')}\n// the next release\n`);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('A new version of the lab is ready.');
    // It waits for the person: the page still runs the release it started with.
    expect(
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting?.state ?? null)),
    ).toBe('installed');
    // A mark on this page, gone once the page has reloaded.
    await page.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));
    await prompt.getByRole('button', { name: 'Reload to update' }).click();
    await expect(prompt).toHaveCount(0);
    await expect(page.getByTestId('offline-status')).toHaveText('Available offline');
    expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate ?? false)).toBe(
      false,
    );
    // The new release is the one in charge now, and nothing waits any more.
    const after = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return {
        waiting: r?.waiting ?? null,
        controlled: navigator.serviceWorker.controller !== null,
        script: r?.active ? await (await fetch(r.active.scriptURL, { cache: 'no-store' })).text() : '',
      };
    });
    expect(after.waiting).toBeNull();
    expect(after.controlled).toBe(true);
    expect(after.script).toContain('// the next release');
    await expect(other.getByTestId('update-prompt')).toBeVisible();
    expect(await other.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate ?? false)).toBe(
      true,
    );
    // Its own click reloads it (the new release is already active: a plain reload).
    await other.getByTestId('update-prompt').getByRole('button', { name: 'Reload to update' }).click();
    await expect(other.getByTestId('update-prompt')).toHaveCount(0);
    expect(await other.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate ?? false)).toBe(
      false,
    );
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
