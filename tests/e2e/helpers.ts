import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

/** Waits until the run status is one of `states` and returns it. */
export async function waitForStatus(page: Page, states: string[], timeout = 150_000): Promise<string> {
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(new RegExp(`^(${states.join('|')})`), { timeout });
  return (await status.textContent()) ?? '';
}

/** The history table as rows of cells, without the seconds column (timing differs run to run). */
export async function epochRows(page: Page): Promise<string[][]> {
  const rows = await page.getByTestId('history-table').locator('tbody tr').all();
  return Promise.all(rows.map(async (r) => (await r.locator('td').allTextContents()).slice(0, 5)));
}

/** "N before, M after" -> [N, M]. */
export async function workerTensors(page: Page): Promise<[number, number]> {
  const text = (await page.getByTestId('worker-tensors').textContent()) ?? '';
  const m = /(\d+) before, (\d+) after/.exec(text);
  if (!m) throw new Error(`no tensor counts in "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

/** The next `count` downloads of `page`, by file name, once all have arrived. */
export function downloads(page: Page, count: number): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  return new Promise((resolve) => {
    page.on('download', (d) => {
      void d.path().then((p) => {
        files.set(d.suggestedFilename(), readFileSync(p));
        if (files.size === count) resolve(files);
      });
    });
  });
}

/** How many run records the page's IndexedDB holds now (to wait for a write before a reload). */
export function storedRunCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const r = indexedDB.open('mlp-lab');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const db = r.result;
          const count = db.transaction('runs', 'readonly').objectStore('runs').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}
