// Idle-cost benchmark: CPU used by the app's whole process tree (the app and its WebKit
// processes) while nobody touches it, on each screen a person leaves open. A benchmark, not
// a test: it prints a table and, with --json FILE, writes the figures.
//   node tests/e2e/bench-idle.mjs [--seconds N] [--accounts N] [--json FILE] [BINARY]
// (under a display, e.g. xvfb-run). CPU is read from /proc (utime + stime of every process
// whose ancestor is the app), so it needs Linux.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Session, startDriver, tempVault, appBinary } from './webdriver.mjs';

const PASSWORD = 'idle benchmark password 2026';

function parseArgs(argv) {
  const options = { seconds: 20, accounts: 3, json: null, binary: appBinary() };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--seconds') options.seconds = Number(argv[++i]);
    else if (arg === '--accounts') options.accounts = Number(argv[++i]);
    else if (arg === '--json') options.json = argv[++i];
    else options.binary = path.resolve(arg);
  }
  return options;
}

const TICKS_PER_SECOND = 100; // USER_HZ on every Linux this runs on

/** pid → {ppid, ticks} for every process, from /proc. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  return table;
}

/** CPU ticks used so far by `root` and all its descendants. */
function treeTicks(root) {
  const table = processTable();
  let total = 0;
  for (const [pid, entry] of table) {
    for (let p = pid; p > 1 && table.has(p); p = table.get(p).ppid) {
      if (p === root) {
        total += entry.ticks;
        break;
      }
    }
  }
  return total;
}

/** The pid of the app process whose executable is `binary`. */
function appPid(binary) {
  const resolved = path.resolve(binary);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')[0];
      if (path.resolve(cmdline) === resolved) return Number(name);
    } catch {
      // gone
    }
  }
  throw new Error(`no running process of ${resolved}`);
}

/** Percent of one core the tree used over `seconds`. */
async function measure(pid, seconds) {
  const before = treeTicks(pid);
  await sleep(seconds * 1000);
  const after = treeTicks(pid);
  return ((after - before) / TICKS_PER_SECOND / seconds) * 100;
}

/** A distinct 16-character Base32 secret per account. */
function secretFor(i) {
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `JBSWY3DPEHPK${B32[(i >> 15) & 31]}${B32[(i >> 10) & 31]}${B32[(i >> 5) & 31]}${B32[i & 31]}`;
}

const options = parseArgs(process.argv.slice(2));
const { dir, vault, cli, setSettings } = tempVault(PASSWORD, 'idle');
cli('init');
for (let i = 0; i < options.accounts; i += 1) {
  cli('add', `otpauth://totp/Idle%20${i}:person${i}@example.com?secret=${secretFor(i)}&issuer=Idle%20${i}`);
}
setSettings({ autoLockSeconds: null });

const driver = await startDriver({ RINGLET_VAULT: vault });
const figures = {};
try {
  const session = await Session.start(driver, options.binary);
  const pid = appPid(options.binary);
  const field = await session.waitFor('#unlock-password', { timeout: 30_000 });
  await sleep(5000);
  figures.unlock_screen = await measure(pid, options.seconds);

  await field.type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitFor('#account-list li.account', { timeout: 30_000 });
  await sleep(5000);
  figures.main_list = await measure(pid, options.seconds);

  await session.click('#settings-button');
  await session.waitFor('#settings-dialog[open]');
  await sleep(5000);
  figures.settings_open = await measure(pid, options.seconds);
  await session.execute("document.querySelector('#settings-dialog').close();");

  await session.click('#lock-button');
  await session.waitFor('#unlock-password');
  await sleep(5000);
  figures.after_lock = await measure(pid, options.seconds);
  await session.end();
} finally {
  await driver.stop();
  (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
}

console.log(`| screen (${options.accounts} accounts, ${options.seconds} s) | CPU, % of a core |`);
console.log('|---|---:|');
for (const [name, value] of Object.entries(figures)) console.log(`| ${name} | ${value.toFixed(1)} |`);
if (options.json) writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
