// End to end: Scan screen. A QR code shown by another program (feh, an image viewer) on the
// Xvfb screen is found by the real app, which hides its own window while it looks.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import { test, cliBinary, tempVault, projectRoot, openApp } from './webdriver.mjs';

const PASSWORD = 'scan the screen 5';
// A setup QR code (made by tests/fixtures/make_qr_fixtures.py).
const QR_IMAGE = path.join(projectRoot, 'tests/fixtures/qr-code.png');

test('a QR code on the screen is found by Scan screen', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'scan');
  cli('init');
  const expected = execFileSync(cliBinary(), ['decode-qr', QR_IMAGE], { encoding: 'utf8' }).trim();
  const issuer = decodeURIComponent(new URL(expected).searchParams.get('issuer') ?? '');

  // The code sits to the right of where the app's window opens.
  const viewer = spawn('feh', ['--geometry', '+700+100', '--no-menus', QR_IMAGE], { stdio: 'ignore' });
  t.after(async () => {
    if (viewer.exitCode === null) {
      viewer.kill();
      await once(viewer, 'exit');
    }
  });
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  await (await session.waitFor('#unlock-password')).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitFor('#scan-button', { timeout: 30_000 });
  await session.click('#scan-button');
  await session.waitFor('#import-dialog li.candidate', { timeout: 20_000 });
  const rows = await session.findAll('#import-dialog li.candidate');
  assert.equal(rows.length, 1);
  assert.match(await rows[0].text(), new RegExp(issuer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await session.click('#import-confirm');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === 1, {
    what: 'the scanned account in the list',
  });
});

test('Scan screen through the screenshot portal says so when the desktop has none', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'scan-portal');
  cli('init');
  // The Wayland path, forced; no D-Bus session at all, so no portal can answer.
  const { session } = await openApp(t, {
    RINGLET_VAULT: vault,
    RINGLET_SCREEN_CAPTURE: 'portal',
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}`,
  }, dir);

  await (await session.waitFor('#unlock-password')).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitFor('#scan-button', { timeout: 30_000 });
  await session.click('#scan-button');
  const message = await session.waitUntil(async () => {
    const text = await session.execute("return document.querySelector('#toast.show')?.textContent ?? '';");
    return /screenshot service/.test(text) ? text : null;
  }, { timeout: 20_000, what: 'the message about the screenshot service' });
  assert.match(message, /This desktop offers Ringlet no screenshot service \(xdg-desktop-portal\)/);
  assert.match(message, /Ctrl\+V/);
  // The window is back and usable.
  assert.equal(await session.execute("return document.querySelector('#scan-button').disabled;"), false);
});
