// Settings → Trash: deleted accounts with the days each has left, Restore, Delete for good
// (asked first), and Empty trash (asked first).

import { $, h, clear, show, setBusy } from '../dom.js';
import { accountLabel, pluralize, shortAccountLabel } from '../../format.js';
import { daysLeftText } from '../../organizeModel.js';

/**
 * @param {{listTrash: () => Promise<object[]>,
 *          restoreFromTrash: (id: string) => Promise<object>,
 *          deleteForGood: (id: string) => Promise<void>,
 *          emptyTrash: () => Promise<number>,
 *          confirm: (question: {heading: string, text: string, confirmText: string,
 *                               action: () => Promise<void>, after?: () => void}) => void}} handlers
 *   Each rejects with a message string to show inline.
 */
export function createTrashSection(handlers) {
  const list = $('#trash-list');
  const none = $('#trash-none');
  const emptyBtn = $('#trash-empty');
  const error = $('#trash-error');
  const status = $('#trash-status');
  let seq = 0;
  let items = [];

  function say(err = '', ok = '') {
    error.textContent = err;
    status.textContent = ok;
  }

  /** After a row went: its neighbour, else the Empty trash button, keeps the keyboard. */
  function focusAfter(index) {
    const rows = [...list.querySelectorAll('li.trashed')];
    const row = rows[index] || rows[index - 1];
    (row ? row.querySelector('button.trash-restore') : emptyBtn).focus();
  }

  function row(item, index) {
    const label = accountLabel(item);
    const restore = h('button', {
      className: 'btn btn-small trash-restore', type: 'button', text: 'Restore',
      attrs: { 'aria-label': `Restore ${label}` },
    });
    const remove = h('button', {
      className: 'btn btn-small btn-danger-quiet trash-delete', type: 'button', text: 'Delete for good…',
      attrs: { 'aria-label': `Delete ${label} for good` },
    });
    restore.addEventListener('click', async () => {
      setBusy(restore, true);
      say();
      try {
        await handlers.restoreFromTrash(item.id);
        await refresh();
        say('', `Restored ${shortAccountLabel(item)}.`);
        focusAfter(index);
      } catch (msg) {
        say(String(msg));
        setBusy(restore, false);
      }
    });
    remove.addEventListener('click', () => {
      handlers.confirm({
        heading: 'Delete for good?',
        text: `${shortAccountLabel(item)} and its recovery codes will be removed from this vault for good. This cannot be undone.`,
        confirmText: 'Delete for good',
        action: async () => {
          await handlers.deleteForGood(item.id);
          await refresh();
          say('', `Deleted ${shortAccountLabel(item)} for good.`);
        },
        after: () => focusAfter(index),
      });
    });
    return h('li', { className: 'trashed', dataset: { id: item.id } }, [
      h('span', { className: 'trashed-label', text: label, title: label }),
      h('span', { className: 'trashed-days', text: daysLeftText(item.daysLeft) }),
      h('div', { className: 'trash-actions' }, [restore, remove]),
    ]);
  }

  function render(trashed) {
    items = Array.isArray(trashed) ? trashed : [];
    clear(list);
    items.forEach((item, i) => list.append(row(item, i)));
    show(list, items.length > 0);
    show(none, items.length === 0);
    emptyBtn.disabled = items.length === 0;
  }

  async function refresh() {
    const mine = ++seq;
    try {
      const trashed = await handlers.listTrash();
      if (mine === seq) render(trashed);
    } catch (msg) {
      if (mine === seq) say(String(msg));
    }
  }

  emptyBtn.addEventListener('click', () => {
    if (items.length === 0) return;
    handlers.confirm({
      heading: 'Empty the trash?',
      text: `${pluralize(items.length, 'account')} and ${items.length === 1 ? 'its' : 'their'} recovery codes will be removed from this vault for good. This cannot be undone.`,
      confirmText: 'Empty trash',
      action: async () => {
        const removed = await handlers.emptyTrash();
        await refresh();
        say('', `Removed ${pluralize(removed, 'account')} for good.`);
      },
      after: () => emptyBtn.focus(),
    });
  });

  return {
    refresh,
    clearView() {
      seq++;
      say();
      items = [];
      clear(list);
      show(list, false);
      show(none, false);
    },
  };
}
