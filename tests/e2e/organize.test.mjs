// End to end: organizing in the real window (issue #13). Recovery codes pasted in any
// layout, read by Rust, confirmed, saved; one copied to the real X clipboard and marked
// used, the row's "N of M left" following; the codes gone from the page once the dialog
// closes and once the vault locks; one account's codes saved as a text file through the
// native dialog. Then: an account edited, tagged and pinned; a tag chip filtering the list
// through the search box; a delete undone from its toast (Ctrl+Z); restore and delete for
// good from Settings → Trash. Vaults are prepared with ringlet-cli before the app opens.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  test, tempVault, openApp, withScreenshotOnFailure, waitForWindow, pressIn, typeIn, windowsTitled, NEGATIVE_WAIT_MS, clipboardText as clipboard } from './webdriver.mjs';

const PASSWORD = 'keep what matters 13';
const CONTROL = '\uE009';
const NULL_KEY = '\uE000';
/** Google's layout: numbered, two columns, codes in two groups, advice around them. */
const PASTED = 'SAVE YOUR BACKUP CODES\n1. 5928 2374        3. 1234 5678\n2. 8837 1190        4. 9981 0024\n* You can only use each backup code once.';
const PARSED = ['5928 2374', '1234 5678', '8837 1190', '9981 0024'];


function prepare(name, accounts) {
  const { dir, vault, cli, setSettings } = tempVault(PASSWORD, name);
  cli('init');
  for (const [issuer, account, secret] of accounts) {
    cli('add', `otpauth://totp/${issuer}:${account}?secret=${secret}&issuer=${issuer}`);
  }
  setSettings({ autoLockSeconds: null, clipboardClearSeconds: 60 });
  return { dir, vault, cli };
}

async function unlock(session, count) {
  await (await session.waitFor('#unlock-password', { timeout: 30_000 })).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === count,
    { timeout: 30_000, what: `${count} accounts` });
}

/** The rows as shown: issuer and the recovery line (empty when hidden). */
function rows(session) {
  return session.execute(`return [...document.querySelectorAll('#account-list li.account')].map((li) => {
    const left = li.querySelector('.recovery-left');
    return { issuer: li.querySelector('.issuer').textContent, recovery: left.hidden ? '' : left.textContent };
  });`);
}

async function issuers(session) {
  return (await rows(session)).map((row) => row.issuer);
}

async function recoveryOf(session, issuer) {
  return ((await rows(session)).find((row) => row.issuer === issuer) || {}).recovery;
}

function rowButton(issuer, button) {
  return `[...document.querySelectorAll('#account-list li.account')].find((li) => li.querySelector('.issuer').textContent === ${JSON.stringify(issuer)}).querySelector(${JSON.stringify(button)})`;
}

async function clickInRow(session, issuer, button) {
  await session.waitUntil(() => session.execute(`const b = ${rowButton(issuer, button)}; if (!b || b.hidden) return false; b.click(); return true;`),
    { what: `${button} of ${issuer}` });
}

/** What the page holds of recovery codes, anywhere in its markup or its fields. */
function pageHoldsCodes(session) {
  return session.execute(`const html = document.documentElement.innerHTML
      + [...document.querySelectorAll('textarea, input')].map((f) => f.value).join('\\n');
    return ${JSON.stringify(PARSED)}.some((code) => html.includes(code) || html.includes(code.replace(' ', '')));`);
}

