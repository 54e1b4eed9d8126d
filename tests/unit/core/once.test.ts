import { describe, expect, test } from 'vitest';
import { onceUntilFailure } from '../../../src/core/once';

// Issue 10: a backend that failed to start once was cached as failed for good, so every later
// prediction failed too.
describe('onceUntilFailure', () => {
  test('starts once and shares the result', async () => {
    let starts = 0;
    const o = onceUntilFailure(async () => ++starts);
    expect(await Promise.all([o.get(), o.get()])).toEqual([1, 1]);
    expect(await o.get()).toBe(1);
    expect(starts).toBe(1);
  });

  test('a failure is not kept: the next call starts again', async () => {
    let starts = 0;
    const o = onceUntilFailure(async () => {
      starts++;
      if (starts === 1) throw new Error('WebGL could not start');
      return 'wasm';
    });
    await expect(o.get()).rejects.toThrow('WebGL could not start');
    expect(await o.get()).toBe('wasm');
    expect(await o.get()).toBe('wasm');
    expect(starts).toBe(2);
  });

  test('a value set from outside is used, and forgotten if it fails', async () => {
    let starts = 0;
    const o = onceUntilFailure(async () => ++starts);
    o.set(Promise.resolve(7));
    expect(await o.get()).toBe(7);
    o.set(Promise.reject(new Error('lost')));
    await expect(o.get()).rejects.toThrow('lost');
    expect(await o.get()).toBe(1);
  });
});
