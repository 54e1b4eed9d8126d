import { defineConfig } from 'vitest/config';

// For `npm run mutate -- core` (stryker.config.mjs): the core/ mutants are judged by core/'s own
// tests, which run in a second; the ml/ and store/ tests also cover core/ but train networks, and
// would make every core/ mutant take seconds.
export default defineConfig({
  test: { include: ['tests/unit/core/**/*.test.ts'], environment: 'node', testTimeout: 120_000 },
});
