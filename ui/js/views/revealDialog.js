// Show secret key: the password again before the key opens in its own native window.

import { $, openDialog, closeDialog, setBusy } from './dom.js';

/**
 * Asks for the password before an account's secret is shown (in a native window the
 * backend opens). `reveal(account, password)` rejects with a message to show inline.
 * @param {{reveal: (account: object, password: string) => Promise<void>}} handlers
 */
export function createRevealDialog({ reveal }) {
  const dialog = $('#reveal-dialog');
  const form = $('#reveal-form');
  const text = $('#reveal-text');
  const pw = $('#reveal-password');
  const submit = $('#reveal-submit');
  const cancelBtn = $('#reveal-cancel');
  const error = $('#reveal-error');
  let account = null;
  let busy = false;
  let opener = null;

  function setError(msg) {
    error.textContent = msg || '';
    pw.setAttribute('aria-invalid', msg ? 'true' : 'false');
  }

  function finish() {
    account = null;
    form.reset(); // no password lingers in the page
    setError('');
    closeDialog(dialog);
    if (opener && opener.isConnected) opener.focus();
  }

  cancelBtn.addEventListener('click', () => { if (!busy) finish(); });
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    if (!busy) finish();
  });
  pw.addEventListener('input', () => { if (error.textContent) setError(''); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!account || busy) return;
    if (!pw.value) {
      setError('Enter your password.');
      pw.focus();
      return;
    }
    busy = true;
    setBusy(submit, true);
    cancelBtn.disabled = true;
    pw.readOnly = true;
    setError('');
    try {
      await reveal(account, pw.value);
      busy = false;
      finish();
    } catch (msg) {
      setError(String(msg));
      pw.focus();
      pw.select();
    } finally {
      busy = false;
      setBusy(submit, false);
      cancelBtn.disabled = false;
      pw.readOnly = false;
    }
  });

  return {
    /** @param {object} target the account view @param {string} label how to name it */
    open(target, label) {
      account = target;
      opener = document.activeElement;
      form.reset();
      setError('');
      text.textContent = label;
      openDialog(dialog);
      pw.focus();
    },
    close: () => { busy = false; finish(); },
  };
}
