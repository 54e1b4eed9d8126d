/**
 * `start()` once, its promise shared by every caller, until it fails: a failure is not kept, so
 * the next call tries again (a backend that could not start, say, is not broken for good).
 */
export function onceUntilFailure<T>(start: () => Promise<T>): { get(): Promise<T>; set(p: Promise<T>): void } {
  let current: Promise<T> | null = null;
  const keep = (p: Promise<T>) => {
    const kept = p.catch((e: unknown) => {
      if (current === kept) current = null;
      throw e;
    });
    current = kept;
    return kept;
  };
  return {
    get: () => current ?? keep(start()),
    set: (p) => void keep(p),
  };
}
