/**
 * What a dataset load is told (LoadOptions), what it reports while it runs (LoadProgress) and how
 * it fails (DataLoadError): shared by the loader's parts, and re-exported by data/mnist.ts.
 */

export interface LoadProgress {
  /** Compressed bytes read so far (network or cache) of `total`. */
  readonly loaded: number;
  readonly total: number;
  readonly fromCache: boolean;
}

/** A data file that could not be loaded; the message names the file and what went wrong. */
export class DataLoadError extends Error {
  constructor(
    readonly file: string,
    detail: string,
    dataset = 'MNIST',
  ) {
    super(`Could not load the ${dataset} file ${file}: ${detail}`);
    this.name = 'DataLoadError';
  }
}

/** What a loader may be told: how long to wait, and what to fetch with (tests give their own). */
export interface LoadOptions {
  /** Give up on a request that sends nothing for this long, and try it once more (default 30 s). */
  readonly stallMs?: number;
  /**
   * When the data is cached, wait at most this long for a fresh manifest before using the cached
   * one (default 5 s): a stalled server must not block a start that needs nothing from it.
   */
  readonly manifestMs?: number;
  readonly fetch?: typeof fetch;
}

/** LoadOptions with every default filled in. */
export type ResolvedLoadOptions = Required<Omit<LoadOptions, 'fetch'>> & { fetch: typeof fetch };
