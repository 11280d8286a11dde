// End to end: the search box in the real window. It has focus once the vault opens; typing
// filters by the backend's rule (issuer, name, tags, note; tag:work); Enter copies the top
// match to the real X clipboard; the arrow keys move between the box and the list; Esc
// clears; Ctrl+N, Ctrl+, and / reach the add dialog, the settings and the box.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, openApp, withScreenshotOnFailure, clipboardText as clipboard } from './webdriver.mjs';

const PASSWORD = 'find it fast 42';
const ENTER = '\uE007';
const ESCAPE = '\uE00C';
const ARROW_UP = '\uE013';
const ARROW_DOWN = '\uE015';
const CONTROL = '\uE009';
const NULL_KEY = '\uE000';


async function shownIssuers(session) {
  return session.execute(
    'return [...document.querySelectorAll("#account-list li.account:not([hidden]) .issuer")].map((e) => e.textContent);');
}

async function focusedId(session) {
  return session.execute('const a = document.activeElement; return a ? (a.id || a.className) : null;');
}

test('search filters, Enter copies the top match, keys move between box and list', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'search');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  cli('add', 'otpauth://totp/GitLab:alice?secret=KRSXG5CTMVRXEZLU&issuer=GitLab');
  cli('add', 'otpauth://totp/Société%20Générale:bob?secret=MZXW6YTBOJRGC4TCMF4GK3LQNRSQ&issuer=Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale');
  cli('edit', 'gitlab', '--tags', 'work');
  cli('edit', 'generale', '--note', 'the joint account');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'search', async () => {
    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitUntil(async () => (await shownIssuers(session)).length === 3, { timeout: 30_000, what: 'three accounts' });
    await session.waitUntil(async () => (await focusedId(session)) === 'search', { what: 'the search box to have focus' });
    const search = await session.find('#search');

    const shows = (issuers, what) => session.waitUntil(
      async () => JSON.stringify(await shownIssuers(session)) === JSON.stringify(issuers),
      { what: `${what}: ${issuers.join(', ')}` });

    await search.type('git');
    await shows(['GitHub', 'GitLab'], 'git');
    await search.clear();
    await search.type('tag:work');
    await shows(['GitLab'], 'tag:work');
    await search.clear();
    await search.type('SOCIETE');
    await shows(['Société Générale'], 'case and accents do not matter');
    await search.clear();
    await search.type('joint');
    await shows(['Société Générale'], 'the note is searched');

    // Enter copies the top match's code, computed in Rust; read back from the X clipboard
    // while the app (its owner) runs. A period may turn meanwhile: either code shown counts.
    await search.clear();
    await search.type('gitlab');
    await shows(['GitLab'], 'gitlab');
    const shownCode = () => session.execute(
      'return document.querySelector("#account-list li.account .code").textContent.replace(/\\s/g, "");');
    const before = await shownCode();
    assert.match(before, /^\d{6}$/);
    await search.type(ENTER);
    await session.waitUntil(async () => {
      const held = clipboard().trim();
      return held === before || held === await shownCode();
    }, { what: "GitLab's code on the clipboard" });

    // Nothing found: said in place of the list, not the "no accounts yet" card.
    await search.clear();
    await search.type('nothing like this');
    await session.waitUntil(async () => {
      const said = await session.execute('const p = document.querySelector("#no-match"); return p.hidden ? "" : p.textContent;');
      return said.includes('nothing like this');
    }, { what: 'the no-match message' });
    assert.equal(await session.execute('return document.querySelector("#empty-state").hidden;'), true);

    // Esc clears the query and the whole list comes back.
    await search.type(ESCAPE);
    await shows(['GitHub', 'GitLab', 'Société Générale'], 'after Esc');
    assert.equal(await session.execute('return document.querySelector("#search").value;'), '');

    // ↓ goes to the first row, ↑ from there back to the box; / from a row to the box.
    await search.type(ARROW_DOWN);
    await session.waitUntil(async () => (await focusedId(session)) === 'account', { what: 'the first row focused' });
    const first = await session.find('#account-list li.account');
    await first.type(ARROW_UP);
    await session.waitUntil(async () => (await focusedId(session)) === 'search', { what: 'back in the search box' });
    await search.type(ARROW_DOWN);
    await session.waitUntil(async () => (await focusedId(session)) === 'account', { what: 'the first row again' });
    await first.type('/');
    await session.waitUntil(async () => (await focusedId(session)) === 'search', { what: '/ focusing search' });
    assert.equal(await session.execute('return document.querySelector("#search").value;'), '', 'the slash is not typed in');

    // Ctrl+N opens the add dialog; Ctrl+, the settings.
    await search.type(`${CONTROL}n${NULL_KEY}`);
    await session.waitUntil(() => session.execute('return document.querySelector("#add-dialog").open;'), { what: 'the add dialog' });
    await session.execute('document.querySelector("#add-dialog").close(); return true;');
    await search.type(`${CONTROL},${NULL_KEY}`);
    await session.waitUntil(() => session.execute('return document.querySelector("#settings-dialog").open;'), { what: 'the settings' });
  });
});

test('Shift+Enter copies the next code; the display preferences hide codes and show the next one', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'search-next');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  // Kept in clear beside the vault: they apply from the first screen on.
  writeFileSync(path.join(vault, 'preferences.json'), '{"nextCode": "always", "hideCodes": true}');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'search-next', async () => {
    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });
    const look = () => session.execute(`const row = document.querySelector('#account-list li.account');
      const style = (el) => getComputedStyle(el);
      return { next: row.querySelector('.upcoming').textContent.replace(/\\s/g, ''),
        nextShown: style(row.querySelector('.upcoming')).display !== 'none',
        dots: style(row.querySelector('.code')).webkitTextSecurity };`);
    // The search box has the keyboard, so the row is neither hovered nor focused.
    await session.waitUntil(async () => (await look()).nextShown, { what: 'the next code shown always' });
    assert.equal((await look()).dots, 'disc', 'codes are dots until the row is pointed at or selected');
    const next = (await look()).next;
    assert.match(next, /^\d{6}$/);

    const search = await session.find('#search');
    await search.type('github');
    await search.type('\uE008\uE007\uE008'); // Shift down, Enter, Shift up
    await session.waitUntil(async () => {
      const held = clipboard().trim();
      // A period may turn meanwhile: the row's next code then moves on too.
      return held === next || held === (await look()).next;
    }, { what: 'the next code on the clipboard' });
  });
});
