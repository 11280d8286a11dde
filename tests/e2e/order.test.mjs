// End to end: the list's order and the accounts' icons in the real window (issue #13).
// The sort menu reorders the list (pinned accounts stay on top); Alt+↓ on a focused row
// moves it, the menu follows to "My order", and the order lasts past a lock and is the one
// `ringlet-cli list` prints; a bundled icon shows for a known issuer and a letter for the
// others; a custom icon is picked in the native file dialog, shown at once and after a lock,
// and a file that is no image is refused in words. Vaults are prepared with ringlet-cli.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, openApp, withScreenshotOnFailure, chooseFile, projectRoot, waitForWindow } from './webdriver.mjs';

const PASSWORD = 'in my own order 13';
const ALT = '\uE00A';
const ARROW_DOWN = '\uE015';
const NULL_KEY = '\uE000';
const PICK_TITLE = "Choose an image for the account's icon";
const ACCOUNTS = [
  ['GitHub', 'alice', 'JBSWY3DPEHPK3PXP'],
  ['Zulu', 'zed', 'KRSXG5CTMVRXEZLU'],
  ['Contoso', 'carl', 'MFRGGZDFMZTWQ2LK'],
  ['Dropbox', 'bob', 'GEZDGNBVGY3TQOJQ'],
];

function prepare(name) {
  const { dir, vault, cli, setSettings } = tempVault(PASSWORD, name);
  cli('init');
  for (const [issuer, account, secret] of ACCOUNTS) {
    cli('add', `otpauth://totp/${issuer}:${account}?secret=${secret}&issuer=${issuer}`);
  }
  setSettings({ autoLockSeconds: null, clipboardClearSeconds: 60 });
  return { dir, vault, cli };
}

async function unlock(session) {
  await (await session.waitFor('#unlock-password', { timeout: 30_000 })).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === ACCOUNTS.length,
    { timeout: 30_000, what: 'the accounts' });
}

function issuers(session) {
  return session.execute("return [...document.querySelectorAll('#account-list li.account .issuer')].map((e) => e.textContent);");
}

async function waitForOrder(session, expected, what) {
  await session.waitUntil(async () => JSON.stringify(await issuers(session)) === JSON.stringify(expected),
    { what: `${what}: ${expected.join(', ')} (shown: ${(await issuers(session)).join(', ')})` });
}

/** What the row of `issuer` shows as its icon: {kind, src, letter, loaded}. */
function iconOf(session, issuer) {
  return session.execute(`const li = [...document.querySelectorAll('#account-list li.account')]
      .find((row) => row.querySelector('.issuer').textContent === ${JSON.stringify(issuer)});
    const icon = li.querySelector('.account-icon');
    const img = icon.querySelector('img');
    return { kind: icon.dataset.kind, src: img ? img.getAttribute('src').slice(0, 26) : null,
      letter: icon.textContent, loaded: img ? img.complete && img.naturalWidth > 0 : false };`);
}

/** Alt+Down typed on the row of `issuer` (WebDriver focuses it first). */
async function altDown(session, issuer) {
  const id = await session.execute(`return [...document.querySelectorAll('#account-list li.account')]
    .find((row) => row.querySelector('.issuer').textContent === ${JSON.stringify(issuer)}).dataset.id;`);
  await (await session.find(`#account-list li.account[data-id="${id}"]`)).type(`${ALT}${ARROW_DOWN}${NULL_KEY}`);
}

async function relock(session) {
  await session.click('#lock-button');
  await unlock(session);
}

test('sorting: the menu reorders the list, Alt+Down moves a row and the order lasts past a lock', async (t) => {
  const { dir, vault, cli } = prepare('order-sort');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'order-sort', async () => {
    await unlock(session);
    await waitForOrder(session, ['Contoso', 'Dropbox', 'GitHub', 'Zulu'], 'by issuer, the default');
    assert.equal(await session.execute("return document.querySelector('#sort-select').value;"), 'issuer');

    await session.click('#sort-select option[value="name"]');
    await waitForOrder(session, ['GitHub', 'Dropbox', 'Contoso', 'Zulu'], 'by name (alice, bob, carl, zed)');

    // Alt+Down on GitHub's row: one place down in the order shown, which becomes the manual one.
    await altDown(session, 'GitHub');
    await waitForOrder(session, ['Dropbox', 'GitHub', 'Contoso', 'Zulu'], 'GitHub one down');
    assert.equal(await session.execute("return document.querySelector('#sort-select').value;"), 'manual');
    await session.waitUntil(() => session.execute("return document.activeElement.closest('li.account')?.querySelector('.issuer').textContent === 'GitHub';"),
      { what: 'the focus staying on the moved row' });
    await altDown(session, 'GitHub');
    await waitForOrder(session, ['Dropbox', 'Contoso', 'GitHub', 'Zulu'], 'GitHub one more down');

    await relock(session);
    await waitForOrder(session, ['Dropbox', 'Contoso', 'GitHub', 'Zulu'], 'the same order after a lock');
    await session.click('#lock-button');
    await session.waitFor('#unlock-password');
    const listed = JSON.parse(cli('list', '--json')).map((account) => account.issuer);
    assert.deepEqual(listed, ['Dropbox', 'Contoso', 'GitHub', 'Zulu'], 'ringlet-cli list follows the chosen order');
    const byIssuer = JSON.parse(cli('list', '--json', '--sort', 'issuer')).map((account) => account.issuer);
    assert.deepEqual(byIssuer, ['Contoso', 'Dropbox', 'GitHub', 'Zulu']);
  });
});

