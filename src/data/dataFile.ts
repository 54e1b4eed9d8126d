/**
 * Loading one of a dataset's files: from Cache Storage when it holds this version, else from the
 * network (a stalled request is tried once more), inflated and checked (parsed, then the manifest's
 * SHA-256) before it is used or kept. A cached file that fails the checks is dropped and fetched
 * again. The loader counts the compressed bytes of every file it reads for the progress reports.
 */
import { fetchBody, Retryable } from './fetchBody';
import { DataLoadError, type LoadProgress, type ResolvedLoadOptions } from './loadTypes';
import type { Manifest, ManifestFile } from './manifest';

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

/** Where a dataset's files come from, and where they are kept. */
export interface FileSource {
  /** The dataset's folder URL, ending in '/'. */
  readonly dir: string;
  /** The dataset's name in messages ("MNIST"). */
  readonly label: string;
  readonly manifest: Manifest;
  readonly cache: Cache | null;
  readonly options: ResolvedLoadOptions;
}

/** Loads the files of one manifest, reporting the bytes read over all of them. */
export class FileLoader {
  private readonly total: number;
  private loaded = 0;
  private fromCache = true;

  constructor(
    private readonly source: FileSource,
    private readonly onProgress: (p: LoadProgress) => void,
  ) {
    this.total = source.manifest.files.reduce((s, f) => s + f.gzBytes, 0);
  }

  /** The file the manifest calls `name`, parsed by `read` (which throws on a bad file). */
  async load<T>(name: string, read: (raw: Uint8Array) => T): Promise<T> {
    const { dir, label, manifest, cache } = this.source;
    const entry = manifest.files.find((f) => f.name === name);
    if (!entry) throw new DataLoadError(name, 'not listed in manifest.json', label);
    const url = `${dir}${entry.file}`;
    const key = `${url}?v=${manifest.version}`;
    const hit = await cache?.match(key).catch(() => undefined);
    if (hit) {
      let counted = 0;
      try {
        const gz = new Uint8Array(await hit.arrayBuffer());
        counted = gz.byteLength;
        this.add(counted);
        return await this.checked(await gunzip(gz, entry.file, label), entry, read);
      } catch {
        // A kept file that fails its checks is dropped, and fetched once more from the network.
        await cache?.delete(key).catch(() => undefined);
        this.add(-counted);
      }
    }
    this.fromCache = false;
    const gz = await this.download(entry, url);
    const value = await this.checked(await gunzip(gz, entry.file, label), entry, read);
    await cache?.put(key, new Response(gz as Uint8Array<ArrayBuffer>)).catch(() => undefined);
    return value;
  }

  private add(n: number): void {
    this.loaded += n;
    this.onProgress({ loaded: this.loaded, total: this.total, fromCache: this.fromCache });
  }

  /** The compressed file from the network; a request that stalls or drops is tried once more. */
  private async download(entry: ManifestFile, url: string): Promise<Uint8Array> {
    const { label, options } = this.source;
    for (let attempt = 0; ; attempt++) {
      let got = 0;
      try {
        const r = await fetchBody(options.fetch, url, options.stallMs, (n) => {
          got += n;
          this.add(n);
        });
        if (!r.ok) throw new DataLoadError(entry.file, `HTTP ${r.status} from ${url}`, label);
        return r.bytes;
      } catch (e) {
        this.add(-got);
        if (!(e instanceof Retryable)) throw e;
        if (attempt >= 1) throw new DataLoadError(entry.file, `${e.message}, twice`, label);
      }
    }
  }

  /** The checks a file must pass before it is used or kept: `read` parses it, then the hash. */
  private async checked<T>(raw: Uint8Array, entry: ManifestFile, read: (raw: Uint8Array) => T): Promise<T> {
    const value = read(raw);
    if (entry.sha256) {
      const hash = await sha256Hex(raw);
      if (hash !== null && hash !== entry.sha256)
        throw new DataLoadError(
          entry.file,
          'its content is not the file the manifest lists (a web page or a cut-off download in its place?)',
          this.source.label,
        );
    }
    return value;
  }
}
