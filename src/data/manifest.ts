/**
 * The dataset's manifest.json (made by scripts/prepare-data.mjs): which files there are, their
 * sizes and hashes, and the version that names them in Cache Storage. A fresh copy is preferred,
 * but a cached one is used when the server is slow to answer.
 */
import { fetchBody } from './fetchBody';
import { DataLoadError, type ResolvedLoadOptions } from './loadTypes';

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

/** The manifest from the network (kept in `cache`), or why there is none. */
async function freshManifest(
  url: string,
  cache: Cache | null,
  options: ResolvedLoadOptions,
): Promise<{ manifest: Manifest | null; problem: string }> {
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
      ?.put(url, new Response(r.bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/json' } }))
      .catch(() => undefined);
    return { manifest, problem: '' };
  } catch (e) {
    return { manifest: null, problem: e instanceof Error ? `${e.message} (${url})` : String(e) };
  }
}

export async function fetchManifest(
  dir: string,
  cache: Cache | null,
  label: string,
  options: ResolvedLoadOptions,
): Promise<Manifest> {
  const url = `${dir}manifest.json`;
  const cached = async (): Promise<Manifest | null> => {
    const hit = await cache?.match(url).catch(() => undefined);
    return hit ? manifestOf(hit) : null;
  };
  const fresh = freshManifest(url, cache, options);
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
