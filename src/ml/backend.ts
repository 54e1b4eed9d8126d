/**
 * Picks the TensorFlow.js backend: the preferred one first, then WebGL -> WASM -> CPU, and says
 * which one runs and why. WASM binaries are served from the page's own origin (Vite assets).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice as Requested, BackendName } from '../core/network/spec';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/**
 * WASM threads: as many as cores (TensorFlow.js's default is half the cores, so one on a 2-core
 * machine), at most the 8 workers its build starts. Threads need SharedArrayBuffer, which a page
 * has only when it is cross-origin isolated (served with COOP/COEP headers).
 */
const CORES = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
/** The WASM threads asked for (TensorFlow.js says how many it started only once the backend runs). */
let threadsAsked = Math.max(1, Math.min(8, CORES));
setThreadsCount(threadsAsked);

/**
 * Asks for `n` WASM threads (at least 1, at most as many as the first ask) before the WASM backend
 * starts in this worker; after that its thread pool is fixed and this changes nothing. The queue's
 * side workers ask for one each: two runs side by side on a 2-core machine share the cores without
 * a thread pool's barriers waiting on a core the other run holds.
 */
export function askWasmThreads(n: number): void {
  const next = Math.max(1, Math.min(threadsAsked, Math.floor(n)));
  if (next === threadsAsked || tf.findBackend('wasm')) return;
  threadsAsked = next;
  setThreadsCount(next);
}

/** Whether this context may use WASM threads (cross-origin isolated, with SharedArrayBuffer). */
function threadsAllowed(): boolean {
  return (
    typeof SharedArrayBuffer !== 'undefined' &&
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
  );
}

/**
 * Whether this worker may start workers from blob: URLs, as the threaded WASM build does for its
 * threads. A content-security policy whose worker-src lacks blob: forbids it, and the threaded
 * build then waits for its threads for ever; without them the single-threaded build runs.
 */
async function blobWorkersAllowed(timeoutMs = 3000): Promise<boolean> {
  if (typeof Worker === 'undefined' || typeof Blob === 'undefined') return false;
  let url = '';
  try {
    url = URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' }));
    const w = new Worker(url);
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      w.onmessage = () => (clearTimeout(timer), resolve(true));
      w.onerror = () => (clearTimeout(timer), resolve(false));
    }).finally(() => w.terminate());
  } catch {
    return false;
  } finally {
    if (url) URL.revokeObjectURL(url);
  }
}

/** Set when threads were allowed but blob: workers were not (see blobWorkersAllowed). */
let threadsRefused = false;

/** Before the WASM backend starts: off with threads where they could not start. */
let blobProbe: Promise<boolean> | null = null;
async function prepareWasm(): Promise<void> {
  if (!threadsAllowed() || threadsAsked <= 1 || (await (blobProbe ??= blobWorkersAllowed()))) return;
  threadsRefused = true;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  threadsAsked = 1;
  setThreadsCount(1);
}

/** How long a backend may take to start before it counts as one that cannot start here. */
const START_TIMEOUT_MS = 30_000;

/** "2 threads", or "1 thread, because …" for the WASM backend's description. */
function wasmThreadsText(): string {
  const n = getThreadsCount();
  if (n > 1) return `${n} threads`;
  if (threadsRefused)
    return "1 thread: this page's content-security policy does not let workers start from blob: URLs, which WebAssembly threads need (add blob: to worker-src)";
  if (!threadsAllowed())
    return '1 thread: the page is not cross-origin isolated (its server sends no COOP/COEP headers), so WebAssembly threads are off';
  return CORES > 1 ? '1 thread (TensorFlow.js started no more)' : '1 thread (one CPU core)';
}

export interface BackendChoice {
  readonly name: BackendName;
  /** One sentence for the user: what runs, on what, and why it is not the one asked for. */
  readonly reason: string;
}

const ORDER: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