test('recovery codes: pasted, confirmed, copied and marked used; gone from the page when closed or locked', async (t) => {
  const { dir, vault, cli } = prepare('organize-codes', [
    ['GitHub', 'alice', 'JBSWY3DPEHPK3PXP'],
    ['GitLab', 'alice', 'KRSXG5CTMVRXEZLU'],
  ]);
  const codesFile = path.join(dir, 'gitlab-codes.txt');
  writeFileSync(codesFile, 'aaaa-1111\nbbbb-2222\n');
  cli('recovery', 'gitlab', 'add', codesFile);
  const exported = path.join(dir, 'exported-codes.txt');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'organize-codes', async () => {
    await unlock(session, 2);
    assert.equal(await recoveryOf(session, 'GitLab'), '2 of 2 recovery codes left');
    assert.equal(await recoveryOf(session, 'GitHub'), '', 'no codes, no line');

    // GitHub has none yet: its recovery view (through Edit) opens on the paste form.
    await clickInRow(session, 'GitHub', 'button.edit');
    await session.waitUntil(() => session.execute("return document.querySelector('#edit-dialog').open;"), { what: 'the edit dialog' });
    await session.click('#edit-recovery');
    const text = await session.waitFor('#codes-text');
    await session.waitUntil(() => session.execute("return !document.querySelector('#codes-paste').hidden && document.activeElement.id === 'codes-text';"),
      { what: 'the paste form, focused' });
    // Pasted as a person does: the text on the X clipboard, Ctrl+V in the field.
    execFileSync('xclip', ['-i', '-selection', 'clipboard'], { input: PASTED, timeout: 5000, stdio: ['pipe', 'ignore', 'ignore'] });
    await text.type(`${CONTROL}v${NULL_KEY}`);
    await session.waitUntil(() => session.execute("return document.querySelector('#codes-text').value.includes('9981 0024');"), { what: 'the pasted text' });
    await session.click('#codes-paste-submit');
    await session.waitUntil(async () => JSON.stringify(await session.execute(
      "return [...document.querySelectorAll('#codes-preview .recovery-code-text')].map((e) => e.textContent);")) === JSON.stringify(PARSED),
    { what: 'the parsed codes to confirm' });
    assert.equal(await session.execute("return document.querySelector('#codes-confirm-summary').textContent;"), 'Found 4 recovery codes.');
    assert.equal(await recoveryOf(session, 'GitHub'), '', 'nothing is saved before the confirmation');
    await session.click('#codes-confirm-save');
    await session.waitUntil(async () => (await recoveryOf(session, 'GitHub')) === '4 of 4 recovery codes left',
      { what: "the row's count after saving" });

    // Copy one: on the real clipboard, then asked whether it is used.
    await session.click('#codes-list li.recovery-code button.copy-code');
    await session.waitUntil(() => clipboard() === PARSED[0], { what: 'the first code on the X clipboard' });
    await session.waitUntil(() => session.execute("return !document.querySelector('#codes-ask').hidden;"), { what: 'the question' });
    await session.click('#codes-ask-yes');
    await session.waitUntil(async () => (await recoveryOf(session, 'GitHub')) === '3 of 4 recovery codes left',
      { what: "the row's count after marking one used" });
    assert.deepEqual(await session.execute(
      "return [...document.querySelectorAll('#codes-list li.recovery-code')].map((li) => li.classList.contains('used'));"),
    [true, false, false, false]);

    // Closed: the codes leave the page.
    assert.equal(await pageHoldsCodes(session), true, 'shown while the view is open');
    await session.click('#codes-close');
    await session.waitUntil(async () => !(await pageHoldsCodes(session)), { what: 'the codes gone from the page' });

    // Saved as a text file through the native dialog (the path typed into it), owner-only.
    await clickInRow(session, 'GitHub', 'button.recovery-left');
    await session.waitUntil(() => session.execute("return document.querySelectorAll('#codes-list li.recovery-code').length === 4;"), { what: 'the codes again' });
    await session.click('#codes-export');
    const saveDialog = await waitForWindow(session, 'Export recovery codes');
    pressIn(saveDialog, 'ctrl+a');
    typeIn(saveDialog, exported);
    for (let tries = 1; windowsTitled('Export recovery codes', { visible: true }).length > 0; tries++) {
      assert.ok(tries <= 5, 'the save dialog did not take the typed path');
      try {
        pressIn(saveDialog, 'Return');
      } catch (error) {
        if (windowsTitled('Export recovery codes', { visible: true }).length > 0) throw error;
      }
      await sleep(1000);
    }
    await session.waitUntil(() => existsSync(exported), { what: 'the exported file' });
    await session.waitUntil(() => session.execute("return document.querySelector('#codes-status').textContent.startsWith('Saved to ');"),
      { what: 'the saved message' });
    assert.equal(statSync(exported).mode & 0o777, 0o600);
    const file = readFileSync(exported, 'utf8');
    assert.match(file, /^Recovery codes for GitHub \(alice\)\n3 of 4 recovery codes left\./);
    assert.ok(file.includes('5928 2374    (used)\n1234 5678\n'), file);

    // Locked with the view open: closed, and nothing of the codes left in the page.
    assert.equal(await pageHoldsCodes(session), true);
    await (await session.find('#codes-export')).type(`${CONTROL}l${NULL_KEY}`);
    await session.waitFor('#unlock-password');
    assert.equal(await session.execute("return document.querySelector('#codes-dialog').open;"), false);
    assert.equal(await pageHoldsCodes(session), false);
  });
  // The CLI reads what the window saved (the app no longer holds the vault once locked).
  const listed = cli('recovery', 'github', 'list').toString();
  assert.match(listed, /5928 2374 {2}\(used\)/);
  assert.match(listed, /3 of 4 recovery codes left/);
});

