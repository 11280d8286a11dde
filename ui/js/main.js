// Entry point: wires the backend (api.js), the pure logic modules and the views.

import * as api from './api.js';
import { errorMessage, errorField, screenForError, normalizeError } from './errors.js';
import { shortAccountLabel, pluralize } from './format.js';
import { recoveryMessage, HEADER_MISSING } from './backupModel.js';
import { replaceAccount } from './listNav.js';
import { createActivityReporter, lockedMessage } from './activity.js';
import { mainShortcut } from './shortcuts.js';
import { orderByIds, noMatchMessage } from './searchModel.js';
import { copyMessage } from './codeDisplay.js';
import { applyDisplay, loadDisplay } from './views/display.js';
import { createTicker } from './ticker.js';
import { $ } from './views/dom.js';
import { createSetupView, createUnlockView } from './views/authViews.js';
import { createJoinView } from './views/joinView.js';
import { createListView } from './views/listView.js';
import { createSearchBar } from './views/searchBar.js';
import { createSettingsDialog } from './views/settingsDialog.js';
import { createBackupBanner } from './views/backupBanner.js';
import { settingsActions } from './settingsActions.js';
import { createRecoveryView } from './views/recoveryView.js';
import { createAddDialog } from './views/addDialog.js';
import { createImportDialog } from './views/importDialog.js';
import { createConfirmDialog } from './views/confirmDialog.js';
import { createRevealDialog } from './views/revealDialog.js';
import { createToast, createDropOverlay } from './views/feedback.js';
import { createOrganizer } from './organize.js';
import { createLinkedGroups } from './views/linkedGroups.js';
import { createClock } from './clock.js';

const SCREENS = ['loading', 'setup', 'unlock', 'main'];

const state = {
  screen: 'loading',
  /** AccountView[] as last returned by list_codes, in the backend's order. */
  accounts: [],
  /** The ids the search box's query matches, best first; null: no query, every account. */
  matches: null,
  query: '',
};

/* ------------------------------------------------------------ Screens */

function setScreen(name) {
  state.screen = name;
  document.body.dataset.screen = name;
  $('#app').dataset.screen = name;
  for (const s of SCREENS) $(`#screen-${s}`).hidden = s !== name;
  ticker.setActive(name === 'main');
  if (name !== 'main') {
    addDialog.close();
    importDialog.close();
    confirmDialog.close();
    settingsDialog.close();
    revealDialog.close();
    organizer.closeAll(); // no recovery code lingers in the DOM while locked
    overlay.set(false);
    state.accounts = [];
    state.matches = null;
    searchBar.reset();
    list.clearAll(); // no codes linger in the DOM while locked
    backupBanner.hide();
    clock.clear();
  }
}

function showSetup() {
  setScreen('setup');
  join.reset();
  setup.reset();
  setup.focus();
}

function showUnlock(message = '') {
  setScreen('unlock');
  recovery.hide();
  unlock.reset(message);
  unlock.focus();
  api.vaultStatus()
    .then((status) => unlock.offerQuickUnlock(!!(status && status.quickUnlock)))
    .catch(() => unlock.offerQuickUnlock(false));
}

/** The list, searched at once: the search box has focus whenever the list shows. */
async function showMain() {
  // Once: an unlock here also brings the vault-unlocked event.
  if (state.screen === 'main') return;
  setScreen('main');
  await refreshCodes().catch(backgroundError);
  await clock.load();
  searchBar.focus();
  api.backupStatus().then(backupBanner.render, () => {});
  // Files opened with Ringlet while it was locked.
  const opened = await api.takeOpenedFiles().catch(backgroundError);
  if (opened && state.screen === 'main') importDialog.open(opened);
}

function route(status) {
  switch (status && status.state) {
    case 'missing': return showSetup();
    case 'unlocked': return showMain();
    case 'damaged':
      // The vault's files without their header: never a new vault over them.
      showUnlock(HEADER_MISSING);
      return recovery.show();
    default: return showUnlock();
  }
}

/* ------------------------------------------------------------- Errors */

/**
 * Follow an error to the screen it calls for (vault locked → unlock) and turn it
 * into the message a view shows inline. Views catch the thrown string.
 */
