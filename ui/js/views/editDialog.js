// The Edit account dialog: issuer, name, tags (comma-separated, shown as chips), note and
// pin. Only the fields that changed are sent; the secret is never part of it.

import { $, h, clear, show, openDialog, closeDialog, setBusy } from './dom.js';
import { editChanges, formatTags, parseTags } from '../organizeModel.js';
import { shortAccountLabel } from '../format.js';

/**
 * @param {{save: (account: object, changes: object) => Promise<void>,
 *          openRecovery: (account: object) => void}} handlers
 *   `save` rejects with {message, field} (or a message string) to show inline.
 */
export function createEditDialog({ save, openRecovery }) {
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
  };
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
  for (const el of Object.values(f)) el.addEventListener('input', () => { if (error.textContent) setError(''); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!editing || busy) return;
    const changes = editChanges(editing, {
      issuer: f.issuer.value,
      name: f.name.value,
      tags: f.tags.value,
      note: f.note.value,
      pinned: f.pinned.checked,
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
