// An account's recovery codes. They are asked of Rust when the dialog opens and removed
// from the page when it closes (or the vault locks): the list, the pasted text and the
// parsed preview alike. Pasted text is read by Rust, shown to confirm, then saved.

import { $, h, clear, show, openDialog, closeDialog, setBusy } from './dom.js';
import { parsedSummary, recoveryLeftText } from '../organizeModel.js';
import { shortAccountLabel } from '../format.js';

/**
 * @param {{load: (id: string) => Promise<object>,
 *          parse: (id: string, text: string) => Promise<{codes: string[], known: number}>,
 *          save: (id: string, codes: string[], replace: boolean) => Promise<object>,
 *          markUsed: (id: string, code: string) => Promise<object>,
 *          copy: (id: string, code: string) => Promise<void>,
 *          exportFile: (id: string) => Promise<string|null>,
 *          onChanged: (view: {left: number, total: number}) => void}} handlers
 *   Each rejects with a message string to show inline.
 */
export function createRecoveryCodesDialog(handlers) {
  const dialog = $('#codes-dialog');
  const accountLine = $('#codes-account');
  const summary = $('#codes-summary');
  const view = $('#codes-view');
  const list = $('#codes-list');
  const ask = $('#codes-ask');
  const askText = $('#codes-ask-text');
  const askYes = $('#codes-ask-yes');
  const askNo = $('#codes-ask-no');
  const addBtn = $('#codes-add');
  const replaceBtn = $('#codes-replace');
  const exportBtn = $('#codes-export');
  const pasteForm = $('#codes-paste');
  const pasteLabel = $('#codes-text-label');
  const text = $('#codes-text');
  const pasteSubmit = $('#codes-paste-submit');
  const confirmBox = $('#codes-confirm');
  const confirmSummary = $('#codes-confirm-summary');
  const previewList = $('#codes-preview');
  const saveBtn = $('#codes-confirm-save');
  const error = $('#codes-error');
  const status = $('#codes-status');

  /** What is open: the account, its codes, the mode, the pasted codes waiting to be saved. */
  let s = null;
  let opener = null;

  function say(err = '', ok = '') {
    error.textContent = err;
    status.textContent = ok;
  }

  function mode(name) {
    s.mode = name;
    show(view, name === 'list');
    show(pasteForm, name === 'paste');
    show(confirmBox, name === 'confirm');
  }

  function codeItem(code, used, withCopy) {
    const li = h('li', { className: `recovery-code${used ? ' used' : ''}` }, [
      h('span', { className: 'recovery-code-text', text: code }),
    ]);
    if (used) li.append(h('span', { className: 'recovery-code-used', text: 'Used' }));
    if (withCopy && !used) {
      const copy = h('button', {
        className: 'btn btn-small btn-quiet copy-code', type: 'button', text: 'Copy',
        attrs: { 'aria-label': `Copy recovery code ${code}` },
      });
      copy.addEventListener('click', () => copyCode(code, copy));
      li.append(copy);
    }
    return li;
  }

  function renderCodes() {
    const { codes, left, total } = s.codes;
    clear(list);
    for (const { code, used } of codes) list.append(codeItem(code, used, true));
    show(list, total > 0);
    summary.textContent = total
      ? `${recoveryLeftText(left, total)}.`
      : 'No recovery codes are kept for this account yet. Paste the ones the service gave you when you turned on two-factor sign-in.';
    show(replaceBtn, total > 0);
    show(exportBtn, total > 0);
    addBtn.textContent = total ? 'Add codes…' : 'Paste codes…';
    show(ask, false);
  }

  function keep(codes) {
    s.codes = codes;
    renderCodes();
    handlers.onChanged(s.account, { left: codes.left, total: codes.total });
  }

  async function copyCode(code, button) {
    say();
    try {
      await handlers.copy(s.account.id, code);
    } catch (msg) {
      say(String(msg));
      return;
    }
    s.asking = { code, button };
    askText.textContent = `Copied ${code}. Mark it as used?`;
    show(ask, true);
    askNo.focus();
  }

  askNo.addEventListener('click', () => {
    const back = s && s.asking && s.asking.button;
    show(ask, false);
    if (s) s.asking = null;
    if (back && back.isConnected) back.focus();
  });
  askYes.addEventListener('click', async () => {
    if (!s || !s.asking) return;
    const { code } = s.asking;
    setBusy(askYes, true);
    try {
      keep(await handlers.markUsed(s.account.id, code));
      say('', `Marked ${code} as used.`);
      s.asking = null;
      const next = list.querySelector('button.copy-code');
      (next || addBtn).focus();
    } catch (msg) {
      say(String(msg));
    } finally {
      setBusy(askYes, false);
    }
  });

  function startPaste(replace) {
    s.replace = replace;
    pasteLabel.textContent = replace
      ? `Paste the new codes: they replace the ${s.codes.total} kept now`
      : 'Paste the codes the service gave you';
    text.value = '';
    say();
    mode('paste');
    text.focus();
  }
  addBtn.addEventListener('click', () => startPaste(false));
  replaceBtn.addEventListener('click', () => startPaste(true));
  $('#codes-paste-cancel').addEventListener('click', () => {
    text.value = '';
    say();
    mode('list');
    addBtn.focus();
  });

  pasteForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!s || pasteSubmit.disabled) return;
    if (!text.value.trim()) {
      say('Paste the codes first.');
      text.focus();
      return;
    }
    setBusy(pasteSubmit, true);
    say();
    try {
      const parsed = await handlers.parse(s.account.id, text.value);
      if (!s) return;
      s.parsed = parsed.codes;
      confirmSummary.textContent = parsedSummary(parsed, s.replace);
      clear(previewList);
      for (const code of parsed.codes) previewList.append(codeItem(code, false, false));
      saveBtn.textContent = `Save ${parsed.codes.length} ${parsed.codes.length === 1 ? 'code' : 'codes'}`;
      mode('confirm');
      saveBtn.focus();
    } catch (msg) {
      say(String(msg));
      text.focus();
    } finally {
      setBusy(pasteSubmit, false);
    }
  });

  $('#codes-confirm-back').addEventListener('click', () => {
    clear(previewList);
    s.parsed = null;
    mode('paste');
    text.focus();
  });
  saveBtn.addEventListener('click', async () => {
    if (!s || !s.parsed || saveBtn.disabled) return;
    setBusy(saveBtn, true);
    say();
    try {
      const saved = await handlers.save(s.account.id, s.parsed, s.replace);
      if (!s) return;
      text.value = '';
      clear(previewList);
      s.parsed = null;
      mode('list');
      keep(saved);
      say('', 'Saved.');
      addBtn.focus();
    } catch (msg) {
      say(String(msg));
    } finally {
      setBusy(saveBtn, false);
    }
  });

  exportBtn.addEventListener('click', async () => {
    if (!s || exportBtn.disabled) return;
    setBusy(exportBtn, true);
    say();
    try {
      const path = await handlers.exportFile(s.account.id);
      if (path) say('', `Saved to ${path}. Anyone who reads that file can sign in with these codes: keep it somewhere safe.`);
    } catch (msg) {
      say(String(msg));
    } finally {
      setBusy(exportBtn, false);
      exportBtn.focus();
    }
  });

  /** Everything the dialog showed of the codes leaves the page. */
  function wipe() {
    s = null;
    clear(list);
    clear(previewList);
    text.value = '';
    askText.textContent = '';
    confirmSummary.textContent = '';
    summary.textContent = '';
    accountLine.textContent = '';
    show(ask, false);
    say();
  }

  dialog.addEventListener('close', () => {
    wipe();
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
  dialog.addEventListener('cancel', (e) => {
    // Esc steps back from pasting before it closes the dialog.
    if (s && s.mode !== 'list') {
      e.preventDefault();
      $('#codes-paste-cancel').click();
    }
  });
  $('#codes-close').addEventListener('click', () => closeDialog(dialog));

  return {
    /** Opens `account`'s codes; focus goes back to `from` once closed. */
    async open(account, from = null) {
      wipe();
      opener = from;
      s = { account, codes: { codes: [], left: 0, total: 0 }, mode: 'list', replace: false, parsed: null, asking: null };
      accountLine.textContent = shortAccountLabel(account);
      mode('list');
      summary.textContent = 'Loading…';
      show(replaceBtn, false);
      show(exportBtn, false);
      openDialog(dialog);
      addBtn.focus();
      try {
        const codes = await handlers.load(account.id);
        if (!s || s.account !== account) return;
        s.codes = codes;
        renderCodes();
        if (codes.total === 0) startPaste(false);
        else (list.querySelector('button.copy-code') || addBtn).focus();
      } catch (msg) {
        if (s) {
          summary.textContent = '';
          say(String(msg));
        }
      }
    },
    /** On lock: closed, and nothing of the codes left in the page. */
    close() {
      closeDialog(dialog);
      wipe();
    },
  };
}
