// Settings → Password: change it, with the current one asked again and a weak new one
// confirmed first.

import { $, h, clear, show, setBusy } from '../dom.js';
import { assessPassword } from '../../password.js';
import { passwordChangeDecision, WRONG_CURRENT_PASSWORD } from '../../settingsModel.js';
import { passwordChangedMessage } from '../../backupModel.js';

/**
 * @param {{changePassword: (current: string, next: string) => Promise<object>}} handlers  resolves to what the change did (backups re-encrypted or left, a note)
 * @param {{onChanged: () => void}} events  onChanged: a backup follows the change
 */
export function createPasswordSection(handlers, { onChanged }) {

  const pwForm = $('#password-form');
  const pw = { current: $('#password-current'), password: $('#password-new'), confirm: $('#password-confirm') };
  const pwSubmit = $('#password-submit');
  const pwSubmitLabel = pwSubmit.querySelector('.btn-label');
  const pwError = $('#password-error');
  const pwStatus = $('#password-status');
  const meter = $('#password-strength');
  const meterLabel = $('#password-strength-label');
  const warning = $('#password-warning');
  const reasonsList = $('#password-warning-reasons');
  let acknowledgedWeak = null;
  let pwBusy = false;

  function setPwError(msg, field = null) {
    pwError.textContent = msg || '';
    for (const [k, el] of Object.entries(pw)) el.setAttribute('aria-invalid', k === field ? 'true' : 'false');
  }

  function hideWarning() {
    acknowledgedWeak = null;
    show(warning, false);
    pwSubmitLabel.textContent = 'Change password';
    pwSubmit.classList.remove('btn-warning');
  }

  function updateMeter() {
    const value = pw.password.value;
    const a = assessPassword(value);
    meter.dataset.score = value ? String(a.score) : 'none';
    meterLabel.textContent = value ? `Strength: ${a.label}` : '';
  }

  function resetPasswordForm() {
    pwForm.reset();
    hideWarning();
    setPwError('');
    pwStatus.textContent = '';
    updateMeter();
  }

  pw.password.addEventListener('input', () => {
    updateMeter();
    if (acknowledgedWeak !== null && acknowledgedWeak !== pw.password.value) hideWarning();
  });
  for (const el of Object.values(pw)) {
    el.addEventListener('input', () => {
      if (pwError.textContent) setPwError('');
      pwStatus.textContent = '';
    });
  }

  pwForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (pwBusy) return;
    pwStatus.textContent = '';
    const decision = passwordChangeDecision({
      current: pw.current.value, password: pw.password.value, confirm: pw.confirm.value, acknowledgedWeak,
    });
    if (decision.action === 'error') {
      setPwError(decision.message, decision.field);
      pw[decision.field].focus();
      return;
    }
    if (decision.action === 'warn') {
      setPwError('');
      clear(reasonsList);
      for (const r of decision.reasons) reasonsList.append(h('li', { text: r }));
      show(warning, true);
      acknowledgedWeak = pw.password.value;
      pwSubmitLabel.textContent = 'Change password anyway';
      pwSubmit.classList.add('btn-warning');
      return;
    }
    pwBusy = true;
    setBusy(pwSubmit, true);
    setPwError('');
    try {
      const report = await handlers.changePassword(pw.current.value, pw.password.value);
      resetPasswordForm();
      pwStatus.textContent = passwordChangedMessage(report);
      onChanged();
    } catch (msg) {
      const text = String(msg);
      const wrongCurrent = text === WRONG_CURRENT_PASSWORD;
      setPwError(text, wrongCurrent ? 'current' : null);
      if (wrongCurrent) {
        pw.current.focus();
        pw.current.select();
      }
    } finally {
      pwBusy = false;
      setBusy(pwSubmit, false);
    }
  });

  return { reset: resetPasswordForm, stop: () => { pwBusy = false; } };
}
