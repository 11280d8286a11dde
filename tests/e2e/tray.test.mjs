// End to end: the tray icon, driven over the test's private session bus as a desktop panel
// drives it. A StatusNotifierWatcher (tray_host.py) takes the icon's registration, reads
// its menu over dbusmenu and clicks entries: a pinned account's entry copies its code to
// the real X clipboard, Lock locks, and the menu follows; closing the window keeps Ringlet
// in the tray, and "Show or hide" brings the window back.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

import { test, tempVault, openApp, projectRoot, windowsTitled, withScreenshotOnFailure, clipboardText as clipboard } from './webdriver.mjs';

const PASSWORD = 'sits in the tray 5';
// Debian's Python has the GTK bindings (python3-gi); another first on PATH may not.
const PYTHON = process.env.RINGLET_SYSTEM_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const TRAY_HOST = path.join(projectRoot, 'tests/e2e/tray_host.py');
const CLOSE_WINDOW = path.join(projectRoot, 'tests/e2e/close_window.py');


function startHost(t) {
  const child = spawn(PYTHON, [TRAY_HOST], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => child.kill());
  const lines = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  return {
    lines,
    /** The menu's entries: {label: id}. */
    async menu(session) {
      const from = lines.length;
      child.stdin.write('menu\n');
      await session.waitUntil(() => lines.slice(from).includes('end'), { what: 'the tray menu' });
      const entries = {};
      for (const line of lines.slice(from)) {
        const match = /^entry (\d+) (.*)$/.exec(line);
        if (match) entries[match[2]] = match[1];
      }
      return entries;
    },
    async click(session, id) {
      child.stdin.write(`click ${id}\n`);
      await session.waitUntil(() => lines.includes(`clicked ${id}`), { what: `the click on entry ${id}` });
    },
  };
}

test('the tray menu copies a pinned code, locks, and brings back a closed window', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'tray');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  cli('add', 'otpauth://totp/Bank:bob?secret=KRSXG5CTMVRXEZLU&issuer=Bank');
  cli('edit', 'github', '--pin');

  const host = startHost(t);
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'tray', async () => {
    await session.waitUntil(() => host.lines.some((l) => l.startsWith('item ')), { timeout: 30_000, what: 'the icon registered with the tray host' });
    const locked = await host.menu(session);
    assert.deepEqual(Object.keys(locked), ['Show or hide Ringlet', 'Quick picker…', 'Quit Ringlet'], 'locked: no accounts, no Lock');

    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });
    let menu;
    await session.waitUntil(async () => {
      menu = await host.menu(session);
      return 'Copy GitHub (alice)' in menu;
    }, { what: 'the pinned account in the menu' });
    assert.ok(!Object.keys(menu).some((label) => label.includes('Bank')), 'only pinned accounts are listed');
    assert.ok('Lock' in menu);

    // The pinned entry copies the code shown in the window (or the next, if a period turns).
    const shown = await session.execute('return [...document.querySelectorAll("#account-list li.account")].find((r) => r.textContent.includes("GitHub")).querySelector(".code").textContent.replace(/\\s/g, "");');
    await host.click(session, menu['Copy GitHub (alice)']);
    await session.waitUntil(() => /^\d{6}$/.test(clipboard().trim()), { what: 'a code on the clipboard' });
    const held = clipboard().trim();
    if (held !== shown) assert.match(held, /^\d{6}$/);

    // Closing the window keeps Ringlet running in the tray; the menu shows it again.
    const [main] = windowsTitled('^Ringlet$', { visible: true });
    execFileSync(PYTHON, [CLOSE_WINDOW, main], { timeout: 10_000 });
    await session.waitUntil(() => windowsTitled('^Ringlet$', { visible: true }).length === 0, { what: 'the window hidden' });
    await host.click(session, menu['Show or hide Ringlet']);
    await session.waitUntil(() => windowsTitled('^Ringlet$', { visible: true }).length === 1, { what: 'the window shown again' });

    // Lock from the tray: the window goes to its unlock screen and the menu follows.
    await host.click(session, menu.Lock);
    await session.waitFor('#unlock-password');
    const after = await host.menu(session);
    assert.deepEqual(Object.keys(after), ['Show or hide Ringlet', 'Quick picker…', 'Quit Ringlet']);
  });
});

test('started hidden in the tray, locked; the tray brings the window back, painted and working', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'tray-hidden');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  writeFileSync(path.join(vault, 'preferences.json'), '{"startHidden": true}');

  const host = startHost(t);
  // The host is there before Ringlet starts, as a desktop's panel is at login.
  for (let waited = 0; !host.lines.includes('ready'); waited += 100) {
    assert.ok(waited < 15_000, 'the tray host took the watcher name');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'tray-hidden', async () => {
    await session.waitFor('#unlock-password');
    const shown = () => session.execute('return document.visibilityState;');
    assert.equal(await shown(), 'hidden', 'never shown');
    await session.waitUntil(() => host.lines.some((l) => l.startsWith('item ')), { timeout: 30_000, what: 'the icon registered' });
    const menu = await host.menu(session);
    await host.click(session, menu['Show or hide Ringlet']);
    await session.waitUntil(async () => (await shown()) === 'visible', { what: 'the window shown' });
    await (await session.find('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });
  });
});
