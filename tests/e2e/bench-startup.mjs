// Start-up benchmark: time from a new WebDriver session (the app is launched) to the first
// screen being usable, for one or more app binaries, alternated run by run so machine noise
// falls on all of them alike. A benchmark, not a test: it prints a table.
//   node tests/e2e/bench-startup.mjs RUNS BINARY [BINARY...]   (under a display, e.g. xvfb-run)

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Session, startDriver } from './webdriver.mjs';

const [runsArg, ...binaries] = process.argv.slice(2);
const runs = Number(runsArg);
if (!Number.isInteger(runs) || runs < 1 || binaries.length === 0) {
  console.error('usage: node tests/e2e/bench-startup.mjs RUNS BINARY [BINARY...]');
  process.exit(1);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'ringlet-startup-'));
const driver = await startDriver({ RINGLET_VAULT: path.join(dir, 'vault') });
const times = binaries.map(() => []);
try {
  for (let run = 0; run < runs; run += 1) {
    for (const [index, binary] of binaries.entries()) {
      const started = performance.now();
      const session = await Session.start(driver, path.resolve(binary));
      await session.waitFor('#setup-password', { timeout: 30_000 });
      times[index].push(performance.now() - started);
      await session.end();
    }
  }
} finally {
  await driver.stop();
  rmSync(dir, { recursive: true, force: true });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const base = median(times[0]);
console.log(`| binary | runs | median ms | min ms | vs first |`);
console.log(`|---|---:|---:|---:|---:|`);
for (const [index, binary] of binaries.entries()) {
  const m = median(times[index]);
  console.log(`| ${binary} | ${runs} | ${m.toFixed(0)} | ${Math.min(...times[index]).toFixed(0)} | ${(m / base).toFixed(2)}× |`);
}
