// Pure state of the import preview: which candidates can be chosen and which are.

/** A candidate with a problem cannot be imported. */
export function isSelectable(candidate) {
  return !candidate.problem;
}

/** Initially checked: every selectable candidate that is not already in the vault. */
export function initialSelection(preview) {
  const ids = new Set();
  for (const c of preview?.candidates || []) {
    if (isSelectable(c) && !c.duplicate) ids.add(c.id);
  }
  return ids;
}

export function toggle(selection, preview, id, checked) {
  const next = new Set(selection);
  const c = (preview?.candidates || []).find((x) => x.id === id);
  if (!c || !isSelectable(c)) return next;
  if (checked) next.add(id);
  else next.delete(id);
  return next;
}

/** Ids to send to confirm_import, in the preview's order. */
export function selectedIds(selection, preview) {
  return (preview?.candidates || []).filter((c) => isSelectable(c) && selection.has(c.id)).map((c) => c.id);
}

export function confirmLabel(count) {
  return `Import ${count} ${count === 1 ? 'account' : 'accounts'}`;
}

/** One-line summary shown at the top of the dialog. */
export function summary(preview) {
  const candidates = preview?.candidates || [];
  const errors = preview?.errors || [];
  const dupes = candidates.filter((c) => c.duplicate).length;
  const problems = candidates.filter((c) => c.problem).length;
  const locked = preview?.locked || [];
  if (!candidates.length) {
    if (locked.length) return 'Enter the password of the encrypted file to see its accounts.';
    return errors.length ? 'Nothing could be read from these files.' : 'No accounts were found in these files.';
  }
  const parts = [`Found ${candidates.length} ${candidates.length === 1 ? 'account' : 'accounts'}`];
  if (dupes) parts.push(`${dupes} already in your vault`);
  if (problems) parts.push(`${problems} cannot be imported`);
  return parts.join(', ') + '.';
}

/** The file name part of a path, for display ("C:\\x\\shot.png" → "shot.png"). */
export function baseName(path) {
  const s = String(path ?? '');
  const parts = s.split(/[\\/]/);
  return parts[parts.length - 1] || s;
}

export function typeLabel(type) {
  return { totp: 'TOTP', hotp: 'HOTP', steam: 'Steam' }[type] || String(type ?? '').toUpperCase();
}

/**
 * The selection after the preview grew (an encrypted file was opened): what was chosen
 * stays chosen, and the new accounts are chosen as a first preview would choose them.
 */
export function mergeSelection(selection, before, after) {
  const known = new Set((before?.candidates || []).map((c) => c.id));
  const next = new Set([...selection].filter((id) => (after?.candidates || []).some((c) => c.id === id)));
  for (const id of initialSelection(after)) {
    if (!known.has(id)) next.add(id);
  }
  return next;
}

/** The question for an encrypted file: "vault.json is an encrypted Aegis backup." */
export function lockedLabel(locked) {
  return `${baseName(locked?.source)} is an encrypted ${locked?.format || 'file'}. Enter its password to read it.`;
}
