// End to end: an automated accessibility check (axe-core, a test-only dependency) inside the
// real window on every screen a person meets: unlock, the list, add, import, settings and the
// quick picker, in the light theme and in the dark one chosen in Settings. No serious or
// critical violation may be found.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync, spawnSync } from 'node:child_process';

import { test, tempVault, openApp, appBinary, withScreenshotOnFailure } from './webdriver.mjs';

const PASSWORD = 'seen by everyone 3';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's source, loaded once per page (a second load would replace its state). */
function window_axe() {
  return `if (!window.axe) { ${AXE} }`;
}

/** Runs axe in the page: the serious and critical violations, one line each. */
async function violations(session) {
  // The script itself carries axe: the page's CSP (rightly) refuses eval.
  const found = await session.request('POST', '/execute/async', {
    script: `${window_axe()}
      const done = arguments[arguments.length - 1];
      window.axe.run(document, { resultTypes: ['violations'] })
        .then((r) => done(r.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
          .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' [' + ((n.any[0] && n.any[0].message) || '') + ']').join(' | '))))
        .catch((e) => done(['axe failed: ' + e]));`,
    args: [],
  });
  return found;
}

async function check(session, screen) {
  // Mid-animation (a dialog fading in) colours are not the ones a person reads.
  await session.waitUntil(() => session.execute("return document.getAnimations().every((a) => a.playState !== 'running');"),
    { what: `${screen} settled` });
  const found = await violations(session);
  assert.deepEqual(found, [], `${screen}: ${found.join('\n')}`);
}

/** Makes the quick picker's window current (opened by a second launch with --quick). */
async function switchToPicker(session, vault) {
  const run = spawnSync(appBinary(), ['--quick'], { env: { ...process.env, RINGLET_VAULT: vault }, timeout: 30_000 });
  assert.equal(run.status, 0);
  await session.waitUntil(async () => (await session.request('GET', '/window/handles')).length === 2, { what: 'the picker' });
  for (const handle of await session.request('GET', '/window/handles')) {
    await session.request('POST', '/window', { handle });
    if ((await session.execute('return location.pathname;')).endsWith('picker.html')) break;
  }
  await session.waitFor('#picker-search');
}

const pageBackground = (session) => session.execute('return getComputedStyle(document.body).backgroundColor;');

test('no serious or critical accessibility violation on any screen', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'a11y');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  cli('add', 'otpauth://hotp/Bank:bob?secret=KRSXG5CTMVRXEZLU&issuer=Bank&counter=1');
  cli('edit', 'github', '--tags', 'work', '--pin');

  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'a11y', async () => {
    await session.waitFor('#unlock-password');
    await check(session, 'unlock');

    await (await session.find('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });
    await check(session, 'the list');

    await session.click('#add-button');
    await session.waitFor('#add-uri');
    await check(session, 'add');
    await session.execute("document.querySelector('#add-dialog').close(); return true;");

    await session.click('#settings-button');
    await session.waitUntil(() => session.execute("return document.querySelector('#export-format').options.length > 0;"), { what: 'Settings filled' });
    await check(session, 'settings');
    await session.click('#settings-close');

    // The import preview, for a link on the clipboard pasted with Ctrl+V.
    execFileSync('xclip', ['-selection', 'clipboard', '-i'], {
      input: 'otpauth://totp/Example:eve?secret=MZXW6YTBOJRGC4TCMF4GK3LQNRSQ&issuer=Example', timeout: 5000, stdio: ['pipe', 'ignore', 'ignore'],
    });
    await (await session.find('#search')).type('\uE009v\uE000');
    await session.waitFor('#import-dialog li.candidate', { timeout: 20_000 });
    await check(session, 'import');
    await session.click('#import-cancel');

    await switchToPicker(session, vault);
    await check(session, 'the quick picker');
  });
});

test('the theme: the OS\'s dark, light chosen over it in every window, and dark passes the same check', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'a11y-dark');
  cli('init');
  cli('add', 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  cli('add', 'otpauth://hotp/Bank:bob?secret=KRSXG5CTMVRXEZLU&issuer=Bank&counter=1');
  cli('edit', 'github', '--tags', 'work', '--pin');

  // GTK_THEME asks for the dark variant, as a desktop set to dark does.
  const { session } = await openApp(t, { RINGLET_VAULT: vault, GTK_THEME: 'Adwaita:dark' }, dir);
  await withScreenshotOnFailure(session, 'a11y-dark', async () => {
    const LIGHT = 'rgb(245, 245, 247)';
    const DARK = 'rgb(24, 24, 27)';
    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#account-list li.account', { timeout: 30_000 });
    assert.equal(await pageBackground(session), DARK, 'the OS asks for dark: followed');
    await check(session, 'the list, dark');

    const chooseTheme = async (theme) => {
      await session.execute(`const s = document.querySelector('#display-theme');
        s.scrollIntoView({ block: 'center' }); s.value = '${theme}'; s.dispatchEvent(new Event('change')); return true;`);
      await session.waitUntil(async () => JSON.parse(readFileSync(path.join(vault, 'preferences.json'), 'utf8')).theme === theme,
        { what: `${theme} saved` });
    };
    await session.click('#settings-button');
    await session.waitUntil(() => session.execute("return document.querySelector('#display-theme').value === 'system';"), { what: 'Settings filled' });
    await check(session, 'settings, dark');
    await chooseTheme('light');
    await session.waitUntil(async () => (await pageBackground(session)) === LIGHT, { what: 'light over the OS\'s dark' });
    await session.click('#settings-close');

    // The picker is a window of its own: it reads the saved theme when it opens.
    const main = await session.request('GET', '/window');
    await switchToPicker(session, vault);
    assert.equal(await pageBackground(session), 'rgb(255, 255, 255)', 'the picker light too (its surface colour)');
    await session.request('POST', '/window', { handle: main });

    await session.click('#settings-button');
    await chooseTheme('dark');
    await session.waitUntil(async () => (await pageBackground(session)) === DARK, { what: 'dark chosen' });
    await session.click('#settings-close');
    await session.click('#add-button');
    await session.waitFor('#add-uri');
    await check(session, 'add, dark');
    await session.execute("document.querySelector('#add-dialog').close(); return true;");

    await session.click('#settings-button');
    await chooseTheme('system');
    await session.waitUntil(() => session.execute("return !('theme' in document.documentElement.dataset);"), { what: 'the OS followed' });
    assert.equal(await pageBackground(session), DARK);
  });
});
