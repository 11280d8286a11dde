// The setup screen's second way in: a computer joining the vault another computer syncs.
// The password is typed here; the folder is picked in Rust's native dialog, which the
// backend opens once the form is sent.

import { $, show, setBusy } from './dom.js';

/**
 * @param {{onJoin: (password: string) => Promise<boolean>}} handlers  Resolves to whether
 *   the vault was joined (false: the dialog was cancelled); rejects with a message to show.
 */
export function createJoinView({ onJoin }) {
  const createForm = $('#setup-form');
  const form = $('#join-form');
  const password = $('#join-password');
  const error = $('#join-error');
  const submit = $('#join-submit');
  let busy = false;

  function setError(message) {
    error.textContent = message || '';
    password.setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  function showJoin(joining) {
    show(createForm, !joining);
    show(form, joining);
    setError('');
    password.value = '';
    (joining ? password : $('#setup-password')).focus();
  }

  $('#join-open').addEventListener('click', () => showJoin(true));
  $('#join-back').addEventListener('click', () => showJoin(false));
  password.addEventListener('input', () => setError(''));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    if (!password.value) {
      setError('Type the password of the vault you use on your other computer.');
      password.focus();
      return;
    }
    busy = true;
    setBusy(submit, true);
    setError('');
    try {
      if (await onJoin(password.value)) password.value = '';
    } catch (msg) {
      setError(String(msg));
      password.select();
    } finally {
      busy = false;
      setBusy(submit, false);
    }
  });

  return {
    /** Back to the first way in (create), nothing typed kept. */
    reset() {
      show(createForm, true);
      show(form, false);
      password.value = '';
      setError('');
    },
  };
}
