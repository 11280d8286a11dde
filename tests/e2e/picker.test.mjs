// End to end: one Ringlet per vault, and the quick picker. A second launch hands its
// arguments to the running app over the session bus and exits: `ringlet --quick` opens the
// picker (locked: its unlock prompt first), whose search and Enter copy a code to the real
// X clipboard and close it; a plain launch opens no second window; `ringlet FILE` shows the
// file's accounts in the main window's import dialog.

import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

import { test, tempVault, openApp, appBinary, projectRoot, withScreenshotOnFailure, clipboardText as clipboard } from './webdriver.mjs';

const PASSWORD = 'quick as a fox 19';
const ENTER = '\uE007';
const PICKED_IMAGE = path.join(projectRoot, 'tests/fixtures/qr-code.png');
const TYPE_TARGET = path.join(projectRoot, 'tests/e2e/type_target.py');
// Debian's Python has the GTK bindings (python3-gi); another first on PATH may not.
const PYTHON = process.env.RINGLET_SYSTEM_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Starts another program's text field and keeps every line it prints. */
async function startTypeTarget(t) {
  const child = spawn(PYTHON, [TYPE_TARGET], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill());
  const lines = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  return { child, lines };
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

test('Shift+Enter in the picker types the code into the window that had the keyboard', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'picker-type');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'picker-type', async () => {
    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });

    // Another program's text field has the keyboard when the shortcut runs.
    const target = await startTypeTarget(t);
    const ready = await session.waitUntil(() => target.lines.find((l) => l.startsWith('ready ')), { what: 'the text field' });
    execFileSync('xdotool', ['windowfocus', '--sync', ready.split(' ')[1]], { timeout: 5000 });
    launchAgain(vault, '--quick');
    await session.waitUntil(async () => (await handles(session)).length === 2, { what: 'the picker window' });
    await switchToPage(session, '/picker.html');
    await session.waitUntil(async () => /types into “Type target”/.test(await session.execute('return document.querySelector("#picker-target").textContent;')),
      { what: 'the picker naming the window it types into' });

    const search = await session.waitFor('#picker-search');
    await search.type('github');
    const shown = await session.execute('return document.querySelector("#picker-list .pick-code").textContent.replace(/\\s/g, "");');
    await search.type('\uE008\uE007\uE008'); // Shift down, Enter, Shift up
    await session.waitUntil(async () => (await handles(session)).length === 1, { what: 'the picker closed after typing' });
    const typed = await session.waitUntil(() => {
      const last = target.lines.filter((l) => l.startsWith('text ')).pop();
      return last && last.length === 'text '.length + 6 ? last.slice('text '.length) : null;
    }, { what: 'six digits in the other program\'s field' });
    // A period may turn between reading the row and typing.
    if (typed !== shown) assert.match(typed, /^\d{6}$/);
    else assert.equal(typed, shown);
  });
});

test('the shortcut chosen in Settings opens the picker from anywhere, and Off lets it go', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'picker-shortcut');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  // Kept in clear beside the vault, so it works before the first unlock.
  writeFileSync(path.join(vault, 'preferences.json'), '{"quickShortcut": "Ctrl+Alt+Space"}');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'picker-shortcut', async () => {
    await session.waitFor('#unlock-password');
    const main = (await handles(session))[0];
    const press = (keys) => execFileSync('xdotool', ['key', keys], { timeout: 5000 });

    // Locked: the key combination opens the picker's unlock prompt.
    await session.waitUntil(async () => {
      press('ctrl+alt+space');
      return session.waitUntil(async () => (await handles(session)).length === 2, { timeout: 2000, what: 'the picker' }).catch(() => false);
    }, { what: 'Ctrl+Alt+Space opening the picker' });
    await switchToPage(session, '/picker.html');
    await session.waitFor('#picker-password');
    await session.execute("window.__TAURI__.core.invoke('close_picker'); return true;").catch(() => null);
    await session.waitUntil(async () => (await handles(session)).length === 1, { what: 'the picker closed' });
    await session.request('POST', '/window', { handle: main });

    // Settings shows it, and another choice moves the shortcut at once.
    await (await session.find('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });
    await session.click('#settings-button');
    await session.waitUntil(() => session.execute("return document.querySelector('#picker-shortcut').value === 'Ctrl+Alt+Space';"),
      { what: 'the saved shortcut shown' });
    await session.execute("const s = document.querySelector('#picker-shortcut'); s.value = ''; s.dispatchEvent(new Event('change')); return true;");
    await session.waitUntil(() => session.execute("return document.querySelector('#picker-shortcut-status').textContent;"), { what: 'the shortcut turned off' });
    assert.equal(JSON.parse(readFileSync(path.join(vault, 'preferences.json'), 'utf8')).quickShortcut, null);
    press('ctrl+alt+space');
    await session.holds(async () => (await handles(session)).length === 1, { what: 'no picker once the shortcut is off' });
  });
});
