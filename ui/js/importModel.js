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
  if (!candidates.length) {
    return errors.length ? 'No QR codes could be read from these images.' : 'No QR codes were found in these images.';
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
