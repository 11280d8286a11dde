// A yes-or-no question, such as deleting an account for good or emptying the trash.

import { $, openDialog, closeDialog, setBusy } from './dom.js';

export function createConfirmDialog() {
  const dialog = $('#confirm-dialog');
  const title = $('#confirm-title');
  const message = $('#confirm-message');
  const ok = $('#confirm-ok');
  const cancelBtn = $('#confirm-cancel');
  const error = $('#confirm-error');
  let pending = null; // {action, after}
  let busy = false;

  function finish() {
    const after = pending && pending.after;
    pending = null;
    closeDialog(dialog);
    if (after) after();
  }

  cancelBtn.addEventListener('click', () => { if (!busy) finish(); });
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    if (!busy) finish();
  });
  ok.addEventListener('click', async () => {
    if (!pending || busy) return;
    busy = true;
    setBusy(ok, true);
    cancelBtn.disabled = true;
    error.textContent = '';
    try {
      await pending.action();
      finish();
    } catch (msg) {
      error.textContent = String(msg);
    } finally {
      busy = false;
      setBusy(ok, false);
      cancelBtn.disabled = false;
    }
  });

  return {
    /**
     * Ask, and run `action` when confirmed. The dialog stays open while `action`
     * runs; if it rejects with a message, the message shows in the dialog. `after` runs
     * once the dialog closed, confirmed or not (to put the focus back).
     */
    ask({ heading, text, confirmText = 'Delete', action, after = null }) {
      title.textContent = heading;
      message.textContent = text;
      ok.textContent = confirmText;
      error.textContent = '';
      pending = { action, after };
      openDialog(dialog);
      cancelBtn.focus(); // the safe choice has focus
    },
    close: () => { if (!busy) finish(); else closeDialog(dialog); },
  };
}
