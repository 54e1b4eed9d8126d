import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Imports run one way: core <- data <- ml <- worker <- store <- components <- app.
// Each folder may import only from the folders before it (and from packages allowed for it).
const LAYERS = ['core', 'data', 'ml', 'worker', 'store', 'components', 'app'];
const TF = ['@tensorflow/*'];
const UI = ['react', 'react-dom', 'react-dom/*', 'recharts', 'zustand', 'zustand/*'];

// Inside core/, the topic folders are ordered the same way: each may import from the folders before
// it and from core/'s own files (tags, words), never from one after it.
const CORE = [
  'chart',
  'network',
  'dataset',
  'device',
  'link',
  'runs',
  'experiments',
  'diagnosis',
  'interchange',
  'guide',
];

function layerPatterns(layer) {
  const later = LAYERS.slice(LAYERS.indexOf(layer) + 1);
  const patterns = later.map((l) => ({
    group: [`**/${l}/*`, `../${l}`],
    message: `${layer}/ may not import ${l}/ (imports run core <- data <- ml <- worker <- store <- components <- app)`,
  }));
  const banned = [];
  if (['core', 'data'].includes(layer)) banned.push(...TF, ...UI);
  if (['ml', 'worker'].includes(layer)) banned.push(...UI);
  if (['store', 'components', 'app'].includes(layer)) banned.push(...TF);
  if (banned.length)
    patterns.push({ group: banned, message: `${layer}/ may not use this package (see docs/architecture.md)` });
  if (layer === 'components')
    patterns.push({ group: ['**/ml/*', '**/worker/*'], message: 'components/ read the store, never ml/ or worker/' });
  return patterns;
}

function layerRule(layer) {
  return {
    files: [`src/${layer}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns(layer) }] },
  };
}

/** core/<folder>: core's own rule, and no import of a topic folder after this one. */
function coreFolderRule(folder) {
  const later = CORE.slice(CORE.indexOf(folder) + 1);
  const patterns = [
    ...layerPatterns('core'),
    ...later.map((l) => ({
      group: [`../${l}/*`, `../${l}`, `**/core/${l}/*`],
      message: `core/${folder}/ may not import core/${l}/ (core's folders run ${CORE.join(' <- ')})`,
    })),
  ];
  return { files: [`src/core/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

// Size: a file of src/ over 300 lines, or a function over 80 lines of code (blank lines and comments
// not counted), is split into named parts. The allow-list below says why each exception stays.
const SIZE = {
  files: ['src/**/*.{ts,tsx}'],
  rules: {
    'max-lines': ['error', { max: 300 }],
    'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist',
      '.tmp',
      'node_modules',
      'public/data',
      'test-results',
      'playwright-report',
      '.stryker-tmp',
      'reports',
      // Keras's Python environment: Ray ships a dashboard of built JavaScript in it.
      '.venv-keras',
      '.bench',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...LAYERS.map(layerRule),
  ...CORE.map(coreFolderRule),
  SIZE,
);
