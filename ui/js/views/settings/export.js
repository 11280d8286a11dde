// Settings → Export: a format (from Rust), what it exposes, the file's own password where
// it has one, and the vault password again; Rust then opens the save dialog (or the window
// of Google Authenticator's codes) and writes the file.

import { $, h, show, setBusy } from '../dom.js';
import { exportAbout, exportDoneMessage, exportFormError, exportWarning } from '../../exportModel.js';

/**
 * @param {{exportFormats: () => Promise<object[]>,
 *          exportAccounts: (format: string, password: string, exportPassword: string|null) => Promise<object>}} handlers
 *   exportAccounts rejects with {message, field} for the form.
 */
export function createExportSection(handlers) {
  const form = $('#export-form');
  const select = $('#export-format');
  const about = $('#export-about');
  const warning = $('#export-warning');
  const warningText = $('#export-warning-text');
  const ownFields = $('#export-own-fields');
  const fields = {
    format: select,
    exportPassword: $('#export-password'),
    exportConfirm: $('#export-confirm'),
    password: $('#export-vault-password'),
  };
  const error = $('#export-error');
  const status = $('#export-status');
  const submit = $('#export-submit');
  let formats = [];
  let busy = false;

  const chosen = () => formats.find((f) => f.id === select.value) || null;

  function setError(message, field = null) {
    error.textContent = message || '';
    for (const [name, el] of Object.entries(fields)) el.setAttribute('aria-invalid', name === field ? 'true' : 'false');
  }

  function describe() {
    const format = chosen();
    about.textContent = exportAbout(format);
    warningText.textContent = exportWarning(format);
    show(warning, Boolean(warningText.textContent));
    show(ownFields, Boolean(format && format.protection === 'export_password'));
    submit.querySelector('.btn-label').textContent = format && format.shown ? 'Show codes' : 'Export…';
  }

  async function load() {
    try {
      formats = await handlers.exportFormats();
    } catch (message) {
      setError(String(message));
      return;
    }
    const keep = select.value;
    select.replaceChildren(...formats.map((f) => h('option', { value: f.id, text: f.name })));
    if (formats.some((f) => f.id === keep)) select.value = keep;
    describe();
  }

  select.addEventListener('change', () => {
    setError('');
    status.textContent = '';
    describe();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const format = chosen();
    const values = {
      format,
      vaultPassword: fields.password.value,
      exportPassword: fields.exportPassword.value,
      confirm: fields.exportConfirm.value,
    };
    const problem = exportFormError(values);
    status.textContent = '';
    if (problem) {
      setError(problem.message, problem.field);
      fields[problem.field].focus();
      return;
    }
    setError('');
    busy = true;
    setBusy(submit, true);
    try {
      const own = format.protection === 'export_password' ? values.exportPassword : null;
      const report = await handlers.exportAccounts(format.id, values.vaultPassword, own);
      status.textContent = exportDoneMessage(report);
      reset();
    } catch (failure) {
      const message = failure && failure.message ? failure.message : String(failure);
      setError(message, failure && failure.field ? failure.field : null);
      fields.password.value = '';
    } finally {
      busy = false;
      setBusy(submit, false);
    }
  });

  /** No password lingers in the page. */
  function reset() {
    for (const name of ['password', 'exportPassword', 'exportConfirm']) fields[name].value = '';
  }

  return {
    load,
    reset,
    clearMessage: () => {
      setError('');
      status.textContent = '';
    },
    isBusy: () => busy,
  };
}
