import type { Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { CSP, serveStatic } from '../../scripts/serve.mjs';
import { waitForStatus } from './helpers';

// Issue 26, item 7: the lab under the content-security policy scripts/serve.mjs sends and
// docs/hosting.md advises: it loads and trains on every backend with no violation reported.
let server: Server;
let url: string;
test.beforeAll(async () => {
  ({ server, url } = await serveStatic({ dir: process.env.E2E_DIST ?? 'dist', base: '/' }));
});
test.afterAll(() => server.close());

test('under the advised content-security policy the lab trains on WebGL, WASM (threaded) and the CPU, with no violation', async ({
  page,
}) => {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => void violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation: (v: string) => void }).reportViolation(
        `${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
  const response = await page.goto(`${url}?layers=8&subset=500&epochs=1&backend=webgl`);
  expect(response?.headers()['content-security-policy']).toBe(CSP);
  for (const backend of ['webgl', 'wasm', 'cpu']) {
    await page.goto(`${url}?layers=8&subset=500&epochs=1&backend=${backend}`);
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done'], 120_000);
    await expect(page.getByTestId('backend-name')).toHaveText(backend);
  }
  // Results files are read in a worker of their own: allowed too.
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('import-results').setInputFiles(EMPTY_RESULTS);
  await expect(page.getByTestId('import-status')).toHaveText(/^No new runs imported\./);
  expect(violations).toEqual([]);
});

const EMPTY_RESULTS = {
  name: 'results.json',
  mimeType: 'application/json',
  buffer: Buffer.from('{"format":"mlp-lab-runs","version":1,"runs":[]}'),
};

test("under worker-src 'none' training and importing results say the policy blocks workers, at once", async ({
  page,
}) => {
  const { server: s, url: u } = await serveStatic({
    dir: process.env.E2E_DIST ?? 'dist',
    base: '/',
    csp: CSP.replace("worker-src 'self' blob:", "worker-src 'none'"),
  });
  const blocked = "this site's content-security policy blocks workers (its worker-src directive)";
  try {
    await page.goto(`${u}?layers=8&subset=500&epochs=1&backend=cpu`);
    await page.getByTestId('train-button').click();
    // It said "The training worker crashed: unknown error. Press Train to start a new one."
    await waitForStatus(page, ['error'], 10_000);
    await expect(page.getByRole('alert').filter({ hasText: 'The training worker' })).toHaveText(
      `The training worker could not start: ${blocked}. The lab needs worker-src 'self' blob:.`,
    );
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('import-results').setInputFiles(EMPTY_RESULTS);
    await expect(page.getByTestId('import-status')).toContainText(
      `Could not import the results: the results reader could not start: ${blocked}.`,
      { timeout: 10_000 },
    );
  } finally {
    s.close();
  }
});

test('under a stricter policy without blob: workers, WASM runs on one thread and says why, and auto does not hang', async ({
  page,
}) => {
  const strict = CSP.replace("worker-src 'self' blob:", "worker-src 'self'").replace(
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "script-src 'self' 'wasm-unsafe-eval'",
  );
  const { server: s, url: u } = await serveStatic({ dir: process.env.E2E_DIST ?? 'dist', base: '/', csp: strict });
  try {
    await page.goto(`${u}?layers=8&subset=500&epochs=1&backend=wasm`);
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done'], 120_000);
    await expect(page.getByTestId('backend-name')).toHaveText('wasm');
    await expect(page.getByTestId('run-status').locator('..').locator('..')).toContainText('1 thread');
    await expect(page.locator('body')).toContainText('content-security policy does not let workers start from blob:');
    // auto times the backends it can start and trains (it waited for ever on the threaded build).
    await page.goto(`${u}?layers=8&subset=500&epochs=1&backend=auto`);
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done'], 120_000);
  } finally {
    s.close();
  }
});
