import { expect, test } from '@playwright/test';

// Chromium ignores history.replaceState beyond about 200 calls in 10 s (its flooding protection,
// which Playwright turns off by default: turned back on here, as every user has it).
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-swiftshader',
    ],
    ignoreDefaultArgs: ['--disable-ipc-flooding-protection'],
  },
});

test('the address keeps up with a burst of edits: the last one always lands (issue 10)', async ({ page }) => {
  await page.goto('/?layers=32&seed=1');
  // 301 quick edits of the first layer's width, as a fast drag of its slider gives.
  await page.getByTestId('layer-0-slider').evaluate((el: HTMLInputElement) => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    for (let i = 0; i < 300; i++) {
      set?.call(el, String(i % 2 === 0 ? 13 : 12)); // 40 and 32 units
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    set?.call(el, '20'); // and last, 192 units
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await expect(page.getByTestId('layer-0-units')).toHaveValue('192');
  await expect(page).toHaveURL(/layers=192&/, { timeout: 3000 });
  // A reload opens what the controls showed.
  await page.reload();
  await expect(page.getByTestId('layer-0-units')).toHaveValue('192');
});
