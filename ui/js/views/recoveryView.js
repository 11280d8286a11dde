// The unlock screen's recovery panel: when the vault is damaged, pick a backup, give its
// password, and a new vault is made from it (the damaged one is moved aside by Rust).

import { $, h, clear, show, setBusy } from './dom.js';
import {
  formatCreated, backupDetails, backupTitle, normalizeBackups, NO_BACKUPS_TO_RECOVER,
} from '../backupModel.js';

/**
 * @param {{listBackups: () => Promise<object>,
 *          recover: (name: string, password: string) => Promise<void>}} handlers
 *   Each rejects with a message string to show in the panel.
 */
export function createRecoveryView({ listBackups, recover }) {
  const panel = $('#recovery');
  const loading = $('#recovery-loading');
  const empty = $('#recovery-empty');
  const form = $('#recovery-form');
  const list = $('#recovery-list');
  const pw = $('#recovery-password');
  const submit = $('#recovery-submit');
  const error = $('#recovery-error');
  let busy = false;
  let seq = 0;

  function setError(msg, invalid = false) {
    error.textContent = msg || '';
    pw.setAttribute('aria-invalid', invalid ? 'true' : 'false');
  }

  function choice(b, index) {
    const id = `recovery-backup-${index}`;
    const radio = h('input', { type: 'radio', id, name: 'recovery-backup', value: b.name, checked: index === 0 });
    return h('li', { className: 'choice recovery-backup', title: b.name, dataset: { name: b.name } }, [
      h('label', { htmlFor: id, className: 'choice-label', attrs: { 'aria-label': backupTitle(b) } }, [
        radio,
        h('span', { className: 'choice-text' }, [
          h('span', { className: 'choice-title', text: formatCreated(b.created) }),
          h('span', { className: 'choice-meta', text: backupDetails(b) }),
        ]),
      ]),
    ]);
  }

  function render(listing) {
    const { backups } = normalizeBackups(listing);
    clear(list);
    backups.forEach((b, i) => list.append(choice(b, i)));
    show(loading, false);
    empty.textContent = NO_BACKUPS_TO_RECOVER;
    show(form, backups.length > 0);
    show(empty, backups.length === 0);
    reveal();
  }

  /** Bring the whole panel into view: on a short window it starts below the fold. */
  function reveal() {
    if (typeof panel.scrollIntoView === 'function') panel.scrollIntoView({ block: 'nearest' });
  }

  async function load() {
    const mine = ++seq;
    try {
      const listing = await listBackups();
      if (mine === seq) render(listing);
    } catch (msg) {
      if (mine !== seq) return;
      clear(list);
      show(loading, false);
      show(form, false);
      empty.textContent = `The backups could not be listed: ${String(msg)}`;
      show(empty, true);
      reveal();
    }
  }

  function selectedName() {
    const checked = list.querySelector('input[type="radio"]:checked');
    return checked ? checked.value : null;
  }

  pw.addEventListener('input', () => { if (error.textContent) setError(''); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const name = selectedName();
    if (!name) {
      setError('Choose a backup.');
      return;
    }
    if (!pw.value) {
      setError('Enter the password of the backup.', true);
      pw.focus();
      return;
    }
    busy = true;
    setBusy(submit, true);
    pw.readOnly = true;
    setError('');
    try {
      await recover(name, pw.value);
      pw.value = '';
    } catch (msg) {
      setError(String(msg), true);
      pw.focus();
      pw.select();
    } finally {
      busy = false;
      pw.readOnly = false;
      setBusy(submit, false);
    }
  });

  return {
    /** Show the panel and list the backups afresh. */
    show() {
      form.reset();
      setError('');
      clear(list);
      show(form, false);
      show(empty, false);
      show(loading, true);
      show(panel, true);
      load();
    },
    hide() {
      seq++;
      form.reset();
      setError('');
      clear(list);
      show(panel, false);
    },
    isShown: () => !panel.hidden,
  };
}
