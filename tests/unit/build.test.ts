import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { describe, expect, test } from 'vitest';

// Issue 10: the diagnostics hook window.mlpLab and the benchmark page shipped with the app. The
// build as it ships has neither; the tests' build (--mode diagnostics) has both.
const ROOT = join(import.meta.dirname, '../..');

async function buildInto(outDir: string, mode: string): Promise<{ html: string[]; js: string }> {
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    mode,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  const assets = join(outDir, 'assets');
  const js = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(assets, f), 'utf8'))
    .join('\n');
  return { html: readdirSync(outDir).filter((f) => f.endsWith('.html')), js };
}

describe('the production build', () => {
  test('ships no diagnostics hook and no benchmark page; the diagnostics build has both', async () => {
    const prod = await buildInto(join(ROOT, '.tmp/build-production'), 'production');
    expect(prod.html).toEqual(['index.html']);
    expect(prod.js).not.toContain('mlpLab');
    expect(existsSync(join(ROOT, '.tmp/build-production/bench.html'))).toBe(false);
    const diag = await buildInto(join(ROOT, '.tmp/build-diagnostics'), 'diagnostics');
    expect(diag.html.sort()).toEqual(['bench.html', 'index.html']);
    expect(diag.js).toContain('mlpLab');
    // The threaded WASM build as bundled (issue 11): its thread factory refers to nothing outside
    // itself, and its thread pool may use every logical core (TensorFlow.js caps it at half of
    // the count it reads; the count is doubled).
    expect(prod.js).not.toContain('_scriptDir');
    expect(prod.js).toMatch(/\{return 2\*navigator(\.hardwareConcurrency|\["hardwareConcurrency"\])\}/);
  });
});
