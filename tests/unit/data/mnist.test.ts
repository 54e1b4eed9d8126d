import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDataset } from '../../../src/data/mnist';

// The loader in Node (no Cache Storage here) against the prepared files, with a fetch that can
// stall or lie: issue 10's "nothing stuck" for downloads.
const DIR = join(import.meta.dirname, '../../../public/data/mnist');
const BASE = 'http://lab.test/';

/** A body that sends nothing, ever (a stalled server). */
const stalled = () => new Response(new ReadableStream({ start: () => undefined }));

function fakeFetch(behave: (file: string, call: number) => Response | 'real'): {
  fetch: typeof fetch;
  calls: string[];
} {
  const calls: string[] = [];
  const counts = new Map<string, number>();
  const f = async (input: RequestInfo | URL): Promise<Response> => {
    const file = String(input).split('/').pop() ?? '';
    calls.push(file);
    const n = (counts.get(file) ?? 0) + 1;
    counts.set(file, n);
    const r = behave(file, n);
    return r === 'real' ? new Response(readFileSync(join(DIR, file))) : r;
  };
  return { fetch: f as typeof fetch, calls };
}

describe('loading the dataset', () => {
  test('loads all 70,000 images through the checks', async () => {
    const { fetch, calls } = fakeFetch(() => 'real');
    const d = await loadDataset(BASE, 'mnist', () => undefined, { fetch });
    expect(d.train.labels).toHaveLength(60000);
    expect(d.test.images).toHaveLength(10000 * 784);
    expect(calls).toHaveLength(5);
  });

  test('a request that stalls is given up after the stall time and tried once more', async () => {
    const { fetch, calls } = fakeFetch((file, n) =>
      file === 'train-labels-idx1-ubyte.gzdata' && n === 1 ? stalled() : 'real',
    );
    const d = await loadDataset(BASE, 'mnist', () => undefined, { fetch, stallMs: 200 });
    expect(d.train.labels).toHaveLength(60000);
    expect(calls.filter((c) => c === 'train-labels-idx1-ubyte.gzdata')).toHaveLength(2);
  });

  test('a request that stalls twice fails with a message naming the file and the wait', async () => {
    const { fetch } = fakeFetch((file) => (file === 'train-labels-idx1-ubyte.gzdata' ? stalled() : 'real'));
    await expect(loadDataset(BASE, 'mnist', () => undefined, { fetch, stallMs: 200 })).rejects.toThrow(
      'Could not load the MNIST file train-labels-idx1-ubyte.gzdata: the server stopped sending it after 0 s, twice',
    );
  });

  test('a web page served in place of a data file is rejected, naming the file', async () => {
    const { fetch } = fakeFetch((file) =>
      file === 't10k-labels-idx1-ubyte.gzdata' ? new Response('<!doctype html><p>log in</p>') : 'real',
    );
    await expect(loadDataset(BASE, 'mnist', () => undefined, { fetch })).rejects.toThrow(/t10k-labels-idx1-ubyte/);
  });

  test('a file whose content differs from the manifest is rejected even when it parses', async () => {
    // Valid IDX labels, the right count, but not MNIST's: only the manifest's hash can tell.
    const fake = Buffer.concat([Buffer.from([0, 0, 8, 1, 0, 0, 0x27, 0x10]), Buffer.alloc(10000, 3)]);
    const { fetch } = fakeFetch((file) => (file === 't10k-labels-idx1-ubyte.gzdata' ? new Response(fake) : 'real'));
    await expect(loadDataset(BASE, 'mnist', () => undefined, { fetch })).rejects.toThrow(
      /t10k-labels-idx1-ubyte.gzdata: its content is not the file the manifest lists/,
    );
  });

  test('a manifest that is a web page says so', async () => {
    const { fetch } = fakeFetch((file) => (file === 'manifest.json' ? new Response('<!doctype html>') : 'real'));
    await expect(loadDataset(BASE, 'mnist', () => undefined, { fetch })).rejects.toThrow(
      /manifest.json.*is not the lab's manifest/,
    );
  });
});
