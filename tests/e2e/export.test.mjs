// End to end: Settings → Export in the real window. An encrypted Aegis export asks for the
// vault password and the file's own, goes through the system save dialog (opened by Rust),
// is written 0600, and imports back into another vault with every account; a wrong vault
// password is said in place. Google Authenticator's export codes are shown in a native
// window, which Scan screen reads back as the accounts, and which the lock closes.

import assert from 'node:assert/strict';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, openApp, chooseFile, windowsTitled, withScreenshotOnFailure } from './webdriver.mjs';

const PASSWORD = 'take them with you 8';
const FILE_PASSWORD = 'a password for the file';
const ACCOUNTS = [
  'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub',
  'otpauth://hotp/Counted:hal?secret=MZXW6YTBOJRGC4TCMF4GK3LQNRSQ&issuer=Counted&counter=7',
  'otpauth://steam/Steam:gabe?secret=ONSWG4TFORZWK3TEMVZXI4TJNZTWC3LF&issuer=Steam',
];

async function openExport(session, format) {
  await session.click('#settings-button');
  await session.waitUntil(() => session.execute(`return [...document.querySelectorAll('#export-format option')].some((o) => o.value === '${format}');`),
    { what: `the ${format} format offered` });
  await session.execute(`const s = document.querySelector('#export-format'); s.value = '${format}'; s.dispatchEvent(new Event('change')); return true;`);
}

/** The Export button sits at the foot of a long dialog: brought into the middle of the
 *  view first, so no edge of the dialog covers it. */
async function submitExport(session) {
  await session.execute("document.querySelector('#export-submit').scrollIntoView({ block: 'center' }); return true;");
  await session.click('#export-submit');
}

async function unlocked(t, name) {
  const { dir, vault, cli } = tempVault(PASSWORD, name);
  cli('init');
  for (const uri of ACCOUNTS) cli('add', uri);
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await (await session.waitFor('#unlock-password')).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === 3, { timeout: 30_000, what: 'three accounts' });
  return { dir, session };
}

test('an encrypted Aegis export from Settings imports back with every account', async (t) => {
  const { dir, session } = await unlocked(t, 'export');
  await withScreenshotOnFailure(session, 'export', async () => {
    await openExport(session, 'aegis-encrypted');
    assert.equal(await session.execute("return document.querySelector('#export-own-fields').hidden;"), false, 'the file password is asked');
    assert.equal(await session.execute("return document.querySelector('#export-warning').hidden;"), true, 'an encrypted file needs no warning');

    // A wrong vault password: said in place, nothing asked of the file system.
    await (await session.find('#export-password')).type(FILE_PASSWORD);
    await (await session.find('#export-confirm')).type(FILE_PASSWORD);
    await (await session.find('#export-vault-password')).type('not the password');
    await submitExport(session);
    await session.waitUntil(() => session.execute("return document.querySelector('#export-error').textContent;"), { what: 'the wrong password said' });
    assert.match(await session.execute("return document.querySelector('#export-error').textContent;"), /vault password is wrong/);
    assert.equal(await session.execute("return document.querySelector('#export-vault-password').getAttribute('aria-invalid');"), 'true');

    const out = path.join(dir, 'phone.json');
    await (await session.find('#export-vault-password')).type(PASSWORD);
    await submitExport(session);
    await chooseFile(session, 'Export accounts: ', out);
    await session.waitUntil(async () => /Exported 3 accounts/.test(await session.execute("return document.querySelector('#export-status').textContent;")),
      { timeout: 30_000, what: 'the export done' });
    assert.equal(statSync(out).mode & 0o777, 0o600, 'the file is private');
    assert.equal(await session.execute("return document.querySelector('#export-password').value + document.querySelector('#export-vault-password').value;"), '',
      'no password stays in the page');

    // Another vault reads it back through Ringlet's Aegis importer.
    const other = tempVault('another vault 12345', 'export-back');
    t.after(() => rmSync(other.dir, { recursive: true, force: true }));
    other.cli('init');
    const filePassword = path.join(other.dir, 'file-password');
    writeFileSync(filePassword, `${FILE_PASSWORD}\n`);
    other.cli('import', out, '--import-password-file', filePassword);
    const back = JSON.parse(other.cli('list', '--json'));
    assert.deepEqual(back.map((a) => a.issuer).sort(), ['Counted', 'GitHub', 'Steam']);
  });
});

test('Google Authenticator export codes show in a native window that scans back and locks away', async (t) => {
  const { session } = await unlocked(t, 'export-google');
  await withScreenshotOnFailure(session, 'export-google', async () => {
    await openExport(session, 'google-qr');
    assert.equal(await session.execute("return document.querySelector('#export-warning').hidden;"), false, 'the codes are warned about');
    await (await session.find('#export-vault-password')).type(PASSWORD);
    await submitExport(session);
    await session.waitUntil(() => windowsTitled('export to Google Authenticator').length === 1, { timeout: 30_000, what: 'the codes window' });
    await session.waitUntil(async () => /in 1 code, shown/.test(await session.execute("return document.querySelector('#export-status').textContent;")),
      { what: 'the export said' });
    const said = await session.execute("return document.querySelector('#export-status').textContent;");
    assert.match(said, /2 accounts/, said);
    assert.match(said, /Left out: Steam/, said);

    // The code on screen is an export code of those accounts: Scan screen reads it.
    await session.click('#settings-close');
    await session.click('#scan-button');
    await session.waitFor('#import-dialog li.candidate', { timeout: 20_000 });
    const found = await Promise.all((await session.findAll('#import-dialog li.candidate')).map((c) => c.text()));
    assert.equal(found.length, 2, found.join(' | '));
    assert.ok(found.every((text) => /Already in your vault/.test(text)), found.join(' | '));
    await session.click('#import-cancel');

    await session.click('#lock-button');
    await session.waitFor('#unlock-password');
    await session.waitUntil(() => windowsTitled('export to Google Authenticator').length === 0, { what: 'the codes window closed by the lock' });
  });
});
