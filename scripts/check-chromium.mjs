#!/usr/bin/env node
// Before the e2e tests: Playwright drives Debian's Chromium (no browser download here).
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.error(`The end-to-end tests need Chromium at ${path}.`);
  console.error('Install it with: sudo apt-get update && sudo apt-get install -y chromium');
  console.error('(or set CHROMIUM_PATH to another Chromium binary)');
  process.exit(1);
}
