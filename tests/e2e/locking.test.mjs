// End to end: what happens to codes when the person walks away. A copied code leaves the
// real X clipboard after the configured delay (unless something else was copied since),
// and the vault locks itself after the idle time, leaving no account data in the page.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { test, tempVault, openApp, NEGATIVE_WAIT_MS, clipboardText as clipboard } from './webdriver.mjs';

const PASSWORD = 'walk away safely 2026';
const ISSUER = 'Lockwood Bank';


function setClipboard(text) {
  // xclip forks and keeps serving the selection, like a person's other app.
  execFileSync('xclip', ['-i', '-selection', 'clipboard'], { input: text, timeout: 5000, stdio: ['pipe', 'ignore', 'ignore'] });
}

function prepareVault(settings) {
  const { dir, vault, cli, setSettings } = tempVault(PASSWORD, 'lock');
  cli('init');
  cli('add', `otpauth://totp/${encodeURIComponent(ISSUER)}:walker?secret=JBSWY3DPEHPK3PXP&issuer=${encodeURIComponent(ISSUER)}`);
  setSettings(settings);
  return { dir, vault };
}

async function unlock(session) {
  const field = await session.waitFor('#unlock-password');
  await field.clear();
  await field.type(PASSWORD);
  await session.click('#unlock-submit');
  return session.waitFor('#account-list li.account', { timeout: 30_000 });
}

test('a copied code is wiped from the clipboard after the delay, unless replaced', async (t) => {
  const { dir, vault } = prepareVault({ clipboardClearSeconds: 5, autoLockSeconds: null });
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  const row = await unlock(session);
  await row.click();
  const code = await session.waitUntil(() => {
    const text = clipboard().trim();
    return /^\d{6}$/.test(text) ? text : null;
  }, { what: 'the code on the clipboard' });
  await session.waitUntil(() => clipboard().trim() !== code, { timeout: 9000, what: 'the code to be wiped' });

  // Copy again, then copy something else: Ringlet must leave the person's text alone.
  await row.click();
  await session.waitUntil(() => /^\d{6}$/.test(clipboard().trim()), { what: 'the second copy' });
  const copiedAt = Date.now();
  // Marked for clipboard managers (KDE's Klipper and others honour it) as not for history.
  const targets = execFileSync('xclip', ['-o', '-selection', 'clipboard', '-t', 'TARGETS'], { encoding: 'utf8', timeout: 5000 });
  assert.match(targets, /^x-kde-passwordManagerHint$/m, targets);
  const hint = execFileSync('xclip', ['-o', '-selection', 'clipboard', '-t', 'x-kde-passwordManagerHint'], { encoding: 'utf8', timeout: 5000 });
  assert.equal(hint, 'secret');
  setClipboard('my shopping list');
  // The second copy's wipe is due 5 s after it: watch the person's text until then and
  // NEGATIVE_WAIT_MS beyond (the first wipe above came on time).
  await session.holds(() => clipboard() === 'my shopping list', {
    ms: copiedAt + 5000 + NEGATIVE_WAIT_MS - Date.now(), what: "the person's own clipboard text",
  });
});

test('the vault locks itself when idle and on Ctrl+L, leaving no account data in the page', async (t) => {
  // The shortest auto-lock delay Ringlet accepts (settings are held to the dialog's bounds).
  const { dir, vault } = prepareVault({ clipboardClearSeconds: null, autoLockSeconds: 30 });
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  await unlock(session);
  const page = () => session.execute('return document.body.innerText + document.body.dataset.screen + document.querySelectorAll("#account-list li").length;');
  assert.match(await page(), new RegExp(ISSUER));

  // Idle: nothing touched for the auto-lock delay.
  await session.waitFor('#unlock-password', { timeout: 45_000 });
  assert.match(await (await session.find('#unlock-error')).text(), /without use/);
  const lockedPage = await page();
  assert.doesNotMatch(lockedPage, new RegExp(ISSUER));
  assert.match(lockedPage, /unlock0$/);

  // Ctrl+L locks at once.
  const row = await unlock(session);
  await row.type('\uE009l\uE000');
  await session.waitFor('#unlock-password', { timeout: 5000 });
  assert.doesNotMatch(await (await session.find('#unlock-error')).text(), /without use/, 'locked by Ctrl+L, not by the idle timer');
  assert.doesNotMatch(await page(), new RegExp(ISSUER));
});
