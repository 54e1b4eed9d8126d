/**
 * Fetching one URL with progress and stall detection: a request that sends nothing for a while
 * (before the headers or between chunks) is given up, whether or not the fetch honours its abort
 * signal, and reported as worth one more try.
 */

/** A failure worth one more try: no answer, a stall, a dropped connection. */
export class Retryable extends Error {}

export const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

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

/**
 * Fetches `url` and reads its body, giving up when nothing arrives for `stallMs` (before the
 * headers or between chunks), whether or not the fetch honours its abort signal. `onBytes` hears
 * each chunk's size.
 */
export async function fetchBody(
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
