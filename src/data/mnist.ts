/**
 * Loads the prepared MNIST files (gzip of the original IDX files, made by scripts/prepare-data.mjs)
 * from the page's own origin: fetch with progress, keep the compressed bytes in Cache Storage so a
 * later visit does not touch the network, inflate with DecompressionStream, parse and validate.
 */
import { checkLabels, parseIdx } from '../core/dataset/idx';
import { DATASET_LABELS, NUM_CLASSES, type DatasetName } from '../core/network/spec';
import type { TrainData } from '../core/dataset/dataset';

export interface ManifestFile {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzBytes: number;
  /** SHA-256 of the inflated file, hex (manifests made since the first release have it). */
  readonly sha256?: string;
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

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

function isManifest(x: unknown): x is Manifest {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<Manifest>;
  return (
    typeof m.version === 'string' &&
    Array.isArray(m.files) &&
    m.files.every(
      (f) =>
        typeof f === 'object' &&
        f !== null &&
        typeof f.name === 'string' &&
        typeof f.file === 'string' &&
        typeof f.gzBytes === 'number',
    )
  );
}

/** The manifest from a response, or null if the body is not one (an HTML fallback page, say). */
async function manifestOf(response: Response): Promise<Manifest | null> {
  try {
    const m: unknown = await response.json();
    return isManifest(m) ? m : null;
  } catch {
    return null;
  }
}

async function readWithProgress(
  response: Response,
  onBytes: (n: number) => void,
  stall: Promise<never>,
): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await Promise.race([response.arrayBuffer(), stall]));
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), stall]);
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      onBytes(value.byteLength);
    }
  } catch (e) {
    reader.cancel().catch(() => undefined);
    throw e;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** A failure worth one more try: no answer, a stall, a dropped connection. */
class Retryable extends Error {}

/**
 * Fetches `url` and reads its body, giving up when nothing arrives for `stallMs` (before the
 * headers or between chunks), whether or not the fetch honours its abort signal. `onBytes` hears
 * each chunk's size.
 */
async function fetchBody(
  fetchImpl: typeof fetch,
  url: string,
  stallMs: number,
  onBytes: (n: number) => void,
  init: RequestInit = {},
): Promise<Response & { bytes: Uint8Array }> {
  const controller = new AbortController();
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let giveUp: (e: Error) => void = () => undefined;
  const stall = new Promise<never>((_, reject) => (giveUp = reject));
  stall.catch(() => undefined);
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
      giveUp(new Error('stalled'));
    }, stallMs);
  };
  arm();
  try {
    const response = await Promise.race([fetchImpl(url, { ...init, signal: controller.signal }), stall]);
    if (!response.ok) return Object.assign(response, { bytes: new Uint8Array() });
    const bytes = await readWithProgress(
      response,
      (n) => {
        arm();
        onBytes(n);
      },
      stall,
    );
    return Object.assign(response, { bytes });
  } catch (e) {
    throw new Retryable(
      stalled
        ? `the server stopped sending it after ${seconds(stallMs)}`
        : `network error (${e instanceof Error ? e.message : String(e)})`,
    );
  } finally {
    clearTimeout(timer);
  }
}

