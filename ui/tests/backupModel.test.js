import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatSize, formatCreated, backupDetails, backupTitle, normalizeBackups, restoreMessage, recoveryMessage, restorePrompt, passwordChangedMessage,
  NO_BACKUPS, NO_BACKUPS_TO_RECOVER, BACKUP_PASSWORD_HINT,
} from '../js/backupModel.js';

test('sizes are shown in KB', () => {
  assert.equal(formatSize(0), '0 KB');
  assert.equal(formatSize(undefined), '0 KB');
  assert.equal(formatSize(-5), '0 KB');
  assert.equal(formatSize(20), '0.1 KB', 'a tiny file is not "0 KB"');
  assert.equal(formatSize(400), '0.4 KB');
  assert.equal(formatSize(2048), '2 KB');
  assert.equal(formatSize(2500), '2.4 KB');
  assert.equal(formatSize(18 * 1024 + 100), '18 KB');
  assert.equal(formatSize(1024 * 1024), '1,024 KB');
  assert.equal(formatSize(20 * 1024 * 1024), '20 MB');
});

test('dates are local date and time', () => {
  const created = Date.UTC(2026, 10, 23, 4, 5, 0) / 1000;
  assert.equal(formatCreated(created, { locale: 'en-GB', timeZone: 'UTC' }), '23 Nov 2026, 04:05:00');
  assert.equal(formatCreated(created, { locale: 'en-US', timeZone: 'America/New_York' }), 'Nov 22, 2026, 11:05:00 PM');
  assert.equal(formatCreated(0), 'Unknown date');
  assert.equal(formatCreated('soon'), 'Unknown date');
  // The person's own zone and language by default: a non-empty string with the year.
  assert.match(formatCreated(created), /2026/);
});

test('backup details: the count only when known, then the size', () => {
  assert.equal(backupDetails({ accounts: 3, size: 2500 }), '3 accounts · 2.4 KB');
  assert.equal(backupDetails({ accounts: 1, size: 1024 }), '1 account · 1 KB');
  assert.equal(backupDetails({ accounts: 0, size: 300 }), '0 accounts · 0.3 KB');
  assert.equal(backupDetails({ accounts: null, size: 4096 }), '4 KB');
  assert.equal(backupTitle({ created: Date.UTC(2026, 0, 2, 3, 4) / 1000, accounts: 2, size: 2048 }, { locale: 'en-GB', timeZone: 'UTC' }),
    '2 Jan 2026, 03:04:00, 2 accounts · 2 KB');
});

test('normalizeBackups drops rows without a name and fills gaps', () => {
  const listing = normalizeBackups({
    folder: '/home/a/.local/share/ringlet/backups',
    backups: [
      { name: 'ringlet-20261123-040500.rbak', created: 1795406700, accounts: 2, size: 900 },
      { name: '', created: 1 },
      null,
      { name: 'ringlet-20261122-040500.rbak', created: 'x', accounts: 'many' },
    ],
  });
  assert.equal(listing.folder, '/home/a/.local/share/ringlet/backups');
  assert.deepEqual(listing.backups.map((b) => b.name), ['ringlet-20261123-040500.rbak', 'ringlet-20261122-040500.rbak']);
  assert.deepEqual(listing.backups[1], { name: 'ringlet-20261122-040500.rbak', created: 0, accounts: null, size: 0 });
  assert.deepEqual(normalizeBackups(undefined), { folder: '', backups: [] });
});

test('restore messages say what was added and what was already there', () => {
  assert.equal(restoreMessage({ added: 2, skipped: 3 }), 'Restored 2 accounts (3 were already in the vault).');
  assert.equal(restoreMessage({ added: 1, skipped: 1 }), 'Restored 1 account (1 was already in the vault).');
  assert.equal(restoreMessage({ added: 4, skipped: 0 }), 'Restored 4 accounts.');
  assert.equal(restoreMessage({ added: 0, skipped: 5 }), 'Nothing to restore: all 5 accounts of the backup are already in the vault.');
  assert.equal(restoreMessage({ added: 0, skipped: 1 }), 'Nothing to restore: the backup’s account is already in the vault.');
  assert.equal(restoreMessage({ added: 0, skipped: 0 }), 'The backup holds no accounts.');
  assert.equal(restoreMessage(null), 'The backup holds no accounts.');
});

test('recovery message', () => {
  assert.equal(recoveryMessage({ added: 3, skipped: 0 }), 'Restored 3 accounts from the backup. The damaged vault was kept beside it.');
  assert.equal(recoveryMessage({ added: 1 }), 'Restored 1 account from the backup. The damaged vault was kept beside it.');
});

test('the agreed texts', () => {
  assert.equal(NO_BACKUPS, 'No backups yet. Ringlet makes one a few seconds after every change.');
  assert.equal(NO_BACKUPS_TO_RECOVER, 'There are no backups to restore from. The damaged files were left untouched.');
  assert.equal(BACKUP_PASSWORD_HINT, 'A backup opens with the password the vault had when it was made.');
});

test('the restore form says what restoring adds', () => {
  const opts = { locale: 'en-GB', timeZone: 'UTC' };
  const created = Date.UTC(2026, 10, 23, 4, 5) / 1000;
  assert.equal(restorePrompt({ created, accounts: 3 }, opts),
    'The backup of 23 Nov 2026, 04:05:00 holds 3 accounts. Those not in the vault are added; nothing in the vault is removed or changed.');
  assert.equal(restorePrompt({ created, accounts: 1 }, opts),
    'The backup of 23 Nov 2026, 04:05:00 holds 1 account. If it is not in the vault, it is added; nothing in the vault is removed or changed.');
  assert.equal(restorePrompt({ created, accounts: null }, opts),
    'The accounts of the backup of 23 Nov 2026, 04:05:00 that are not in the vault are added; nothing in the vault is removed or changed.');
});

test('a password change says what happened to the backups', () => {
  assert.equal(passwordChangedMessage({ backupsReencrypted: 0, backupsLeft: 0, note: null }), 'Password changed.');
  assert.equal(
    passwordChangedMessage({ backupsReencrypted: 3, backupsLeft: 0 }),
    'Password changed. 3 backups re-encrypted: they open with the new password only.',
  );
  assert.equal(
    passwordChangedMessage({ backupsReencrypted: 1, backupsLeft: 1, note: 'Quick unlock is now off.' }),
    'Password changed. 1 backup re-encrypted: it opens with the new password only. '
      + '1 older backup still opens with the password it was made with. Quick unlock is now off.',
  );
  assert.equal(passwordChangedMessage(undefined), 'Password changed.');
});
