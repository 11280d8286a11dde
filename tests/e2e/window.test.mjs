// End to end: the main window opens where it was left (size and position, in window.json
// beside the vault), and a place on no screen any more is left to the desktop.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { test, tempVault, openApp, Session, withScreenshotOnFailure } from './webdriver.mjs';

const PASSWORD = 'where it was left 5';

const rectOf = (session) => session.request('GET', '/window/rect');

test('the window opens where it was left, and not off every screen', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'window');
  cli('init');
  const placeFile = path.join(vault, 'window.json');

  // One driver, a session (an app) after another, as app.test.mjs restarts.
  const { driver, session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await session.waitFor('#unlock-password');
  await session.request('POST', '/window/rect', { x: 40, y: 30, width: 520, height: 720 });
  // Written once the window has been still for a second.
  await session.waitUntil(() => existsSync(placeFile)
    && JSON.parse(readFileSync(placeFile, 'utf8')).rect.width === 520, { what: 'the place written', timeout: 15_000 });
  const saved = JSON.parse(readFileSync(placeFile, 'utf8'));
  assert.deepEqual({ ...saved.rect, maximized: saved.maximized }, { x: 40, y: 30, width: 520, height: 720, maximized: false });
  await session.end();

  const second = await Session.start(driver);
  await withScreenshotOnFailure(second, 'window-second', () => second.waitFor('#unlock-password'));
  const back = await rectOf(second);
  assert.deepEqual([back.x, back.y, back.width, back.height], [40, 30, 520, 720], JSON.stringify(back));
  await second.end();

  // A monitor unplugged since: the place is off every screen, the size is kept.
  writeFileSync(placeFile, JSON.stringify({ rect: { x: 9000, y: 9000, width: 500, height: 700 }, maximized: false }));
  const third = await Session.start(driver);
  await third.waitFor('#unlock-password');
  const placed = await rectOf(third);
  assert.deepEqual([placed.width, placed.height], [500, 700]);
  assert.ok(placed.x < 1000 && placed.y < 1000, `on the screen: ${JSON.stringify(placed)}`);
  await third.end();
});
