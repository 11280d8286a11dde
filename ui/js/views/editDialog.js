// The Edit account dialog: issuer, name, tags (comma-separated, shown as chips), note, icon,
// pin and, under "Clock offset", the seconds added to the clock for this account alone.
// Only the fields that changed are sent; the secret is never part of it. A custom icon's
// image is picked in Rust's file dialog and saved at once.

import { $, h, clear, show, openDialog, closeDialog, setBusy } from './dom.js';
import { editChanges, formatTags, parseTags } from '../organizeModel.js';
import { shortAccountLabel } from '../format.js';
import { paintIcon } from './accountIcon.js';
import { accountOffset } from '../clockModel.js';

/**
 * @param {{save: (account: object, changes: object) => Promise<void>,
 *          openRecovery: (account: object) => void,
 *          pickIcon: (account: object) => Promise<object|null>}} handlers
 *   `save` and `pickIcon` reject with {message, field} (or a message string) to show inline.
 */
export function createEditDialog({ save, openRecovery, pickIcon }) {
  const dialog = $('#edit-dialog');
  const form = $('#edit-form');
  const title = $('#edit-title');
  const error = $('#edit-error');
  const submit = $('#edit-submit');
  const preview = $('#edit-tag-preview');
  const f = {
    issuer: $('#edit-issuer'),
    name: $('#edit-name'),
    tags: $('#edit-tags'),
    note: $('#edit-note'),
    pinned: $('#edit-pinned'),
    icon: $('#edit-icon'),
    timeOffset: $('#edit-time-offset'),
  };
  const advanced = $('#edit-advanced');
  const iconPreview = $('#edit-icon-preview');
  const iconPick = $('#edit-icon-pick');
  let editing = null; // the AccountView being edited
  let opener = null;
  let busy = false;

  function setError(message, field = null) {
    error.textContent = message || '';
    for (const el of Object.values(f)) el.removeAttribute('aria-invalid');
    const target = field && f[field];
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      target.focus();
    }
  }

  function renderPreview() {
    clear(preview);
    const tags = parseTags(f.tags.value);
    for (const tag of tags) preview.append(h('li', { className: 'chip chip-static', text: tag }));
    show(preview, tags.length > 0);
  }

  function close() {
    if (busy) return;
    closeDialog(dialog);
  }

  dialog.addEventListener('close', () => {
    editing = null;
    form.reset();
    clear(preview);
    setError('');
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    close();
  });
  $('#edit-close').addEventListener('click', close);
  $('#edit-cancel').addEventListener('click', close);
  $('#edit-recovery').addEventListener('click', () => {
    const account = editing;
    if (!account || busy) return;
    const back = opener;
    opener = null; // the recovery view takes the focus, and gives it back to `back`
    closeDialog(dialog);
    openRecovery(account, back);
  });
  f.tags.addEventListener('input', renderPreview);

  /** The icon part of the form for `account`: its choice, and a preview of what shows. */
  function showIcon(account) {
    const icon = account.icon || { kind: 'letter', choice: 'auto', letter: '?', hue: 0 };
    for (const option of f.icon.options) {
      if (option.value === 'image' || option.value === 'bundled') option.hidden = option.value !== icon.choice;
    }
    f.icon.value = icon.choice;
    paintIcon(iconPreview, icon);
  }
  // The preview follows the choice: the letter, nothing, or (automatic) what was shown.
  f.icon.addEventListener('change', () => {
    if (!editing || !editing.icon) return;
    const { letter, hue } = editing.icon;
    if (f.icon.value === 'letter') paintIcon(iconPreview, { kind: 'letter', letter, hue });
    else if (f.icon.value === 'none') paintIcon(iconPreview, { kind: 'none' });
    else if (f.icon.value === editing.icon.choice) paintIcon(iconPreview, editing.icon);
  });
  iconPick.addEventListener('click', async () => {
    if (!editing || busy) return;
    busy = true;
    setBusy(iconPick, true);
    setError('');
    try {
      const saved = await pickIcon(editing);
      if (saved && editing) {
        editing = { ...editing, icon: saved.icon };
        showIcon(editing);
      }
    } catch (err) {
      const message = err && typeof err === 'object' && 'message' in err ? err.message : String(err);
      setError(message);
      iconPick.focus();
    } finally {
      busy = false;
      setBusy(iconPick, false);
    }
  });
  for (const el of Object.values(f)) el.addEventListener('input', () => { if (error.textContent) setError(''); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!editing || busy) return;
    const timeOffset = accountOffset(f.timeOffset.value);
    if (Number.isNaN(timeOffset)) {
      advanced.open = true;
      setError('Give the clock offset in whole seconds, like 20 or -20.', 'timeOffset');
      return;
    }
    const changes = editChanges(editing, {
      issuer: f.issuer.value,
      name: f.name.value,
      tags: f.tags.value,
      note: f.note.value,
      pinned: f.pinned.checked,
      icon: f.icon.value,
      timeOffset,
    });
    if (Object.keys(changes).length === 0) {
      close();
      return;
    }
    busy = true;
    setBusy(submit, true);
    setError('');
    try {
      await save(editing, changes);
      busy = false;
      close();
    } catch (err) {
      const message = err && typeof err === 'object' && 'message' in err ? err.message : String(err);
      if (err && err.field === 'timeOffset') advanced.open = true;
      setError(message, err && err.field === 'name' ? 'name' : err && err.field);
    } finally {
      busy = false;
      setBusy(submit, false);
    }
  });

  return {
    /** Edit `account`; focus goes back to `from` when the dialog closes. */
    open(account, from = null) {
      editing = account;
      opener = from;
      title.textContent = `Edit ${shortAccountLabel(account)}`;
      f.issuer.value = account.issuer || '';
      f.name.value = account.account || '';
      f.tags.value = formatTags(account.tags);
      f.note.value = account.note || '';
      f.pinned.checked = Boolean(account.pinned);
      f.timeOffset.value = account.timeOffset ? String(account.timeOffset) : '';
      advanced.open = Boolean(account.timeOffset);
      showIcon(account);
      renderPreview();
      setError('');
      openDialog(dialog);
      f.issuer.focus();
    },
    close: () => {
      busy = false;
      closeDialog(dialog);
    },
  };
}
