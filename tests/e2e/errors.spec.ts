import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { waitForStatus } from './helpers';

test('a broken share URL opens with a notice naming each bad value and usable defaults', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Fourteen kinds of bad value in one link: not numbers, out of range, unknown names, markup.
  await page.goto(
    '/?v=9&layers=32,abc&epochs=-3&batch=0&lr=wat&opt=magic&val=7&pre=fancy&seed=xyz&data=cifar&backend=cuda&subset=5&foo=1&act=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
  );
  const notices = page.getByTestId('url-notices');
  await expect(notices).toBeVisible();
  const bad = [
    'v="9"',
    'layers="32,abc"',
    'epochs="-3"',
    'batch="0"',
    'lr="wat"',
    'opt="magic"',
    'val="7"',
    'pre="fancy"',
    'seed="xyz"',
    'data="cifar"',
    'backend="cuda"',
    'subset="5"',
    'foo="1"',
    'act="<img src=x onerror=alert(1)>"',
  ];
  for (const param of bad) await expect(notices).toContainText(param);
  await expect(notices.getByRole('listitem')).toHaveCount(bad.length);
  await expect(notices).toContainText('epochs="-3"'); // clamped to 1, said in the notice
  await expect(notices).toContainText('used "1"');
  // Nothing from the URL became markup.
  await expect(page.locator('img')).toHaveCount(0);
  // Usable values in the controls, and the address rewritten to them.
  await expect(page.getByTestId('param-total')).toHaveText('25,450');
  await expect(page.getByRole('spinbutton', { name: 'epochs', exact: true })).toHaveValue('1');
  await expect(page.getByRole('spinbutton', { name: 'batch size' })).toHaveValue('1');
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await expect(page).toHaveURL(/[?&]v=1&/);
  await expect(page).not.toHaveURL(/foo=|cifar|cuda|fancy/);
  expect(errors).toEqual([]);
});

test('too many layers or too many parameters in a link fall back with a notice, not a frozen tab', async ({ page }) => {
  await page.goto('/?layers=8,8,8,8,8,8,8,8,8,8,8,8');
  await expect(page.getByTestId('url-notices')).toContainText('layers="8,8,8,8,8,8,8,8,8,8,8,8"');
  await expect(page.getByTestId('layer-9-units')).toHaveValue('8');
  await expect(page.getByTestId('layer-10-units')).toHaveCount(0);
  await page.goto('/?layers=4096,4096,4096');
  await expect(page.getByTestId('url-notices')).toContainText('parameters is more than this lab allows');
  await expect(page.getByTestId('param-total')).toHaveText('25,450');
});

test('a missing data file gives a message naming it, and no hang', async ({ page }) => {
  await page.route('**/data/mnist/train-labels-idx1-ubyte.gzdata', (route) =>
    route.fulfill({ status: 404, body: 'not found' }),
  );
  await page.goto('/?layers=8&subset=500&epochs=1');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['error'], 60_000);
  await expect(page.getByTestId('error-message')).toContainText('train-labels-idx1-ubyte.gzdata');
  await expect(page.getByTestId('error-message')).toContainText('HTTP 404');
  await expect(page.getByTestId('train-button')).toBeEnabled();
});

test('a corrupt data file gives a message saying which file and what is wrong', async ({ page }) => {
  // A well-formed gzip of an IDX header that claims 9,999 test images instead of 10,000.
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0x27, 0x0f, 0, 0, 0, 28, 0, 0, 0, 28]);
  const body = gzipSync(Buffer.concat([header, Buffer.alloc(9999 * 784)]));
  await page.route('**/data/mnist/t10k-images-idx3-ubyte.gzdata', (route) => route.fulfill({ status: 200, body }));
  await page.goto('/?layers=8&subset=500&epochs=1');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['error'], 60_000);
  await expect(page.getByTestId('error-message')).toContainText(
    't10k-images-idx3-ubyte: dimensions 9999x28x28, expected 10000x28x28',
  );
});

test('after the first visit the data comes from the browser cache, not the network', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.gzdata')) fetched.push(r.url());
  });
  await page.goto('/?layers=8&subset=500&epochs=1');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  expect(fetched).toHaveLength(4);
  fetched.length = 0;
  await page.reload();
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  expect(fetched).toEqual([]);
});

test('a link with a very long number opens at once with a notice (100,000 digits froze the page for about 27 s)', async ({
  page,
}) => {
  // As long as the preview server accepts (Node's 16 kB header limit); the unit tests take 100,000.
  const t0 = Date.now();
  await page.goto(`/?layers=32&epochs=${'1'.repeat(12_000)}x`);
  await expect(page.getByTestId('url-notices')).toContainText('too long (12001 characters', { timeout: 5000 });
  expect(Date.now() - t0).toBeLessThan(5000);
  await expect(page.getByRole('spinbutton', { name: 'epochs', exact: true })).toHaveValue('5');
  // The address is rewritten to the values in use, without the long one.
  await expect(page).toHaveURL(/epochs=5&/);
  expect(page.url().length).toBeLessThan(400);
});

test('item 18: a network that would not fit device memory is refused before it starts, with the estimate and a batch that fits', async ({
  page,
}) => {
  await page.goto(`/?layers=${Array.from({ length: 10 }, () => 1400).join(',')}&act=relu&batch=8192`);
  await expect(page.getByTestId('device-memory')).toContainText('Device memory for a run: about 2.5 GB (too much');
  await expect(page.getByTestId('memory-problem')).toContainText('Lower the batch size to 1024');
  await expect(page.getByTestId('train-button')).toBeDisabled();
  // The suggested batch size makes it trainable again.
  const batch = page.getByRole('spinbutton', { name: 'batch size' });
  if (!(await batch.isVisible())) await page.getByTestId('advanced').locator('summary').click();
  await batch.fill('1024');
  await batch.press('Enter');
  await expect(page.getByTestId('memory-problem')).toHaveCount(0);
  await expect(page.getByTestId('train-button')).toBeEnabled();
  await expect(page.getByTestId('device-memory')).toContainText('about 834 MB.');
});
