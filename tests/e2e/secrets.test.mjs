// End to end: no secret crosses to the webview or reaches the logs. Every IPC response and
// every event the window receives while a person uses every feature is recorded inside the
// page, and everything the app prints is captured; both are searched for each account's
// secret in Base32 (either case), hex, Base64 and as a JSON byte list, and for the vault's
// data key (printed by `examples/vault_data_key`, built with the core's `test-support`
// feature, which no shipped binary has). Every command of the one command list
// (src-tauri/build.rs) must be exercised, so a new command fails this test until it is.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, projectRoot, openApp, chooseFile, pressIn, waitForWindow, cliBinary } from './webdriver.mjs';
import { base32, base32Bytes, byteForms, compact, forms } from './leaks.mjs';

const DATA_KEY_TOOL = process.env.RINGLET_DATA_KEY_TOOL
  ?? path.join(projectRoot, 'target', 'debug', 'examples', 'vault_data_key');

const PASSWORD = 'nothing crosses 31';

/** The app's commands, from the one list the build opts into the ACL. */
function commandList() {
  const build = readFileSync(path.join(projectRoot, 'src-tauri', 'build.rs'), 'utf8');
  const list = build.slice(build.indexOf('const COMMANDS'), build.indexOf('];'));
  return [...list.matchAll(/"([a-z_]+)"/g)].map((match) => match[1]);
}

/** The events the backend sends, from the one list (src-tauri/src/events.rs). */
function eventList() {
  const source = readFileSync(path.join(projectRoot, 'src-tauri', 'src', 'events.rs'), 'utf8');
  return [...source.matchAll(/pub const [A-Z_]+: &str = "([a-z-]+)";/g)].map((match) => match[1]);
}

/** Events this test does not bring about, each with where they are. */
const EVENTS_ELSEWHERE = {
  'drop-hover': 'needs a real drag from another X client; drop.test.mjs drives it',
  'import-preview': 'sent for a dropped file; drop.test.mjs drives it',
  'linked-changed': 'sent when a newer backup reaches a linked folder; linked.test.mjs drives it',
};

/** Commands this test does not reach, each with where it is driven instead. */
const LINKED_PASSWORD = 'the phone backup 11';

