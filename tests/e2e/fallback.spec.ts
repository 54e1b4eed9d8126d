import { expect, test } from '@playwright/test';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { waitForStatus } from './helpers';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** dist/ served as a plain static host would: no COOP/COEP headers. */
async function serveDist(): Promise<{ url: string; close: () => Promise<void> }> {
  const root = resolve(process.env.E2E_DIST ?? 'dist');
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    readFile(file)
      .then((body) => {
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(404);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// A browser without WebGL: the worker falls back to WebAssembly and says so.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--disable-software-rasterizer',
    ],
  },
});

test('without WebGL the run falls back to WASM and shows why, on as many threads as cores', async ({ page }) => {
  await page.goto('/?layers=16&subset=1000&epochs=1&seed=2');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');
  // The preview server sends the isolation headers: WebAssembly threads, one per core (at most 8).
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const threads = Math.min(8, await page.evaluate(() => navigator.hardwareConcurrency));
  const said = `${threads} thread${threads === 1 ? '' : 's'}`;
  // Said plainly beside the progress, and in full under the technical details.
  await expect(page.getByTestId('backend-plain')).toHaveText(
    `WebAssembly (CPU, ${said}), because webgl could not start in this browser`,
  );
  await page.getByText('Technical details').click();
  await expect(page.getByText(/because webgl could not start in this browser/).last()).toBeVisible();
  await expect(
    page.getByText(new RegExp(`WebAssembly on the CPU in the training worker, ${said}`)).last(),
  ).toBeVisible();
  expect(Number(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(0.1);
});

test('served without the isolation headers (a plain static host), WASM runs on one thread and the page says why', async ({
  page,
}) => {
  const server = await serveDist();
  try {
    await page.goto(`${server.url}/?layers=16&subset=1000&epochs=1&seed=2&backend=wasm`);
    await page.getByTestId('train-button').click();
    await waitForStatus(page, ['done']);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.getByTestId('backend-plain')).toHaveText('WebAssembly (CPU, 1 thread)');
    await page.getByText('Technical details').click();
    await expect(page.getByText(/1 thread: the page is not cross-origin isolated/).last()).toBeVisible();
  } finally {
    await server.close();
  }
});

test('backend=cpu in the URL trains on the CPU backend', async ({ page }) => {
  await page.goto('/?layers=8&subset=600&epochs=1&backend=cpu');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  await expect(page.getByTestId('backend-name')).toHaveText('cpu');
});
