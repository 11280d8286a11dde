// End to end: Settings → Start-up's "Start Ringlet when I log in" writes the desktop's
// autostart entry, and takes it away. (Starting hidden in the tray: tray.test.mjs.)

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, openApp, appBinary, withScreenshotOnFailure } from './webdriver.mjs';

const PASSWORD = 'starting up 7 times';

const clickSetting = (session, id) => session.execute(`const c = document.querySelector('#${id}');
  c.scrollIntoView({ block: 'center' }); c.click(); return true;`);

test('start at login writes the autostart entry and takes it away', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'startup');
  cli('init');
  const entry = path.join(dir, '.config', 'autostart', 'Ringlet.desktop');

  // HOME: the entry goes under the person's home, here the test's own folder.
  const { session } = await openApp(t, { RINGLET_VAULT: vault, HOME: dir }, dir);
  await withScreenshotOnFailure(session, 'startup', async () => {
    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#settings-button', { timeout: 30_000 });
    await session.click('#settings-button');
    await session.waitUntil(() => session.execute("return !document.querySelector('#startup-login').disabled;"), { what: 'start-up offered' });
    assert.equal(await session.execute("return document.querySelector('#startup-login').checked;"), false);

    await clickSetting(session, 'startup-login');
    await session.waitUntil(() => existsSync(entry), { what: 'the autostart entry' });
    const desktop = readFileSync(entry, 'utf8');
    assert.match(desktop, /^\[Desktop Entry\]/);
    assert.match(desktop, new RegExp(`^Exec=${appBinary().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm'));
    assert.equal(await session.execute("return document.querySelector('#startup-login').checked;"), true);

    await clickSetting(session, 'startup-login');
    await session.waitUntil(() => !existsSync(entry), { what: 'the entry taken away' });
  });
});