function fail(err) {
  const target = screenForError(err);
  if (target && target !== state.screen) {
    if (target === 'unlock') showUnlock('Ringlet was locked. Unlock it to continue.');
    else if (target === 'setup') showSetup();
  }
  throw errorMessage(err);
}

/** As fail(), for a form: the message and the field it belongs to. */
function failInForm(err) {
  try {
    fail(err);
  } catch (message) {
    throw { message, field: errorField(err), toString: () => message };
  }
}

/** For actions with no form to show an error in. */
function backgroundError(err) {
  try {
    fail(err);
  } catch (msg) {
    if (state.screen === 'main' || normalizeError(err).kind !== 'vault_locked') toast.show(msg, 'error');
  }
}

/* -------------------------------------------------------- Backend calls */

let requested = 0;
let applied = 0;
/**
 * list_codes. Every call asks the backend afresh (a refresh after an add must not
 * reuse a request sent before it); an answer older than one already shown is dropped.
 */
function refreshCodes() {
  const seq = ++requested;
  return api.listCodes().then((accounts) => {
    if (seq < applied || state.screen !== 'main') return;
    applied = seq;
    state.accounts = Array.isArray(accounts) ? accounts : [];
    renderList();
    organizer.listed(state.accounts);
    ticker.noteRefreshed();
    linked.refresh();
    // An add or a delete may change what the query matches.
    if (state.matches) return searchBar.run();
  });
}

/** What the list shows: every account, or the search's matches best first. */
function visibleAccounts() {
  return state.matches ? orderByIds(state.accounts, state.matches) : state.accounts;
}

function renderList() {
  const linkedFound = linked.filter(state.matches || null);
  list.render(visibleAccounts(), state.matches && !linkedFound ? noMatchMessage(state.query) : '');
}

function onSearchAction(action) {
  const first = $('#account-list li.account');
  if (action === 'focus-list' && first) first.focus();
  else if (action.startsWith('copy-top') && first) copy(visibleAccounts()[0], first, { next: action === 'copy-top-next' });
  else if (action === 'hide') api.hideWindow().catch(backgroundError);
}

function focusRow(id) {
  const li = [...document.querySelectorAll('#account-list li.account')].find((el) => el.dataset.id === id);
  if (li) {
    li.focus();
    li.scrollIntoView({ block: 'nearest' });
  }
}

/** Copies a row's code, or with `next` the next period's (Shift+Enter). */
async function copy(account, li, { next = false } = {}) {
  if (account.code == null) {
    toast.show('Press “Next code” to generate a code first.');
    return;
  }
  const useNext = next && account.nextCode != null;
  try {
    await api.copyCode(account.id, useNext);
    list.flash(li);
    toast.show(copyMessage(account, Date.now(), { next: useNext }));
  } catch (err) {
    backgroundError(err);
  }
}

async function nextCode(account, button) {
  button.disabled = true;
  button.classList.add('busy');
  try {
    const updated = await api.nextHotp(account.id);
    state.accounts = replaceAccount(state.accounts, updated);
    list.updateOne(updated);
  } catch (err) {
    backgroundError(err);
  } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
}

async function afterAdd(added) {
  await refreshCodes().catch(backgroundError);
  toast.show(`Added ${shortAccountLabel(added)}`);
  setTimeout(() => focusRow(added.id), 0);
}

async function scanScreen() {
  const button = $('#scan-button');
  button.disabled = true;
  try {
    importDialog.open(await api.scanScreen());
  } catch (err) {
    backgroundError(err);
  } finally {
    button.disabled = false;
  }
}

async function pickImages() {
  const button = $('#import-button');
  button.disabled = true;
  try {
    const preview = await api.pickImages();
    if (preview) importDialog.open(preview);
  } catch (err) {
    backgroundError(err);
  } finally {
    button.disabled = false;
  }
}

/* -------------------------------------------------------------- Views */

const toast = createToast(2000);
const overlay = createDropOverlay();

const setup = createSetupView({
  async onCreate(password) {
    try {
      await api.createVault(password);
    } catch (err) {
      if (normalizeError(err).kind === 'vault_exists') {
        showUnlock('A vault already exists. Unlock it with its password.');
        return;
      }
      fail(err);
    }
    await showMain();
  },
});

