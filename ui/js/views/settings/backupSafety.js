// Settings → Backups, what makes them safe to rely on: the last verified backup (its
// "3 minutes ago" kept current while Settings is open), an unverified newest one, the
// second folder (the native folder dialog, from Rust), the monthly reminder, and the
// emergency kit (the native save dialog, from Rust; with secrets only after the password).

import { $, show, setBusy } from '../dom.js';
import {
  verifiedText, unverifiedText, secondFolderText, secondFolderProblemText,
} from '../../backupStatusModel.js';

/** How often the relative times are redrawn while Settings is open. */
const TICK_MS = 20_000;

/**
 * @param {{backupStatus: () => Promise<object>, chooseBackupFolder: () => Promise<object|null>,
 *          stopBackupFolder: () => Promise<object>, answerBackupReminder: (a: string) => Promise<object>,
 *          saveEmergencyKit: (withSecrets: boolean, password: string) => Promise<{file: string|null}>,
 *          onBackupStatus?: (status: object) => void}} handlers
 */
export function createBackupSafetySection(handlers) {
  const verified = $('#backup-verified');
  const unverified = $('#backup-unverified');
  const secondText = $('#backup-second-text');
  const secondFolder = $('#backup-second-folder');
  const secondProblem = $('#backup-second-problem');
  const chooseBtn = $('#backup-choose-folder');
  const stopBtn = $('#backup-stop-folder');
  const reminderRow = $('#backup-reminder-row');
  const reminder = $('#backup-reminder');
  const error = $('#backup-error');
  const status = $('#backup-status');
  const kitForm = $('#kit-form');
  const kitSecrets = $('#kit-secrets');
  const kitFields = $('#kit-secrets-fields');
  const kitPassword = $('#kit-password');
  const kitError = $('#kit-error');
  const kitStatus = $('#kit-status');
  const kitSave = $('#kit-save');
  let current = null;
  let timer = null;
  let seq = 0;
  let kitBusy = false;

  function render(view) {
    current = view;
    if (handlers.onBackupStatus) handlers.onBackupStatus(view);
    redraw();
  }

  function redraw() {
    const now = Date.now();
    verified.textContent = current ? verifiedText(current, now) : '';
    const bad = current ? unverifiedText(current, now) : '';
    unverified.textContent = bad;
    show(unverified, !!bad);
    secondText.textContent = current ? secondFolderText(current, now) : '';
    const folder = current && current.secondFolder;
    secondFolder.textContent = folder || '';
    secondFolder.title = folder || '';
    show(secondFolder, !!folder);
    const problem = current ? secondFolderProblemText(current, now) : '';
    secondProblem.textContent = problem;
    show(secondProblem, !!problem);
    show(stopBtn, !!folder);
    chooseBtn.querySelector('.btn-label').textContent = folder ? 'Choose another folder…' : 'Choose a second folder…';
    // The reminder is for a vault with no second folder.
    show(reminderRow, !folder);
    reminder.checked = !!current && !current.reminderOff;
  }

  async function refresh() {
    const mine = ++seq;
    try {
      const view = await handlers.backupStatus();
      if (mine === seq) render(view);
    } catch (msg) {
      if (mine === seq) error.textContent = String(msg);
    }
  }

  async function act(button, call, done) {
    if (button.disabled) return;
    setBusy(button, true);
    error.textContent = '';
    status.textContent = '';
    try {
      const view = await call();
      if (view) {
        render(view);
        if (done) status.textContent = done(view);
      }
    } catch (msg) {
      error.textContent = String(msg);
    } finally {
      setBusy(button, false);
    }
  }

  chooseBtn.addEventListener('click', () => act(chooseBtn, handlers.chooseBackupFolder, (view) =>
    (view.secondFolderProblem ? '' : 'A backup was copied there and verified.')));
  stopBtn.addEventListener('click', () => act(stopBtn, handlers.stopBackupFolder,
    () => 'Backups are no longer copied there; the copies already made stay.'));
  reminder.addEventListener('change', () => {
    const answer = reminder.checked ? 'on' : 'off';
    handlers.answerBackupReminder(answer).then(render, (msg) => {
      error.textContent = String(msg);
      reminder.checked = !reminder.checked;
    });
  });

  function setKitSecrets(on) {
    show(kitFields, on);
    if (!on) kitPassword.value = '';
  }
  kitSecrets.addEventListener('change', () => {
    setKitSecrets(kitSecrets.checked);
    if (kitSecrets.checked) kitPassword.focus();
  });
  kitPassword.addEventListener('input', () => {
    kitError.textContent = '';
    kitPassword.removeAttribute('aria-invalid');
  });

  kitForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (kitBusy) return;
    const withSecrets = kitSecrets.checked;
    kitError.textContent = '';
    kitStatus.textContent = '';
    if (withSecrets && !kitPassword.value) {
      kitError.textContent = 'Type the vault password to put the accounts in the kit.';
      kitPassword.setAttribute('aria-invalid', 'true');
      kitPassword.focus();
      return;
    }
    kitBusy = true;
    setBusy(kitSave, true);
    try {
      const report = await handlers.saveEmergencyKit(withSecrets, kitPassword.value);
      kitPassword.value = '';
      kitStatus.textContent = report && report.file
        ? `Saved ${report.file}. Print it${withSecrets ? ', keep the paper safe, and delete the file' : ' and write the password on it by hand'}.`
        : 'Nothing was saved.';
    } catch (err) {
      const message = err && err.message ? err.message : String(err);
      kitError.textContent = message;
      if (err && err.field === 'password') {
        kitPassword.setAttribute('aria-invalid', 'true');
        kitPassword.select();
      }
    } finally {
      kitBusy = false;
      setBusy(kitSave, false);
    }
  });

  return {
    refresh,
    /** A backup ran in the background: its state, shown at once while Settings is open. */
    update: render,
    start() {
      clearInterval(timer);
      timer = setInterval(redraw, TICK_MS);
    },
    stop() {
      clearInterval(timer);
      timer = null;
    },
    /** No password lingers once Settings is closed. */
    wipe() {
      kitForm.reset();
      setKitSecrets(false);
      kitError.textContent = '';
      kitStatus.textContent = '';
    },
    isBusy: () => kitBusy,
  };
}
