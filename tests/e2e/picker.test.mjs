// End to end: one Ringlet per vault, and the quick picker. A second launch hands its
// arguments to the running app over the session bus and exits: `ringlet --quick` opens the
// picker (locked: its unlock prompt first), whose search and Enter copy a code to the real
// X clipboard and close it; a plain launch opens no second window; `ringlet FILE` shows the
// file's accounts in the main window's import dialog.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

import { test, tempVault, openApp, appBinary, projectRoot, withScreenshotOnFailure } from './webdriver.mjs';

const PASSWORD = 'quick as a fox 19';
const ENTER = '\uE007';
const PICKED_IMAGE = path.join(projectRoot, 'tests/fixtures/qr-code.png');

function clipboard() {
  return execFileSync('xclip', ['-o', '-selection', 'clipboard'], {
    encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** Starts the app a second time, as a person or a desktop shortcut would; it must hand over
 *  its arguments and exit at once. */
function launchAgain(vault, ...args) {
  const run = spawnSync(appBinary(), args, {
    env: { ...process.env, RINGLET_VAULT: vault }, timeout: 30_000, encoding: 'utf8',
  });
  assert.equal(run.status, 0, `the second launch exits 0 (${run.status}): ${run.stderr}`);
  return run;
}

async function handles(session) {
  return session.request('GET', '/window/handles');
}

/** Switches WebDriver to the window whose page is `page`. */
async function switchToPage(session, page) {
  return session.waitUntil(async () => {
    for (const handle of await handles(session)) {
      await session.request('POST', '/window', { handle });
      const url = await session.execute('return location.pathname;');
      if (url.endsWith(page)) return handle;
    }
    return null;
  }, { what: `the window of ${page}` });
}

test('a second launch opens the quick picker in the running app, which copies and closes', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'picker');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  cli('add', 'otpauth://totp/GitLab:alice?secret=KRSXG5CTMVRXEZLU&issuer=GitLab');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'picker', async () => {
    await session.waitFor('#unlock-password');
    const main = await switchToPage(session, '/index.html').catch(() => null)
      ?? (await handles(session))[0];

    // Locked: the picker asks for the password first.
    launchAgain(vault, '--quick');
    await session.waitUntil(async () => (await handles(session)).length === 2, { what: 'the picker window' });
    await switchToPage(session, '/picker.html');
    await (await session.waitFor('#picker-password')).type(`${PASSWORD}${ENTER}`);
    const search = await session.waitFor('#picker-search', { timeout: 30_000 });
    await session.waitUntil(async () => (await session.findAll('#picker-list li.pick')).length === 2, { what: 'two accounts in the picker' });

    await search.type('gitl');
    await session.waitUntil(async () => {
      const names = await session.execute('return [...document.querySelectorAll("#picker-list .pick-issuer")].map((e) => e.textContent);');
      return JSON.stringify(names) === '["GitLab"]';
    }, { what: 'GitLab alone' });
    const shown = await session.execute('return document.querySelector("#picker-list .pick-code").textContent.replace(/\\s/g, "");');
    assert.match(shown, /^\d{6}$/);
    await search.type(ENTER);
    // Copied in Rust and the picker gone; the code read back while the app serves it.
    await session.waitUntil(async () => (await handles(session)).length === 1, { what: 'the picker closed' });
    await session.request('POST', '/window', { handle: main });
    const held = clipboard().trim();
    assert.ok(/^\d{6}$/.test(held), `a code on the clipboard: ${held}`);
    if (held !== shown) {
      // A period turned between reading the row and copying: the main window shows the new code.
      const now = await session.execute('return [...document.querySelectorAll("#account-list li.account")].map((r) => r.textContent).join(" ");');
      assert.ok(now.replace(/\s/g, '').includes(held), `${held} is GitLab's code now`);
    }

    // The picker's unlock opened the vault for the main window too.
    await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === 2, { what: 'the main list after the picker unlocked' });

    // A plain second launch makes no second window.
    launchAgain(vault);
    await session.holds(async () => (await handles(session)).length === 1, { what: 'one window only' });

    // "Open with Ringlet": the file's account in the main window's import dialog.
    launchAgain(vault, PICKED_IMAGE);
    await session.waitFor('#import-dialog li.candidate', { timeout: 30_000 });
  });
});
