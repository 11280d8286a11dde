// Settings → Linked folders: folders where a phone's authenticator (Aegis, 2FAS, Ente,
// Proton) drops its backups, shown read-only in the list. "Link a folder…" opens Rust's
// folder dialog; the backup's password is asked only when it is encrypted. Each link can
// be renamed or removed (the folder is left as it is). The list's groups follow through a
// `ringlet-linked-changed` event on the document.

import * as api from '../../api.js';
import { errorMessage } from '../../errors.js';
import { $, h, show, setBusy } from '../dom.js';
import { pluralize } from '../../format.js';

export function createLinkedSection() {
  const list = $('#linked-list');
  const none = $('#linked-none');
  const addBtn = $('#linked-add');
  const form = $('#linked-password-form');
  const formText = $('#linked-password-text');
  const password = $('#linked-password');
  const formError = $('#linked-password-error');
  const error = $('#linked-error');
  const status = $('#linked-status');
  let pendingFolder = null;

  function say(err = '', ok = '') {
    error.textContent = err;
    status.textContent = ok;
  }

  function changed() {
    document.dispatchEvent(new CustomEvent('ringlet-linked-changed'));
  }

  function row(group) {
    const name = h('input', { className: 'linked-name', type: 'text', value: group.name, spellcheck: false,
      attrs: { 'aria-label': `Name of the linked folder ${group.name}`, maxlength: 80 } });
    const rename = h('button', { className: 'btn btn-small linked-rename', type: 'button', text: 'Rename' });
    const remove = h('button', { className: 'btn btn-small btn-danger-quiet linked-remove', type: 'button', text: 'Remove',
      attrs: { 'aria-label': `Remove the linked folder ${group.name}` } });
    rename.addEventListener('click', async () => {
      setBusy(rename, true);
      say();
      try {
        await api.linkedRename(group.id, name.value);
        say('', `Renamed to “${name.value.trim()}”.`);
        changed();
        await refresh();
      } catch (err) {
        say(errorMessage(err));
      } finally {
        setBusy(rename, false);
      }
    });
    remove.addEventListener('click', async () => {
      setBusy(remove, true);
      say();
      try {
        await api.linkedRemove(group.id);
        say('', `Removed the link to ${group.folder}; the folder is left as it is.`);
        changed();
        await refresh();
      } catch (err) {
        say(errorMessage(err));
        setBusy(remove, false);
      }
    });
    const what = group.file ? `${group.format}, ${pluralize(group.accounts.length, 'account')}` : 'no backup read yet';
    return h('li', { className: 'linked-link', dataset: { link: group.id } }, [
      h('div', { className: 'linked-link-fields' }, [name, rename, remove]),
      h('p', { className: 'backup-folder', text: group.folder }),
      h('p', { className: 'hint', text: what }),
    ]);
  }

  async function refresh() {
    try {
      const groups = await api.linkedGroups();
      list.replaceChildren(...groups.map(row));
      show(none, groups.length === 0);
    } catch (err) {
      say(errorMessage(err));
    }
  }

  function closeForm() {
    pendingFolder = null;
    password.value = '';
    formError.textContent = '';
    show(form, false);
  }

  function linked(added) {
    closeForm();
    const group = added.group;
    say('', `Linked “${group.name}”: ${pluralize(group.accounts.length, 'account')}, read-only.`);
    changed();
    return refresh();
  }

  addBtn.addEventListener('click', async () => {
    setBusy(addBtn, true);
    say();
    closeForm();
    try {
      const added = await api.linkedAdd();
      if (!added) return;
      if (added.needsPassword) {
        pendingFolder = added.folder;
        formText.textContent = `The newest backup in ${added.folder} is an encrypted ${added.needsPassword}. Its password is kept sealed with the vault’s key.`;
        show(form, true);
        password.focus();
        return;
      }
      await linked(added);
    } catch (err) {
      say(errorMessage(err));
    } finally {
      setBusy(addBtn, false);
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = $('#linked-password-submit');
    setBusy(submit, true);
    formError.textContent = '';
    try {
      await linked(await api.linkedAdd(pendingFolder, password.value));
    } catch (err) {
      formError.textContent = errorMessage(err);
      password.select();
    } finally {
      setBusy(submit, false);
    }
  });
  $('#linked-password-cancel').addEventListener('click', closeForm);

  return {
    refresh,
    /** No password lingers once Settings is closed. */
    wipe: closeForm,
    clearView: () => {
      // Until the new answer: no stale list of a previous opening.
      say();
      list.replaceChildren();
    },
  };
}
