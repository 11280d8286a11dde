// Pure text for Settings → Backups and the recovery of a damaged vault: sizes, dates,
// and what a restore did. No DOM, no backend.

import { pluralize } from './format.js';

export const NO_BACKUPS = 'No backups yet. Ringlet makes one a few seconds after every change.';
export const NO_BACKUPS_TO_RECOVER = 'There are no backups to restore from. The damaged files were left untouched.';
export const HEADER_MISSING = 'The vault’s header file is missing, so no password can open it. Restore your accounts from one of its backups below; the damaged files are kept.';
export const BACKUP_PASSWORD_HINT = 'A backup opens with the password the vault had when it was made.';

/** "0 KB", "0.4 KB", "2.4 KB", "18 KB", "1,024 KB" → sizes in KB, MB from 10 MB on. */
export function formatSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n <= 0) return '0 KB';
  const kb = n / 1024;
  if (kb >= 10 * 1024) return `${(kb / 1024).toFixed(0)} MB`;
  if (kb < 10) return `${Math.max(0.1, Math.round(kb * 10) / 10).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${Math.round(kb).toLocaleString('en-US')} KB`;
}

/**
 * The local date and time of a backup (`created` in Unix seconds), to the second: backups
 * made a few seconds after each change are often minutes apart or less.
 * @param {number} created
 * @param {{locale?: string, timeZone?: string}} [opts] for tests; the person's own by default
 */
export function formatCreated(created, { locale, timeZone } = {}) {
  const n = Number(created);
  if (!Number.isFinite(n) || n <= 0) return 'Unknown date';
  const date = new Date(n * 1000);
  if (Number.isNaN(date.getTime())) return 'Unknown date';
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone }).format(date);
  } catch {
    return date.toISOString().slice(0, 19).replace('T', ' ');
  }
}

/** The second line of a backup row: "3 accounts · 2.4 KB" (the count only when known). */
export function backupDetails(backup) {
  const b = backup || {};
  const parts = [];
  if (Number.isInteger(b.accounts) && b.accounts >= 0) parts.push(pluralize(b.accounts, 'account'));
  parts.push(formatSize(b.size));
  return parts.join(' · ');
}

/** One line naming the backup for screen readers and the restore form. */
export function backupTitle(backup, opts) {
  return `${formatCreated(backup && backup.created, opts)}, ${backupDetails(backup)}`;
}

/** What the restore form says it will do with `backup`. */
export function restorePrompt(backup, opts) {
  const b = backup || {};
  const when = formatCreated(b.created, opts);
  const after = 'nothing in the vault is removed or changed.';
  if (Number.isInteger(b.accounts) && b.accounts >= 0) {
    const those = b.accounts === 1 ? 'If it is not in the vault, it is added' : 'Those not in the vault are added';
    return `The backup of ${when} holds ${pluralize(b.accounts, 'account')}. ${those}; ${after}`;
  }
  return `The accounts of the backup of ${when} that are not in the vault are added; ${after}`;
}

/** The backups list as received from list_backups, tolerating missing pieces. */
export function normalizeBackups(listing) {
  const l = listing && typeof listing === 'object' ? listing : {};
  const backups = (Array.isArray(l.backups) ? l.backups : [])
    .filter((b) => b && typeof b.name === 'string' && b.name)
    .map((b) => ({
      name: b.name,
      created: Number.isFinite(b.created) ? b.created : 0,
      accounts: Number.isInteger(b.accounts) ? b.accounts : null,
      size: Number.isFinite(b.size) ? b.size : 0,
    }));
  return { folder: typeof l.folder === 'string' ? l.folder : '', backups };
}

function count(n) {
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** What restoring a backup into the open vault did. */
export function restoreMessage(report) {
  const added = count(report && report.added);
  const skipped = count(report && report.skipped);
  if (added && skipped) {
    return `Restored ${pluralize(added, 'account')} (${skipped} ${skipped === 1 ? 'was' : 'were'} already in the vault).`;
  }
  if (added) return `Restored ${pluralize(added, 'account')}.`;
  if (skipped === 1) return 'Nothing to restore: the backup’s account is already in the vault.';
  if (skipped) return `Nothing to restore: all ${skipped} accounts of the backup are already in the vault.`;
  return 'The backup holds no accounts.';
}

/** What a password change did to the backups (and quick unlock), after "Password changed." */
export function passwordChangedMessage(report) {
  const again = count(report && report.backupsReencrypted);
  const left = count(report && report.backupsLeft);
  const parts = ['Password changed.'];
  if (again) {
    parts.push(`${pluralize(again, 'backup')} re-encrypted: ${again === 1 ? 'it opens' : 'they open'} with the new password only.`);
  }
  if (left) {
    parts.push(`${pluralize(left, 'older backup')} still ${left === 1 ? 'opens' : 'open'} with the password ${left === 1 ? 'it was' : 'they were'} made with.`);
  }
  if (report && typeof report.note === 'string' && report.note.trim()) parts.push(report.note.trim());
  return parts.join(' ');
}

/** The toast after a damaged vault was rebuilt from a backup. */
export function recoveryMessage(report) {
  const added = count(report && report.added);
  return `Restored ${pluralize(added, 'account')} from the backup. The damaged vault was kept beside it.`;
}
