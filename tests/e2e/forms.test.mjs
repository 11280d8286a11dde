// End to end: a form problem only the backend can see (here a secret longer than any
// account's) comes back naming its field, and the Add dialog marks that field, as it
// marks the problems it checks itself.

import assert from 'node:assert/strict';

import { test, tempVault, openApp, withScreenshotOnFailure } from './webdriver.mjs';

const PASSWORD = 'forms say which field 2026';

test('a typed secret the backend refuses marks the secret field', async (t) => {
  const { dir, vault, cli } = tempVault(PASSWORD, 'forms');
  cli('init');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'forms', async () => {
    await (await session.waitFor('#unlock-password')).type(PASSWORD);
    await session.click('#unlock-submit');
    await session.waitFor('#add-button', { timeout: 30_000 });

    await session.click('#add-button');
    await session.click('#tab-manual');
    await (await session.waitFor('#manual-issuer')).type('Too long');
    // Valid Base32, so the page's own checks pass; 1 700 characters are 1 062 bytes, over
    // the 1 024 a secret may have.
    await (await session.find('#manual-secret')).type('A'.repeat(1700));
    await session.click('#manual-submit');

    const error = await session.waitUntil(async () => {
      const text = await (await session.find('#add-error')).text();
      return text.trim() ? text : null;
    }, { what: 'the error under the form' });
    assert.match(error, /secret key/i);
    const marked = await session.execute(
      "return [...document.querySelectorAll('#add-dialog [aria-invalid=\"true\"]')].map((el) => el.id);",
    );
    assert.deepEqual(marked, ['manual-secret']);
    assert.equal(await session.execute('return document.activeElement.id;'), 'manual-secret');
    assert.equal((await session.findAll('#account-list li.account')).length, 0, 'nothing was added');
  });
});
