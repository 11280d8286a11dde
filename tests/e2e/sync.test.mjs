// End to end: sync in the real window (issue #16). The app's vault is one computer's copy
// ("desktop"), built from a sync folder with ringlet-cli; another copy ("laptop") is driven
// by ringlet-cli beside it. An account the laptop adds appears in the open window's list by
// itself (the background sync sees the folder change); Settings → Sync shows the folder,
// this computer's name and the laptop with when it last wrote; Sync now says what it did.
// Then the laptop changes the vault's password: the window asks for the new one, refuses
// the old one in place, takes the new one, and from then on the vault unlocks with it only.
// A second computer joins from the first-run screen; another syncs through a real WebDAV
// server (rclone serve webdav on 127.0.0.1) joined in Settings → Sync.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { test, tempVault, openApp, withScreenshotOnFailure, cliBinary, chooseFile } from './webdriver.mjs';

const PASSWORD = 'one vault everywhere 16';
const NEW_PASSWORD = 'a newer password for all 16';

async function issuers(session) {
  return session.execute("return [...document.querySelectorAll('#account-list li.account .issuer')].map((e) => e.textContent).sort();");
}

async function waitForIssuers(session, expected, what) {
  await session.waitUntil(async () => JSON.stringify(await issuers(session)) === JSON.stringify(expected),
    { timeout: 30_000, what });
}

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Until the WebDAV server answers (401 without a password). */
async function waitForServer(port) {
  for (let tries = 0; tries < 100; tries++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error('rclone serve webdav did not start');
}

/** A button at the foot of the long Settings dialog: brought into the middle of the view
 *  first, so no edge of the dialog covers it, then clicked. */
async function clickCentred(session, selector) {
  await session.execute(`document.querySelector('${selector}').scrollIntoView({ block: 'center' }); return true;`);
  await session.click(selector);
}

async function unlock(session, password) {
  await (await session.waitFor('#unlock-password', { timeout: 30_000 })).type(password);
  await session.click('#unlock-submit');
}

test('sync: the list follows another computer, Settings → Sync shows it, a password changed there is taken here', async (t) => {
  const { dir, vault, passwordFile, cli } = tempVault(PASSWORD, 'sync');
  const folder = path.join(dir, 'Sync');
  mkdirSync(folder);
  const laptopVault = path.join(dir, 'laptop');
  const laptop = (...args) => execFileSync(cliBinary(), ['--vault', laptopVault, '--password-file', passwordFile, ...args]);
  laptop('init');
  laptop('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  laptop('sync', 'join', folder, '--name', 'laptop');
  cli('sync', 'join', folder, '--name', 'desktop');
  cli('settings', 'set', 'autoLockSeconds=never');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'sync', async () => {
    await unlock(session, PASSWORD);
    await waitForIssuers(session, ['GitHub'], 'the account built from the folder');

    // The laptop adds an account and syncs: the open window's list follows by itself.
    laptop('add', 'otpauth://totp/Mastodon:bob?secret=KRSXG5CTMVRXEZLU&issuer=Mastodon');
    laptop('sync', 'now');
    await waitForIssuers(session, ['GitHub', 'Mastodon'], 'the laptop’s account, merged in the background');

    // Settings → Sync: the folder, this computer, the laptop and when it wrote.
    await session.click('#settings-button');
    await session.waitUntil(() => session.execute("return !document.querySelector('#sync-on').hidden;"), { what: 'the sync status' });
    assert.equal(await (await session.find('#sync-folder')).text(), folder);
    assert.equal(await (await session.find('#sync-device')).text(), 'desktop');
    const device = await session.execute("return document.querySelector('#sync-devices li.sync-device').textContent;");
    assert.match(device, /laptop/);
    assert.match(device, /last wrote (just now|1 minute ago)/);
    await clickCentred(session, '#sync-now');
    await session.waitUntil(async () => /^Synced/.test(await (await session.find('#sync-status')).text()), { what: 'Sync now said what it did' });

    // The laptop changes the vault's password: this window asks for the new one.
    const newFile = path.join(dir, 'new-password');
    writeFileSync(newFile, `${NEW_PASSWORD}\n`);
    laptop('passwd', '--new-password-file', newFile);
    execFileSync(cliBinary(), ['--vault', laptopVault, '--password-file', newFile, 'sync', 'now']);
    await session.waitUntil(() => session.execute("return !document.querySelector('#sync-password-form').hidden;"),
      { timeout: 30_000, what: 'the new password asked for' });
    assert.match(await (await session.find('#sync-password-text')).text(), /changed on 'laptop'/);

    // The old password is refused in place; the new one is taken.
    await (await session.find('#sync-password')).type(PASSWORD);
    await clickCentred(session, '#sync-password-submit');
    await session.waitUntil(async () => (await (await session.find('#sync-password-error')).text()).length > 0, { timeout: 30_000, what: 'the wrong password said' });
    assert.equal(await session.execute("return document.querySelector('#sync-password').value.length > 0;"), true);
    await session.execute("const f = document.querySelector('#sync-password'); f.value = ''; return true;");
    await (await session.find('#sync-password')).type(NEW_PASSWORD);
    await clickCentred(session, '#sync-password-submit');
    await session.waitUntil(async () => /new password/.test(await (await session.find('#sync-status')).text()),
      { timeout: 30_000, what: 'the new password taken' });
    assert.equal(await session.execute("return document.querySelector('#sync-password-form').hidden;"), true);
    assert.equal(await session.execute("return document.querySelector('#sync-password').value;"), '');
    await session.click('#settings-close');

    // Locked and unlocked again: the new password opens this copy, the old one no longer.
    await session.click('#lock-button');
    await unlock(session, PASSWORD);
    await session.waitUntil(async () => /wrong/i.test(await (await session.find('#unlock-error')).text()), { timeout: 30_000, what: 'the old password refused' });
    await session.execute("document.querySelector('#unlock-password').value = ''; return true;");
    await unlock(session, NEW_PASSWORD);
    await waitForIssuers(session, ['GitHub', 'Mastodon'], 'the vault open with the new password');
  });
});

test('sync: a second computer joins from the setup screen, the folder chosen in the native dialog', async (t) => {
  const { dir, vault, passwordFile } = tempVault(PASSWORD, 'sync-join');
  const folder = path.join(dir, 'Sync');
  const empty = path.join(dir, 'Empty');
  mkdirSync(folder);
  mkdirSync(empty);
  const laptopVault = path.join(dir, 'laptop');
  const laptop = (...args) => execFileSync(cliBinary(), ['--vault', laptopVault, '--password-file', passwordFile, ...args]);
  laptop('init');
  laptop('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  laptop('sync', 'join', folder, '--name', 'laptop');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'sync-join', async () => {
    await session.waitFor('#join-open', { timeout: 30_000 });
    await session.click('#join-open');
    const field = await session.waitFor('#join-password');
    const attempt = async (password, chosen, expected) => {
      await session.execute("document.querySelector('#join-password').value = ''; return true;");
      await field.type(password);
      await session.click('#join-submit');
      await chooseFile(session, 'Choose the sync folder', chosen);
      await session.waitUntil(async () => expected.test(await (await session.find('#join-error')).text()),
        { timeout: 30_000, what: `the join refused: ${expected}` });
    };
    // A folder with no vault, then the wrong password: said in place, nothing made here.
    await attempt(PASSWORD, empty, /holds no Ringlet vault/);
    await attempt('not the password at all', folder, /not the vault’s password/);
    assert.equal(existsSync(path.join(vault, 'vault.header')), false);

    await session.execute("document.querySelector('#join-password').value = ''; return true;");
    await field.type(PASSWORD);
    await session.click('#join-submit');
    await chooseFile(session, 'Choose the sync folder', folder);
    await waitForIssuers(session, ['GitHub'], 'the vault built from the folder, unlocked');

    // It syncs from now on: once the laptop has synced, it lists this computer.
    await session.waitUntil(() => {
      laptop('sync', 'now');
      return laptop('sync', 'status').toString().includes('Other computers');
    }, { timeout: 30_000, what: 'this computer in the laptop’s status' });
  });
});

