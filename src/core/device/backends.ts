/** How a backend is named for people: plainly, with the technical detail kept apart. */

/** Renderer names of software GPUs: WebGL that really runs on the CPU. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/**
 * "GPU (WebGL)", "WebGL (software renderer)", "WebAssembly (CPU)" (with its threads when the
 * sentence counts them: "WebAssembly (CPU, 2 threads)") or "JavaScript (CPU)", from the backend's
 * name and the worker's sentence about it (which names the renderer, or the threads).
 */
export function backendLabel(name: string, reason: string): string {
  switch (name) {
    case 'webgl':
      return SOFTWARE_RENDERERS.test(reason) ? 'WebGL (software renderer)' : 'GPU (WebGL)';
    case 'wasm': {
      const threads = /\b(\d+) threads?\b/.exec(reason)?.[1];
      return threads ? `WebAssembly (CPU, ${threads} thread${threads === '1' ? '' : 's'})` : 'WebAssembly (CPU)';
    }
    case 'cpu':
      return 'JavaScript (CPU)';
    default:
      return name;
  }
}

/** Why the backend in use is not the one asked for, from the worker's sentence ("…, because X."), or null. */
export function fallbackReason(reason: string): string | null {
  const m = /, because (.+?)\.?$/.exec(reason);
  return m ? (m[1] ?? null) : null;
}
