// End to end: importing QR codes through the real window. A screenshot on the X clipboard
// is pasted with Ctrl+V, read and decoded in Rust, shown for confirmation, and saved; a
// Google Authenticator export code missing its siblings says which codes to add.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, projectRoot, openApp } from './webdriver.mjs';

const PASSWORD = 'paste me a code 77';
// A 1920×1080 screenshot of a settings page with a setup QR code in it (made by
// tests/fixtures/make_qr_fixtures.py).
const SCREENSHOT = path.join(projectRoot, 'tests/fixtures/screenshot-1920x1080.png');
const EXPORT_CODE = path.join(projectRoot, 'src-tauri/cli/tests/fixtures/migration_1of3.png');

function copyImage(file) {
  // xclip forks and serves the image until something else is copied, like a screenshot tool.
  execFileSync('xclip', ['-selection', 'clipboard', '-t', 'image/png', '-i', file], {
    timeout: 5000,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
}

async function candidates(session) {
  await session.waitFor('#import-dialog li.candidate', { timeout: 20_000 });
  const rows = await session.findAll('#import-dialog li.candidate');
  return Promise.all(rows.map((row) => row.text()));
}

test('a pasted screenshot and export code are decoded, confirmed and saved', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'import');
  cli('init');
  cli('add', 'otpauth://totp/Existing:me?secret=JBSWY3DPEHPK3PXP&issuer=Existing');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  await (await session.waitFor('#unlock-password')).type(PASSWORD);
  await session.click('#unlock-submit');
  const row = await session.waitFor('#account-list li.account', { timeout: 30_000 });

  // A 1920×1080 screenshot with one setup QR code.
  copyImage(SCREENSHOT);
  await row.type('\uE009v\uE000');
  const found = await candidates(session);
  assert.equal(found.length, 1, found.join(' | '));
  assert.match(found[0], /ACME Corp/);
  assert.match(found[0], /dave\+2fa@example\.org/);
  await session.click('#import-confirm');
  await session.waitUntil(async () => {
    const labels = await session.execute('return [...document.querySelectorAll("#account-list li.account .issuer")].map(e => e.textContent);');
    return labels.includes('ACME Corp') && labels.length === 2;
  }, { what: 'the imported account in the list' });

  // Code 1 of a 3-code Google Authenticator export: its accounts, and what is missing.
  copyImage(EXPORT_CODE);
  await (await session.find('#account-list li.account')).type('\uE009v\uE000');
  const exported = await candidates(session);
  assert.ok(exported.length >= 1, 'the export code lists its accounts');
  const notes = await (await session.find('#import-notes')).text();
  assert.match(notes, /1 of 3 export codes imported/);
  assert.match(notes, /codes 2 and 3 are missing/);
  await session.click('#import-cancel');

  // Cancelled: nothing was added.
  const count = await session.execute('return document.querySelectorAll("#account-list li.account").length;');
  assert.equal(count, 2);
});

/** Puts `bytes` on the X clipboard as `type` only, as some programs offer what they copy. */
function copyAs(type, input) {
  execFileSync('xclip', ['-selection', 'clipboard', '-t', type, '-i'], {
    input, timeout: 5000, stdio: ['pipe', 'ignore', 'ignore'],
  });
}

test('Ctrl+V reads a JPEG-only clipboard and copied files, and names what it cannot use', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'import-types');
  cli('init');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await (await session.waitFor('#unlock-password')).type(PASSWORD);
  await session.click('#unlock-submit');
  const search = await session.waitFor('#search', { timeout: 30_000 });
  const paste = async () => {
    // The last preview's dialog gone first: over a dialog, Ctrl+V is the dialog's.
    await session.waitUntil(() => session.execute("return !document.querySelector('dialog[open]');"), { what: 'no dialog open' });
    await search.type('\uE009v\uE000');
  };

  // A screenshot offered only as image/jpeg (a large one arrives in INCR chunks).
  copyAs('image/jpeg', readFileSync(path.join(projectRoot, 'tests/fixtures/screenshot-1280x720.jpg')));
  await paste();
  const fromJpeg = await candidates(session);
  assert.equal(fromJpeg.length, 1, fromJpeg.join(' | '));
  assert.match(fromJpeg[0], /ACME Corp/);
  await session.click('#import-cancel');

  // A file copied in a file manager: its path as text/uri-list.
  copyAs('text/uri-list', `file://${encodeURI(SCREENSHOT)}\r\n`);
  await paste();
  const fromFile = await candidates(session);
  assert.equal(fromFile.length, 1, fromFile.join(' | '));
  assert.match(fromFile[0], /ACME Corp/);
  await session.click('#import-cancel');

  // Something else: said plainly, with what it was.
  copyAs('text/html', '<b>not a code</b>');
  await paste();
  await session.waitUntil(async () => /text\/html/.test(await session.execute('return document.querySelector("#toast")?.textContent || "";')),
    { what: 'the message naming text/html' });
});
