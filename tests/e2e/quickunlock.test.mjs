// End to end: quick unlock through the OS keyring, with a real Secret Service
// (gnome-keyring-daemon in the D-Bus session `src-tauri/scripts/dev test` starts), and then
// with that keyring out of reach: the unlock screen says why quick unlock failed and the
// password still opens the vault.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';

import { test, withScreenshotOnFailure, tempVault, openApp, notRun } from './webdriver.mjs';

const PASSWORD = 'quick but not careless 2026';
const ISSUER = 'Keyring Credit Union';

const textOf = (session, css) => session.execute(`return document.querySelector(${JSON.stringify(css)})?.textContent ?? null;`);
const isHidden = (session, css) => session.execute(`return document.querySelector(${JSON.stringify(css)}).hidden;`);

async function waitText(session, css, pattern, timeout = 20_000) {
  return session.waitUntil(async () => {
    const text = await textOf(session, css);
    return text && pattern.test(text) ? text : null;
  }, { timeout, what: `${css} to read ${pattern}` });
}

async function typeInto(session, css, text) {
  const field = await session.waitFor(css);
  await field.clear();
  await field.type(text);
}

async function unlockWithPassword(session) {
  await typeInto(session, '#unlock-password', PASSWORD);
  await session.click('#unlock-submit');
  await session.waitFor('#account-list li.account', { timeout: 30_000 });
}

async function lock(session) {
  await session.click('#lock-button');
  await session.waitFor('#unlock-password');
  assert.equal(await session.execute('return document.querySelectorAll("#account-list li.account").length;'), 0);
}

async function start(t, vault, env = {}) {
  return (await openApp(t, { RINGLET_VAULT: vault, ...env })).session;
}

test('quick unlock with the system keyring, and without it', async (t) => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS || process.env.RINGLET_TEST_KEYRING !== '1') {
    notRun(t, 'needs a Secret Service: run through `src-tauri/scripts/dev test`, which starts gnome-keyring');
    return;
  }
  const { dir, vault, cli, setSettings } = tempVault(PASSWORD, 'quick');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cli('init');
  cli('add', `otpauth://totp/${encodeURIComponent(ISSUER)}:quinn?secret=JBSWY3DPEHPK3PXP&issuer=${encodeURIComponent(ISSUER)}`);
  setSettings({ clipboardClearSeconds: 20, autoLockSeconds: null });

  // 1. With the keyring: off by default; turning it on asks for the password.
  const session = await start(t, vault);
  await withScreenshotOnFailure(session, 'quickunlock-on', async () => {
    await session.waitFor('#unlock-password');
    assert.equal(await isHidden(session, '#unlock-quick'), true, 'no quick unlock before it is turned on');
    await unlockWithPassword(session);

    await session.click('#settings-button');
    await waitText(session, '#quick-state', /^Off\./);
    await session.click('#quick-submit');
    await waitText(session, '#quick-error', /Enter your password/);
    await typeInto(session, '#quick-password', 'not the password');
    await session.click('#quick-submit');
    await waitText(session, '#quick-error', /password is wrong/i, 30_000);
    await typeInto(session, '#quick-password', PASSWORD);
    await session.click('#quick-submit');
    await waitText(session, '#quick-state', /^On\./, 30_000);
    await waitText(session, '#quick-entry', /^Keyring entry “vault [0-9a-f]{32} key [0-9a-f]{32}”, service Ringlet\.$/);
    assert.equal(await isHidden(session, '#quick-password-field'), true);
    assert.equal(await session.execute('return document.querySelector("#quick-password").value;'), '');
    await session.click('#settings-close');

    await lock(session);
    assert.equal(await isHidden(session, '#unlock-quick'), false);
    await session.click('#unlock-quick');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });
    assert.match(await textOf(session, '#account-list li.account .issuer'), new RegExp(ISSUER));
    // Locking again does not unlock by itself: the person has to ask.
    await lock(session);
    await session.holds(async () => (await session.execute('return document.querySelectorAll("#account-list li.account").length;')) === 0,
      { what: 'the vault staying locked' });
  });
  await session.end();

  // 2. The keyring out of reach (no D-Bus session): quick unlock says why, the password works,
  //    and turning quick unlock off still works (the key's removal is reported).
  const broken = await start(t, vault, { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}` });
  await withScreenshotOnFailure(broken, 'quickunlock-unavailable', async () => {
    await broken.waitFor('#unlock-password');
    await broken.waitUntil(async () => (await isHidden(broken, '#unlock-quick')) === false, { what: 'the quick unlock button' });
    await broken.click('#unlock-quick');
    const message = await waitText(broken, '#unlock-error', /Quick unlock did not work/, 30_000);
    assert.match(message, /system keyring cannot be reached/);
    assert.match(message, /Your password still opens the vault/);
    assert.equal(await broken.execute('return document.querySelectorAll("#account-list li.account").length;'), 0);

    await unlockWithPassword(broken);
    await broken.click('#settings-button');
    await waitText(broken, '#quick-state', /^On\./);
    await broken.click('#quick-submit');
    await waitText(broken, '#quick-state', /^Off\./, 30_000);
    await waitText(broken, '#quick-error', /could not be removed from the system keyring/);
    // Turning it back on needs the keyring: a clear error, and it stays off.
    await typeInto(broken, '#quick-password', PASSWORD);
    await broken.click('#quick-submit');
    await waitText(broken, '#quick-error', /system keyring cannot be reached/, 30_000);
    await waitText(broken, '#quick-state', /^Off\./);
    await broken.click('#settings-close');
    await lock(broken);
    assert.equal(await isHidden(broken, '#unlock-quick'), true);
  });
});
