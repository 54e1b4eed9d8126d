// `npm run mutate` (outside CI: it takes long): Stryker makes one small mistake at a time in the
// code and runs the unit tests that cover it; a mutant the tests do not notice ("survived") is a
// gap in them. MUTATE=core (the default) judges core/ by core/'s own tests (about 10 minutes
// here); MUTATE=ml judges ml/ by all unit tests, which train networks (hours on 2 cores). The
// WebGL programs (GLSL in strings) cannot run under Node and are left out.
const ml = process.env.MUTATE === 'ml';
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  mutate: ml ? ['src/ml/**/*.ts', '!src/ml/webglProgram.ts', '!src/ml/headKernels.ts', '!src/ml/webglKernels.ts'] : ['src/core/**/*.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 120000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${ml ? 'ml' : 'core'}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