const join = createJoinView({
  async onJoin(password) {
    try {
      if (!(await api.joinVault(password))) return false;
    } catch (err) {
      const { kind, message } = normalizeError(err);
      if (kind === 'wrong_password') throw 'That is not the vault’s password.';
      if (kind === 'sync' || kind === 'invalid_input') throw message;
      fail(err);
    }
    await showMain();
    return true;
  },
});

const unlock = createUnlockView({
  async onUnlock(password) {
    try {
      await api.unlockVault(password);
    } catch (err) {
      // A damaged vault will not open with any password: offer its backups instead.
      if (normalizeError(err).kind === 'vault_damaged') recovery.show();
      else recovery.hide();
      fail(err);
    }
    recovery.hide();
    await showMain();
  },
  async onQuickUnlock() {
    try {
      await api.quickUnlock();
    } catch (err) {
      if (normalizeError(err).kind === 'vault_damaged') recovery.show();
      fail(err);
    }
    recovery.hide();
    await showMain();
  },
});

const recovery = createRecoveryView({
  listBackups: () => api.listBackups().catch(fail),
  async recover(name, password) {
    let report;
    try {
      report = await api.recoverFromBackup(name, password);
    } catch (err) {
      fail(err);
    }
    recovery.hide();
    await showMain();
    toast.show(recoveryMessage(report), 'info', 8000);
  },
});

const list = createListView({
  onCopy: copy,
  onAboveTop: () => searchBar.focus(),
  onNext: nextCode,
  onReveal: (account) => revealDialog.open(account, shortAccountLabel(account)),
  onEdit: (account, button) => organizer.edit(account, button),
  onRecovery: (account, button) => organizer.recovery(account, button),
  // No question first: the toast's Undo brings it back, and the trash keeps it 30 days.
  onDelete: (account) => organizer.remove(account),
  onMove: (account, delta) => organizer.move(account, delta),
  onDrop: (id, onto) => organizer.drop(id, onto),
});

const searchBar = createSearchBar({
  search: api.searchAccounts,
  onResults(ids, query) {
    state.matches = ids;
    state.query = query;
    renderList();
    organizer.searched();
  },
  onAction: onSearchAction,
  onError: backgroundError,
});

const addDialog = createAddDialog({
  async addUri(uri) {
    let added;
    try {
      added = await api.addAccountUri(uri);
    } catch (err) {
      fail(err);
    }
    await afterAdd(added);
  },
  async addManual(entry) {
    let added;
    try {
      added = await api.addAccountManual(entry);
    } catch (err) {
      failInForm(err);
    }
    await afterAdd(added);
  },
});

const importDialog = createImportDialog({
  async confirm(ids) {
    let added;
    try {
      added = await api.confirmImport(ids);
    } catch (err) {
      fail(err);
    }
    await refreshCodes().catch(backgroundError);
    const n = Array.isArray(added) ? added.length : ids.length;
    toast.show(`Imported ${pluralize(n, 'account')}`);
  },
  cancel() {
    api.cancelImport().catch(() => {});
  },
  async openEncrypted(source, password) {
    try {
      return await api.openEncryptedImport(source, password);
    } catch (err) {
      if (normalizeError(err).kind === 'wrong_password') throw 'The password is wrong. Try again.';
      fail(err);
    }
  },
});

const confirmDialog = createConfirmDialog();

const revealDialog = createRevealDialog({
  async reveal(account, password) {
    try {
      await api.revealAccount(account.id, password);
    } catch (err) {
      if (normalizeError(err).kind === 'wrong_password') throw 'Wrong password.';
      fail(err);
    }
    toast.show('The key is shown in a separate window. Close it when you are done.', 'info', 5000);
  },
});

const settingsDialog = createSettingsDialog(settingsActions({
  fail,
  afterRestore: () => refreshCodes().catch(backgroundError),
  confirm: (question) => confirmDialog.ask(question),
  onPreferences: applyDisplay,
  onBackupStatus: (status) => backupBanner.render(status),
  accounts: () => state.accounts,
  onClock: (view) => clock.changed(view),
}));

const backupBanner = createBackupBanner({
  answer: (a) => api.answerBackupReminder(a),
  openSettings: () => settingsDialog.open(),
  fail: backgroundError,
});