test('sync: Settings → Sync joins a folder on a real WebDAV server (rclone), a wrong password said in place', async (t) => {
  const { dir, vault, passwordFile, cli } = tempVault(PASSWORD, 'sync-webdav');
  const served = path.join(dir, 'served');
  mkdirSync(served);
  const port = await freePort();
  const address = `http://127.0.0.1:${port}/Ringlet`;
  const davPasswordFile = path.join(dir, 'dav-password');
  writeFileSync(davPasswordFile, 'dav secret 1\n');
  const rclone = spawn('rclone', ['serve', 'webdav', served, '--addr', `127.0.0.1:${port}`, '--user', 'alice', '--pass', 'dav secret 1'],
    { stdio: 'ignore' });
  t.after(() => rclone.kill());
  await waitForServer(port);

  const laptopVault = path.join(dir, 'laptop');
  const laptop = (...args) => execFileSync(cliBinary(), ['--vault', laptopVault, '--password-file', passwordFile, ...args]);
  laptop('init');
  laptop('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  laptop('sync', 'join', address, '--webdav-user', 'alice', '--webdav-password-file', davPasswordFile, '--name', 'laptop');
  // This computer's copy of the vault, not syncing yet.
  cli('sync', 'join', address, '--webdav-user', 'alice', '--webdav-password-file', davPasswordFile, '--name', 'desktop');
  cli('sync', 'leave');
  cli('settings', 'set', 'autoLockSeconds=never');
  laptop('add', 'otpauth://totp/Mastodon:bob?secret=KRSXG5CTMVRXEZLU&issuer=Mastodon');
  laptop('sync', 'now');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'sync-webdav', async () => {
    await unlock(session, PASSWORD);
    await waitForIssuers(session, ['GitHub'], 'this copy, before it syncs');
    await session.click('#settings-button');
    await session.waitUntil(() => session.execute("return !document.querySelector('#sync-webdav-open').hidden;"), { what: 'sync off' });
    await clickCentred(session, '#sync-webdav-open');
    await (await session.waitFor('#sync-webdav-address')).type(address);
    await (await session.find('#sync-webdav-user')).type('alice');
    await (await session.find('#sync-webdav-password')).type('not the server password');
    await clickCentred(session, '#sync-webdav-submit');
    await session.waitUntil(async () => /refused the user "alice" or its password/.test(await (await session.find('#sync-webdav-error')).text()),
      { timeout: 30_000, what: 'the wrong WebDAV password said' });
    await session.execute("document.querySelector('#sync-webdav-password').value = ''; return true;");
    await (await session.find('#sync-webdav-password')).type('dav secret 1');
    await clickCentred(session, '#sync-webdav-submit');
    await session.waitUntil(() => session.execute("return !document.querySelector('#sync-on').hidden;"), { timeout: 30_000, what: 'syncing' });
    assert.equal(await (await session.find('#sync-folder')).text(), `${address}/`);
    assert.equal(await session.execute("return document.querySelector('#sync-webdav-password').value;"), '');
    await waitForIssuers(session, ['GitHub', 'Mastodon'], 'the laptop’s account, through the server');
  });
});
