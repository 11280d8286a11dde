// Renders the README's pictures with demo accounts (tags, a pin, recovery codes):
// `src-tauri/scripts/dev screenshot [FOLDER]` writes main-light.png, main-dark.png and
// picker.png into FOLDER (docs/screenshots by default).
// The vault is made with ringlet-cli, then the real app is unlocked through WebDriver; the
// picker is opened as a desktop shortcut opens it (`ringlet --quick`, a second launch); the
// dark picture is the same app started with GTK asking for its dark theme, as a desktop set to
// dark does (the theme setting is "as the system").

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Session, appBinary, projectRoot, startDriver } from './webdriver.mjs';

const folder = path.resolve(projectRoot, process.argv[2] ?? 'docs/screenshots');
mkdirSync(folder, { recursive: true });
const cli = process.env.RINGLET_CLI ?? path.join(projectRoot, 'target', 'debug', 'ringlet-cli');
const PASSWORD = 'demo vault password 1';
const DEMO = [
  'otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub',
  'otpauth://totp/Google:alice.smith%40gmail.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Google',
  'otpauth://totp/Proton:alice%40proton.me?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF&issuer=Proton&digits=8',
  'otpauth://hotp/Bank%20of%20Example:alice?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&issuer=Bank%20of%20Example&counter=3',
  'otpauth://steam/Steam:alice_plays?secret=ONSWG4TFORZWK3TEMVZXI4TJNZTQ&issuer=Steam',
];

const dir = mkdtempSync(path.join(os.tmpdir(), 'ringlet-shot-'));
const vault = path.join(dir, 'vault');
const passwordFile = path.join(dir, 'password');
writeFileSync(passwordFile, `${PASSWORD}\n`);
const run = (...args) => execFileSync(cli, ['--vault', vault, '--password-file', passwordFile, ...args]);
run('init');
for (const uri of DEMO) run('add', uri);
// Tags (the chips above the list), a pin, and recovery codes kept with one account.
run('edit', 'github', '--tags', 'work,code', '--pin');
run('edit', 'google', '--tags', 'personal');
run('edit', 'proton', '--tags', 'personal,mail');
const codes = path.join(dir, 'github-codes.txt');
writeFileSync(codes, Array.from({ length: 10 }, (_, n) => `${String(n * 7919 + 1000).padStart(5, '0')}-${String(n * 104729 + 23456).slice(-5)}`).join('\n'));
run('recovery', 'github', 'add', codes);
run('recovery', 'github', 'use', '01000-23456');
run('recovery', 'github', 'use', '08919-28185');
// The clock question answered, as it is after a first run: the picture shows the list.
run('clock', 'auto', 'off');

async function save(name, png) {
  const file = path.join(folder, name);
  writeFileSync(file, png);
  console.log(`wrote ${path.relative(projectRoot, file)}`);
}

/** Starts the app on the demo vault, unlocks it and waits for its list; then `shoot(session)`. */
async function withUnlockedApp(env, shoot) {
  const driver = await startDriver({ RINGLET_VAULT: vault, ...env });
  try {
    const session = await Session.start(driver);
    try {
      await (await session.waitFor('#unlock-password')).type(PASSWORD);
      await session.click('#unlock-submit');
      await session.waitUntil(async () => (await session.findAll('#account-list li.account')).length === DEMO.length, {
        timeout: 30_000,
        what: 'the demo accounts',
      });
      await session.click('#account-list li.account button.next-code');
      // Let the rings advance a little so they are not all full.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await shoot(session);
    } finally {
      await session.end();
    }
  } finally {
    await driver.stop();
  }
}

/** Makes WebDriver talk to the window whose page is `page`. */
async function switchToPage(session, page) {
  return session.waitUntil(async () => {
    for (const handle of await session.request('GET', '/window/handles')) {
      await session.request('POST', '/window', { handle });
      if ((await session.execute('return location.pathname;')).endsWith(page)) return handle;
    }
    return null;
  }, { what: `the window of ${page}` });
}

try {
  await withUnlockedApp({}, async (session) => {
    await save('main-light.png', await session.screenshot());
    const quick = spawnSync(appBinary(), ['--quick'], {
      env: { ...process.env, RINGLET_VAULT: vault }, timeout: 30_000, encoding: 'utf8',
    });
    if (quick.status !== 0) throw new Error(`ringlet --quick: ${quick.stderr}`);
    await switchToPage(session, '/picker.html');
    await (await session.waitFor('#picker-search')).type('o');
    await session.waitUntil(async () => (await session.findAll('#picker-list li.pick')).length > 1, { what: 'matches in the picker' });
    await save('picker.png', await session.screenshot());
  });
  await withUnlockedApp({ GTK_THEME: 'Adwaita:dark' }, async (session) => {
    await save('main-dark.png', await session.screenshot());
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
