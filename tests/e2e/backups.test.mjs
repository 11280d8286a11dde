// End to end: backups you know will restore (#13 §4), in the real window. Settings →
// Backups shows the last verified backup ("just now, 2 accounts"); a second folder chosen
// through the real GTK folder dialog gets a verified backup at once; the emergency kit is
// saved through the real save dialog, 0600, with the vault's location and no secret; and
// the monthly reminder, due by a stored time in the past, shows above the list and
// "Remind me later" puts it off by days, not for good.

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, openApp, chooseFile, withScreenshotOnFailure } from './webdriver.mjs';

const PASSWORD = 'backups that restore 9';
const KEY = 'JBSWY3DPEHPK3PXP';
const ACCOUNTS = [
  `otpauth://totp/GitHub:alice?secret=${KEY}&issuer=GitHub`,
  'otpauth://totp/Bank:bob?secret=MZXW6YTBOJRGC4TCMF4GK3LQNRSQ&issuer=Bank',
];
const DAY = 86_400;

async function unlocked(t, name, prepare = () => {}) {
  const { dir, vault, cli } = tempVault(PASSWORD, name);
  cli('init');
  for (const uri of ACCOUNTS) cli('add', uri);
  cli('backup', 'create');
  prepare(vault);
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await (await session.waitFor('#unlock-password')).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === 2,
    { timeout: 30_000, what: 'two accounts' });
  return { dir, vault, session };
}

const text = (session, selector) => session.execute(`return document.querySelector('${selector}').textContent;`);

async function click(session, selector) {
  await session.execute(`document.querySelector('${selector}').scrollIntoView({ block: 'center' }); return true;`);
  await session.click(selector);
}

test('Settings → Backups: the last verified backup, a second folder through the real dialog, the kit through the save dialog', async (t) => {
  const { dir, vault, session } = await unlocked(t, 'backups');
  await withScreenshotOnFailure(session, 'backups', async () => {
    await session.click('#settings-button');
    await session.waitUntil(async () => /^Last verified backup: (just now|1 minute ago), 2 accounts$/.test(await text(session, '#backup-verified')),
      { what: 'the last verified backup' });
    assert.equal(await session.execute("return document.querySelector('#backup-reminder-row').hidden;"), false, 'the reminder is offered');

    const stick = path.join(dir, 'stick');
    mkdirSync(stick);
    await click(session, '#backup-choose-folder');
    await chooseFile(session, 'Choose a second folder for backups', stick);
    await session.waitUntil(async () => /copied there and verified/.test(await text(session, '#backup-status')),
      { timeout: 30_000, what: 'a backup in the second folder' });
    const copies = readdirSync(stick).filter((name) => name.endsWith('.rbak'));
    assert.equal(copies.length, 1, `${readdirSync(stick)}`);
    assert.equal(statSync(path.join(stick, copies[0])).mode & 0o777, 0o600);
    assert.equal(await text(session, '#backup-second-folder'), stick);
    assert.equal(await session.execute("return document.querySelector('#backup-stop-folder').hidden;"), false);
    assert.equal(await session.execute("return document.querySelector('#backup-reminder-row').hidden;"), true,
      'no reminder with a second folder');
    assert.equal(await session.execute("return document.querySelector('#backup-second-problem').hidden;"), true);

    const kit = path.join(dir, 'kit.html');
    await click(session, '#kit-save');
    await chooseFile(session, 'Save the emergency kit', kit);
    await session.waitUntil(async () => /^Saved /.test(await text(session, '#kit-status')),
      { timeout: 30_000, what: 'the kit saved' });
    assert.equal(statSync(kit).mode & 0o777, 0o600, 'the kit is private');
    const page = readFileSync(kit, 'utf8');
    assert.ok(page.includes(vault), 'the vault’s location');
    assert.ok(page.includes(stick), 'the second folder');
    assert.match(page, /ringlet-cli restore/);
    assert.ok(!page.includes('JBSW Y3DP') && !page.includes(KEY) && !page.includes('<svg'), 'no secret unless asked');
  });
});

test('the monthly reminder shows above the list; Remind me later puts it off by days', async (t) => {
  const past = Math.floor(Date.now() / 1000) - DAY;
  const { vault, session } = await unlocked(t, 'reminder', (dir) => {
    const file = path.join(dir, 'backups', 'status.json');
    const status = JSON.parse(readFileSync(file, 'utf8'));
    status.reminder = { off: false, next: past };
    writeFileSync(file, JSON.stringify(status));
  });
  await withScreenshotOnFailure(session, 'backup-reminder', async () => {
    await session.waitUntil(() => session.execute("return !document.querySelector('#backup-banner').hidden;"),
      { timeout: 15_000, what: 'the reminder' });
    assert.match(await text(session, '#backup-banner-text'), /copy a backup somewhere off this computer/);
    const later = await session.execute("return [...document.querySelectorAll('#backup-banner-actions button')].map((b) => b.textContent);");
    assert.deepEqual(later, ['Done', 'Remind me later', 'Don’t remind me']);
    await session.execute("[...document.querySelectorAll('#backup-banner-actions button')][1].click(); return true;");
    await session.waitUntil(() => session.execute("return document.querySelector('#backup-banner').hidden;"), { what: 'the reminder put off' });
    const status = JSON.parse(readFileSync(path.join(vault, 'backups', 'status.json'), 'utf8'));
    const now = Math.floor(Date.now() / 1000);
    assert.ok(status.reminder.next > now + 2 * DAY && status.reminder.next <= now + 3 * DAY + 60, `${status.reminder.next}`);
    assert.equal(status.reminder.off, false);
  });
});

test('an unverified newest backup is a warning above the list, not only in Settings', async (t) => {
  const { session } = await unlocked(t, 'unverified', (dir) => {
    const file = path.join(dir, 'backups', 'status.json');
    const status = JSON.parse(readFileSync(file, 'utf8'));
    status.unverified = {
      time: Math.floor(Date.now() / 1000) - 120,
      file: path.join(dir, 'backups', 'ringlet-20261204-120000.rbak.unverified'),
      why: 'it failed its checksum (the file was altered or truncated)',
    };
    writeFileSync(file, JSON.stringify(status));
  });
  await withScreenshotOnFailure(session, 'backup-unverified', async () => {
    await session.waitUntil(() => session.execute("return !document.querySelector('#backup-banner').hidden;"),
      { timeout: 15_000, what: 'the warning' });
    assert.match(await text(session, '#backup-banner-text'), /newest backup \(2 minutes ago\) did not verify: it failed its checksum/);
    await session.execute("document.querySelector('#backup-banner-actions button').click(); return true;");
    await session.waitUntil(async () => /did not verify/.test(await text(session, '#backup-unverified')),
      { what: 'the same warning in Settings → Backups' });
    // The next backup verifies and the warning goes, in both places.
    await click(session, '#backup-now');
    await session.waitUntil(() => session.execute("return document.querySelector('#backup-unverified').hidden && document.querySelector('#backup-banner').hidden;"),
      { timeout: 30_000, what: 'the warning gone after a verified backup' });
  });
});
