// The import preview: what was found, with duplicates and problems marked, to confirm.

import { $, h, clear, show, openDialog, closeDialog, setBusy } from './dom.js';
import {
  initialSelection, toggle, selectedIds, confirmLabel, summary, baseName, typeLabel, isSelectable,
  mergeSelection, lockedLabel,
} from '../importModel.js';

/**
 * @param {{
 *   confirm: (ids: string[]) => Promise<void>,
 *   cancel: () => void,
 *   openEncrypted: (source: string, password: string) => Promise<object>,
 * }} handlers  confirm and openEncrypted reject with a message string to show in the dialog;
 *   openEncrypted resolves with the new preview.
 */
export function createImportDialog({ confirm, cancel, openEncrypted }) {
  const dialog = $('#import-dialog');
  const list = $('#import-list');
  const summaryEl = $('#import-summary');
  const errorsBox = $('#import-errors');
  const errorList = $('#import-error-list');
  const notesList = $('#import-notes');
  const lockedBox = $('#import-locked');
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

  /** A password form for each encrypted file; the password never outlives the request. */
  function lockedForm(locked, index) {
    const id = `import-locked-${index}`;
    const question = h('label', { htmlFor: id, className: 'locked-question', text: lockedLabel(locked) });
    const input = h('input', {
      id, type: 'password', autocomplete: 'off', spellcheck: false,
      attrs: { 'aria-describedby': `${id}-error` },
    });
    const button = h('button', { type: 'submit', className: 'btn btn-primary', text: 'Open' });
    const problem = h('p', { id: `${id}-error`, className: 'form-error', attrs: { role: 'alert' } });
    const form = h('form', { attrs: { novalidate: '' } }, [
      question, h('div', { className: 'locked-row' }, [input, button]), problem,
    ]);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy || !input.value) return;
      busy = true;
      setBusy(button, true);
      problem.textContent = '';
      const password = input.value;
      input.value = '';
      try {
        const next = normalize(await openEncrypted(locked.source, password));
        selection = mergeSelection(selection, preview, next);
        preview = next;
        busy = false;
        render();
        const first = lockedBox.querySelector('input') || list.querySelector('input:not(:disabled)');
        (first || confirmBtn).focus();
      } catch (msg) {
        busy = false;
        setBusy(button, false);
        problem.textContent = String(msg);
        input.focus();
      }
    });
    return form;
  }

  function render() {
    clear(lockedBox);
    (preview.locked || []).forEach((locked, i) => lockedBox.append(lockedForm(locked, i)));
    show(lockedBox, (preview.locked || []).length > 0);
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

  function normalize(p) {
    const listOf = (value) => (Array.isArray(value) ? value : []);
    return {
      candidates: listOf(p?.candidates), errors: listOf(p?.errors), notes: listOf(p?.notes), locked: listOf(p?.locked),
    };
  }

  function open(p) {
    preview = normalize(p);
    selection = initialSelection(preview);
    busy = false;
    render();
    openDialog(dialog);
    const first = lockedBox.querySelector('input') || list.querySelector('input:not(:disabled)');
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
    close: () => { preview = null; clear(lockedBox); closeDialog(dialog); },
    isOpen: () => dialog.open,
  };
}
