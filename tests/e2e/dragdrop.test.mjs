// End to end: files dragged onto the real window, the way most people import. Another
// program (drag_source.py, a GTK window as a file manager's) offers the files as
// text/uri-list through XDND, and xdotool drags them with the real mouse onto Ringlet
// under Xvfb: the overlay while hovering, the import preview after the drop, several files
// at once, a file that is no export, a drop over the batch cap, and a drop on a locked vault
// (refused: no file is even opened, which the drag source sees through inotify).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { test, tempVault, projectRoot, openApp, waitForWindow, NEGATIVE_WAIT_MS } from './webdriver.mjs';

const PASSWORD = 'drop it like a code 58';
const EXISTING = 'otpauth://totp/Existing:me?secret=JBSWY3DPEHPK3PXP&issuer=Existing';
// A 1920×1080 screenshot of a settings page with one setup QR code (ACME Corp), a setup QR
// code alone (Fixture Scan), and code 1 of a 3-code Google Authenticator export.
const SCREENSHOT = path.join(projectRoot, 'tests/fixtures/screenshot-1920x1080.png');
const QR_CODE = path.join(projectRoot, 'tests/fixtures/qr-code.png');
const EXPORT_CODE = path.join(projectRoot, 'src-tauri/cli/tests/fixtures/migration_1of3.png');
const DRAG_SOURCE = path.join(projectRoot, 'tests/e2e/drag_source.py');
// Debian's Python, which has python3-gi (a pyenv or venv python3 first on PATH has not).
const PYTHON = process.env.RINGLET_SYSTEM_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
// Most files one import takes (MAX_FILES in src-tauri/core/src/import/batch.rs).
const MAX_FILES = 100;

function xdotool(...args) {
  return execFileSync('xdotool', args, { encoding: 'utf8', timeout: 10_000 });
}

/** The X window `id`'s place and size on screen. */
function geometry(id) {
  const shell = Object.fromEntries(xdotool('getwindowgeometry', '--shell', id).trim().split('\n').map((line) => line.split('=')));
  return { x: Number(shell.X), y: Number(shell.Y), width: Number(shell.WIDTH), height: Number(shell.HEIGHT) };
}

/** Starts drag_source.py offering `files`, once its window is on screen: its window, what it
 *  printed so far (`opened FILE` each time a file is opened; `ended` when the drag is over,
 *  and `failed REASON` before it when no window took the drop). It keeps watching the files
 *  after the drag and is killed when the test ends. */
