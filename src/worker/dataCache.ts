/**
 * The worker's datasets: each loaded once and kept (about 55 MB each), everyone waiting for one
 * hearing its loading progress, and the images the page asks for picked out of them.
 */
import type { TrainData } from '../core/dataset/dataset';
import { mulberry32, sampleIndices } from '../core/network/rng';
import { INPUT_SIZE, type DatasetName } from '../core/network/spec';
import { loadDataset, type LoadProgress } from '../data/mnist';
import type { MainToWorker, Sample } from './protocol';

export type LoadData = (
  baseUrl: string,
  dataset: DatasetName,
  onProgress: (p: LoadProgress) => void,
) => Promise<TrainData>;

export interface DataCache {
  /**
   * The dataset, loading it if need be. With `signal`, gives up waiting (null) as soon as it
   * aborts: the download goes on for whoever else waits, and is kept for next time.
   */
  get(
    baseUrl: string,
    dataset: DatasetName,
    onProgress: (p: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<TrainData | null>;
}

/** Resolves with `loading`, or with null as soon as `signal` aborts. */
async function unlessAborted<T>(loading: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) return null;
  let stop: (() => void) | undefined;
  const aborted = new Promise<null>((resolve) => {
    stop = () => resolve(null);
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([loading, aborted]);
  } finally {
    if (stop) signal.removeEventListener('abort', stop);
  }
}

export function createDataCache(load: LoadData = loadDataset): DataCache {
  const data = new Map<DatasetName, Promise<TrainData>>();
  // Everyone waiting for a dataset hears its loading progress (a run, the gallery, or both), and
  // only that dataset's.
  const listeners = new Map<DatasetName, Set<(p: LoadProgress) => void>>();
  const listenersOf = (dataset: DatasetName) => {
    let set = listeners.get(dataset);
    if (!set) listeners.set(dataset, (set = new Set()));
    return set;
  };
  const loadingOf = (baseUrl: string, dataset: DatasetName) => {
    let loading = data.get(dataset);
    if (!loading) {
      loading = load(baseUrl, dataset, (p) => {
        for (const l of listenersOf(dataset)) l(p);
      }).catch((e: unknown) => {
        data.delete(dataset); // let the next request try again
        throw e;
      });
      // Whoever asked may have stopped waiting (a run stopped while its data loads): a failure
      // then has nobody to hear it, and must not surface as an unhandled rejection.
      loading.catch(() => undefined);
      data.set(dataset, loading);
    }
    return loading;
  };
  return {
    async get(baseUrl, dataset, onProgress, signal) {
      const mine = listenersOf(dataset);
      mine.add(onProgress);
      try {
        const loading = loadingOf(baseUrl, dataset);
        return signal ? await unlessAborted(loading, signal) : await loading;
      } finally {
        mine.delete(onProgress);
      }
    },
  };
}

/** Passes on loading progress at most every 100 ms, and always the last. */
export function throttledProgress(post: (p: LoadProgress) => void): (p: LoadProgress) => void {
  let last = 0;
  return (p) => {
    const t = performance.now();
    if (t - last > 100 || p.loaded === p.total) {
      last = t;
      post(p);
    }
  };
}

/** The images a `sample` request asks for: random training images by seed, or test images by index. */
export function pickImages(d: TrainData, pick: Extract<MainToWorker, { type: 'sample' }>['pick']): Sample {
  const src = pick.split === 'train' ? d.train : d.test;
  const n = src.labels.length;
  const indices =
    pick.split === 'train'
      ? sampleIndices(n, pick.count, mulberry32(pick.seed))
      : pick.indices.filter((i) => Number.isInteger(i) && i >= 0 && i < n);
  const images = new Uint8Array(indices.length * INPUT_SIZE);
  indices.forEach((idx, i) =>
    images.set(src.images.subarray(idx * INPUT_SIZE, (idx + 1) * INPUT_SIZE), i * INPUT_SIZE),
  );
  const labels = Uint8Array.from(indices, (idx) => src.labels[idx] as number);
  return { indices, images, labels };
}