const DRIVEN_ELSEWHERE = {
  scan_screen: 'hides the window to capture the screen; scan.test.mjs drives it',
};
const ACCOUNTS = [
  { uri: 'otpauth://totp/Vaulted:tess?secret=KRUGKIDROVUWG2ZAMJZG653OEBTG66BA&issuer=Vaulted', secret: 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA' },
  { uri: 'otpauth://hotp/Counted:hal?secret=MZXW6YTBOJRGC4TCMF4GK3LQNRSQ&issuer=Counted&counter=7', secret: 'MZXW6YTBOJRGC4TCMF4GK3LQNRSQ' },
  { uri: 'otpauth://steam/Steam:gabe?secret=ONSWG4TFORZWK3TEMVZXI4TJNZTWC3LF&issuer=Steam', secret: 'ONSWG4TFORZWK3TEMVZXI4TJNZTWC3LF' },
];
const ADDED_IN_WINDOW = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
// Picked in the system file dialog; the secret its QR code holds (see
// tests/fixtures/make_qr_fixtures.py, which made it).
const PICKED_IMAGE = path.join(projectRoot, 'tests/fixtures/qr-code.png');
const PICKED_SECRET = 'KNRWC3TOMVSCA33GMYQGCIDTMNZGKZLOEE';
const TYPED_IN_WINDOW = 'NBSWY3DPFQQHO33SNRSCC===';

// Tauri's IPC objects are frozen (good), so record one level down: every response to the
// page's fetch of ipc://localhost/<command> (only responses: what the person types goes
// into Rust, which is allowed), and every event through the public listen API.
const RECORDER = `
  const EVENTS = ${JSON.stringify(eventList())};
  const log = (window.__ringletIpcLog = []);
  const realFetch = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const response = await realFetch(...args);
    const url = String(args[0]);
    if (url.startsWith('ipc:') || url.includes('ipc.localhost')) {
      const cmd = url.split('/').pop().split('?')[0];
      log.push(JSON.stringify({ cmd, body: await response.clone().text() }));
    }
    return response;
  };
  for (const name of EVENTS) {
    window.__TAURI__.event.listen(name, (event) => log.push(JSON.stringify({ event: name, payload: event.payload })));
  }
  return true;`;

test('no IPC response or event carries a secret', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'secrets');
  cli('init');
  assert.ok(existsSync(DATA_KEY_TOOL), `${DATA_KEY_TOOL} is missing: cargo build -p ringlet-core --features test-support --example vault_data_key`);
  const dataKey = Buffer.from(execFileSync(DATA_KEY_TOOL, [vault], { input: PASSWORD, encoding: 'utf8' }).trim(), 'hex');
  assert.equal(dataKey.length, 32);
  // The spellings searched for are right: Base32 of a secret's bytes is the secret.
  assert.equal(base32(base32Bytes(ACCOUNTS[0].secret)), ACCOUNTS[0].secret);
  for (const { uri } of ACCOUNTS) cli('add', uri);
  // A linked folder holding an encrypted Aegis backup of the same accounts: the linked
  // commands answer with rows and codes, never a secret or the backup's password.
  const linkedFolder = path.join(dir, 'Phone backups');
  mkdirSync(linkedFolder);
  writeFileSync(path.join(dir, 'linked-password'), `${LINKED_PASSWORD}\n`);
  cli('export', '--format', 'aegis-encrypted', '-o', path.join(linkedFolder, 'aegis-backup.json'),
    '--export-password-file', path.join(dir, 'linked-password'));
  // The vault syncs with another copy through a folder: the background sync runs after
  // the unlock, and Settings → Sync's commands answer with what they show.
  const syncFolder = path.join(dir, 'Sync');
  mkdirSync(syncFolder);
  cli('sync', 'join', syncFolder, '--name', 'this one');
  execFileSync(cliBinary(), ['--vault', path.join(dir, 'other'), '--password-file', path.join(dir, 'password'),
    'sync', 'join', syncFolder, '--name', 'other one']);
  // Settings not sealed by this vault: the unlock sends an app-error event about them.
  writeFileSync(path.join(vault, 'settings.json'), '{"settings":{"autoLockSeconds":null},"mac":"00"}');

  // HOME here: start-at-login writes its autostart entry under it.
  const { driver, session } = await openApp(t, { RINGLET_VAULT: vault, HOME: dir }, dir);

  await session.waitFor('#unlock-password');
  assert.equal(await session.execute(RECORDER), true);
  await (await session.find('#unlock-password')).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === 3, { timeout: 30_000, what: 'three accounts' });

  // Copy a TOTP code, generate the next HOTP code.
  for (const row of await session.findAll('#account-list li.account')) {
    if ((await (await row.find('.issuer')).text()) === 'Vaulted') await row.click();
  }
  await session.click('#account-list button.next-code');

  // Add by URI and by typed secret.
  await session.click('#add-button');
  await session.click('#tab-uri');
  await (await session.waitFor('#add-uri')).type(`otpauth://totp/Typed:uri?secret=${ADDED_IN_WINDOW}&issuer=Typed`);
  await session.click('#add-uri-submit');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === 4, { what: 'the URI account' });
  await session.click('#add-button');
  await session.click('#tab-manual');
  await (await session.waitFor('#manual-issuer')).type('Manual');
  await (await session.find('#manual-account')).type('typed');
  await (await session.find('#manual-secret')).type(TYPED_IN_WINDOW);
  await session.click('#manual-submit');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === 5, { what: 'the typed account' });

  // Import image: the system file dialog (pick_images), a path typed into it, the preview
  // of the QR code it holds, cancelled.
  await session.click('#import-button');
  await chooseFile(session, "Import accounts: QR code images, or another app's export", PICKED_IMAGE);
  await session.waitFor('#import-dialog li.candidate', { timeout: 15_000 });
  await session.click('#import-cancel');

  // Paste a link (a duplicate, so the preview shows it) and cancel; then every command not
  // reached through the window yet, called directly.
  execFileSync('xclip', ['-i', '-selection', 'clipboard'], { input: ACCOUNTS[0].uri, timeout: 5000, stdio: ['pipe', 'ignore', 'ignore'] });
  await (await session.find('#account-list li.account')).type('\uE009v\uE000');
  await session.waitFor('#import-dialog li.candidate', { timeout: 15_000 });
  await session.click('#import-cancel');
  await session.request('POST', '/execute/async', {
    script: `const done = arguments[arguments.length - 1];
      const call = (cmd, args) => window.__TAURI__.core.invoke(cmd, args).catch(() => null);
      Promise.resolve()
        .then(() => call('vault_status'))
        .then(() => call('list_codes'))
        .then(() => call('user_active'))
        .then(() => call('confirm_import', { ids: [] }))
        .then(() => call('cancel_import'))
        .then(() => call('open_encrypted_import', { source: 'no-such-file.json', password: 'x' }))
        .then(() => call('create_vault', { password: 'a vault over a vault 1' }))
        .then(() => call('add_account_uri', { uri: 'otpauth://totp/Bad?secret=1' }))
        .then(() => call('get_settings'))
        .then((settings) => call('save_settings', { settings }))
        .then(() => call('backup_now'))
        .then(() => call('list_backups'))
        .then(() => call('restore_backup', { name: 'no-such-backup.rbak', password: 'x' }))
        .then(() => call('recover_from_backup', { name: 'no-such-backup.rbak', password: 'x' }))
        .then(() => call('change_password', { current: 'not it', new: 'whatever it is' }))
        .then(() => call('get_preferences'))
        .then(() => call('save_preferences', { preferences: { quickShortcut: null } }))
        .then(() => call('set_start_at_login', { enabled: true }))
        .then(() => call('set_start_at_login', { enabled: false }))
        .then(() => call('export_formats'))
        .then(() => call('export_accounts', { format: 'aegis', password: 'not it' }))
        .then(() => call('quick_unlock_status'))
        .then(() => call('set_quick_unlock', { enabled: true, password: ${JSON.stringify(PASSWORD)} }))
        .then(() => call('set_quick_unlock', { enabled: false }))
        .then(() => call('list_codes'))
        .then((codes) => call('reveal_account', { id: codes[0].id, password: 'not it' })
          .then(() => call('reveal_account', { id: codes[0].id, password: ${JSON.stringify(PASSWORD)} }))
          // No picker noted a window to type into: copied instead, said as kind typing.
          .then(() => call('picker_target'))
          .then(() => call('type_code', { id: codes[0].id })))
        .then(() => call('list_codes'))
        .then((codes) => {
          const id = codes[0].id;
          return call('edit_account', { id, changes: { tags: ['work'], note: 'kept', pinned: true, icon: { kind: 'letter' } } })
            .then(() => call('move_account', { id, to: 1 }))
            .then(() => call('parse_recovery_codes', { id, text: '1111-2222 3333-4444' }))
            .then(() => call('save_recovery_codes', { id, codes: ['1111-2222', '3333-4444'], replace: false }))
            .then(() => call('get_recovery_codes', { id }))
            .then(() => call('mark_recovery_code_used', { id, code: '1111-2222' }))
            .then(() => call('copy_recovery_code', { id, code: '3333-4444' }))
            .then(() => call('list_trash'))
            .then(() => call('delete_for_good', { id }))
            .then(() => call('empty_trash'));
        })
        // Plain http to another computer: refused before anything is sent.
        .then(() => call('sync_join_webdav', { address: 'http://dav.example.org/Ringlet', user: 'alice', password: 'x' }))
        .then(() => call('sync_status'))
        .then(() => call('sync_now'))
        .then(() => call('sync_remove_device', { device: 'no such computer' }))
        .then(() => call('sync_new_password', { password: 'not it' }))
        // This computer has a vault: refused before any folder dialog.
        .then(() => call('join_vault', { password: ${JSON.stringify(PASSWORD)} }))
        // A linked folder: the password asked, given; its rows, a code copied, one copied
        // into the vault (refused: the vault holds it), renamed, removed.
        .then(() => call('linked_add', { folder: ${JSON.stringify(linkedFolder)}, password: null }))
        .then(() => call('linked_add', { folder: ${JSON.stringify(linkedFolder)}, password: ${JSON.stringify(LINKED_PASSWORD)} }))
        .then(() => call('linked_groups'))
        .then((groups) => {
          const group = groups[0];
          const row = group.accounts[0];
          return call('copy_code', { id: row.id, next: false })
            .then(() => call('linked_copy', { id: row.id }))
            .then(() => call('linked_rename', { id: group.id, name: 'Renamed' }))
            .then(() => call('linked_groups'))
            .then(() => call('linked_remove', { id: group.id }));
        })
        .then(() => call('backup_status'))
        .then(() => call('stop_backup_folder'))
        .then(() => call('answer_backup_reminder', { answer: 'later' }))
        // A wrong password: refused before any save dialog.
        .then(() => call('save_emergency_kit', { withSecrets: true, password: 'not it' }))
        // The clock: a time server that is not there (nothing leaves this computer), an
        // offset set and removed, a code typed from another device.
        .then(() => call('clock_status'))
        .then(() => call('save_clock_check', { check: true, server: '127.0.0.1:9' }))
        .then(() => call('check_clock_now'))
        .then(() => call('set_clock_offset', { seconds: 30, from: 'manual' }))
        .then(() => call('set_clock_offset', { seconds: null, from: 'manual' }))
        .then(() => call('list_codes'))
        .then((codes) => call('calibrate_clock', { id: codes[0].id, code: '123456' }))
        .then(() => done(true));`,
    args: [],
  });

  // Its recovery codes saved as a file: the native save dialog (export_recovery_codes),
  // cancelled.
  await session.execute(`window.__TAURI__.core.invoke('export_recovery_codes', { id: document.querySelector('#account-list li.account').dataset.id }).catch(() => null);
    return true;`);
  const saveDialog = await waitForWindow(session, 'Export recovery codes');
  pressIn(saveDialog, 'Escape');
  await session.waitUntil(() => session.execute('return window.__ringletIpcLog.some((l) => l.includes("export_recovery_codes"));'),
    { what: 'the export answered' });

  // Choosing a sync folder: the native folder dialog (sync_join), cancelled; then this
  // copy leaves the folder.
  await session.execute("window.__TAURI__.core.invoke('sync_join').catch(() => null); return true;");
  const folderDialog = await waitForWindow(session, 'Choose the sync folder');
  pressIn(folderDialog, 'Escape');
  await session.waitUntil(() => session.execute('return window.__ringletIpcLog.some((l) => l.includes("sync_join"));'),
    { what: 'the folder dialog answered' });
  await session.execute("window.__TAURI__.core.invoke('sync_leave').catch(() => null); return true;");

  // Linking a folder: the native folder dialog (linked_add), cancelled.
  await session.execute("window.__TAURI__.core.invoke('linked_add').catch(() => null); return true;");
  const linkedDialog = await waitForWindow(session, 'Choose the folder your phone');
  pressIn(linkedDialog, 'Escape');
  await session.waitUntil(() => session.execute('return window.__ringletIpcLog.filter((l) => l.includes("linked_add")).length >= 3;'),
    { what: 'the linked folder dialog answered' });

  // An icon's image: the native open dialog (pick_icon), cancelled.
  await session.execute(`window.__TAURI__.core.invoke('pick_icon', { id: document.querySelector('#account-list li.account').dataset.id }).catch(() => null);
    return true;`);
  const iconDialog = await waitForWindow(session, "Choose an image for the account's icon");
  pressIn(iconDialog, 'Escape');
  await session.waitUntil(() => session.execute('return window.__ringletIpcLog.some((l) => l.includes("pick_icon"));'),
    { what: 'the icon dialog answered' });

  // A second backup folder: the native folder dialog (choose_backup_folder), cancelled.
  // The emergency kit with every secret in it: the native save dialog, cancelled — what
  // crosses is only where it was saved.
  await session.execute("window.__TAURI__.core.invoke('choose_backup_folder').catch(() => null); return true;");
  const backupFolderDialog = await waitForWindow(session, 'Choose a second folder for backups');
  pressIn(backupFolderDialog, 'Escape');
  await session.waitUntil(() => session.execute('return window.__ringletIpcLog.some((l) => l.includes("choose_backup_folder"));'),
    { what: 'the backup folder dialog answered' });
  await session.execute(`window.__TAURI__.core.invoke('save_emergency_kit', { withSecrets: true, password: ${JSON.stringify(PASSWORD)} }).catch(() => null);
    return true;`);
  const kitDialog = await waitForWindow(session, 'Save the emergency kit');
  pressIn(kitDialog, 'Escape');
  await session.waitUntil(() => session.execute('return window.__ringletIpcLog.filter((l) => l.includes("save_emergency_kit")).length >= 2;'),
    { what: 'the kit dialog answered' });

  // Delete one (no question: an undo toast), undo it, delete it again; the trash listed;
  // lock, unlock again.
  const before = (await session.findAll('#account-list li.account')).length;
  await session.click('#account-list li.account button.delete');
  await session.click('#undo-button');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === before, { what: 'the delete undone' });
  await session.click('#account-list li.account button.delete');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === before - 1, { what: 'one deleted' });
  await session.execute("window.__TAURI__.core.invoke('list_trash').catch(() => null); return true;");
  await session.click('#lock-button');
  await session.waitFor('#unlock-password');
  // Quick unlock is off again: this call fails, but its answer is recorded all the same.
  await session.execute("window.__TAURI__.core.invoke('quick_unlock').catch(() => null); return true;");
  // No quick picker is open (picker.test.mjs drives it): closing none answers all the same.
  await session.execute("window.__TAURI__.core.invoke('close_picker').catch(() => null); return true;");
  await (await session.waitFor('#unlock-password')).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitFor('#account-list li.account', { timeout: 30_000 });

  // Search (search_accounts answers ids), then Esc on the empty box puts the window away.
  const search = await session.find('#search');
  const whole = (await session.findAll('#account-list li.account')).length;
  await search.type('vaulted');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === 1, { what: 'one match' });
  await search.type('\uE00C');
  await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === whole, { what: 'the whole list again' });
  await search.type('\uE00C');
  await session.waitUntil(async () => (await session.execute('return window.__ringletIpcLog.some((l) => l.includes("hide_window"));')),
    { what: 'the window put away' });

  const log = await session.execute('return window.__ringletIpcLog;');
  const commands = new Set(log.map((line) => JSON.parse(line).cmd).filter(Boolean));
  const listed = commandList();
  assert.ok(listed.length >= 28 && listed.includes('create_vault'), `the command list was read: ${listed}`);
  for (const cmd of listed) {
    if (cmd in DRIVEN_ELSEWHERE) continue;
    assert.ok(commands.has(cmd), `${cmd} was exercised (saw ${[...commands].join(', ')})`);
  }
  const events = eventList();
  assert.ok(events.length >= 4 && events.includes('vault-locked'), `the event list was read: ${events}`);
  const seen = new Set(log.map((line) => JSON.parse(line).event).filter(Boolean));
  for (const event of events) {
    if (event in EVENTS_ELSEWHERE) continue;
    assert.ok(seen.has(event), `the ${event} event was recorded (saw ${[...seen].join(', ')})`);
  }
  // What the app and the drivers printed while all of this ran must not hold a secret either.
  const everything = `${log.join('\n')}\n${driver.output()}`;
  const leaked = (form) => everything.includes(form) || compact(everything).includes(form);
  for (const secret of [...ACCOUNTS.map((a) => a.secret), ADDED_IN_WINDOW, TYPED_IN_WINDOW, PICKED_SECRET]) {
    for (const form of forms(secret)) {
      assert.equal(leaked(form), false, `a form of a secret (${form.slice(0, 6)}…) reached the webview`);
    }
  }
  for (const form of byteForms(dataKey)) {
    assert.equal(leaked(form), false, `a form of the data key (${form.slice(0, 6)}…) reached the webview`);
  }
  // The linked rows did cross (so the search above covered their secrets), the backup's password never.
  assert.ok(log.some((line) => String(JSON.parse(line).body).includes('"linked":true')), 'linked rows were answered');
  assert.equal(everything.includes(LINKED_PASSWORD), false, 'the linked backup password reached the webview');
});