async function dragSource(t, session, files) {
  const child = spawn(PYTHON, [DRAG_SOURCE, '1000', '650', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
  const ready = await session.waitUntil(() => {
    if (child.exitCode !== null) throw new Error(`drag_source.py exited with ${child.exitCode}`);
    return /^ready (\d+) (-?\d+) (-?\d+) (\d+) (\d+)$/m.exec(output);
  }, { timeout: 15_000, what: 'the drag source window' });
  const [, id, x, y, width, height] = ready.map(Number);
  return {
    id,
    center: { x: x + Math.floor(width / 2), y: y + Math.floor(height / 2) },
    opened: () => [...output.matchAll(/^opened (.+)$/gm)].map((match) => match[1]),
    failed: () => /^failed (.+)$/m.exec(output)?.[1] ?? null,
    ended: () => /^ended$/m.test(output),
  };
}

/** Presses the mouse on the drag source and moves it, step by step (each motion an XDND
 *  position message), onto the middle of Ringlet's window, holding the button. */
function dragOnto(source, ringlet) {
  const to = { x: ringlet.x + Math.floor(ringlet.width / 2), y: ringlet.y + Math.floor(ringlet.height / 2) };
  xdotool('mousemove', '--sync', String(source.center.x), String(source.center.y));
  xdotool('mousedown', '1');
  // A few pixels first, past GTK's drag threshold, so the drag starts on the source.
  xdotool('mousemove', '--sync', String(source.center.x - 12), String(source.center.y - 12));
  const steps = 12;
  for (let i = 1; i <= steps; i += 1) {
    const x = Math.round(source.center.x - 12 + ((to.x - source.center.x + 12) * i) / steps);
    const y = Math.round(source.center.y - 12 + ((to.y - source.center.y + 12) * i) / steps);
    xdotool('mousemove', '--sync', String(x), String(y));
  }
  // Two more moves within the window: GTK sends a position message per motion, so the
  // last ones come from over it whatever the first ones crossed.
  xdotool('mousemove', '--sync', String(to.x + 5), String(to.y + 5));
  xdotool('mousemove', '--sync', String(to.x), String(to.y));
}

function release() {
  xdotool('mouseup', '1');
}

/** Whether the drop overlay is shown. */
function overlayShown(session) {
  return session.execute(`const el = document.getElementById('drop-overlay');
    return !el.hidden && getComputedStyle(el).display !== 'none' && document.body.classList.contains('dragging');`);
}

/** Drags `files` onto Ringlet and drops them; returns the drag source (its `opened` list). */
async function drop(t, session, ringlet, files, { hover }) {
  const source = await dragSource(t, session, files);
  dragOnto(source, ringlet);
  try {
    await hover();
  } finally {
    release();
  }
  await session.waitUntil(() => source.ended(), { timeout: 15_000, what: 'the end of the drag' });
  assert.equal(source.failed(), null, 'the window took the drop');
  return source;
}

/** Keeps every `names` event the backend sends the page in `window.e2eEvents`, as
 *  [name, payload] (the page's own listeners are untouched). */
function recordEvents(session, names) {
  return session.execute(`window.e2eEvents = [];
    return Promise.all(arguments[0].map((name) => window.__TAURI__.event.listen(name,
      (event) => window.e2eEvents.push([name, event.payload])))).then(() => true);`, [names]);
}
const recorded = (session) => session.execute('return window.e2eEvents;');

const accountCount = (session) => session.execute('return document.querySelectorAll("#account-list li.account").length;');
const issuers = (session) => session.execute('return [...document.querySelectorAll("#account-list li.account .issuer")].map((e) => e.textContent);');

async function candidates(session) {
  await session.waitFor('#import-dialog li.candidate', { timeout: 30_000 });
  return session.execute('return [...document.querySelectorAll("#import-dialog li.candidate")].map((e) => e.innerText);');
}

async function unlock(session) {
  const field = await session.waitFor('#unlock-password');
  await field.clear();
  await field.type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitFor('#account-list li.account', { timeout: 30_000 });
}

function prepare(name) {
  const vault = tempVault(PASSWORD, name);
  vault.cli('init');
  vault.cli('add', EXISTING);
  return vault;
}

test('dropped files are read in Rust and previewed: one screenshot, several files, a file that is no export, too many files', async (t) => {
  const { dir, vault } = prepare('drop');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await unlock(session);
  const ringlet = geometry(await waitForWindow(session, 'Ringlet'));

  // One screenshot: the overlay while it hovers, before the button is released.
  assert.equal(await overlayShown(session), false, 'no overlay before the drag');
  const one = await drop(t, session, ringlet, [SCREENSHOT], {
    hover: () => session.waitUntil(() => overlayShown(session), { timeout: 10_000, what: 'the drop overlay while hovering' }),
  });
  const found = await candidates(session);
  assert.equal(found.length, 1, found.join(' | '));
  assert.match(found[0], /ACME Corp/);
  assert.match(found[0], /dave\+2fa@example\.org/);
  assert.match(found[0], /screenshot-1920x1080\.png/, 'the file the account came from');
  await session.waitUntil(() => one.opened().length > 0, { what: 'the dropped file to be seen opened' });
  assert.deepEqual(one.opened(), [SCREENSHOT], 'the app read the dropped file');
  assert.equal(await overlayShown(session), false, 'the overlay leaves after the drop');
  await session.click('#import-confirm');
  await session.waitUntil(async () => {
    const labels = await issuers(session);
    return labels.length === 2 && labels.includes('ACME Corp');
  }, { what: 'the dropped account in the list' });

  // Several files at once: every account of each, each named with its file.
  const both = await drop(t, session, ringlet, [QR_CODE, EXPORT_CODE], {
    hover: () => session.waitUntil(() => overlayShown(session), { timeout: 10_000, what: 'the drop overlay' }),
  });
  const several = await candidates(session);
  assert.ok(several.length >= 2, several.join(' | '));
  assert.ok(several.some((text) => /Fixture Scan/.test(text) && /qr-code\.png/.test(text)), several.join(' | '));
  assert.ok(several.some((text) => /migration_1of3\.png/.test(text)), several.join(' | '));
  assert.match(await (await session.find('#import-notes')).text(), /1 of 3 export codes imported/);
  await session.waitUntil(() => both.opened().length >= 2, { what: 'both dropped files to be seen opened' });
  assert.deepEqual(both.opened().sort(), [QR_CODE, EXPORT_CODE].sort());
  const importable = await session.execute('return document.querySelectorAll("#import-list input[type=checkbox]:checked").length;');
  await session.click('#import-confirm');
  await session.waitUntil(async () => {
    const labels = await issuers(session);
    return labels.length === 2 + importable && labels.includes('Fixture Scan');
  }, { what: `the ${importable} accounts of both files in the list` });
  const afterSeveral = await accountCount(session);

  // A text file that is no authenticator export: said so, nothing to import.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ringlet-e2e-drop-files-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const notes = path.join(scratch, 'shopping.txt');
  writeFileSync(notes, 'milk\neggs\nbread\n');
  const read = await drop(t, session, ringlet, [notes], {
    hover: () => session.waitUntil(() => overlayShown(session), { timeout: 10_000, what: 'the drop overlay' }),
  });
  await session.waitFor('#import-errors', { timeout: 30_000 });
  const problem = await (await session.find('#import-error-list')).text();
  assert.match(problem, /shopping\.txt/);
  assert.match(problem, /neither an image with a QR code, a text file of otpauth:\/\/ links nor an export/);
  assert.equal(await session.execute('return document.querySelectorAll("#import-dialog li.candidate").length;'), 0);
  assert.equal(await (await session.find('#import-confirm')).attribute('disabled'), 'true', 'nothing to import');
  await session.waitUntil(() => read.opened().length > 0, { what: 'the dropped file to be seen opened' });
  assert.deepEqual(read.opened(), [notes]);
  await session.click('#import-cancel');
  assert.equal(await accountCount(session), afterSeveral);

  // More files than one import takes: refused as a whole before any is opened.
  const many = Array.from({ length: MAX_FILES + 1 }, (_, i) => {
    const file = path.join(scratch, `note-${i}.txt`);
    writeFileSync(file, `note ${i}\n`);
    return file;
  });
  await session.execute('document.getElementById("toast").textContent = ""; return true;');
  const refused = await drop(t, session, ringlet, many, {
    hover: () => session.waitUntil(() => overlayShown(session), { timeout: 10_000, what: 'the drop overlay' }),
  });
  const toast = await session.waitUntil(async () => {
    const text = await session.execute('return document.getElementById("toast").textContent;');
    return text || null;
  }, { timeout: 15_000, what: 'the message about too many files' });
  assert.match(toast, new RegExp(`at most ${MAX_FILES} files at a time, and these are ${MAX_FILES + 1}`));
  assert.deepEqual(refused.opened(), [], 'no file of a refused batch is opened');
  assert.equal(await session.execute('return document.getElementById("import-dialog").open;'), false);
  assert.equal(await accountCount(session), afterSeveral);
});

test('a drop on the locked vault is refused: no file opened, nothing imported, the unlock screen stays', async (t) => {
  const { dir, vault } = prepare('drop-locked');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await session.waitFor('#unlock-password');
  const ringlet = geometry(await waitForWindow(session, 'Ringlet'));

  await recordEvents(session, ['drop-hover', 'app-error', 'import-preview']);
  const source = await drop(t, session, ringlet, [SCREENSHOT], {
    // The backend saw the drag over the window; the overlay belongs to the unlocked list.
    hover: async () => {
      await session.waitUntil(async () => (await recorded(session)).some(([name, p]) => name === 'drop-hover' && p.active),
        { timeout: 10_000, what: 'the backend to see the drag over the window' });
      assert.equal(await overlayShown(session), false, 'no drop overlay on the unlock screen');
    },
  });
  // The drop reached Rust, which refused it because the vault is locked...
  await session.waitUntil(async () => (await recorded(session)).some(([name, p]) => name === 'app-error' && p?.kind === 'vault_locked'),
    { timeout: 15_000, what: 'the refusal of the drop' });
  // ...without reading the file: a decoding drop would have opened it by then, and what
  // it brings (a preview, a message) comes within a second. For NEGATIVE_WAIT_MS (5 s) the
  // unlock screen stays, with no dialog, no preview sent and the file never opened.
  await session.holds(async () => {
    const [screen, dialog, events] = await session.execute(`return [document.body.dataset.screen,
      document.getElementById("import-dialog").open, window.e2eEvents];`);
    return screen === 'unlock' && dialog === false && source.opened().length === 0
      && !events.some(([name]) => name === 'import-preview');
  }, { what: 'the unlock screen, no import and no file opened' });
  assert.deepEqual(source.opened(), []);

  // Unlocked afterwards: the vault holds what it held.
  await unlock(session);
  assert.deepEqual(await issuers(session), ['Existing']);
});
