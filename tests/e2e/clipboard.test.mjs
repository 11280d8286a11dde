// End to end: a copied code and the real X clipboard when the vault locks and when the app
// quits. On X11 the clipboard is served by the program that owns it, so xclip reads what
// Ringlet serves while it runs. Locking wipes the code (Ctrl+L, the lock button) unless the
// person has copied something since. Quitting by closing the window leaves no code and
// exits cleanly; on X11 that much cannot show Ringlet's own wipe on quit (a quit program's
// clipboard is gone, and the clipboard plugin lets go of a code marked secret as it shuts
// down), but it did show the quit crashing once a code was copied. The wipe after a delay
// is locking.test.mjs's.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, projectRoot, openApp, waitForWindow, windowsTitled, NEGATIVE_WAIT_MS, clipboardText as clipboard } from './webdriver.mjs';

const PASSWORD = 'copy then lock 4471';
const ISSUER = 'Clipper Bank';
const CLOSE_WINDOW = path.join(projectRoot, 'tests/e2e/close_window.py');
const PYTHON = process.env.RINGLET_SYSTEM_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');


function setClipboard(text) {
  // xclip forks and keeps serving the selection, like a person's other app.
  execFileSync('xclip', ['-i', '-selection', 'clipboard'], { input: text, timeout: 5000, stdio: ['pipe', 'ignore', 'ignore'] });
}

function prepareVault(name) {
  const { dir, vault, cli, setSettings } = tempVault(PASSWORD, name);
  cli('init');
  cli('add', `otpauth://totp/${encodeURIComponent(ISSUER)}:clip?secret=KRUGS4ZANFZSAYJAONSWG4TFOQQQ&issuer=${encodeURIComponent(ISSUER)}`);
  // No wipe after a delay and no auto-lock: only the lock or the quit under test wipes.
  setSettings({ clipboardClearSeconds: null, autoLockSeconds: null });
  return { dir, vault };
}

async function unlock(session) {
  const field = await session.waitFor('#unlock-password');
  await field.clear();
  await field.type(PASSWORD);
  await session.click('#unlock-submit');
  return session.waitFor('#account-list li.account', { timeout: 30_000 });
}

/** Waits until the clipboard holds a 6-digit code; returns it. */
function copiedCode(session) {
  return session.waitUntil(() => {
    const text = clipboard();
    return /^\d{6}$/.test(text) ? text : null;
  }, { what: 'the code on the X clipboard' });
}

test('locking wipes a copied code from the X clipboard, and leaves what the person copied since', async (t) => {
  const { dir, vault } = prepareVault('clip-lock');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  // Copied with Enter on the row, as the list's hint says; served by Ringlet while it runs.
  let row = await unlock(session);
  assert.equal(clipboard(), '', 'nothing on the clipboard before the copy');
  await row.type('\uE007');
  const code = await copiedCode(session);
  assert.equal(clipboard(), code, 'still served a moment later');

  // Ctrl+L: the wipe comes before the UI is told the vault is locked.
  await row.type('\uE009l\uE000');
  await session.waitFor('#unlock-password', { timeout: 5000 });
  assert.equal(clipboard(), '', 'the code left the clipboard with the lock');

  // Copy (a click this time), then the person copies something else, then the lock button:
  // the person's text stays.
  row = await unlock(session);
  await row.click();
  const second = await copiedCode(session);
  setClipboard('a note the person copied');
  await session.waitUntil(() => clipboard() === 'a note the person copied', { what: "the person's copy" });
  await session.click('#lock-button');
  await session.waitFor('#unlock-password', { timeout: 5000 });
  // A wipe on lock comes before the unlock screen; watch NEGATIVE_WAIT_MS (5 s) beyond it.
  await session.holds(() => clipboard() === 'a note the person copied', { what: "the person's own clipboard text after the lock" });
  assert.notEqual(clipboard(), second);
});

test('quitting by closing the window leaves no copied code and exits cleanly', async (t) => {
  const { dir, vault } = prepareVault('clip-quit');
  const { driver, session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  const row = await unlock(session);
  const window = await waitForWindow(session, 'Ringlet');
  const pid = Number(execFileSync('xdotool', ['getwindowpid', window], { encoding: 'utf8', timeout: 5000 }).trim());
  assert.ok(pid > 0, 'the app process');
  await row.click();
  const code = await copiedCode(session);
  const before = driver.output().length;

  // As a window manager asks when the close button is clicked: WM_DELETE_WINDOW.
  execFileSync(PYTHON, [CLOSE_WINDOW, window], { timeout: 10_000 });
  await session.waitUntil(() => windowsTitled('Ringlet').length === 0, { timeout: 15_000, what: 'the window to close' });
  // The process is gone (or a zombie its parent, WebKitWebDriver, has not reaped yet).
  await session.waitUntil(() => {
    try {
      return /^\S+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return true;
    }
  }, { timeout: 15_000, what: 'the app to exit' });

  assert.notEqual(clipboard(), code, 'the code is not on the clipboard after the quit');
  assert.equal(clipboard(), '');
  const quitLog = driver.output().slice(before);
  assert.doesNotMatch(quitLog, /panicked/, `the app exits without a panic: ${quitLog.slice(quitLog.indexOf('panicked')).split('\n').slice(0, 3).join(' ')}`);
});
