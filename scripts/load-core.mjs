// Loads modules of the lab's TypeScript source (src/core/*, pure) into a Node script through Vite,
// so that scripts use the lab's own code instead of a copy: `await withSource(['/src/core/experiments/stats.ts'], (stats) => ...)`.
import { join } from 'node:path';
import { createServer } from 'vite';

const ROOT = join(import.meta.dirname, '..');

export async function withSource(paths, use) {
  const vite = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true },
    // Only the modules asked for: no scan of the app's entry points.
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    return await use(...(await Promise.all(paths.map((p) => vite.ssrLoadModule(p)))));
  } finally {
    await vite.close();
  }
}
