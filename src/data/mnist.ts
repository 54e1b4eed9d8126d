/**
 * Loads the prepared MNIST files (gzip of the original IDX files, made by scripts/prepare-data.mjs)
 * from the page's own origin: fetch with progress, keep the compressed bytes in Cache Storage so a
 * later visit does not touch the network, inflate with DecompressionStream, parse and validate.
 */
import { checkLabels, parseIdx } from '../core/idx';
import { DATASET_LABELS, NUM_CLASSES, type DatasetName } from '../core/spec';
import type { TrainData } from '../core/dataset';

export interface ManifestFile {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzBytes: number;
}

export interface Manifest {
  readonly dataset: string;
  readonly version: string;
  readonly files: readonly ManifestFile[];
}

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

async function fetchManifest(dir: string, cache: Cache | null, label: string): Promise<Manifest> {
  const url = `${dir}manifest.json`;
  let response: Response | undefined;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch {
    response = undefined;
  }
  if (response?.ok) {
    const manifest = (await response.clone().json()) as Manifest;
    await cache?.put(url, response).catch(() => undefined);
    return manifest;
  }
  const cached = await cache?.match(url);
  if (cached) return (await cached.json()) as Manifest;
  throw new DataLoadError(
    'manifest.json',
    response ? `HTTP ${response.status} from ${url} (was the data prepared? run npm run prepare-data)` : `network error fetching ${url}`,
    label,
  );
}

async function readWithProgress(response: Response, onBytes: (n: number) => void): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    onBytes(value.byteLength);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

async function gunzip(bytes: Uint8Array, file: string, label: string): Promise<Uint8Array> {
  // A server that sent the file with Content-Encoding: gzip has had the browser inflate it already.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new DataLoadError(file, 'the file is not valid gzip data (corrupt or truncated download)', label);
  }
}

/** MNIST's 70,000 images (see loadDataset). */
export function loadMnist(baseUrl: string, onProgress: (p: LoadProgress) => void): Promise<TrainData> {
  return loadDataset(baseUrl, 'mnist', onProgress);
}

/**
 * Loads all 70,000 images and labels of a dataset. `baseUrl` is the page's base (ending in '/');
 * files come from `${baseUrl}data/${dataset}/`, in MNIST's IDX format (Fashion-MNIST is prepared
 * into the same). Rejects with DataLoadError naming the file on any problem.
 */
export async function loadDataset(baseUrl: string, dataset: DatasetName, onProgress: (p: LoadProgress) => void): Promise<TrainData> {
  const dir = `${baseUrl}data/${dataset}/`;
  const label = DATASET_LABELS[dataset];
  const cache = await openCache();
  const manifest = await fetchManifest(dir, cache, label);
  const total = manifest.files.reduce((s, f) => s + f.gzBytes, 0);
  let loaded = 0;
  let fromCache = true;

  const fetchFile = async (name: string): Promise<Uint8Array> => {
    const entry = manifest.files.find((f) => f.name === name);
    if (!entry) throw new DataLoadError(name, 'not listed in manifest.json', label);
    const url = `${dir}${entry.file}`;
    const key = `${url}?v=${manifest.version}`;
    const hit = await cache?.match(key);
    let gz: Uint8Array;
    if (hit) {
      gz = new Uint8Array(await hit.arrayBuffer());
      loaded += gz.byteLength;
      onProgress({ loaded, total, fromCache });
    } else {
      fromCache = false;
      let response: Response;
      try {
        response = await fetch(url);
      } catch (e) {
        throw new DataLoadError(entry.file, `network error (${e instanceof Error ? e.message : String(e)})`, label);
      }
      if (!response.ok) throw new DataLoadError(entry.file, `HTTP ${response.status} from ${url}`, label);
      gz = await readWithProgress(response, (n) => {
        loaded += n;
        onProgress({ loaded, total, fromCache });
      });
    }
    let raw: Uint8Array;
    try {
      raw = await gunzip(gz, entry.file, label);
    } catch (e) {
      await cache?.delete(key);
      throw e;
    }
    if (!hit) await cache?.put(key, new Response(gz as Uint8Array<ArrayBuffer>)).catch(() => undefined);
    return raw;
  };

  const parsed = [];
  for (const split of SPLITS) {
    const images = parseIdx(await fetchFile(split.images), split.images, { dims: [split.count, 28, 28] }).data;
    const labels = parseIdx(await fetchFile(split.labels), split.labels, { dims: [split.count] }).data;
    checkLabels(labels, split.labels, NUM_CLASSES);
    parsed.push({ images, labels });
  }
  // Drop cached files of older versions of this dataset (the other dataset's stay).
  if (cache) {
    for (const req of await cache.keys()) {
      if (req.url.startsWith(dir) && req.url.includes('?v=') && !req.url.endsWith(`?v=${manifest.version}`)) await cache.delete(req);
    }
  }
  const [train, test] = parsed as [TrainData['train'], TrainData['test']];
  return { train, test };
}
