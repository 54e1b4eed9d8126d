import { defineConfig } from '@playwright/test';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Two checkouts (or two people) on one machine: E2E_PORT and E2E_DIST pick another port and build.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const DIST = process.env.E2E_DIST ?? 'dist';

/**
 * Specs that time the page (long tasks, the main thread's share while training, wall-clock limits)
 * or compare drawn digits' readings between two profiles: `npm run test:e2e` (scripts/e2e.mjs) runs
 * them one at a time after the rest, which run two at a time. On 2 cores a full run took 683 s so
 * (a failing test's retry included), against about 800 s with every spec one at a time.
 */
const ALONE = [
  'history.spec.ts',
  'import-large.spec.ts',
  'train.spec.ts',
  'reliability.spec.ts',
  'errors.spec.ts',
  'import.spec.ts',
];

/** E2E tests drive the built app (vite preview of dist/) in Debian's Chromium; no browser download. */
export default defineConfig({
  testDir: 'tests/e2e',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'on-first-retry',
    // The app registers a service worker (offline use). Once one controls a page, page.route no
    // longer sees the requests it answers, so tests that stand in for the server would test the
    // cache instead: blocked here, and allowed in the tests of offline use (offline.spec.ts).
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--enable-unsafe-swiftshader',
      ],
    },
  },
  projects: [
    { name: 'shared', testIgnore: ALONE },
    { name: 'alone', testMatch: ALONE },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
