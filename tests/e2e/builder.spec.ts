import { expect, test } from '@playwright/test';

test('adding a layer and moving its slider update the summary, the parameter count and the URL at once; a reload restores them', async ({
  page,
}) => {
  await page.goto('/?layers=32&seed=9');
  await expect(page.getByTestId('param-total')).toHaveText('25,450');
  await page.getByTestId('add-layer').click();
  await expect(page.getByTestId('param-total')).toHaveText('26,506'); // + 32*32 + 32
  await expect(page).toHaveURL(/layers=32,32/);
  // Keyboard on the second layer's slider: two stops up from 32 is 48.
  const slider = page.getByTestId('layer-1-slider');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('layer-1-units')).toHaveValue('48');
  await expect(page.getByTestId('param-total')).toHaveText(
    String(25120 + 32 * 48 + 48 + 48 * 10 + 10).replace(/\B(?=(\d{3})+(?!\d))/g, ','),
  );
  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('keras-summary')).toContainText(
    'dense_2 (Dense)              (None, 48)                1584',
  );
  await expect(page).toHaveURL(/layers=32,48/);
  await expect(page.getByTestId('network-diagram')).toHaveAttribute(
    'aria-label',
    'Network diagram: 784, 32, 48, 10 units',
  );
  // An exact width, an activation and a setting.
  await page.getByTestId('layer-0-units').fill('100');
  await page.getByTestId('layer-0-units').press('Enter');
  await page.getByLabel('activation', { exact: true }).nth(1).selectOption('relu');
  await page.getByRole('spinbutton', { name: 'epochs', exact: true }).fill('3');
  await expect(page).toHaveURL(/layers=100,48&act=sigmoid,relu&epochs=3/);
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(page.getByTestId('layer-0-units')).toHaveValue('100');
  await expect(page.getByTestId('layer-1-units')).toHaveValue('48');
  await expect(page.getByLabel('activation', { exact: true }).nth(1)).toHaveValue('relu');
  await expect(page.getByRole('spinbutton', { name: 'epochs', exact: true })).toHaveValue('3');
  await expect(page.getByTestId('seed')).toHaveValue('9');
  await expect(page.getByTestId('param-total')).toHaveText('83,838'); // 78,500 + 4,848 + 490
  // Removing both layers leaves logistic regression.
  await page.getByRole('button', { name: 'Remove layer 2' }).click();
  await page.getByRole('button', { name: 'Remove layer 1' }).click();
  await expect(page.getByTestId('param-total')).toHaveText('7,850');
  await expect(page).toHaveURL(/layers=&/);
});
