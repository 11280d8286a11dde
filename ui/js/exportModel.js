// Settings → Export: what each format says, the form's checks and what an export did.
// The formats themselves (names, protection, what they lose) come from Rust.

import { MIN_PASSWORD_CHARS, characterCount } from './password.js';
import { pluralize } from './format.js';

/** The warning a format needs before anything is written, or '' when it is encrypted. */
export function exportWarning(format) {
  if (!format) return '';
  if (format.shown) {
    return 'The codes appear in a window on this screen. Anyone who sees or photographs them can make every code of the accounts they hold.';
  }
  if (format.protection === 'plain') {
    return 'This file is not encrypted: anyone who opens it can make every code of every account in it. Keep it off shared and synced folders, and delete it once it has been imported.';
  }
  return '';
}

/** What a format is: how it is protected and what it does not carry. */
export function exportAbout(format) {
  if (!format) return '';
  const protection = {
    plain: 'Not encrypted.',
    export_password: 'Encrypted with a password you choose for this file.',
    vault_password: 'Encrypted; opens with your vault password.',
  }[format.protection] || '';
  return format.loses ? `${protection} Not carried: ${format.loses}.` : protection;
}

/** The form's first problem, `{message, field}`, or null when it can be sent. */
export function exportFormError({ format, vaultPassword, exportPassword, confirm }) {
  if (!format) return { message: 'Choose a format.', field: 'format' };
  if (format.protection === 'export_password') {
    if (characterCount(exportPassword) < MIN_PASSWORD_CHARS) {
      return { message: `The file's password needs at least ${MIN_PASSWORD_CHARS} characters.`, field: 'exportPassword' };
    }
    if (exportPassword !== confirm) return { message: 'The two passwords for the file differ.', field: 'exportConfirm' };
  }
  if (!vaultPassword) return { message: 'Enter your vault password to export.', field: 'password' };
  return null;
}

/** What to say once an export is done. */
export function exportDoneMessage(report) {
  if (!report || report.cancelled) return '';
  const count = pluralize(report.accounts, 'account');
  let done;
  if (report.codesShown > 0) done = `${count} in ${pluralize(report.codesShown, 'code')}, shown in a separate window.`;
  else if (report.files.length === 1) done = `Exported ${count} to ${report.files[0]}.`;
  else done = `Exported ${count} to ${report.files.length} files: ${report.files.join(', ')}.`;
  if (report.leftOut && report.leftOut.length) done += ` Left out: ${report.leftOut.join('; ')}.`;
  return done;
}