test('creating a vault in the window sends no key to the webview', async (t) => {
  const { dir, vault } = tempVault(PASSWORD, 'secrets-create');
  assert.ok(existsSync(DATA_KEY_TOOL), `${DATA_KEY_TOOL} is missing: cargo build -p ringlet-core --features test-support --example vault_data_key`);
  const { driver, session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await session.waitFor('#setup-password', { timeout: 30_000 });
  assert.equal(await session.execute(RECORDER), true);
  await (await session.find('#setup-password')).type(PASSWORD);
  await (await session.find('#setup-confirm')).type(PASSWORD);
  await session.click('#setup-submit');
  // A password under ten characters would ask for a second press; this one does not.
  await session.waitFor('#add-button', { timeout: 60_000 });
  await session.click('#lock-button');
  await session.waitFor('#unlock-password');
  // Locked: the app no longer holds the vault, so the key can be read for the search.
  const dataKey = Buffer.from(execFileSync(DATA_KEY_TOOL, [vault], { input: PASSWORD, encoding: 'utf8' }).trim(), 'hex');
  assert.equal(dataKey.length, 32);
  const log = await session.execute('return window.__ringletIpcLog;');
  assert.ok(log.some((line) => JSON.parse(line).cmd === 'create_vault'), 'create_vault was recorded');
  const everything = `${log.join('\n')}\n${driver.output()}`;
  for (const form of byteForms(dataKey)) {
    assert.equal(everything.includes(form) || compact(everything).includes(form), false,
      `a form of the new vault's key (${form.slice(0, 6)}…) reached the webview`);
  }
});
