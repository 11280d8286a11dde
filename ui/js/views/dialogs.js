// Add-account dialog, import preview dialog, delete confirmation, toast and drop overlay.

import { $, h, clear, show, openDialog, closeDialog } from './dom.js';
import { buildManualEntry, checkUri, defaultsFor, STEAM_DIGITS } from '../manual.js';
import {
  initialSelection, toggle, selectedIds, confirmLabel, summary, baseName, typeLabel, isSelectable,
} from '../importModel.js';

function setBusy(button, busy) {
  button.disabled = busy;
  button.classList.toggle('busy', busy);
  button.setAttribute('aria-busy', busy ? 'true' : 'false');
}

/* ------------------------------------------------------------------ Add */

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

/* --------------------------------------------------------------- Import */

/**
 * @param {{confirm: (ids: string[]) => Promise<void>, cancel: () => void}} handlers
 *   confirm rejects with a message string to show in the dialog.
 */
export function createImportDialog({ confirm, cancel }) {
  const dialog = $('#import-dialog');
  const list = $('#import-list');
  const summaryEl = $('#import-summary');
  const errorsBox = $('#import-errors');
  const errorList = $('#import-error-list');
  const notesList = $('#import-notes');
  const confirmBtn = $('#import-confirm');
  const cancelBtn = $('#import-cancel');
  const error = $('#import-error');
  let preview = null;
  let selection = new Set();
  let busy = false;

  function updateButton() {
    const n = selectedIds(selection, preview).length;
    confirmBtn.textContent = confirmLabel(n);
    confirmBtn.disabled = busy || n === 0;
  }

  function candidateRow(c, index) {
    const id = `import-candidate-${index}`;
    const selectable = isSelectable(c);
    const box = h('input', {
      type: 'checkbox', id, checked: selection.has(c.id), disabled: !selectable,
      dataset: { id: c.id },
    });
    box.addEventListener('change', () => {
      selection = toggle(selection, preview, c.id, box.checked);
      li.classList.toggle('selected', box.checked);
      updateButton();
    });
    const issuer = (c.issuer || '').trim() || (c.account || '').trim() || 'Unnamed account';
    const account = (c.issuer || '').trim() ? (c.account || '').trim() : '';
    const source = baseName(c.source);
    const meta = [typeLabel(c.type), source].filter(Boolean).join(' · ');
    const details = h('span', { className: 'candidate-text' }, [
      h('span', { className: 'issuer', text: issuer, title: issuer }),
      account ? h('span', { className: 'name', text: account, title: account }) : null,
      h('span', { className: 'candidate-meta', text: meta, title: c.source || '' }),
      c.duplicate ? h('span', { className: 'badge', text: 'Already in your vault' }) : null,
      c.problem ? h('span', { className: 'candidate-problem', text: c.problem }) : null,
    ]);
    const label = h('label', { htmlFor: id, className: 'candidate-label' }, [box, details]);
    const li = h('li', { className: 'candidate', dataset: { id: c.id } }, [label]);
    li.classList.toggle('duplicate', !!c.duplicate);
    li.classList.toggle('problem', !selectable);
    li.classList.toggle('selected', box.checked);
    return li;
  }

  function render() {
    clear(list);
    clear(errorList);
    clear(notesList);
    for (const note of preview.notes) notesList.append(h('li', { text: note }));
    show(notesList, preview.notes.length > 0);
    const candidates = preview.candidates || [];
    const errors = preview.errors || [];
    summaryEl.textContent = summary(preview);
    candidates.forEach((c, i) => list.append(candidateRow(c, i)));
    show(list, candidates.length > 0);
    for (const e of errors) {
      const src = baseName(e.source);
      errorList.append(h('li', {}, [
        h('span', { className: 'error-source', text: src, title: e.source || '' }),
        h('span', { className: 'error-message', text: e.message || 'Could not read this file.' }),
      ]));
    }
    show(errorsBox, errors.length > 0);
    error.textContent = '';
    updateButton();
  }

  function open(p) {
    const list = (value) => (Array.isArray(value) ? value : []);
    preview = { candidates: list(p?.candidates), errors: list(p?.errors), notes: list(p?.notes) };
    selection = initialSelection(preview);
    busy = false;
    render();
    openDialog(dialog);
    const first = list.querySelector('input:not(:disabled)');
    (first || cancelBtn).focus();
  }

  function dismiss() {
    if (busy || !dialog.open) return;
    closeDialog(dialog);
    preview = null;
    cancel();
  }

  cancelBtn.addEventListener('click', dismiss);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    dismiss();
  });

  confirmBtn.addEventListener('click', async () => {
    const ids = selectedIds(selection, preview);
    if (busy || !ids.length) return;
    busy = true;
    setBusy(confirmBtn, true);
    cancelBtn.disabled = true;
    error.textContent = '';
    try {
      await confirm(ids);
      closeDialog(dialog);
      preview = null;
    } catch (msg) {
      error.textContent = String(msg);
    } finally {
      busy = false;
      cancelBtn.disabled = false;
      setBusy(confirmBtn, false);
      if (preview) updateButton();
    }
  });

  return {
    open,
    /** Close without telling the backend (e.g. when the vault got locked). */
    close: () => { preview = null; closeDialog(dialog); },
    isOpen: () => dialog.open,
  };
}

/* -------------------------------------------------------------- Confirm */

export function createConfirmDialog() {
  const dialog = $('#confirm-dialog');
  const title = $('#confirm-title');
  const message = $('#confirm-message');
  const ok = $('#confirm-ok');
  const cancelBtn = $('#confirm-cancel');
  const error = $('#confirm-error');
  let pending = null; // {action}
  let busy = false;

  function finish() {
    pending = null;
    closeDialog(dialog);
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
     * runs; if it rejects with a message, the message shows in the dialog.
     */
    ask({ heading, text, confirmText = 'Delete', action }) {
      title.textContent = heading;
      message.textContent = text;
      ok.textContent = confirmText;
      error.textContent = '';
      pending = { action };
      openDialog(dialog);
      cancelBtn.focus(); // the safe choice has focus
    },
    close: () => { if (!busy) finish(); else closeDialog(dialog); },
  };
}

/* ---------------------------------------------------------------- Toast */

export function createToast(durationMs = 2000) {
  const el = $('#toast');
  let timer = null;
  return {
    /** @param {number} [ms] how long it stays; longer texts may wrap onto a second line */
    show(text, kind = 'info', ms = durationMs) {
      clearTimeout(timer);
      el.textContent = text;
      el.dataset.kind = kind;
      el.classList.toggle('toast-long', String(text).length > 48);
      el.classList.add('show');
      timer = setTimeout(() => el.classList.remove('show'), ms);
    },
    hide() {
      clearTimeout(timer);
      el.classList.remove('show');
    },
  };
}

/* --------------------------------------------------------- Drop overlay */

export function createDropOverlay() {
  const el = $('#drop-overlay');
  return {
    set(active) {
      show(el, !!active);
      document.body.classList.toggle('dragging', !!active);
    },
  };
}

/* --------------------------------------------------------- Show secret */

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
