// End to end: showing an account's secret to move it to another device. The password is
// asked again; the key and QR code appear in a native window outside the webview (the
// secrets test checks that no IPC answer carries them); the QR code on screen is a real,
// readable code for the same account (Ringlet's own Scan screen reads it back); locking
// closes the window.

import assert from 'node:assert/strict';

import { test, withScreenshotOnFailure, tempVault, openApp, windowsTitled } from './webdriver.mjs';

const PASSWORD = 'move it to my phone 8';
const ISSUER = 'Relocation Bank';
const NAME = 'rita';

const textOf = (session, css) => session.execute(`return document.querySelector(${JSON.stringify(css)})?.textContent ?? null;`);

test('showing a secret asks for the password, opens a native window with a readable QR code, and locking closes it', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'reveal');
  cli('init');
  cli('add', `otpauth://totp/${encodeURIComponent(ISSUER)}:${NAME}?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF&issuer=${encodeURIComponent(ISSUER)}`);
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  await withScreenshotOnFailure(session, 'reveal', async () => {
    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });

    await session.click('#account-list li.account button.reveal');
    await session.waitFor('#reveal-password');
    assert.match(await textOf(session, '#reveal-text'), new RegExp(ISSUER));
    await session.click('#reveal-submit');
    assert.equal(await textOf(session, '#reveal-error'), 'Enter your password.');
    await (await session.find('#reveal-password')).type('not my password');
    await session.click('#reveal-submit');
    await session.waitUntil(async () => (await textOf(session, '#reveal-error')) === 'Wrong password.', {
      timeout: 30_000, what: 'the wrong-password message',
    });
    assert.deepEqual(windowsTitled('secret of'), [], 'nothing is shown after a wrong password');

    const field = await session.find('#reveal-password');
    await field.clear();
    await field.type(PASSWORD);
    await session.click('#reveal-submit');
    const shown = await session.waitUntil(() => {
      const ids = windowsTitled(`secret of ${ISSUER} \\(${NAME}\\)`);
      return ids.length === 1 ? ids : null;
    }, { timeout: 30_000, what: 'the native window with the secret' });
    assert.equal(shown.length, 1);
    // The window is up before the command answers; the dialog closes once it has.
    await session.waitUntil(async () => (await session.execute("return document.querySelector('#reveal-dialog').open;")) === false, {
      timeout: 10_000, what: 'the password dialog to close',
    });
    assert.equal(await session.execute('return document.querySelector("#reveal-password").value;'), '');

    // The code on screen reads back as this very account: Scan screen finds it and marks it
    // as already in the vault.
    await session.click('#scan-button');
    await session.waitFor('#import-dialog li.candidate', { timeout: 20_000 });
    const candidates = await session.findAll('#import-dialog li.candidate');
    assert.equal(candidates.length, 1);
    assert.match(await candidates[0].text(), new RegExp(ISSUER));
    assert.match(await candidates[0].text(), /Already in your vault/);
    await session.click('#import-cancel');

    // Locking closes the window: no secret stays on screen.
    await session.click('#lock-button');
    await session.waitFor('#unlock-password');
    await session.waitUntil(() => windowsTitled('secret of').length === 0, { what: 'the secret window to close' });
  });
});
