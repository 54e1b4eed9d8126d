import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';

// One config for the app build, the preview server the e2e tests and benchmark use, and Vitest.
// `vite build` makes the app as it ships. `vite build --mode diagnostics` (npm test, npm run
// bench) adds what the tests and the benchmark drive: the window.mlpLab hook and bench.html.
/**
 * Two repairs to TensorFlow.js's threaded WASM build (4.22), made to its source as it is bundled.
 *
 * 1. It starts its threads from the text of its factory function
 * (`factory.toString()` in a Blob), so that function must not refer to anything outside itself.
 * It does, to `_scriptDir` of its enclosing closure, guarded by `typeof _scriptDir !==
 * "undefined"`; the minifier sees the variable declared and drops the guard, so every thread dies
 * with "e is not defined" and the backend never starts. Both uses are dead here (TensorFlow.js
 * always passes mainScriptUrlOrBlob and locateFile), so they are cut out of the source.
 *
 * 2. Its C++ side caps the thread pool at half of `navigator.hardwareConcurrency` ("many x86-64
 * processors have 2 threads per core"; tfjs-backend-wasm/src/cc/backend.cc), whatever
 * setThreadsCount asks: one thread on a 2-core machine. The count it reads is doubled, so the cap
 * is the logical cores and setThreadsCount (ml/backend.ts: as many as cores) decides.
 */
function wasmThreadsFix(): Plugin {
  const uses: [string, string][] = [
    ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
    ['Module["mainScriptUrlOrBlob"]||_scriptDir', 'Module["mainScriptUrlOrBlob"]'],
    [
      'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]}',
      'function _emscripten_num_logical_cores(){return 2*navigator["hardwareConcurrency"]}',
    ],
  ];
  return {
    name: 'tfjs-wasm-threads-fix',
    enforce: 'pre',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id)) return null;
      let out = code;
      for (const [from, to] of uses) {
        if (!out.includes(from))
          throw new Error(
            `tfjs-wasm-threads-fix: "${from}" is no longer in ${id}; check the threaded WASM build by hand`,
          );
        out = out.replace(from, to);
      }
      return { code: out, map: null };
    },
  };
}

/** The response headers that make the page cross-origin isolated (see README, Hosting). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Offline and installable (issue 13): a service worker (Workbox, through vite-plugin-pwa) keeps the
 * app's files: the page, its scripts, styles, the worker and the WASM binaries. The datasets are
 * not in it: the data loader keeps each dataset it has used in Cache Storage itself
 * (src/data/mnist.ts), so only what a person used is stored. `prompt`: a new release waits until
 * the person reloads (the page offers it), so a tab never loses the chunks it runs on.
 */
function offline(): Plugin[] {
  return VitePWA({
    registerType: 'prompt',
    injectRegister: null,
    includeAssets: ['icon-192.png'],
    manifest: {
      name: 'MLP Lab: depth and width on MNIST',
      short_name: 'MLP Lab',
      description:
        'Train fully connected networks on MNIST in your browser and see how depth and width change what they learn.',
      start_url: '.',
      scope: '.',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: '#1e3a8a',
      icons: [
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{html,js,css,wasm,png,webmanifest}'],
      globIgnores: ['data/**'],
      // The workers and WASM binaries are 0.3-2 MB each.
      maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      navigateFallback: 'index.html',
      navigateFallbackDenylist: [/bench\.html/, /\/data\//],
      cleanupOutdatedCaches: true,
    },
  });
}

export default defineConfig(({ mode }) => {
  const diagnostics = mode === 'diagnostics';
  return {
    // Relative: dist/ works at any path of any static host (/, /lab/, /a/b/).
    base: './',
    plugins: [react(), wasmThreadsFix(), offline()],
    worker: { format: 'es', plugins: () => [wasmThreadsFix()] },
    build: {
      target: 'es2022',
      chunkSizeWarningLimit: 4000,
      rollupOptions: {
        input: {
          main: resolve(import.meta.dirname, 'index.html'),
          ...(diagnostics ? { bench: resolve(import.meta.dirname, 'bench.html') } : {}),
        },
      },
    },
    // Cross-origin isolated (COOP/COEP on every response), so that TensorFlow.js's WASM backend may
    // use threads (SharedArrayBuffer). Everything the page loads is its own origin's.
    server: { headers: ISOLATION_HEADERS },
    preview: { port: 4173, strictPort: true, headers: ISOLATION_HEADERS },
    test: {
      include: ['tests/unit/**/*.test.ts', 'tests/keras/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
      // One test file per core: Vitest's default leaves one of two cores idle, and most of a file's
      // time is importing TensorFlow.js (measured here, 2 cores: the unit suite 283 s, 169 s with two).
      maxWorkers: '100%',
    },
  };
});