const clock = createClock({
  backgroundError,
  toast,
  refresh: refreshCodes,
  openSettings: () => settingsDialog.open('clock'),
  focusSearch: () => searchBar.focus(),
  settingsChanged: (view) => settingsDialog.clockChanged(view),
  active: () => state.screen === 'main',
});

const organizer = createOrganizer({
  fail, failInForm, backgroundError, toast, focusRow, searchBar,
  accounts: () => state.accounts,
  shown: visibleAccounts,
  refresh: refreshCodes,
  neighbourOf: (id) => list.neighbourOf(id),
});

const linked = createLinkedGroups({ toast, backgroundError, isShown: () => state.screen === 'main', afterCopy: refreshCodes });

const ticker = createTicker({
  getAccounts: () => state.accounts,
  paint: (now) => list.paint(now),
  refresh: () => refreshCodes().catch(backgroundError),
  doc: document,
});

/* ------------------------------------------------------------- Wiring */

$('#add-button').addEventListener('click', () => addDialog.open('uri'));
$('#import-button').addEventListener('click', pickImages);
$('#scan-button').addEventListener('click', scanScreen);
$('#settings-button').addEventListener('click', () => settingsDialog.open());
async function lockNow() {
  try {
    await api.lockVault();
  } catch (err) {
    if (normalizeError(err).kind !== 'vault_locked') {
      backgroundError(err);
      return;
    }
  }
  showUnlock();
}

$('#lock-button').addEventListener('click', lockNow);

async function pasteImport() {
  try {
    importDialog.open(await api.pasteImport());
  } catch (err) {
    backgroundError(err);
  }
}

const SHORTCUTS = {
  lock: lockNow,
  'paste-import': pasteImport,
  search: () => searchBar.focus(),
  add: () => addDialog.open('uri'),
  settings: () => settingsDialog.open(),
  undo: () => organizer.undo(),
};

document.addEventListener('keydown', (event) => {
  if (state.screen !== 'main') return;
  const action = mainShortcut(event, Boolean(document.querySelector('dialog[open]')));
  if (!action) return;
  event.preventDefault();
  SHORTCUTS[action]();
});

// Back in the window with nothing focused: the search box takes the keyboard.
window.addEventListener('focus', () => {
  const idle = !document.activeElement || document.activeElement === document.body;
  if (state.screen === 'main' && idle && !document.querySelector('dialog[open]')) searchBar.focus();
});

// The auto-lock runs in Rust; it only needs to know the person is here.
const activity = createActivityReporter({ send: () => api.userActive().catch(() => {}) });
for (const type of ['keydown', 'pointerdown', 'wheel']) {
  document.addEventListener(type, () => {
    if (state.screen === 'main') activity.report();
  }, { passive: true, capture: true });
}

api.onVaultLocked((payload) => {
  if (state.screen !== 'main') return;
  showUnlock(lockedMessage(payload && payload.reason));
}).catch(() => {});

// The quick picker unlocked the vault: the list shows here too.
api.onVaultUnlocked(() => {
  if (state.screen === 'unlock') showMain();
}).catch(() => {});

// A sync merged other computers' changes: the list follows in place.
api.onSyncChanged((payload) => {
  if (state.screen !== 'main') return;
  if (payload && payload.accountsChanged) refreshCodes().catch(backgroundError);
  settingsDialog.syncChanged();
}).catch(() => {});

// An automatic backup ran: the line above the list and Settings → Backups follow.
api.onBackupStatus((status) => {
  if (state.screen !== 'main') return;
  backupBanner.render(status);
  settingsDialog.backupStatus(status);
}).catch(() => {});

api.onImportPreview((preview) => {
  overlay.set(false);
  if (state.screen !== 'main') {
    api.cancelImport().catch(() => {});
    return;
  }
  addDialog.close();
  confirmDialog.close();
  importDialog.open(preview);
}).catch(() => {});

api.onBackgroundError((error) => {
  overlay.set(false);
  backgroundError(error);
}).catch(() => {});

api.onDropHover((payload) => {
  overlay.set(state.screen === 'main' && !!(payload && payload.active));
}).catch(() => {});

setScreen('loading');
loadDisplay();
api.vaultStatus()
  .then(route)
  .catch((err) => {
    const e = normalizeError(err);
    if (e.kind === 'vault_missing') showSetup();
    else showUnlock(errorMessage(err));
  });
