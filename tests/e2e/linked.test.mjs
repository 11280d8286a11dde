// End to end: linked backups (issue #11) in the real window. A "phone" vault driven by
// ringlet-cli writes an encrypted Aegis backup (Ringlet's own exporter) into a folder;
// Settings → Linked folders links it through the native folder dialog, asks the backup's
// password (a wrong one said in place), and the list shows the group "Linked: Aegis, updated
// …" with codes equal to the phone's; HOTP rows are read-only. A newer backup dropped in the
// folder updates the group by itself and a toast says what was added; search finds linked
// rows; one is copied into the vault and shows among the vault's own accounts.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, openApp, chooseFile, withScreenshotOnFailure, cliBinary } from './webdriver.mjs';

const PASSWORD = 'linked to the phone 11';
const BACKUP_PASSWORD = 'the phone backup password';

/** A button at the foot of the long Settings dialog: brought into the middle first. */
async function clickCentred(session, selector) {
  await session.execute(`document.querySelector('${selector}').scrollIntoView({ block: 'center' }); return true;`);
  await session.click(selector);
}

const linkedIssuers = (session) => session.execute(
  "return [...document.querySelectorAll('#linked-groups li.linked-account .issuer')].map((e) => e.textContent).sort();");

test('linked: an encrypted Aegis folder linked in Settings shows codes, follows a new backup, and one is copied into the vault', async (t) => {
  const { dir, vault, passwordFile, cli } = tempVault(PASSWORD, 'linked');
  cli('init');
  cli('settings', 'set', 'autoLockSeconds=never');
  const folder = path.join(dir, 'Aegis backups');
  mkdirSync(folder);
  const backupPasswordFile = path.join(dir, 'backup-password');
  writeFileSync(backupPasswordFile, `${BACKUP_PASSWORD}\n`);
  const phoneVault = path.join(dir, 'phone');
  const phone = (...args) => execFileSync(cliBinary(), ['--vault', phoneVault, '--password-file', passwordFile, ...args]).toString();
  phone('init');
  phone('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  phone('add', 'otpauth://hotp/Counted:hal?secret=MZXW6YTBOJRGC4TCMF4GK3LQNRSQ&issuer=Counted&counter=7');
  const backUp = (name, secondsAgo) => {
    const file = path.join(folder, name);
    phone('export', '--format', 'aegis-encrypted', '-o', file, '--export-password-file', backupPasswordFile);
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, when, when);
  };
  backUp('aegis-backup-1.json', 180);

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'linked', async () => {
    await (await session.waitFor('#unlock-password', { timeout: 30_000 })).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#settings-button', { timeout: 30_000 });

    // Link the folder: the native dialog, then the password, asked because the backup is encrypted.
    await session.click('#settings-button');
    await clickCentred(session, '#linked-add');
    await chooseFile(session, 'Choose the folder your phone', folder);
    await session.waitUntil(() => session.execute("return !document.querySelector('#linked-password-form').hidden;"),
      { timeout: 30_000, what: 'the backup password asked' });
    assert.match(await session.execute("return document.querySelector('#linked-password-text').textContent;"), /encrypted Aegis backup/);
    await (await session.find('#linked-password')).type('not the password');
    await clickCentred(session, '#linked-password-submit');
    await session.waitUntil(async () => /password is wrong/.test(await session.execute("return document.querySelector('#linked-password-error').textContent;")),
      { timeout: 30_000, what: 'the wrong password said in place' });
    await session.execute("document.querySelector('#linked-password').value = ''; return true;");
    await (await session.find('#linked-password')).type(BACKUP_PASSWORD);
    await clickCentred(session, '#linked-password-submit');
    await session.waitUntil(async () => /Linked “Aegis”: 2 accounts/.test(await session.execute("return document.querySelector('#linked-status').textContent;")),
      { timeout: 30_000, what: 'the folder linked' });
    await session.click('#settings-close');

    // The group: its heading, a TOTP code equal to the phone's, the HOTP row read-only.
    await session.waitUntil(async () => JSON.stringify(await linkedIssuers(session)) === '["Counted","GitHub"]',
      { timeout: 15_000, what: 'the linked group listed' });
    assert.equal(await session.execute("return document.querySelector('#linked-groups .linked-heading').textContent;"),
      'Linked: Aegis, updated 3 minutes ago');
    assert.equal(await session.execute("return document.querySelector('#empty-state').offsetParent;"), null, 'no "No accounts yet" beside the group');
    const before = phone('code', 'GitHub').trim();
    const shown = await session.execute("return [...document.querySelectorAll('#linked-groups li.linked-account')].find((li) => li.querySelector('.issuer').textContent === 'GitHub').querySelector('.code').textContent.replace(/\\s/g, '');");
    // The phone's code, asked just before and after (a period may turn in between).
    const phoneCodes = [before, phone('code', 'GitHub').trim()];
    assert.ok(phoneCodes.includes(shown), `the linked code ${shown} is the phone's ${phoneCodes}`);
    assert.match(await session.execute("return document.querySelector('#linked-groups li.linked-hotp').textContent;"), /counter lives on the phone/);

    // A newer backup arrives: the group follows by itself and says what was added.
    phone('add', 'otpauth://totp/Mastodon:bob?secret=KRSXG5CTMVRXEZLU&issuer=Mastodon');
    backUp('aegis-backup-2.json', 10);
    await session.waitUntil(async () => JSON.stringify(await linkedIssuers(session)) === '["Counted","GitHub","Mastodon"]',
      { timeout: 30_000, what: 'the new backup read' });
    await session.waitUntil(async () => /Aegis: 1 added \(Mastodon \(bob\)\)/.test(await session.execute("return document.querySelector('#toast').textContent;")),
      { timeout: 10_000, what: 'the change said' });

    // Search finds linked rows.
    await (await session.find('#search')).type('mastodon');
    await session.waitUntil(async () => JSON.stringify(await linkedIssuers(session)) === '["Mastodon"]'
      && await session.execute("return document.querySelector('#no-match').hidden;"),
    { what: 'the linked row found, no "no match"' });

    // Copied into the vault: now one of the vault's own rows.
    await session.click('#linked-groups li.linked-account button.linked-copy');
    await session.waitUntil(async () => JSON.stringify(await session.execute(
      "return [...document.querySelectorAll('#account-list li.account .issuer')].map((e) => e.textContent);")) === '["Mastodon"]',
    { timeout: 15_000, what: 'the copy in the vault list' });
    // Clear the search: the group and the vault's copy both show.
    await (await session.find('#search')).type('\uE00C');
    await session.waitUntil(async () => (await linkedIssuers(session)).length === 3, { what: 'the whole group again' });
    // Settings lists the link with what its backup holds now.
    await session.click('#settings-button');
    await session.waitUntil(async () => /Aegis backup, 3 accounts/.test(await session.execute("return document.querySelector('#linked-list').textContent;")),
      { what: 'the link listed in Settings' });
  });
});
