// Wiring of organizing in the main window: the edit dialog (the icon too), an account's
// recovery codes, tag chips above the list, the list's order (the sort menu, Alt+↑/↓ and
// dragging), and delete with Undo. Backend calls go through api.js; each
// error is turned into what the view shows (or handed to `fail`, which may change screen).

import * as api from './api.js';
import { normalizeError } from './errors.js';
import { shortAccountLabel } from './format.js';
import { SORTS, UNDO_MS, moveTarget } from './organizeModel.js';
import { $, h } from './views/dom.js';
import { updatePreferences } from './views/display.js';
import { createEditDialog } from './views/editDialog.js';
import { createRecoveryCodesDialog } from './views/recoveryCodesDialog.js';
import { createTagChips } from './views/tagChips.js';
import { createUndoToast } from './views/undoToast.js';

/**
 * @param {{fail: (err: unknown) => never, failInForm: (err: unknown) => never,
 *          backgroundError: (err: unknown) => void,
 *          toast: {show: (text: string) => void, hide: () => void},
 *          refresh: () => Promise<void>, focusRow: (id: string) => void,
 *          neighbourOf: (id: string) => HTMLElement|null,
 *          searchBar: {query: () => string, setQuery: (q: string) => Promise<void>},
 *          accounts: () => object[], shown: () => object[]}} deps
 *   `accounts`: the whole list in the backend's order; `shown`: the rows on screen.
 */
export function createOrganizer({ fail, failInForm, backgroundError, toast, refresh, focusRow, neighbourOf, searchBar, accounts, shown }) {
  const codes = createRecoveryCodesDialog({
    load: (id) => api.getRecoveryCodes(id).catch(fail),
    parse: (id, text) => api.parseRecoveryCodes(id, text).catch(fail),
    save: (id, list, replace) => api.saveRecoveryCodes(id, list, replace).catch(fail),
    markUsed: (id, code) => api.markRecoveryCodeUsed(id, code).catch(fail),
    async copy(id, code) {
      await api.copyRecoveryCode(id, code).catch(fail);
      toast.show('Recovery code copied');
    },
    exportFile: (id) => api.exportRecoveryCodes(id).catch(fail),
    // The row's "N of M left" follows.
    onChanged: () => { refresh().catch(backgroundError); },
  });

  const edit = createEditDialog({
    async save(account, changes) {
      let saved;
      try {
        saved = await api.editAccount(account.id, changes);
      } catch (err) {
        failInForm(err);
      }
      await refresh().catch(backgroundError);
      toast.show(`Saved ${shortAccountLabel(saved)}`);
    },
    openRecovery: (account, from) => codes.open(account, from),
    /** Rust's file dialog; resolves to the row with its new icon, or null when cancelled. */
    async pickIcon(account) {
      let saved;
      try {
        saved = await api.pickIcon(account.id);
      } catch (err) {
        failInForm(err);
      }
      if (saved) await refresh().catch(backgroundError);
      return saved;
    },
  });

  const sortSelect = $('#sort-select');
  sortSelect.append(...SORTS.map(([value, label]) => h('option', { value, text: label })));
  api.getPreferences().then((saved) => { sortSelect.value = saved.sort || 'issuer'; }, () => {});

  /** Saves the order chosen in the menu (a preference of this computer) and lists again. */
  async function saveSort(sort) {
    try {
      await updatePreferences({ sort });
    } catch (err) {
      backgroundError(err);
      return;
    }
    await refresh().catch(backgroundError);
  }
  sortSelect.addEventListener('change', () => { saveSort(sortSelect.value); });

  /** Puts the account `id` at position `to` of the whole list; the list is in "My order" after. */
  async function moveTo(id, to) {
    if (to === null) return;
    const wasManual = sortSelect.value === 'manual';
    try {
      await api.moveAccount(id, to);
    } catch (err) {
      backgroundError(err);
      return;
    }
    sortSelect.value = 'manual';
    await refresh().catch(backgroundError);
    focusRow(id);
    if (!wasManual) toast.show('Sorted by your own order now');
  }

  const ids = (list) => list.map((account) => account.id);

  const chips = createTagChips({
    getQuery: () => searchBar.query(),
    setQuery: (query) => { searchBar.setQuery(query); },
  });

  const undoToast = createUndoToast(UNDO_MS);

  /** Moves the account to the trash at once; the toast's Undo (or Ctrl+Z) brings it back. */
  async function remove(account) {
    const neighbour = neighbourOf(account.id);
    try {
      await api.deleteAccount(account.id);
    } catch (err) {
      if (normalizeError(err).kind !== 'not_found') {
        backgroundError(err);
        return;
      }
    }
    await refresh().catch(backgroundError);
    (neighbour && neighbour.isConnected ? neighbour : $('#add-button')).focus();
    const label = shortAccountLabel(account);
    toast.hide();
    undoToast.show(`Deleted ${label}`, async () => {
      try {
        await api.restoreFromTrash(account.id);
      } catch (err) {
        backgroundError(err);
        return;
      }
      await refresh().catch(backgroundError);
      toast.show(`Restored ${label}`);
      setTimeout(() => focusRow(account.id), 0);
    });
  }

  return {
    edit: (account, from) => edit.open(account, from),
    /** Alt+↑/↓ on a row: one row up or down among those shown. */
    move: (account, delta) => moveTo(account.id, moveTarget(ids(accounts()), ids(shown()), account.id, delta)),
    /** A row dragged onto another: it takes that row's place. */
    drop: (id, onto) => moveTo(id, moveTarget(ids(accounts()), ids(accounts()), onto.id, 0)),
    recovery: (account, from) => codes.open(account, from),
    remove,
    /** Ctrl+Z: the latest delete's Undo, while its toast shows. */
    undo: () => undoToast.undo(),
    /** The list was read again: chips for the tags it has. */
    listed: (accounts) => chips.render(accounts),
    /** The query changed: chips pressed as it says. */
    searched: () => chips.paint(),
    /** Leaving the list (locked): every dialog closed, the codes out of the page. */
    closeAll() {
      edit.close();
      codes.close();
      undoToast.hide();
      chips.clear();
    },
  };
}
