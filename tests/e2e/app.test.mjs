// End to end: the real Ringlet window under Xvfb, driven through tauri-driver and
// WebKitWebDriver, with a real vault on disk and the real X clipboard.
//
// Run by `src-tauri/scripts/dev test` (which builds the app and provides DISPLAY).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { test, Session, withScreenshotOnFailure, startDriver, clipboardText as clipboard } from './webdriver.mjs';
import { totp } from './totp.mjs';

const PASSWORD = 'correct horse battery staple 42';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Example%20Corp:alice%40example.com?secret=${SECRET}&issuer=Example%20Corp`;
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

async function rows(session) {
  return session.findAll('#account-list li.account');
}

async function rowByIssuer(session, issuer) {
  return session.waitUntil(async () => {
    for (const row of await rows(session)) {
      if ((await (await row.find('.issuer')).text()) === issuer) return row;
    }
    return null;
  }, { what: `the row of ${issuer}` });
}

test('create a vault, add an account, copy its code, restart and unlock', async (t) => {
  const vaultDir = mkdtempSync(path.join(os.tmpdir(), 'ringlet-e2e-'));
  const driver = await startDriver({ RINGLET_VAULT: vaultDir });
  t.after(async () => {
    await driver.stop();
    rmSync(vaultDir, { recursive: true, force: true });
  });

  // First start: no vault yet, so the setup screen.
  let session = await Session.start(driver);
  try {
    await withScreenshotOnFailure(session, 'first-run', async () => {
    await (await session.waitFor('#setup-password')).type(PASSWORD);
    await (await session.find('#setup-confirm')).type(PASSWORD);
    await session.click('#setup-submit');
    await session.waitFor('#add-button', { timeout: 30_000 });

    // Add an account by URI.
    await session.click('#add-button');
    await session.click('#tab-uri');
    await (await session.waitFor('#add-uri')).type(URI);
    await session.click('#add-uri-submit');

    const row = await rowByIssuer(session, 'Example Corp');
    assert.equal(await (await row.find('.name')).text(), 'alice@example.com');

    // The code on screen is the RFC 6238 code for now (or the step just before, at a boundary).
    const shown = await (await row.find('.code')).text();
    assert.match(shown, /^\d{3} \d{3}$/, `grouped code, got "${shown}"`);
    const now = Date.now() / 1000;
    const expected = [totp(SECRET, now), totp(SECRET, now - 30), totp(SECRET, now + 30)];
    assert.ok(expected.includes(shown.replace(' ', '')), `${shown} is not one of ${expected}`);

    // The countdown ring is drawn and moves.
    const progress = await row.find('svg.ring .ring-progress');
    const offsetBefore = await progress.attribute('stroke-dashoffset');
    await session.waitUntil(async () => (await progress.attribute('stroke-dashoffset')) !== offsetBefore, {
      timeout: 5000,
      what: 'the ring to move',
    });

    // A short list fits the window: nothing (Tauri's isolation frame was) makes it scroll.
    const overflow = await session.execute('const e = document.scrollingElement; return e.scrollHeight - e.clientHeight;');
    assert.equal(overflow, 0, 'the page scrolls onto nothing');

    // Clicking the row copies the code; the app owns the X selection, so read it now.
    await row.click();
    // The toast fades in with a transform, which WebKitWebDriver's "displayed" check misses.
    // The "Added" toast may still be up: wait for the one the copy shows.
    await session.waitUntil(
      async () => /copied/i.test(await session.execute("return document.querySelector('#toast.show')?.textContent ?? '';")),
      { what: 'the "copied" toast' },
    );
    const copied = await session.waitUntil(() => {
      const text = clipboard().trim();
      return /^\d{6}$/.test(text) ? text : null;
    }, { what: 'a code on the clipboard' });
    const afterCopy = Date.now() / 1000;
    assert.ok(
      [totp(SECRET, afterCopy), totp(SECRET, afterCopy - 30), totp(SECRET, afterCopy - 60)].includes(copied),
      `clipboard holds ${copied}`,
    );

    // A label from a QR code is hostile: it must show as text and run nothing.
    const hostileUri = `otpauth://totp/${encodeURIComponent(HOSTILE)}:mallory?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=${encodeURIComponent(HOSTILE)}`;
    await session.click('#add-button');
    await session.click('#tab-uri');
    const uriField = await session.waitFor('#add-uri');
    await uriField.clear();
    await uriField.type(hostileUri);
    await session.click('#add-uri-submit');
    await rowByIssuer(session, HOSTILE);
    assert.equal(await session.execute('return window.__pwned === undefined && document.querySelectorAll("#account-list img").length === 0;'), true);

    // Changes are followed by an encrypted backup once things are quiet.
    await session.waitUntil(() => {
      const backups = path.join(vaultDir, 'backups');
      return existsSync(backups) && readdirSync(backups).some((name) => name.endsWith('.rbak'));
    }, { timeout: 15_000, what: 'an automatic backup' });
    });
  } finally {
    await session.end();
  }

  // The vault's files hold no label and no secret in clear.
  for (const file of filesUnder(vaultDir)) {
    const bytes = readFileSync(file);
    for (const needle of ['alice@example.com', 'Example Corp', SECRET, 'mallory']) {
      assert.equal(bytes.includes(Buffer.from(needle)), false, `${needle} in clear in ${file}`);
    }
  }

  // Restart: the unlock screen; a wrong password says so, the right one shows the account.
  session = await Session.start(driver);
  try {
    await withScreenshotOnFailure(session, 'restart', async () => {
    await (await session.waitFor('#unlock-password')).type('not the password');
    await session.click('#unlock-submit');
    const error = await session.waitFor('#unlock-error', { timeout: 30_000 });
    assert.match(await error.text(), /wrong password/i);

    const field = await session.find('#unlock-password');
    await field.clear();
    await field.type(PASSWORD);
    await session.click('#unlock-submit');
    const row = await rowByIssuer(session, 'Example Corp');
    assert.equal(await (await row.find('.name')).text(), 'alice@example.com');
    assert.equal((await rows(session)).length, 2);
    });
  } finally {
    await session.end();
  }
});
