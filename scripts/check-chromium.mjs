#!/usr/bin/env node
// Before the e2e tests: Playwright drives Debian's Chromium (no browser download here). Prints
// its version first, so that a difference between machines shows in the log.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.error(`The end-to-end tests need Chromium at ${path}.`);
  console.error('Install it with: sudo apt-get update && sudo apt-get install -y chromium');
  console.error('(or set CHROMIUM_PATH to another Chromium binary)');
  process.exit(1);
}
let version = 'unknown (it did not answer --version)';
try {
  // Debian's launcher script prints shell warnings on stderr; only stdout is the version.
  version = execFileSync(path, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 30_000,
  }).trim();
} catch {
  // The tests say more if the browser cannot start.
}
console.log(`e2e: ${version} at ${path}`);
