import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/network/spec';
import { newRunRecord, type RunRecord } from '../../../src/core/runs/runs';
import { indexedDbRuns } from '../../../src/store/runsDb';

// The IndexedDB repository on an in-memory IndexedDB (fake-indexeddb): a long history is read
// page by page and written group by group, and a batch is stored whole or not at all (issue 26).

const run = (i: number): RunRecord => ({
  ...newRunRecord(`run-${String(i).padStart(5, '0')}`, 1_700_000_000_000 + i, { ...DEFAULT_CONFIG, seed: i }),
  status: 'done',
  testAcc: 0.9,
  testLoss: 0.3,
  epochs: [{ epoch: 1, loss: 0.5, acc: 0.8, valLoss: 0.4, valAcc: 0.85, seconds: 1 }],
});

/** Writes raw values straight into the runs store (as an older release or a fault might leave them). */
async function writeRaw(factory: IDBFactory, values: readonly unknown[]) {
  await indexedDbRuns(factory).list(); // creates the database
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = factory.open('mlp-lab');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const tx = db.transaction('runs', 'readwrite');
  for (const v of values) tx.objectStore('runs').put(v);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}

describe('the IndexedDB runs repository', () => {
  test('2,500 runs written in one putMany are all listed, across pages, with unreadable records kept apart', async () => {
    const factory = new IDBFactory();
    const repo = indexedDbRuns(factory);
    const runs = Array.from({ length: 2500 }, (_, i) => run(i));
    await repo.putMany(runs);
    await writeRaw(factory, [
      { id: 'run-00999x', status: 'lost' },
      { id: 'zz-last', nonsense: true },
    ]);
    const listed = await repo.list();
    expect(listed.runs).toHaveLength(2500);
    expect(new Set(listed.runs.map((r) => r.id))).toEqual(new Set(runs.map((r) => r.id)));
    expect(listed.runs.find((r) => r.id === 'run-01234')).toEqual(run(1234));
    expect(listed.unreadable.map((u) => u.key)).toEqual(['run-00999x', 'zz-last']);
    // Deleting an unreadable record by the key the list gave it.
    await repo.deleteUnreadable(['zz-last']);
    expect((await repo.list()).unreadable.map((u) => u.key)).toEqual(['run-00999x']);
  });

  test('a batch with a record that cannot be stored is kept not at all; the batches before stay whole', async () => {
    const factory = new IDBFactory();
    const repo = indexedDbRuns(factory);
    await repo.putMany(Array.from({ length: 300 }, (_, i) => run(i)));
    const batch = Array.from({ length: 600 }, (_, i) => run(1000 + i));
    // A function cannot be cloned into storage: the 400th record fails, after 399 puts went out.
    batch[399] = { ...run(1399), error: (() => 'no') as unknown as string };
    await expect(repo.putMany(batch)).rejects.toThrow(/clone/i);
    const listed = await repo.list();
    expect(listed.runs).toHaveLength(300);
    expect(listed.runs.every((r) => Number(r.id.slice(4)) < 300)).toBe(true);
    // The connection still works for the next write.
    await repo.putMany([run(2000)]);
    expect((await repo.list()).runs).toHaveLength(301);
  });
});