async function fetchManifest(
  dir: string,
  cache: Cache | null,
  label: string,
  options: Required<Omit<LoadOptions, 'fetch'>> & { fetch: typeof fetch },
): Promise<Manifest> {
  const url = `${dir}manifest.json`;
  const cached = async (): Promise<Manifest | null> => {
    const hit = await cache?.match(url).catch(() => undefined);
    return hit ? manifestOf(hit) : null;
  };
  const fresh = (async (): Promise<{ manifest: Manifest | null; problem: string }> => {
    try {
      const r = await fetchBody(options.fetch, url, options.stallMs, () => undefined, { cache: 'no-cache' });
      if (!r.ok)
        return {
          manifest: null,
          problem: `HTTP ${r.status} from ${url} (was the data prepared? run npm run prepare-data)`,
        };
      const manifest = await manifestOf(new Response(r.bytes as Uint8Array<ArrayBuffer>));
      if (!manifest) return { manifest: null, problem: `${url} is not the lab's manifest (a web page in its place?)` };
      await cache
        ?.put(
          url,
          new Response(r.bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/json' } }),
        )
        .catch(() => undefined);
      return { manifest, problem: '' };
    } catch (e) {
      return { manifest: null, problem: e instanceof Error ? `${e.message} (${url})` : String(e) };
    }
  })();
  // A fresh manifest if it comes soon; else the cached one, if there is one; else wait for it.
  let wait: ReturnType<typeof setTimeout> | undefined;
  const soon = await Promise.race([
    fresh,
    new Promise<null>((resolve) => (wait = setTimeout(() => resolve(null), options.manifestMs))),
  ]);
  clearTimeout(wait);
  if (soon?.manifest) return soon.manifest;
  const old = await cached();
  if (old) return old;
  const late = soon ?? (await fresh);
  if (late.manifest) return late.manifest;
  throw new DataLoadError('manifest.json', late.problem, label);
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  if (typeof crypto === 'undefined' || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
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
  const opts = {
    stallMs: options.stallMs ?? 30_000,
    manifestMs: options.manifestMs ?? 5_000,
    fetch: options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a)),
  };
  const dir = `${baseUrl}data/${dataset}/`;
  const label = DATASET_LABELS[dataset];
  const cache = await openCache();
  const manifest = await fetchManifest(dir, cache, label, opts);
  const total = manifest.files.reduce((s, f) => s + f.gzBytes, 0);
  let loaded = 0;
  let fromCache = true;
  const add = (n: number) => {
    loaded += n;
    onProgress({ loaded, total, fromCache });
  };

  /** The checks a file must pass before it is used or kept: `read` parses it, then the hash. */
  const checked = async <T>(
    raw: Uint8Array,
    entry: ManifestFile & { sha256?: string },
    read: (raw: Uint8Array) => T,
  ): Promise<T> => {
    const value = read(raw);
    if (entry.sha256) {
      const hash = await sha256Hex(raw);
      if (hash !== null && hash !== entry.sha256)
        throw new DataLoadError(
          entry.file,
          'its content is not the file the manifest lists (a web page or a cut-off download in its place?)',
          label,
        );
    }
    return value;
  };

  const loadFile = async <T>(name: string, read: (raw: Uint8Array) => T): Promise<T> => {
    const entry = manifest.files.find((f) => f.name === name) as (ManifestFile & { sha256?: string }) | undefined;
    if (!entry) throw new DataLoadError(name, 'not listed in manifest.json', label);
    const url = `${dir}${entry.file}`;
    const key = `${url}?v=${manifest.version}`;
    const hit = await cache?.match(key).catch(() => undefined);
    if (hit) {
      let counted = 0;
      try {
        const gz = new Uint8Array(await hit.arrayBuffer());
        counted = gz.byteLength;
        add(counted);
        return await checked(await gunzip(gz, entry.file, label), entry, read);
      } catch {
        // A kept file that fails its checks is dropped, and fetched once more from the network.
        await cache?.delete(key).catch(() => undefined);
        add(-counted);
      }
    }
    fromCache = false;
    let gz: Uint8Array | null = null;
    for (let attempt = 0; gz === null; attempt++) {
      let got = 0;
      try {
        const r = await fetchBody(opts.fetch, url, opts.stallMs, (n) => {
          got += n;
          add(n);
        });
        if (!r.ok) throw new DataLoadError(entry.file, `HTTP ${r.status} from ${url}`, label);
        gz = r.bytes;
      } catch (e) {
        add(-got);
        if (!(e instanceof Retryable)) throw e;
        if (attempt >= 1) throw new DataLoadError(entry.file, `${e.message}, twice`, label);
      }
    }
    const value = await checked(await gunzip(gz, entry.file, label), entry, read);
    await cache?.put(key, new Response(gz as Uint8Array<ArrayBuffer>)).catch(() => undefined);
    return value;
  };

  const parsed = [];
  for (const split of SPLITS) {
    const images = await loadFile(
      split.images,
      (raw) => parseIdx(raw, split.images, { dims: [split.count, 28, 28] }).data,
    );
    const labels = await loadFile(split.labels, (raw) => {
      const data = parseIdx(raw, split.labels, { dims: [split.count] }).data;
      checkLabels(data, split.labels, NUM_CLASSES);
      return data;
    });
    parsed.push({ images, labels });
  }
  // Drop cached files of older versions of this dataset (the other dataset's stay).
  if (cache) {
    for (const req of await cache.keys()) {
      if (req.url.startsWith(dir) && req.url.includes('?v=') && !req.url.endsWith(`?v=${manifest.version}`))
        await cache.delete(req);
    }
  }
  const [train, test] = parsed as [TrainData['train'], TrainData['test']];
  return { train, test };
}
