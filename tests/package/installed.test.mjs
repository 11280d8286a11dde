// The installed package's app under Xvfb, through tauri-driver: `/usr/bin/ringlet` (or
// $RINGLET_APP), started with a temporary RINGLET_VAULT, reaches the create-vault screen.
// Run by `src-tauri/scripts/dev package --check` after `apt-get install ./….deb`, inside a
// private D-Bus session and display; not part of the debug end-to-end run (tests/e2e/).

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { appBinary, openApp, test, withScreenshotOnFailure } from '../e2e/webdriver.mjs';

test('the installed ringlet starts and shows the create-vault screen', async (t) => {
  assert.ok(path.isAbsolute(appBinary()), `RINGLET_APP is ${appBinary()}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ringlet-package-'));
  const vault = path.join(dir, 'vault');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'installed-first-run', async () => {
    const password = await session.waitFor('#setup-password', { timeout: 30_000 });
    assert.ok(await session.find('#setup-confirm'));
    assert.ok(await session.find('#setup-submit'));
    assert.equal(await session.execute('return document.title;'), 'Ringlet');
    // The page is the embedded ui/ (no dev server): served by Tauri's own protocol.
    const origin = await session.execute('return location.origin;');
    assert.match(origin, /^(tauri:\/\/localhost|http:\/\/tauri\.localhost)$/, origin);
    await password.type('x');
  });
  // No vault is made before the person chooses a password.
  assert.ok(!existsSync(path.join(vault, 'vault.header')));
});
