// `npm run mutate` (outside CI: it takes long): Stryker makes one small mistake at a time in the
// code and runs the unit tests that cover it; a mutant the tests do not notice ("survived") is a
// gap in them. Which code, judged by which tests (vitest.mutate.config.ts):
// - MUTATE=core (the default): core/ by core/'s own tests (about 25 minutes here);
// - MUTATE=engine: the step's arithmetic (mlp.ts, the optimizers, the ops and WASM kernels, the
//   activation table, the clip) by the tests that pin it to Keras and to autodiff;
// - MUTATE=ml: all of ml/ by all of ml/'s tests, which train networks (about 1,100 mutants, hours
//   on 2 cores).
// The WebGL programs (GLSL in strings) cannot run under Node and are left out.
const mode = process.env.MUTATE ?? 'core';
const ENGINE = [
  'src/ml/mlp.ts',
  'src/ml/optimizers.ts',
  'src/ml/opsKernels.ts',
  'src/ml/wasmKernels.ts',
  'src/ml/activations.ts',
  'src/ml/clip.ts',
  'src/ml/kernels.ts',
];
const mutate = {
  core: ['src/core/**/*.ts'],
  engine: ENGINE,
  ml: ['src/ml/**/*.ts', '!src/ml/webglProgram.ts', '!src/ml/headKernels.ts', '!src/ml/webglKernels.ts'],
}[mode];
if (!mutate) throw new Error(`MUTATE=${mode}: expected core, engine or ml`);
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  mutate,
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 120000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${mode}.json` },
  tempDirName: '.stryker-tmp',
  // Not copied into the sandbox: scratch files, builds and reports.
  ignorePatterns: ['.tmp', 'dist', 'reports', 'docs/screenshots'],
  cleanTempDir: 'always',
};
