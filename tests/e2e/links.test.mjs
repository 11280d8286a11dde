// End to end: the window never leaves Ringlet. Remote, data: and file: pages are refused;
// a web address (a link in the UI, or script setting `location`) is offered to the system
// browser in a native dialog, and opened only when the person says so. The "browser" is a
// script registered as the desktop's https handler (mimeapps.list, as GIO and xdg-open read
// it) that writes down what it was asked to open.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, openApp, pressIn, tempVault, waitForWindow, windowsTitled, withScreenshotOnFailure } from './webdriver.mjs';

const PASSWORD = 'links go outside 4';
// external::CONFIRM_TITLE in src-tauri/src/external.rs.
const CONFIRM_TITLE = 'Open in your web browser?';

/** Registers a recording "browser" for http(s) under `dir`; returns the env that makes the
 *  app's desktop lookups see it, and a reader of the addresses it was given. */
function recordingBrowser(dir) {
  const data = path.join(dir, 'xdg-data');
  const config = path.join(dir, 'xdg-config');
  const log = path.join(dir, 'opened.txt');
  mkdirSync(path.join(data, 'applications'), { recursive: true });
  mkdirSync(config, { recursive: true });
  const script = path.join(dir, 'browser.sh');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`, { mode: 0o755 });
  writeFileSync(path.join(data, 'applications', 'ringlet-test-browser.desktop'), [
    '[Desktop Entry]', 'Type=Application', 'Name=Recording browser', `Exec=${script} %u`,
    'MimeType=x-scheme-handler/http;x-scheme-handler/https;', 'NoDisplay=true', '',
  ].join('\n'));
  writeFileSync(path.join(config, 'mimeapps.list'), [
    '[Default Applications]',
    'x-scheme-handler/https=ringlet-test-browser.desktop',
    'x-scheme-handler/http=ringlet-test-browser.desktop', '',
  ].join('\n'));
  return {
    env: { XDG_DATA_HOME: data, XDG_CONFIG_HOME: config },
    opened: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

test('outside links open in the system browser only after a native confirmation', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'links');
  cli('init');
  const browser = recordingBrowser(dir);
  const { session } = await openApp(t, { RINGLET_VAULT: vault, ...browser.env }, dir);

  await withScreenshotOnFailure(session, 'links', async () => {
    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#directory-link', { timeout: 30_000 });
    const origin = await session.execute('return location.origin;');

    // Pages that are not web pages are refused without a question.
    for (const target of ['data:text/html,<p id=away>away</p>', 'file:///etc/hostname']) {
      await session.execute(`location.href = ${JSON.stringify(target)}; return true;`).catch(() => null);
      await session.holds(async () => (await session.execute('return location.origin;')) === origin
        && windowsTitled(CONFIRM_TITLE).length === 0, { what: `staying on Ringlet with no question for ${target}` });
    }

    // Script sending the window to a remote page: the window stays, the person is asked,
    // and saying no opens nothing.
    await session.execute("location.href = 'https://example.com/'; return true;").catch(() => null);
    const asked = await waitForWindow(session, CONFIRM_TITLE);
    assert.equal(await session.execute('return location.origin;'), origin);
    assert.ok(await session.find('#directory-link'), 'still on Ringlet after a remote navigation');
    // One question at a time, however often the page asks.
    await session.execute("location.href = 'https://example.org/'; return true;").catch(() => null);
    await session.holds(() => windowsTitled(CONFIRM_TITLE).length === 1, { what: 'one question on screen' });
    pressIn(asked, 'Escape');
    await session.waitUntil(() => windowsTitled(CONFIRM_TITLE).length === 0, { what: 'the dialog to close' });
    await session.holds(() => browser.opened().length === 0, { what: 'nothing opening when the person says no' });

    // A new window is not opened either.
    await session.execute("window.open('https://example.com/', '_blank'); return true;").catch(() => null);
    await session.holds(async () => (await session.request('GET', '/window/handles')).length === 1, { what: 'one window' });
    for (const id of windowsTitled(CONFIRM_TITLE)) pressIn(id, 'Escape');

    // The UI's own link: asked, confirmed, opened by the system browser, not in the window.
    await session.click('#directory-link');
    const confirm = await waitForWindow(session, CONFIRM_TITLE);
    pressIn(confirm, 'Return');
    await session.waitUntil(() => browser.opened().length > 0, { timeout: 10_000, what: 'the browser to be started' });
    assert.deepEqual(browser.opened(), ['https://2fa.directory/']);
    assert.equal(await session.execute('return location.origin;'), origin);
    assert.ok(await session.find('#directory-link'), 'still on Ringlet after opening the link');
  });
});
