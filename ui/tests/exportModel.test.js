import { test } from 'node:test';
import assert from 'node:assert/strict';

import { exportWarning, exportAbout, exportFormError, exportDoneMessage } from '../js/exportModel.js';

const plain = { id: 'aegis', protection: 'plain', loses: 'recovery codes', shown: false };
const own = { id: 'aegis-encrypted', protection: 'export_password', loses: '', shown: false };
const backup = { id: 'ringlet', protection: 'vault_password', loses: '', shown: false };
const codes = { id: 'google-qr', protection: 'plain', loses: 'tags', shown: true };

test('plain files and shown codes are warned about; encrypted files are not', () => {
  assert.match(exportWarning(plain), /not encrypted/);
  assert.match(exportWarning(codes), /sees or photographs/);
  assert.equal(exportWarning(own), '');
  assert.equal(exportWarning(backup), '');
  assert.equal(exportAbout(plain), 'Not encrypted. Not carried: recovery codes.');
  assert.equal(exportAbout(backup), 'Encrypted; opens with your vault password.');
});

test('the form asks for a long enough, repeated file password, then the vault password', () => {
  assert.deepEqual(exportFormError({ format: own, vaultPassword: 'v', exportPassword: 'short', confirm: 'short' }).field, 'exportPassword');
  assert.deepEqual(exportFormError({ format: own, vaultPassword: 'v', exportPassword: 'long enough', confirm: 'long enougH' }).field, 'exportConfirm');
  assert.deepEqual(exportFormError({ format: own, vaultPassword: '', exportPassword: 'long enough', confirm: 'long enough' }).field, 'password');
  assert.equal(exportFormError({ format: own, vaultPassword: 'v', exportPassword: 'long enough', confirm: 'long enough' }), null);
  // A plain file needs no password of its own.
  assert.equal(exportFormError({ format: plain, vaultPassword: 'v', exportPassword: '', confirm: '' }), null);
  assert.equal(exportFormError({ format: null }).field, 'format');
});

test('what an export did is said plainly', () => {
  assert.equal(exportDoneMessage({ cancelled: true }), '');
  assert.equal(exportDoneMessage({ accounts: 3, files: ['/tmp/a.json'], codesShown: 0, leftOut: [] }), 'Exported 3 accounts to /tmp/a.json.');
  assert.equal(exportDoneMessage({ accounts: 25, files: [], codesShown: 3, leftOut: ['Steam (gabe): a Steam code'] }),
    '25 accounts in 3 codes, shown in a separate window. Left out: Steam (gabe): a Steam code.');
});
