#!/usr/bin/env node
// `npm run test:e2e`: the end-to-end tests in two passes (playwright.config.ts). First the specs that
// can share the machine, two at a time; then, one at a time, the specs that time the page (long
// tasks, the main thread's share, wall-clock limits), which a second browser beside them would skew.
// Both passes always run; the exit code is the first failure's. Extra arguments go to both passes.
import { spawnSync } from 'node:child_process';

const extra = process.argv.slice(2);
const workers = process.env.E2E_WORKERS ?? '2';
let code = 0;
for (const [project, n] of [
  ['shared', workers],
  ['alone', '1'],
]) {
  console.log(`e2e: project ${project}, ${n} worker${n === '1' ? '' : 's'}`);
  const r = spawnSync('npx', ['playwright', 'test', `--project=${project}`, `--workers=${n}`, ...extra], {
    stdio: 'inherit',
  });
  const status = r.status ?? 1;
  if (code === 0 && status !== 0) code = status;
}
process.exit(code);
