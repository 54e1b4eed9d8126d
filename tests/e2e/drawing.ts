/** Digits drawn with the mouse on the draw panel's canvas, for the e2e tests. */
import type { Page } from '@playwright/test';

/** Strokes in the canvas's own 280x280 coordinates, drawn with the mouse. */
export type Stroke = readonly (readonly [number, number])[];

export const DIGITS: Record<string, readonly Stroke[]> = {
  '1': [
    [
      [140, 40],
      [140, 240],
    ],
  ],
  '0': [
    Array.from(
      { length: 41 },
      (_, i) => [140 + 60 * Math.sin((i / 40) * 2 * Math.PI), 140 - 95 * Math.cos((i / 40) * 2 * Math.PI)] as const,
    ),
  ],
  '7': [
    [
      [70, 50],
      [210, 50],
      [120, 240],
    ],
  ],
  '3': [
    [
      [80, 60],
      [140, 40],
      [200, 70],
      [190, 120],
      [130, 140],
      [200, 160],
      [205, 215],
      [140, 245],
      [75, 225],
    ],
  ],
};

export async function drawStrokes(page: Page, strokes: readonly Stroke[]): Promise<void> {
  const canvas = page.getByTestId('digit-canvas');
  for (const stroke of strokes) {
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no canvas on the page');
    const at = ([x, y]: readonly [number, number]) =>
      [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height] as const;
    const [first, ...rest] = stroke;
    if (!first) continue;
    await page.mouse.move(...at(first));
    await page.mouse.down();
    for (const p of rest) await page.mouse.move(...at(p), { steps: 4 });
    await page.mouse.up();
  }
}
