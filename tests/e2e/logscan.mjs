// After a whole end-to-end run: searches everything it printed (the tests, tauri-driver,
// WebKitWebDriver and every app they started, captured by `dev test`) for every secret the
// tests give the app, in every spelling that could leak (leaks.mjs). The secrets are those
// of the otpauth links and Base32 constants in the test files, and those held by the QR
// images the tests import, read with ringlet-cli. Exits 1 naming the test file of a secret
// found.
//   node tests/e2e/logscan.mjs LOG

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { cliBinary, projectRoot } from './webdriver.mjs';
import { forms } from './leaks.mjs';

const here = path.join(projectRoot, 'tests', 'e2e');
const BASE32 = /^[A-Z2-7]{16,}={0,6}$/;

/** Base32 secrets in a text: `secret=` values of links, and quoted Base32 constants. */
function secretsIn(text) {
  const found = new Set();
  for (const [, value] of text.matchAll(/secret=([A-Za-z2-7%=]+)/g)) {
    const secret = decodeURIComponent(value).toUpperCase();
    if (BASE32.test(secret)) found.add(secret);
  }
  for (const [, value] of text.matchAll(/['"`]([A-Z2-7]{16,}={0,6})['"`]/g)) found.add(value);
  // The Base32 alphabet itself (written in the helpers) is not a secret.
  found.delete('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
  return found;
}

/** Secrets of the QR images a test file names (`.png` paths that exist). */
function imageSecrets(source, file) {
  const found = new Map();
  for (const [, relative] of source.matchAll(/['"`]([^'"`]+\.png)['"`]/g)) {
    const image = [path.resolve(projectRoot, relative), path.resolve(projectRoot, '..', relative.replace(/^\.\.\//, ''))]
      .find((candidate) => existsSync(candidate));
    if (!image) continue;
    let texts = '';
    try {
      texts = execFileSync(cliBinary(), ['decode-qr', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      continue;
    }
    for (const secret of secretsIn(texts)) found.set(secret, `${file} (${path.basename(image)})`);
    // An export code's payload carries its accounts' secrets: it must not leak either.
    for (const [, data] of texts.matchAll(/data=([A-Za-z0-9%+/=_-]{16,})/g)) {
      found.set(decodeURIComponent(data).replace(/=+$/, ''), `${file} (${path.basename(image)})`);
    }
  }
  return found;
}

const log = readFileSync(process.argv[2] ?? '/dev/stdin', 'utf8');
const secrets = new Map();
for (const file of readdirSync(here).filter((name) => name.endsWith('.mjs'))) {
  const source = readFileSync(path.join(here, file), 'utf8');
  for (const secret of secretsIn(source)) secrets.set(secret, file);
  for (const [secret, where] of imageSecrets(source, file)) secrets.set(secret, where);
}

const leaks = new Set();
for (const [secret, where] of secrets) {
  const spellings = secret.startsWith('otpauth') || !BASE32.test(secret) ? [secret] : forms(secret);
  for (const spelling of spellings) {
    if (spelling.length >= 10 && log.includes(spelling)) leaks.add(`${where}: a secret appears in the output as ${spelling.slice(0, 4)}…`);
  }
}
if (leaks.size > 0) {
  console.error([...leaks].join('\n'));
  process.exit(1);
}
console.log(`No known secret in ${log.length} characters of end-to-end output (${secrets.size} secrets, every spelling).`);
