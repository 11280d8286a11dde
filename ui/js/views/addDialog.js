// The Add account dialog: an otpauth:// link, or a secret typed by hand.

import { $, show, openDialog, closeDialog, setBusy } from './dom.js';
import { buildManualEntry, checkUri, defaultsFor, STEAM_DIGITS } from '../manual.js';

/**
 * @param {{addUri: (uri: string) => Promise<void>, addManual: (entry: object) => Promise<void>}} handlers
 *   Each rejects with a message string to show inline.
 */
export function createAddDialog({ addUri, addManual }) {
  const dialog = $('#add-dialog');
  const tabs = { uri: $('#tab-uri'), manual: $('#tab-manual') };
  const panels = { uri: $('#panel-uri'), manual: $('#panel-manual') };
  const error = $('#add-error');
  const f = {
    uri: $('#add-uri'),
    issuer: $('#manual-issuer'),
    account: $('#manual-account'),
    secret: $('#manual-secret'),
    type: $('#manual-type'),
    algorithm: $('#manual-algorithm'),
    digits: $('#manual-digits'),
    period: $('#manual-period'),
    counter: $('#manual-counter'),
  };
  const advanced = $('#manual-advanced');
  const fieldPeriod = $('#field-period');
  const fieldCounter = $('#field-counter');
  let current = 'uri';
  let busy = false;
  let savedDigits = '6';

  function setError(msg, fieldEl = null) {
    error.textContent = msg || '';
    for (const el of Object.values(f)) el.removeAttribute('aria-invalid');
    if (fieldEl) fieldEl.setAttribute('aria-invalid', 'true');
  }

  function selectTab(name, focus = false) {
    current = name;
    for (const [k, tab] of Object.entries(tabs)) {
      const on = k === name;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      show(panels[k], on);
    }
    setError('');
    if (focus) tabs[name].focus();
  }

  function applyType() {
    const type = f.type.value;
    const steam = type === 'steam';
    show(fieldPeriod, type !== 'hotp');
    show(fieldCounter, type === 'hotp');
    if (steam) {
      if (!f.digits.disabled) savedDigits = f.digits.value;
      f.digits.value = String(STEAM_DIGITS);
      f.algorithm.value = defaultsFor('steam').algorithm;
    } else if (f.digits.disabled) {
      f.digits.value = savedDigits;
    }
    f.digits.disabled = steam;
    f.algorithm.disabled = steam;
  }

  tabs.uri.addEventListener('click', () => selectTab('uri'));
  tabs.manual.addEventListener('click', () => selectTab('manual'));
  for (const tab of Object.values(tabs)) {
    tab.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        selectTab(current === 'uri' ? 'manual' : 'uri', true);
      }
    });
  }
  f.type.addEventListener('change', applyType);
  for (const el of Object.values(f)) el.addEventListener('input', () => { if (error.textContent) setError(''); });
  for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => close());
  $('#add-close').addEventListener('click', () => close());
  dialog.addEventListener('cancel', (e) => {
    if (busy) e.preventDefault();
  });

  async function run(button, fn) {
    busy = true;
    setBusy(button, true);
    setError('');
    try {
      await fn();
      busy = false;
      closeDialog(dialog);
    } catch (failure) {
      // A form error from the backend names its field: mark it, as the checks here do.
      const el = failure && failure.field ? f[failure.field] : null;
      if (el && ['digits', 'period', 'counter'].includes(failure.field)) advanced.open = true;
      setError(String(failure), el);
      if (el) el.focus();
    } finally {
      busy = false;
      setBusy(button, false);
    }
  }

  panels.uri.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) return;
    const check = checkUri(f.uri.value);
    if (!check.ok) {
      setError(check.error, f.uri);
      f.uri.focus();
      return;
    }
    run($('#add-uri-submit'), () => addUri(check.uri));
  });
  // Ctrl/Cmd+Enter in the textarea submits.
  f.uri.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      panels.uri.requestSubmit();
    }
  });

  panels.manual.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) return;
    const result = buildManualEntry({
      issuer: f.issuer.value, account: f.account.value, secret: f.secret.value,
      type: f.type.value, algorithm: f.algorithm.value, digits: f.digits.value,
      period: f.period.value, counter: f.counter.value,
    });
    if (!result.ok) {
      const [key, msg] = Object.entries(result.errors)[0];
      const el = f[key];
      if (['digits', 'period', 'counter'].includes(key)) advanced.open = true;
      setError(msg, el);
      if (el) el.focus();
      return;
    }
    run($('#manual-submit'), () => addManual(result.entry));
  });

  function reset() {
    panels.uri.reset();
    panels.manual.reset();
    advanced.open = false;
    f.digits.disabled = false;
    f.algorithm.disabled = false;
    savedDigits = '6';
    applyType();
    setError('');
  }

  function open(tab = 'uri') {
    reset();
    selectTab(tab);
    openDialog(dialog);
    (tab === 'uri' ? f.uri : f.issuer).focus();
  }

  function close() {
    if (busy) return;
    closeDialog(dialog);
  }

  return { open, close: () => closeDialog(dialog), isOpen: () => dialog.open };
}
