// End to end: Settings (auto-lock delay saved to settings.json, back up now, password
// change, restore of an older backup into the open vault) and the recovery of a damaged
// vault from the unlock screen. Vaults are prepared with ringlet-cli.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, withScreenshotOnFailure, tempVault, openApp } from './webdriver.mjs';

const PASSWORD = 'settings are calm 2026';
const NEW_PASSWORD = 'a brand new passphrase 2027';
const ACCOUNTS = [
  ['Alpha Bank', 'alice', 'JBSWY3DPEHPK3PXP'],
  ['Beta Mail', 'bob', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'],
];
/** A label as long as a URI may carry: it must not push the code out of its row. */
const LONG_ISSUER = `Long${'o'.repeat(990)}ng Issuer`;

function prepareVault({ longLabel = false } = {}) {
  const { dir, vault, cli, setSettings } = tempVault(PASSWORD, 'settings');
  cli('init');
  const accounts = longLabel ? [...ACCOUNTS, [LONG_ISSUER, 'carol', 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF']] : ACCOUNTS;
  for (const [issuer, name, secret] of accounts) {
    cli('add', `otpauth://totp/${encodeURIComponent(issuer)}:${name}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`);
  }
  // No auto-lock while the test runs.
  setSettings({ clipboardClearSeconds: 20, autoLockSeconds: null });
  return { dir, vault, cli };
}

async function typeInto(session, css, text) {
  const field = await session.waitFor(css);
  await field.clear();
  await field.type(text);
}

async function unlock(session, password) {
  await typeInto(session, '#unlock-password', password);
  await session.click('#unlock-submit');
}

const textOf = (session, css) => session.execute(`return document.querySelector(${JSON.stringify(css)})?.textContent ?? null;`);

async function waitText(session, css, pattern, timeout = 15_000) {
  return session.waitUntil(async () => {
    const text = await textOf(session, css);
    return text && pattern.test(text) ? text : null;
  }, { timeout, what: `${css} to read ${pattern}` });
}

const issuers = (session) => session.execute(
  'return [...document.querySelectorAll("#account-list li.account .issuer")].map((el) => el.textContent);',
);

async function waitIssuers(session, expected) {
  const want = [...expected].sort().join('|');
  return session.waitUntil(async () => (await issuers(session)).sort().join('|') === want, {
    timeout: 30_000, what: `the accounts ${expected.join(', ')}`,
  });
}

/** Picks an option of a <select> by clicking it, as a person would. */
async function choose(session, selectCss, value) {
  await session.click(`${selectCss} option[value="${value}"]`);
  await session.waitUntil(
    async () => (await session.execute(`return document.querySelector(${JSON.stringify(selectCss)}).value;`)) === value,
    { timeout: 5000, what: `${selectCss} to be ${value}` },
  );
}

/** The settings in settings.json (sealed: `{"settings": {...}, "mac": ...}`). */
const readSettings = (vault) => {
  try {
    return JSON.parse(readFileSync(path.join(vault, 'settings.json'), 'utf8')).settings ?? {};
  } catch {
    return {};
  }
};

test('settings: lock delay, back up now, change password, restore an older backup', async (t) => {
  const { dir, vault } = prepareVault({ longLabel: true });
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  const allIssuers = [...ACCOUNTS.map(([issuer]) => issuer), LONG_ISSUER];

  await withScreenshotOnFailure(session, 'settings', async () => {
    await unlock(session, PASSWORD);
    await waitIssuers(session, allIssuers);

    // A 1 000-character issuer stays on one line, with the code still in view.
    const layout = await session.execute(`
      const row = [...document.querySelectorAll('#account-list li.account')].find((li) => li.querySelector('.issuer').textContent.startsWith('Longooo'));
      const issuer = row.querySelector('.issuer');
      const code = row.querySelector('.code').getBoundingClientRect();
      return { height: row.getBoundingClientRect().height, clipped: issuer.scrollWidth > issuer.clientWidth,
               title: issuer.title.length, codeRight: code.right, width: document.documentElement.clientWidth };`);
    assert.ok(layout.height < 90, `row height ${layout.height}`);
    assert.equal(layout.clipped, true, 'the long issuer is cut with an ellipsis');
    assert.equal(layout.title, LONG_ISSUER.length, 'the full label is in the title');
    assert.ok(layout.codeRight <= layout.width, 'the code stays inside the window');

    // Settings: the current values are loaded into the selects.
    await session.click('#settings-button');
    await session.waitFor('#settings-dialog');
    await session.waitUntil(async () => (await session.execute(
      "return !document.querySelector('#setting-auto-lock').disabled && document.querySelector('#setting-clipboard').value;",
    )) === '20', { what: 'the settings to load' });
    assert.equal(await session.execute("return document.querySelector('#setting-auto-lock').value;"), 'never');

    // "Lock after" 1 minute is saved at once.
    await choose(session, '#setting-auto-lock', '60');
    await session.waitUntil(() => readSettings(vault).autoLockSeconds === 60, { what: 'autoLockSeconds 60 in settings.json' });
    assert.equal(readSettings(vault).clipboardClearSeconds, 20, 'the other setting is kept');
    await waitText(session, '#settings-status', /Saved/);

    // Back to "never": less strict, so the vault password is asked first, in place.
    await choose(session, '#setting-auto-lock', 'never');
    await waitText(session, '#settings-confirm-why', /Making the auto-lock less strict asks for the vault password/);
    assert.equal(readSettings(vault).autoLockSeconds, 60, 'nothing saved before the password');
    await typeInto(session, '#settings-confirm-password', 'not the password');
    await session.click('#settings-confirm button[type="submit"]');
    await waitText(session, '#settings-confirm-why', /The password is wrong/);
    assert.equal(readSettings(vault).autoLockSeconds, 60, 'a wrong password saves nothing');
    await typeInto(session, '#settings-confirm-password', PASSWORD);
    await session.click('#settings-confirm button[type="submit"]');
    await session.waitUntil(() => readSettings(vault).autoLockSeconds === null, { what: 'autoLockSeconds null in settings.json' });
    await waitText(session, '#settings-status', /Saved/);
    assert.equal(await session.execute("return document.querySelector('#settings-confirm').hidden;"), true);
    assert.equal(await session.execute("return document.querySelector('#settings-confirm-password').value;"), '');

    // Back up now: a row in the list and a .rbak file on disk.
    const before = await session.execute("return document.querySelectorAll('#backup-list li.backup').length;");
    await session.click('#backup-now');
    await waitText(session, '#backup-status', /^Backed up\.$/);
    const backupName = await session.waitUntil(() => session.execute(
      `const rows = document.querySelectorAll('#backup-list li.backup');
       return rows.length > ${before} ? rows[0].dataset.name : null;`,
    ), { what: 'the new backup in the list' });
    assert.match(backupName, /\.rbak$/);
    assert.ok(readdirSync(path.join(vault, 'backups')).includes(backupName), `${backupName} in ${vault}/backups`);
    assert.ok(await textOf(session, '#backup-folder'), 'the folder is shown');
    writeFileSync('/tmp/ringlet-settings-dialog.png', await session.screenshot());

    // Change password: the wrong current password is refused.
    await typeInto(session, '#password-current', 'not the password');
    await typeInto(session, '#password-new', NEW_PASSWORD);
    await typeInto(session, '#password-confirm', NEW_PASSWORD);
    await session.click('#password-submit');
    await waitText(session, '#password-error', /^The current password is wrong\.$/, 30_000);

    await typeInto(session, '#password-current', PASSWORD);
    await session.click('#password-submit');
    // The backups made so far are re-encrypted under the new key: the old password no longer
    // opens them either.
    await waitText(
      session, '#password-status',
      /^Password changed\. \d+ backups? re-encrypted: (it opens|they open) with the new password only\.$/, 30_000,
    );
    assert.deepEqual(
      await session.execute("return ['#password-current', '#password-new', '#password-confirm'].map((s) => document.querySelector(s).value);"),
      ['', '', ''],
    );
    writeFileSync('/tmp/ringlet-settings-password.png', await session.screenshot());

    // Lock; the old password no longer opens the vault, the new one does.
    await session.click('#settings-close');
    await session.click('#lock-button');
    await unlock(session, PASSWORD);
    await waitText(session, '#unlock-error', /wrong password/i, 30_000);
    await unlock(session, NEW_PASSWORD);
    await waitIssuers(session, allIssuers);

    // Delete an account in the window (no question: the undo toast and the trash instead).
    await session.waitUntil(async () => {
      for (const row of await session.findAll('#account-list li.account')) {
        if ((await (await row.find('.issuer')).text()) === 'Beta Mail') {
          await (await row.find('button.delete')).click();
          return true;
        }
      }
      return false;
    }, { what: 'the delete button of Beta Mail' });
    await waitIssuers(session, allIssuers.filter((issuer) => issuer !== 'Beta Mail'));

    // Restore the backup made before the password change: re-encrypted by the change, it
    // opens with the new password, no longer with the original one.
    await session.click('#settings-button');
    await session.waitUntil(() => session.execute(
      `return !!document.querySelector('#backup-list li.backup[data-name="${backupName}"] button.restore');`,
    ), { what: 'the backup row' });
    await session.click(`#backup-list li.backup[data-name="${backupName}"] button.restore`);
    await session.waitFor('#restore-dialog');
    await typeInto(session, '#restore-password', PASSWORD);
    await session.click('#restore-submit');
    await waitText(session, '#restore-error', /password the vault had/, 30_000);
    await typeInto(session, '#restore-password', NEW_PASSWORD);
    await session.click('#restore-submit');
    await waitText(session, '#backup-status', /^Restored 1 account \(2 were already in the vault\)\.$/, 30_000);
    assert.equal(await session.execute("return document.querySelector('#restore-dialog').open;"), false);
    await session.click('#settings-close');
    await waitIssuers(session, allIssuers);
  });
});

test('a damaged vault is rebuilt from a backup on the unlock screen', async (t) => {
  const { dir, vault, cli } = prepareVault();
  cli('backup', 'create');
  writeFileSync(path.join(vault, 'vault.index'), Buffer.from('this is not an index \u0000\u00ff'.repeat(8)));
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  await withScreenshotOnFailure(session, 'recovery', async () => {
    await unlock(session, PASSWORD);
    await waitText(session, '#unlock-error', /damaged/i, 30_000);
    await session.waitFor('#recovery');
    await session.waitFor('#recovery-list li.recovery-backup');
    // The newest backup is picked already.
    const picked = await session.execute(`
      const checked = document.querySelector('#recovery-list input[type=radio]:checked');
      return checked && checked.closest('li') === document.querySelector('#recovery-list li') ? checked.value : null;`);
    assert.ok(picked && readdirSync(path.join(vault, 'backups')).includes(picked), `picked ${picked}`);
    writeFileSync('/tmp/ringlet-recovery-panel.png', await session.screenshot());

    await typeInto(session, '#recovery-password', 'not the password');
    await session.click('#recovery-submit');
    await waitText(session, '#recovery-error', /password/i, 30_000);

    await typeInto(session, '#recovery-password', PASSWORD);
    await session.click('#recovery-submit');
    await waitIssuers(session, ACCOUNTS.map(([issuer]) => issuer));
    await session.waitUntil(() => session.execute(
      "return document.querySelector('#toast.show')?.textContent ?? null;",
    ).then((text) => text && /^Restored 2 accounts from the backup\. The damaged vault was kept beside it\.$/.test(text)),
    { what: 'the recovery toast' });

    const aside = readdirSync(dir).filter((name) => name.startsWith('vault.damaged-'));
    assert.equal(aside.length, 1, `the damaged vault beside the new one: ${readdirSync(dir)}`);
    assert.ok(existsSync(path.join(dir, aside[0], 'vault.index')), 'the damaged files are kept');
  });
});

test('a damaged vault with no backups says so plainly', async (t) => {
  const { dir, vault } = prepareVault();
  rmSync(path.join(vault, 'backups'), { recursive: true, force: true });
  writeFileSync(path.join(vault, 'vault.index'), Buffer.from('junk'.repeat(16)));
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);

  await withScreenshotOnFailure(session, 'recovery-empty', async () => {
    await unlock(session, PASSWORD);
    await waitText(session, '#unlock-error', /damaged/i, 30_000);
    await session.waitFor('#recovery-empty');
    assert.equal(await textOf(session, '#recovery-empty'),
      'There are no backups to restore from. The damaged files were left untouched.');
    assert.equal(await session.execute("return document.querySelector('#recovery-form').hidden;"), true);
    assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('vault.damaged-')), []);
  });
});