test('icons: a bundled one for a known issuer, a letter for others, a custom image from a file', async (t) => {
  const { dir, vault } = prepare('order-icons');
  const notAnImage = path.join(dir, 'notes.png');
  writeFileSync(notAnImage, 'this is no picture\n');
  const picture = path.join(projectRoot, 'tests', 'fixtures', 'qr-code.png');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'order-icons', async () => {
    await unlock(session);
    assert.deepEqual(await iconOf(session, 'GitHub'), { kind: 'bundled', src: 'data:image/svg+xml;base64,', letter: '', loaded: true });
    assert.deepEqual(await iconOf(session, 'Contoso'), { kind: 'letter', src: null, letter: 'C', loaded: false });

    // Edit Contoso, pick a file that is no image: refused in words, nothing changes.
    await session.execute(`[...document.querySelectorAll('#account-list li.account')]
      .find((row) => row.querySelector('.issuer').textContent === 'Contoso').querySelector('button.edit').click(); return true;`);
    await session.waitUntil(() => session.execute("return document.querySelector('#edit-dialog').open;"), { what: 'the edit dialog' });
    assert.equal(await session.execute("return document.querySelector('#edit-icon').value;"), 'auto');
    await session.click('#edit-icon-pick');
    await chooseFile(session, PICK_TITLE, notAnImage);
    await session.waitUntil(() => session.execute("return document.querySelector('#edit-error').textContent.includes('not an image');"),
      { what: 'the refusal' });
    assert.equal((await iconOf(session, 'Contoso')).kind, 'letter');

    // A real picture: saved at once, shown in the dialog and the row.
    await session.click('#edit-icon-pick');
    await chooseFile(session, PICK_TITLE, picture);
    await session.waitUntil(() => session.execute("return document.querySelector('#edit-icon').value === 'image';"), { what: 'the custom choice' });
    await session.waitUntil(async () => (await iconOf(session, 'Contoso')).kind === 'image', { what: 'the custom icon in the row' });
    await session.click('#edit-cancel');
    assert.deepEqual(await iconOf(session, 'Contoso'), { kind: 'image', src: 'data:image/png;base64,iVBO', letter: '', loaded: true });

    await relock(session);
    await session.waitUntil(async () => (await iconOf(session, 'Contoso')).loaded, { what: 'the custom icon after a lock' });
    assert.equal((await iconOf(session, 'Contoso')).kind, 'image');
  });
});

function xdotool(...args) {
  return execFileSync('xdotool', args, { encoding: 'utf8', timeout: 10_000 });
}

test('dragging: a row dragged with the real mouse onto another takes its place', async (t) => {
  const { dir, vault } = prepare('order-drag');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'order-drag', async () => {
    await unlock(session);
    await waitForOrder(session, ['Contoso', 'Dropbox', 'GitHub', 'Zulu'], 'by issuer');
    const shell = Object.fromEntries(xdotool('getwindowgeometry', '--shell', await waitForWindow(session, 'Ringlet'))
      .trim().split('\n').map((line) => line.split('=')));
    const centre = (issuer) => session.execute(`const li = [...document.querySelectorAll('#account-list li.account')]
        .find((row) => row.querySelector('.issuer').textContent === ${JSON.stringify(issuer)});
      const r = li.querySelector('.account-text').getBoundingClientRect();
      return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };`);
    const from = await centre('Zulu');
    const to = await centre('Contoso');
    const at = (p) => [String(Number(shell.X) + p.x), String(Number(shell.Y) + p.y)];
    xdotool('mousemove', '--sync', ...at(from));
    xdotool('mousedown', '1');
    for (let i = 1; i <= 12; i += 1) {
      xdotool('mousemove', '--sync', ...at({ x: from.x + 2, y: Math.round(from.y + ((to.y - from.y) * i) / 12) }));
    }
    xdotool('mousemove', '--sync', ...at({ x: to.x, y: to.y + 1 }));
    xdotool('mousemove', '--sync', ...at(to));
    xdotool('mouseup', '1');
    await waitForOrder(session, ['Zulu', 'Contoso', 'Dropbox', 'GitHub'], 'Zulu in Contoso’s place');
    assert.equal(await session.execute("return document.querySelector('#sort-select').value;"), 'manual');
    assert.equal(await session.execute("return document.getElementById('drop-overlay').hidden;"), true, 'no file-drop overlay');
    assert.equal(await session.execute("return document.querySelectorAll('#account-list .dragging, #account-list .drop-target').length;"), 0);
  });
});