test('edit and tag, filter by a chip, delete and undo, restore from the trash', async (t) => {
  const { dir, vault, cli } = prepare('organize-edit', [
    ['Bank', 'carol', 'MZXW6YTBOJRGC4TCMF4GK3LQNRSQ'],
    ['GitHub', 'alice', 'JBSWY3DPEHPK3PXP'],
    ['GitLab', 'alice', 'KRSXG5CTMVRXEZLU'],
  ]);
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'organize-edit', async () => {
    await unlock(session, 3);
    assert.deepEqual(await issuers(session), ['Bank', 'GitHub', 'GitLab']);
    assert.equal(await session.execute("return document.querySelector('#tag-chips').hidden;"), true, 'no tags, no chips');

    // Edit GitLab: renamed, tagged, a note, pinned. Pinned accounts come first.
    await clickInRow(session, 'GitLab', 'button.edit');
    const issuer = await session.waitFor('#edit-issuer');
    await session.waitUntil(() => session.execute("return document.activeElement.id === 'edit-issuer';"), { what: 'the issuer focused' });
    await issuer.clear();
    await issuer.type('GitLab CE');
    await (await session.find('#edit-tags')).type('work, ci ,');
    await session.waitUntil(async () => JSON.stringify(await session.execute(
      "return [...document.querySelectorAll('#edit-tag-preview li')].map((li) => li.textContent);")) === '["work","ci"]',
    { what: 'the tags as chips while typed' });
    await (await session.find('#edit-note')).type('the self-hosted one');
    await session.click('#edit-pinned');
    await session.click('#edit-submit');
    await session.waitUntil(async () => JSON.stringify(await issuers(session)) === '["GitLab CE","Bank","GitHub"]',
      { what: 'GitLab CE renamed and pinned first' });
    const chips = () => session.execute(
      "return [...document.querySelectorAll('#tag-chips button.chip')].map((b) => b.textContent + ':' + b.getAttribute('aria-pressed'));");
    await session.waitUntil(async () => JSON.stringify(await chips()) === '["ci:false","work:false"]', { what: 'the tag chips' });

    // A chip puts tag:work in the search box; Rust's search filters; again takes it out.
    await session.click('#tag-chips button.chip[data-tag="work"]');
    await session.waitUntil(async () => JSON.stringify(await issuers(session)) === '["GitLab CE"]', { what: 'only the work account' });
    assert.equal(await session.execute("return document.querySelector('#search').value;"), 'tag:work');
    assert.deepEqual(await chips(), ['ci:false', 'work:true']);
    await session.click('#tag-chips button.chip[data-tag="work"]');
    await session.waitUntil(async () => (await issuers(session)).length === 3, { what: 'the whole list again' });
    assert.equal(await session.execute("return document.querySelector('#search').value;"), '');
    assert.deepEqual(await chips(), ['ci:false', 'work:false']);

    // Delete Bank: no question, an undo toast instead; Ctrl+Z from the list brings it back.
    await clickInRow(session, 'Bank', 'button.delete');
    await session.waitUntil(async () => JSON.stringify(await issuers(session)) === '["GitLab CE","GitHub"]', { what: 'Bank gone' });
    assert.equal(await session.execute("return document.querySelector('#confirm-dialog').open;"), false);
    await session.waitUntil(() => session.execute(
      "const t = document.querySelector('#undo-toast'); return t.classList.contains('show') && t.getAttribute('role') === 'status' && document.querySelector('#undo-text').textContent === 'Deleted Bank (carol).';"),
    { what: 'the undo toast' });
    const focused = await session.execute("const row = document.activeElement.closest('li.account'); return row ? row.dataset.id : document.activeElement.id;");
    assert.ok(/^[0-9a-f]{32}$/.test(focused), `the keyboard stays in the list (${focused})`);
    await (await session.find(`#account-list li.account[data-id="${focused}"]`)).type(`${CONTROL}z${NULL_KEY}`);
    await session.waitUntil(async () => JSON.stringify(await issuers(session)) === '["GitLab CE","Bank","GitHub"]', { what: 'Bank back' });
    assert.equal(await session.execute("return document.querySelector('#undo-toast').classList.contains('show');"), false);

    // Deleted again and left: in Settings → Trash with its days; restored from there.
    await clickInRow(session, 'Bank', 'button.delete');
    await clickInRow(session, 'GitHub', 'button.delete');
    await session.waitUntil(async () => JSON.stringify(await issuers(session)) === '["GitLab CE"]', { what: 'two deleted' });
    await session.click('#settings-button');
    const trash = () => session.execute(
      "return [...document.querySelectorAll('#trash-list li.trashed')].map((li) => li.innerText.replace(/\\s+/g, ' ').trim());");
    await session.waitUntil(async () => (await trash()).length === 2, { what: 'two in the trash' });
    assert.deepEqual(await trash(), [
      'GitHub (alice) 30 days left Restore Delete for good…',
      'Bank (carol) 30 days left Restore Delete for good…',
    ]);
    await session.click('#trash-list li.trashed:last-child button.trash-restore');
    await session.waitUntil(async () => (await trash()).length === 1, { what: 'Bank restored' });
    await session.waitUntil(async () => JSON.stringify(await issuers(session)) === '["GitLab CE","Bank"]', { what: 'Bank in the list' });

    // Delete for good asks first; cancelled, nothing goes; confirmed, the trash is empty.
    await session.click('#trash-list li.trashed button.trash-delete');
    await session.waitUntil(() => session.execute("return document.querySelector('#confirm-dialog').open;"), { what: 'the question' });
    await session.click('#confirm-cancel');
    await session.holds(async () => (await trash()).length === 1, { ms: NEGATIVE_WAIT_MS / 5, what: 'GitHub still in the trash' });
    await session.click('#trash-list li.trashed button.trash-delete');
    await session.click('#confirm-ok');
    await session.waitUntil(() => session.execute("return !document.querySelector('#trash-none').hidden;"), { what: 'the trash empty' });
    assert.equal(await session.execute("return document.querySelector('#trash-empty').disabled;"), true);
    // Locked, so that the CLI may open the vault.
    await session.click('#settings-close');
    await session.click('#lock-button');
    await session.waitFor('#unlock-password');
  });
  const listed = JSON.parse(cli('list', '--json').toString());
  const gitlab = listed.find((a) => a.issuer === 'GitLab CE');
  assert.deepEqual([gitlab.tags, gitlab.note, gitlab.pinned], [['work', 'ci'], 'the self-hosted one', true]);
  assert.deepEqual(listed.map((a) => a.issuer), ['GitLab CE', 'Bank'], 'the CLI lists pinned accounts first too');
  assert.equal(cli('trash', 'list').toString(), 'The trash is empty.\n');
});
