// The store pulls in worker/client.ts, which reads import.meta.env (typed by Vite).
/// <reference types="vite/client" />
import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { createTrainingClient } from '../../../src/worker/client';

/** A stand-in for the browser's Worker: counts the workers made and ended, and keeps what was posted. */
function fakeWorkers() {
  const made: { posted: { type: string; threads?: number }[]; ended: boolean }[] = [];
  class FakeWorker {
    private readonly me = { posted: [] as { type: string; threads?: number }[], ended: false };
    constructor() {
      made.push(this.me);
    }
    postMessage(m: { type: string; threads?: number }) {
      this.me.posted.push(m);
    }
    addEventListener() {}
    terminate() {
      this.me.ended = true;
    }
  }
  vi.stubGlobal('Worker', FakeWorker);
  vi.stubGlobal('location', { href: 'http://lab.test/' });
  return made;
}

afterEach(() => vi.unstubAllGlobals());

const wasm: TrainConfig = { ...DEFAULT_CONFIG, backend: 'wasm' };

describe('the side worker’s thread count (a WASM worker’s pool is fixed once it starts)', () => {
  test('a group trial, then the group, on one thread: one worker, not restarted between them', () => {
    const made = fakeWorkers();
    const client = createTrainingClient(() => undefined);
    void client.timeGroups(wasm, [1, 2], 1).catch(() => undefined);
    client.trainGroup([wasm, { ...wasm, seed: 2 }], 1);
    client.train(wasm, 'm', { quiet: true, threads: 1 });
    expect(made).toHaveLength(1);
    expect(made[0]?.posted.map((m) => [m.type, m.threads])).toEqual([
      ['group-time', 1],
      ['train-group', 1],
      ['train', 1],
    ]);
  });

  test('another thread count restarts it; CPU runs keep the worker as it is', () => {
    const made = fakeWorkers();
    const client = createTrainingClient(() => undefined);
    const cpu = { ...wasm, backend: 'cpu' as const };
    client.train(cpu, 'm', { quiet: true });
    client.trainGroup([cpu, { ...cpu, seed: 2 }], 1);
    void client.timeGroups(cpu, [1, 2], 1).catch(() => undefined);
    expect(made).toHaveLength(1);
    client.train(wasm, 'm', { threads: 2 });
    expect(made.map((w) => w.ended)).toEqual([true, false]);
  });
});
