import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the app build, the preview server the e2e tests and benchmark use, and Vitest.
// `vite build` makes the app as it ships. `vite build --mode diagnostics` (npm test, npm run
// bench) adds what the tests and the benchmark drive: the window.mlpLab hook and bench.html.
export default defineConfig(({ mode }) => {
  const diagnostics = mode === 'diagnostics';
  return {
    plugins: [react()],
    worker: { format: 'es' },
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
    preview: { port: 4173, strictPort: true },
    test: {
      include: ['tests/unit/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
    },
  };
});
