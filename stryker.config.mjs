// `npm run mutate` (outside CI: it takes a long time): Stryker changes the code of core/ and ml/
// one small mistake at a time and runs the unit tests that cover it; a mutant the tests do not
// notice ("survived") is a gap in them. The WebGL programs (GLSL in strings) cannot run under
// Node and are left out; so are the bench and the types-only files.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vite.config.ts', related: false },
  mutate: ['src/core/**/*.ts', 'src/ml/**/*.ts', '!src/ml/webglProgram.ts', '!src/ml/headKernels.ts', '!src/ml/rowKernels.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 120000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
