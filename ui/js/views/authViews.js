// Setup ("Create your vault") and Unlock screens.

import { $, h, clear, show, setBusy } from './dom.js';
import { assessPassword, setupDecision } from '../password.js';

/**
 * @param {{onCreate: (password: string) => Promise<void>}} handlers
 *   onCreate rejects with a message string to show under the form.
 */
export function createSetupView({ onCreate }) {
  const form = $('#setup-form');
  const pw = $('#setup-password');
  const confirm = $('#setup-confirm');
  const submit = $('#setup-submit');
  const submitLabel = submit.querySelector('.btn-label');
  const error = $('#setup-error');
  const meter = $('#setup-strength');
  const meterLabel = $('#setup-strength-label');
  const warning = $('#setup-warning');
  const reasonsList = $('#setup-warning-reasons');

  let acknowledgedWeak = null;
  let busy = false;

  /** @param {string} msg @param {'password'|'confirm'|null} [field] the field at fault */
  function setError(msg, field = null) {
    error.textContent = msg || '';
    pw.setAttribute('aria-invalid', field === 'password' ? 'true' : 'false');
    confirm.setAttribute('aria-invalid', field === 'confirm' ? 'true' : 'false');
  }

  function hideWarning() {
    acknowledgedWeak = null;
    show(warning, false);
    submitLabel.textContent = 'Create vault';
    submit.classList.remove('btn-warning');
  }

  function updateMeter() {
    const a = assessPassword(pw.value);
    meter.dataset.score = pw.value ? String(a.score) : 'none';
    meterLabel.textContent = pw.value ? `Strength: ${a.label}` : '';
  }

  pw.addEventListener('input', () => {
    updateMeter();
    if (acknowledgedWeak !== null && acknowledgedWeak !== pw.value) hideWarning();
    setError('');
  });
  confirm.addEventListener('input', () => setError(''));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const decision = setupDecision({ password: pw.value, confirm: confirm.value, acknowledgedWeak });
    if (decision.action === 'error') {
      const field = decision.field || 'password';
      setError(decision.message, field);
      (field === 'confirm' ? confirm : pw).focus();
      return;
    }
    if (decision.action === 'warn') {
      setError('');
      clear(reasonsList);
      for (const r of decision.reasons) reasonsList.append(h('li', { text: r }));
      show(warning, true);
      acknowledgedWeak = pw.value;
      submitLabel.textContent = 'Create vault anyway';
      submit.classList.add('btn-warning');
      return;
    }
    busy = true;
    setBusy(submit, true);
    setError('');
    try {
      await onCreate(pw.value);
    } catch (msg) {
      setError(String(msg));
    } finally {
      busy = false;
      setBusy(submit, false);
    }
  });

  return {
    reset() {
      form.reset();
      hideWarning();
      setError('');
      updateMeter();
    },
    focus() {
      pw.focus();
    },
  };
}

/**
 * @param {{onUnlock: (password: string) => Promise<void>, onQuickUnlock: () => Promise<void>}} handlers
 *   Both reject with a message string to show under the field.
 */
export function createUnlockView({ onUnlock, onQuickUnlock }) {
  const form = $('#unlock-form');
  const pw = $('#unlock-password');
  const submit = $('#unlock-submit');
  const quick = $('#unlock-quick');
  const submitLabel = submit.querySelector('.btn-label');
  const error = $('#unlock-error');
  let busy = false;

  function setError(msg) {
    error.textContent = msg || '';
    pw.setAttribute('aria-invalid', msg ? 'true' : 'false');
  }

  pw.addEventListener('input', () => setError(''));

  quick.addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    setBusy(quick, true);
    submit.disabled = true;
    setError('');
    try {
      await onQuickUnlock();
      pw.value = '';
    } catch (msg) {
      // The message says why and that the password still works: put the cursor there.
      setError(String(msg));
      pw.focus();
    } finally {
      busy = false;
      setBusy(quick, false);
      submit.disabled = false;
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    if (!pw.value) {
      setError('Enter your password.');
      pw.focus();
      return;
    }
    busy = true;
    setBusy(submit, true);
    pw.readOnly = true;
    submitLabel.textContent = 'Unlocking…';
    setError('');
    try {
      await onUnlock(pw.value);
      pw.value = '';
    } catch (msg) {
      setError(String(msg));
      pw.select();
    } finally {
      busy = false;
      pw.readOnly = false;
      setBusy(submit, false);
      submitLabel.textContent = 'Unlock';
      if (error.textContent) pw.focus();
    }
  });

  return {
    reset(message = '') {
      form.reset();
      setError(message);
    },
    focus() {
      pw.focus();
    },
    /** Show the quick-unlock button only for a vault that has it on. */
    offerQuickUnlock(on) {
      show(quick, on);
    },
  };
}
