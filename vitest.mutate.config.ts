import { defineConfig } from 'vitest/config';

// For `npm run mutate` (stryker.config.mjs): each layer's mutants are judged by that layer's own
// tests. core/'s run in a second; the ml/ and store/ tests also cover core/ but train networks,
// and would make every core/ mutant take seconds. MUTATE=ml: ml/'s mutants by tests/unit/ml.
const layer = process.env.MUTATE === 'ml' ? 'ml' : 'core';
export default defineConfig({
  test: { include: [`tests/unit/${layer}/**/*.test.ts`], environment: 'node', testTimeout: 120_000 },
});