function webglRenderer(): string | null {
  try {
    const gl = activeGl();
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

/** Starts backend `name` (or switches to it); false where it cannot start in this browser. */
export async function startBackend(name: BackendName): Promise<boolean> {
  if (
    tf.getBackend() === name &&
    (await tf
      .ready()
      .then(() => true)
      .catch(() => false))
  )
    return true;
  try {
    if (name === 'wasm') await prepareWasm();
    // A backend that never finishes starting (a policy that blocks what it needs) must not hang
    // the run: it counts as one that cannot start, and the next is tried.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), START_TIMEOUT_MS)));
    const starting = (async () => (await tf.setBackend(name)) && (await tf.ready(), true))();
    const ok = await Promise.race([starting, timeout]).finally(() => clearTimeout(timer));
    if (ok && name === 'webgl') renderer = webglRenderer();
    return ok;
  } catch {
    return false;
  }
}

/** The WebGL renderer, once WebGL has started in this worker (null before, or without WebGL). */
let renderer: string | null = null;

/**
 * What times on this device depend on, for remembering a trial: the WebGL renderer, the cores and
 * the WASM threads ("ANGLE (Google, Vulkan 1.3.0 (SwiftShader …)) · 2 cores · 1 WASM thread").
 */
export function deviceKey(): string {
  const threads = getThreadsCount();
  return `${renderer ?? 'no WebGL'} · ${CORES} core${CORES === 1 ? '' : 's'} · ${threads} WASM thread${threads === 1 ? '' : 's'}`;
}

/** The sentence about backend `name` as it runs now (its renderer, or its threads). */
export function describeBackend(name: BackendName): string {
  return describe(name, name, [], false);
}

/** Initialises `preferred` or the first backend after it that works. */
export async function selectBackend(requested: Requested): Promise<BackendChoice> {
  const auto = requested === 'auto';
  const preferred: BackendName = auto ? 'webgl' : requested;
  const candidates = [preferred, ...ORDER.filter((b) => b !== preferred)];
  const failed: string[] = [];
  for (const name of candidates) {
    if (await startBackend(name)) return { name, reason: describe(name, preferred, failed, auto) };
    failed.push(`${name} could not start in this browser`);
  }
  throw new Error(`No TensorFlow.js backend could start: ${failed.join('; ')}`);
}

function describe(name: BackendName, preferred: BackendName, failed: readonly string[], auto: boolean): string {
  const what =
    name === 'webgl'
      ? `WebGL on the GPU in the training worker${(webglRenderer() ?? renderer) ? ` (${webglRenderer() ?? renderer})` : ''}`
      : name === 'wasm'
        ? `WebAssembly on the CPU in the training worker, ${wasmThreadsText()}`
        : 'plain JavaScript on the CPU in the training worker (slowest)';
  if (name === preferred) return auto ? `${what}, the first backend that starts here.` : `${what}.`;
  return `${what}, because ${failed.join('; ') || `${preferred} was not available`}.`;
}

function activeGl(): WebGL2RenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } };
  return backend.gpgpu?.gl ?? null;
}

export class DeviceLostError extends Error {
  constructor() {
    super('The GPU context (WebGL) was lost, so the run ended.');
    this.name = 'DeviceLostError';
  }
}

/** True when the WebGL context in use has been lost (driver reset, GPU sleep, a test). */
export function isDeviceLost(): boolean {
  return activeGl()?.isContextLost() ?? false;
}

/** Throws DeviceLostError when the WebGL context in use has been lost. */
export function checkDevice(): void {
  if (isDeviceLost()) throw new DeviceLostError();
}

/** Diagnostics for tests: loses the WebGL context on purpose, as a driver reset would. */
export function loseWebGLContext(): boolean {
  const ext = activeGl()?.getExtension('WEBGL_lose_context');
  ext?.loseContext();
  return !!ext;
}

/** The parts of TensorFlow.js's WebGL texture manager (4.22) that releasePooledTextures touches. */
interface TexturePool {
  freeTextures: Record<string, { texture: WebGLTexture }[]> | null;
  numFreeTextures: number;
  _numBytesFree: number;
  _numBytesAllocated: number;
}

/**
 * Deletes the textures the WebGL backend keeps for reuse (returns their bytes). It reuses a freed
 * texture only for a tensor of the very same shape and never deletes one, so every run with other
 * shapes than the last (another validation split, another network) added to a pool that only
 * grew: about 1 GB per full-data run here. Called between runs, where nothing is lost but the
 * pooled textures of the next run's first batch.
 */
export function releasePooledTextures(): number {
  // Also when WebGL is not the active backend (auto trained on WASM after a trial or a WebGL run).
  const backend = tf.findBackend('webgl') as unknown as {
    textureManager?: TexturePool;
    gpgpu?: { deleteMatrixTexture(t: WebGLTexture): void };
  };
  const pool = backend?.textureManager;
  const gpgpu = backend?.gpgpu;
  if (!pool?.freeTextures || !gpgpu || typeof pool._numBytesFree !== 'number') return 0;
  const freed = pool._numBytesFree;
  for (const key of Object.keys(pool.freeTextures)) {
    for (const t of pool.freeTextures[key] ?? []) gpgpu.deleteMatrixTexture(t.texture);
    pool.freeTextures[key] = [];
  }
  pool._numBytesAllocated -= freed;
  pool._numBytesFree = 0;
  pool.numFreeTextures = 0;
  return freed;
}
