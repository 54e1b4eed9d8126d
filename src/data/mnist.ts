/**
 * Loads the prepared MNIST files (gzip of the original IDX files, made by scripts/prepare-data.mjs)
 * from the page's own origin: fetch with progress, keep the compressed bytes in Cache Storage so a
 * later visit does not touch the network, inflate with DecompressionStream, parse and validate.
 * The parts: the manifest (manifest.ts), one file from cache or network (dataFile.ts), a request
 * with stall detection (fetchBody.ts).
 */
import { checkLabels, parseIdx } from '../core/dataset/idx';
import { DATASET_LABELS, NUM_CLASSES, type DatasetName } from '../core/network/spec';
import type { TrainData } from '../core/dataset/dataset';
import { fetchManifest } from './manifest';
import { FileLoader } from './dataFile';
import type { LoadOptions, LoadProgress, ResolvedLoadOptions } from './loadTypes';

export { DataLoadError, type LoadOptions, type LoadProgress } from './loadTypes';
export type { Manifest, ManifestFile } from './manifest';

const CACHE_NAME = 'mlp-lab-data';
const SPLITS = [
  { key: 'train', images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000 },
  { key: 't10k', images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000 },
] as const;

async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(CACHE_NAME);
  } catch {
    return null; // Cache Storage is off (private mode, insecure origin): load from the network.
  }
}

/** MNIST's 70,000 images (see loadDataset). */
export function loadMnist(
  baseUrl: string,
  onProgress: (p: LoadProgress) => void,
  options: LoadOptions = {},
): Promise<TrainData> {
  return loadDataset(baseUrl, 'mnist', onProgress, options);
}

/**
 * Loads all 70,000 images and labels of a dataset. `baseUrl` is the page's base (ending in '/');
 * files come from `${baseUrl}data/${dataset}/`, in MNIST's IDX format (Fashion-MNIST is prepared
 * into the same). Each file is checked (IDX header, counts, labels, and the manifest's SHA-256)
 * before it is kept in Cache Storage, so a bad download (a proxy's page, a cut-off file) is never
 * kept; a cached file that fails the checks is dropped and fetched again. A request that stalls is
 * given up after `stallMs` and tried once more. Rejects with DataLoadError naming the file.
 */
export async function loadDataset(
  baseUrl: string,
  dataset: DatasetName,
  onProgress: (p: LoadProgress) => void,
  options: LoadOptions = {},
): Promise<TrainData> {
  const opts: ResolvedLoadOptions = {
    stallMs: options.stallMs ?? 30_000,
    manifestMs: options.manifestMs ?? 5_000,
    fetch: options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a)),
  };
  const dir = `${baseUrl}data/${dataset}/`;
  const label = DATASET_LABELS[dataset];
  const cache = await openCache();
  const manifest = await fetchManifest(dir, cache, label, opts);
  const files = new FileLoader({ dir, label, manifest, cache, options: opts }, onProgress);
  const parsed = [];
  for (const split of SPLITS) {
    const images = await files.load(
      split.images,
      (raw) => parseIdx(raw, split.images, { dims: [split.count, 28, 28] }).data,
    );
    const labels = await files.load(split.labels, (raw) => {
      const data = parseIdx(raw, split.labels, { dims: [split.count] }).data;
      checkLabels(data, split.labels, NUM_CLASSES);
      return data;
    });
    parsed.push({ images, labels });
  }
  if (cache) await dropOldVersions(cache, dir, manifest.version);
  const [train, test] = parsed as [TrainData['train'], TrainData['test']];
  return { train, test };
}

/** Drops cached files of older versions of the dataset in `dir` (the other dataset's stay). */
async function dropOldVersions(cache: Cache, dir: string, version: string): Promise<void> {
  for (const req of await cache.keys()) {
    if (req.url.startsWith(dir) && req.url.includes('?v=') && !req.url.endsWith(`?v=${version}`))
      await cache.delete(req);
  }
}
