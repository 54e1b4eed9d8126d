import { defineConfig } from 'vitest/config';

// For `npm run mutate` (stryker.config.mjs): each part's mutants are judged by its own tests.
// core/'s run in a second; the ml/ and store/ tests also cover core/ but train networks, and would
// make every core/ mutant take seconds. MUTATE=engine: the tests that pin the step's arithmetic to
// Keras and to autodiff; MUTATE=ml: all of ml/'s tests.
const mode = process.env.MUTATE ?? 'core';
const include =
  {
    core: ['tests/unit/core/**/*.test.ts'],
    engine: ['tests/unit/ml/{parity,kerasReference,activations,wasmKernels,optimizers}.test.ts'],
    ml: ['tests/unit/ml/**/*.test.ts'],
  }[mode] ?? [];
export default defineConfig({
  test: { include, environment: 'node', testTimeout: 120_000 },
});
