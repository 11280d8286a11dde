// Settings → Sync: off (a word on what sync is, "Choose a sync folder…" and "Use a WebDAV
// server…" with its address, user and password), or on: the folder, this computer's name,
// the last sync, the other computers (each removable, asked first), the last sync's
// problems in words, "Sync now", "Stop syncing…", and the new password's form while
// another computer's password change waits to be taken here.

import { $, h, clear, show, setBusy } from '../dom.js';
import { deviceLine, lastSyncText, passwordChangedText, syncResultMessage } from '../../syncModel.js';

/**
 * @param {{syncStatus: () => Promise<object>, syncJoin: () => Promise<object|null>,
 *          syncJoinWebdav: (address: string, user: string, password: string) => Promise<object>,
 *          syncNow: () => Promise<object>, syncLeave: () => Promise<object>,
 *          syncRemoveDevice: (id: string) => Promise<object>,
 *          syncNewPassword: (password: string) => Promise<object>,
 *          confirm: (question: object) => void}} handlers  Each rejects with a message to show.
 */
export function createSyncSection(handlers) {
  const off = $('#sync-off');
  const on = $('#sync-on');
  const joinBtn = $('#sync-join');
  const nowBtn = $('#sync-now');
  const leaveBtn = $('#sync-leave');
  const folder = $('#sync-folder');
  const device = $('#sync-device');
  const last = $('#sync-last');
  const devices = $('#sync-devices');
  const noDevices = $('#sync-no-devices');
  const problems = $('#sync-problems');
  const passwordForm = $('#sync-password-form');
  const passwordText = $('#sync-password-text');
  const passwordInput = $('#sync-password');
  const passwordError = $('#sync-password-error');
  const passwordSubmit = $('#sync-password-submit');
  const webdavOpen = $('#sync-webdav-open');
  const webdavForm = $('#sync-webdav-form');
  const webdavAddress = $('#sync-webdav-address');
  const webdavUser = $('#sync-webdav-user');
  const webdavPassword = $('#sync-webdav-password');
  const webdavError = $('#sync-webdav-error');
  const webdavSubmit = $('#sync-webdav-submit');
  const error = $('#sync-error');
  const status = $('#sync-status');
  let seq = 0;

  function say(err = '', ok = '') {
    error.textContent = err;
    status.textContent = ok;
  }

  function deviceRow(item) {
    const { name, detail } = deviceLine(item);
    const children = [
      h('span', { className: 'trashed-label', text: name, title: name }),
      h('span', { className: 'trashed-days', text: detail }),
    ];
    if (!item.removed) {
      const remove = h('button', {
        className: 'btn btn-small btn-danger-quiet sync-remove', type: 'button', text: 'Remove…',
        attrs: { 'aria-label': `Remove ${name} from sync` },
      });
      remove.addEventListener('click', () => handlers.confirm({
        heading: `Remove ${name}?`,
        text: `Its changes will no longer be merged here, nor on the computers that sync after this one. It keeps the accounts it already has: change the vault’s password so that it cannot read what is written from now on.`,
        confirmText: 'Remove',
        action: async () => {
          render(await handlers.syncRemoveDevice(item.id));
          say('', `Removed ${name} from sync.`);
        },
        after: () => nowBtn.focus(),
      }));
      children.push(h('div', { className: 'trash-actions' }, [remove]));
    }
    return h('li', { className: 'trashed sync-device', dataset: { id: item.id } }, children);
  }

  function render(view) {
    const joined = Boolean(view && view.joined);
    show(off, !joined);
    show(joinBtn, !joined);
    show(webdavOpen, !joined);
    if (joined) closeWebdav();
    show(on, joined);
    show(nowBtn, joined);
    if (!joined) return;
    folder.textContent = view.folder;
    folder.title = view.folder;
    device.textContent = view.deviceName;
    last.textContent = lastSyncText(view);
    clear(devices);
    const others = Array.isArray(view.devices) ? view.devices : [];
    others.forEach((d) => devices.append(deviceRow(d)));
    show(devices, others.length > 0);
    show(noDevices, others.length === 0);
    clear(problems);
    (view.problems || []).forEach((p) => problems.append(h('li', { text: p })));
    show(problems, (view.problems || []).length > 0);
    const changedOn = view.passwordChangedOn;
    show(passwordForm, Boolean(changedOn));
    if (changedOn) passwordText.textContent = passwordChangedText(changedOn);
  }

  async function refresh() {
    const mine = ++seq;
    try {
      const view = await handlers.syncStatus();
      if (mine === seq) render(view);
    } catch (msg) {
      if (mine === seq) say(String(msg));
    }
  }

  async function runButton(button, call) {
    setBusy(button, true);
    say();
    try {
      const result = await call();
      if (result) {
        render(result.status);
        say('', syncResultMessage(result));
      }
    } catch (msg) {
      say(String(msg));
    } finally {
      setBusy(button, false);
    }
  }

  joinBtn.addEventListener('click', () => runButton(joinBtn, handlers.syncJoin));

  function closeWebdav() {
    show(webdavForm, false);
    webdavPassword.value = '';
    webdavError.textContent = '';
  }
  webdavOpen.addEventListener('click', () => {
    show(webdavForm, true);
    webdavAddress.focus();
  });
  $('#sync-webdav-cancel').addEventListener('click', () => {
    closeWebdav();
    webdavOpen.focus();
  });
  webdavForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    webdavError.textContent = '';
    const empty = [webdavAddress, webdavUser, webdavPassword].find((field) => !field.value.trim());
    if (empty) {
      webdavError.textContent = 'Type the folder’s address, your user name and your password on that server.';
      empty.focus();
      return;
    }
    setBusy(webdavSubmit, true);
    try {
      const result = await handlers.syncJoinWebdav(webdavAddress.value.trim(), webdavUser.value.trim(), webdavPassword.value);
      webdavPassword.value = '';
      render(result.status);
      say('', syncResultMessage(result));
      nowBtn.focus();
    } catch (msg) {
      webdavError.textContent = String(msg);
    } finally {
      setBusy(webdavSubmit, false);
    }
  });
  nowBtn.addEventListener('click', () => runButton(nowBtn, handlers.syncNow));
  leaveBtn.addEventListener('click', () => handlers.confirm({
    heading: 'Stop syncing?',
    text: 'This computer stops writing to the sync folder and reading from it. Its vault stays whole; the other computers keep syncing with each other and show that it left.',
    confirmText: 'Stop syncing',
    action: async () => {
      render(await handlers.syncLeave());
      say('', 'This vault no longer syncs.');
    },
    after: () => joinBtn.focus(),
  }));
  passwordForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    passwordError.textContent = '';
    if (!passwordInput.value) {
      passwordError.textContent = 'Type the password the vault has now.';
      passwordInput.focus();
      return;
    }
    setBusy(passwordSubmit, true);
    try {
      const result = await handlers.syncNewPassword(passwordInput.value);
      passwordInput.value = '';
      render(result.status);
      say('', `This copy now opens with the new password. ${syncResultMessage(result)}`);
    } catch (msg) {
      passwordError.textContent = String(msg);
      passwordInput.select();
    } finally {
      setBusy(passwordSubmit, false);
    }
  });

  return {
    refresh,
    /** A sync ran meanwhile (the background's): show the new status if the dialog is open. */
    update: refresh,
    wipe() {
      passwordInput.value = '';
      passwordError.textContent = '';
      closeWebdav();
    },
    clearView() {
      seq++;
      say();
      show(off, false);
      show(joinBtn, false);
      show(webdavOpen, false);
      show(on, false);
      show(nowBtn, false);
    },
  };
}
