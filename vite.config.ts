import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

// One config for the app build, the preview server the e2e tests and benchmark use, and Vitest.
// `vite build` makes the app as it ships. `vite build --mode diagnostics` (npm test, npm run
// bench) adds what the tests and the benchmark drive: the window.mlpLab hook and bench.html.
/**
 * TensorFlow.js's threaded WASM build starts its threads from the text of its factory function
 * (`factory.toString()` in a Blob), so that function must not refer to anything outside itself.
 * It does, to `_scriptDir` of its enclosing closure, guarded by `typeof _scriptDir !==
 * "undefined"`; the minifier sees the variable declared and drops the guard, so every thread dies
 * with "e is not defined" and the backend never starts. Both uses are dead here (TensorFlow.js
 * always passes mainScriptUrlOrBlob and locateFile), so they are cut out of the source.
 */
function wasmThreadsFix(): Plugin {
  const uses: [string, string][] = [
    ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
    ['Module["mainScriptUrlOrBlob"]||_scriptDir', 'Module["mainScriptUrlOrBlob"]'],
  ];
  return {
    name: 'tfjs-wasm-threads-fix',
    enforce: 'pre',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id)) return null;
      let out = code;
      for (const [from, to] of uses) {
        if (!out.includes(from)) throw new Error(`tfjs-wasm-threads-fix: "${from}" is no longer in ${id}; check the threaded WASM build by hand`);
        out = out.replace(from, to);
      }
      return { code: out, map: null };
    },
  };
}

export default defineConfig(({ mode }) => {
  const diagnostics = mode === 'diagnostics';
  return {
    plugins: [react(), wasmThreadsFix()],
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
    // No COOP/COEP headers yet: under cross-origin isolation TensorFlow.js loads its threaded WASM
    // build, but here its thread pool still reports one thread (issue 11, see the README), so the
    // isolation would only add eight idle workers.
    preview: { port: 4173, strictPort: true },
    test: {
      include: ['tests/unit/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
    },
  };
});
