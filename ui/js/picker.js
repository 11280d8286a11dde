// The quick picker (picker.html): unlock if needed, search, Enter copies the chosen code
// (in Rust) and closes the picker. Matching is Rust's search_accounts, as in the main window.

import * as api from './api.js';
import { errorMessage, normalizeError } from './errors.js';
import { displayCode, primaryText, secondaryText } from './format.js';
import { secondsLeft } from './ring.js';
import { isBlank } from './searchModel.js';
import { pickerRows, moveChoice, needsRefresh } from './pickerModel.js';
import { $, h } from './views/dom.js';
import { applyTheme } from './views/display.js';

const state = { accounts: [], ids: null, rows: [], chosen: 0, asked: 0, target: null };

const search = $('#picker-search');
const list = $('#picker-list');
const note = $('#picker-note');

function say(text) {
  note.textContent = text;
}

function render() {
  state.rows = pickerRows(state.accounts, state.ids);
  state.chosen = Math.min(state.chosen, Math.max(0, state.rows.length - 1));
  const now = Date.now();
  list.replaceChildren(...state.rows.map((account, i) => {
    const left = account.expiresAt == null ? '' : `${secondsLeft(account.expiresAt, now)} s`;
    const li = h('li', {
      id: `pick-${i}`,
      className: 'pick',
      // Its text (issuer, name, code, seconds left) is its name.
      attrs: { role: 'option', 'aria-selected': String(i === state.chosen) },
    }, [
      h('span', { className: 'pick-text' }, [
        h('span', { className: 'pick-issuer', text: primaryText(account) }),
        h('span', { className: 'pick-name', text: secondaryText(account) }),
      ]),
      h('span', { className: 'pick-code', text: displayCode(account) }),
      h('span', { className: 'pick-left', text: left }),
    ]);
    li.addEventListener('click', () => {
      state.chosen = i;
      copyChosen();
    });
    return li;
  }));
  search.setAttribute('aria-activedescendant', state.rows.length ? `pick-${state.chosen}` : '');
  if (!state.rows.length) say(isBlank(search.value) ? 'No accounts yet.' : `No account matches “${search.value.trim()}”.`);
  else if (note.dataset.kept !== 'true') say('');
}

async function refresh() {
  state.accounts = await api.listCodes();
  render();
}

function runSearch() {
  const query = search.value;
  const seq = ++state.asked;
  if (isBlank(query)) {
    state.ids = null;
    render();
    return;
  }
  api.searchAccounts(query).then((ids) => {
    if (seq !== state.asked) return;
    state.ids = ids;
    state.chosen = 0;
    render();
  }, (err) => say(errorMessage(err)));
}

/** Copies the chosen code (or types it, `type`, where a window to type into was found). */
async function copyChosen(type = false) {
  const account = state.rows[state.chosen];
  if (!account) return;
  if (account.code == null) {
    note.dataset.kept = 'true';
    say('This account counts its codes: generate the next one in the main window.');
    return;
  }
  try {
    if (type && state.target !== null) {
      await api.typeCode(account.id);
      return; // Rust closed the picker.
    }
    await api.copyCode(account.id);
    await api.closePicker();
  } catch (err) {
    note.dataset.kept = 'true';
    say(errorMessage(err));
  }
}

/** Says where Shift+Enter types, or that it copies where typing is not available. */
async function showTarget() {
  state.target = await api.pickerTarget().catch(() => null);
  $('#picker-target').textContent = state.target !== null
    ? `Shift+Enter types into “${state.target || 'the window you came from'}”.`
    : 'Typing is not available here: Shift+Enter copies.';
}

search.addEventListener('input', runSearch);
search.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    api.closePicker().catch(() => {});
    return;
  }
  if (event.key === 'Enter') {
    event.preventDefault();
    copyChosen(event.shiftKey);
    return;
  }
  const moved = moveChoice(event.key, state.chosen, state.rows.length);
  if (moved !== null) {
    event.preventDefault();
    state.chosen = moved;
    render();
  }
});
document.addEventListener('keydown', () => api.userActive().catch(() => {}), { capture: true, passive: true });

// The seconds left, and fresh codes once a period turns: cheap for eight rows.
setInterval(() => {
  if ($('#picker-main').hidden) return;
  if (needsRefresh(state.rows, Date.now())) refresh().catch((err) => say(errorMessage(err)));
  else render();
}, 1000);

async function showList() {
  $('#picker-unlock').hidden = true;
  $('#picker-main').hidden = false;
  await Promise.all([refresh(), showTarget()]);
  search.focus();
}

function showUnlock() {
  $('#picker-main').hidden = true;
  $('#picker-unlock').hidden = false;
  $('#picker-password').focus();
}

$('#picker-unlock').addEventListener('submit', async (event) => {
  event.preventDefault();
  const field = $('#picker-password');
  const error = $('#picker-error');
  error.textContent = '';
  try {
    await api.unlockVault(field.value);
    field.value = '';
    await showList();
  } catch (err) {
    field.value = '';
    field.setAttribute('aria-invalid', 'true');
    error.textContent = normalizeError(err).kind === 'wrong_password' ? 'Wrong password.' : errorMessage(err);
  }
});
$('#picker-password').addEventListener('keydown', (event) => {
  if (event.key === 'Escape') api.closePicker().catch(() => {});
});

api.getPreferences().then(applyTheme, () => {});
api.vaultStatus()
  .then((status) => (status && status.state === 'unlocked' ? showList() : showUnlock()))
  .catch(() => showUnlock());
