// The list's linked groups: one read-only group a linked folder (a phone app's backups),
// under the vault's own accounts, headed "Linked: Aegis on Pixel, updated 3 minutes ago".
// Codes come from Rust like every row's; a click or Enter copies one (in Rust); HOTP rows
// are read-only (the counter lives on the phone); "Copy into vault" makes an account
// Ringlet's own. A new backup's changes are said in a toast. Its own refresh timer, so the
// main list's code is not involved.

import * as api from '../api.js';
import { $, h } from './dom.js';
import { displayCode, primaryText, secondaryText, shortAccountLabel } from '../format.js';
import { copyMessage } from '../codeDisplay.js';
import { isActivationKey } from '../listNav.js';
import { headingText, changeMessage, visibleRows, nextRefreshIn, hasLinkedMatch, HOTP_NOTE } from '../linkedModel.js';
import { accountIcon } from './accountIcon.js';

/**
 * @param {{toast: {show: Function}, backgroundError: (err: unknown) => void,
 *          isShown: () => boolean, afterCopy: (row: object) => Promise<void>}} deps
 *   `isShown`: the main list is on screen; `afterCopy`: the vault's list refreshed with the new row.
 */
export function createLinkedGroups({ toast, backgroundError, isShown, afterCopy }) {
  const root = $('#linked-groups');
  let groups = [];
  let matches = null;
  let timer = null;

  function render() {
    const now = Date.now();
    // The vault's "No accounts yet" gives way to the groups (style: .has-linked).
    document.body.classList.toggle('has-linked', groups.length > 0);
    root.replaceChildren(...groups.map((group) => {
      const rows = visibleRows(group.accounts, matches);
      const notes = [...(group.error ? [group.error] : []), ...group.skipped.slice(0, 3)];
      const section = h('section', { className: 'linked-group', dataset: { link: group.id } }, [
        h('h2', { className: 'linked-heading', text: headingText(group, now), title: group.folder }),
        ...notes.map((note) => h('p', { className: 'linked-note', text: note })),
        h('ul', { className: 'account-list linked-list', attrs: { 'aria-label': `Accounts linked from ${group.name}` } },
          rows.map(buildRow)),
      ]);
      section.hidden = matches !== null && rows.length === 0;
      return section;
    }));
  }

  function buildRow(account) {
    const hotp = account.type === 'hotp';
    const sub = secondaryText(account);
    const copyIn = h('button', { className: 'btn btn-small btn-quiet linked-copy', type: 'button', text: 'Copy into vault',
      title: 'Make this account Ringlet’s own: it stays when the phone’s backup changes' });
    const li = h('li', { className: `account linked-account${hotp ? ' linked-hotp' : ''}`, tabIndex: 0, dataset: { id: account.id } }, [
      accountIcon(account.icon),
      h('div', { className: 'account-text' }, [
        h('div', { className: 'issuer-line' }, [h('span', { className: 'issuer', text: primaryText(account) })]),
        h('span', { className: 'name', text: sub, hidden: !sub }),
        hotp ? h('span', { className: 'linked-hotp-note', text: HOTP_NOTE }) : null,
      ]),
      h('div', { className: 'codes' }, [h('span', { className: 'code', text: hotp ? '' : displayCode(account) })]),
      copyIn,
    ]);
    copyIn.addEventListener('click', (e) => {
      e.stopPropagation();
      copyIntoVault(account, copyIn);
    });
    li.addEventListener('click', (e) => {
      if (!e.target.closest('button')) copy(account, li);
    });
    li.addEventListener('keydown', (e) => {
      if (e.target !== li || !isActivationKey(e.key)) return;
      e.preventDefault();
      copy(account, li);
    });
    return li;
  }

  async function copy(account, li) {
    if (account.type === 'hotp') {
      toast.show(HOTP_NOTE);
      return;
    }
    try {
      await api.copyCode(account.id);
      li.classList.remove('copied');
      void li.offsetWidth; // restarts the animation
      li.classList.add('copied');
      toast.show(copyMessage(account, Date.now()));
    } catch (err) {
      backgroundError(err);
    }
  }

  async function copyIntoVault(account, button) {
    button.disabled = true;
    try {
      const added = await api.linkedCopy(account.id);
      toast.show(`Copied ${shortAccountLabel(added)} into the vault`);
      await afterCopy(added);
    } catch (err) {
      backgroundError(err);
    } finally {
      button.disabled = false;
    }
  }

  async function refresh() {
    clearTimeout(timer);
    if (!isShown()) {
      root.replaceChildren();
      return;
    }
    try {
      groups = await api.linkedGroups();
    } catch (err) {
      groups = [];
      backgroundError(err);
    }
    render();
    timer = setTimeout(refresh, nextRefreshIn(groups, Date.now()));
  }

  api.onLinkedChanged((payload) => {
    if (!isShown()) return;
    const message = changeMessage(payload);
    if (message) toast.show(message, 'info', 8000);
    refresh();
  }).catch(() => {});
  // Settings → Linked folders added, renamed or removed one.
  document.addEventListener('ringlet-linked-changed', () => refresh());

  return {
    refresh,
    /** The search's ids (linked rows among them), or null: every row. True when a linked
     *  row matched (the vault's list then says no "no match"). */
    filter(ids) {
      matches = ids;
      render();
      return hasLinkedMatch(ids);
    },
  };
}
