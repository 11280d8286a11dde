// Settings → Clock (issue #13): the check with a time server (on or off, its server, Check
// now and what the last check said), this computer's offset (set in seconds or minutes and
// seconds, behind or ahead, or removed), and the offset found from a code another device
// shows (offered, then used). Sentences come from Rust; the view only places them.

import { $, h, clear, show, setBusy } from '../dom.js';
import { calibrationChoices, formFromOffset, offsetFromForm } from '../../clockModel.js';
import { timeAgo } from '../../syncModel.js';

/**
 * @param {{clockStatus: () => Promise<object>,
 *          saveClockCheck: (check: boolean, server: string|null) => Promise<object>,
 *          checkClockNow: () => Promise<object>,
 *          setClockOffset: (seconds: number|null, from: string) => Promise<object>,
 *          calibrateClock: (id: string, code: string) => Promise<object>,
 *          accounts: () => object[],
 *          onClock: (view: object) => void}} handlers
 *   Each rejects with a message string, or {message, field}, to show in the section.
 */
export function createClockSection(handlers) {
  const check = $('#clock-check');
  const server = $('#clock-server');
  const checkNow = $('#clock-check-now');
  const last = $('#clock-last');
  const offsetForm = $('#clock-offset-form');
  const offsetNow = $('#clock-offset-now');
  const amount = $('#clock-offset-amount');
  const direction = $('#clock-offset-direction');
  const offsetError = $('#clock-offset-error');
  const offsetSubmit = $('#clock-offset-submit');
  const remove = $('#clock-offset-remove');
  const calibrateForm = $('#clock-calibrate-form');
  const account = $('#clock-calibrate-account');
  const code = $('#clock-calibrate-code');
  const result = $('#clock-calibrate-result');
  const calibrateError = $('#clock-calibrate-error');
  const calibrateSubmit = $('#clock-calibrate-submit');
  const use = $('#clock-calibrate-use');
  const error = $('#clock-error');
  const status = $('#clock-status');
  /** The offset the last calibration found, until used or the form changes. */
  let found = null;

  function say(err = '', ok = '') {
    error.textContent = err;
    status.textContent = ok;
  }

  const messageOf = (err) => (err && typeof err === 'object' && 'message' in err ? err.message : String(err));
  const fieldOf = (err) => (err && typeof err === 'object' ? err.field : null);

  function mark(input, invalid) {
    if (invalid) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function render(view) {
    if (!view) return;
    check.checked = view.check === true;
    if (document.activeElement !== server) server.value = view.server === view.defaultServer ? '' : view.server;
    server.placeholder = view.defaultServer;
    const when = view.last ? ` (${timeAgo(view.last.atMs)})` : '';
    last.textContent = view.checking
      ? 'Checking…'
      : view.last
        ? `${view.last.said}${when}`
        : view.check ? 'Not checked yet.' : 'The clock is not checked.';
    offsetNow.textContent = view.offsetSaid || 'No offset: codes use this computer’s clock as it is.';
    show(remove, Boolean(view.offset));
    if (document.activeElement !== amount && document.activeElement !== direction) {
      const form = formFromOffset(view.offset);
      amount.value = form.amount;
      direction.value = form.direction;
    }
  }

  /** Runs `call`, whose answer is the new clock view: shown here and in the main window. */
  async function update(call, { button = null, errorAt = error, field = null } = {}) {
    if (button) setBusy(button, true);
    errorAt.textContent = '';
    if (field) mark(field, false);
    try {
      const view = await call();
      render(view);
      handlers.onClock(view);
      return view;
    } catch (err) {
      errorAt.textContent = messageOf(err);
      if (field && fieldOf(err)) mark(field, true);
      return null;
    } finally {
      if (button) setBusy(button, false);
    }
  }

  const saveCheck = () => update(() => handlers.saveClockCheck(check.checked, server.value), { field: server })
    .then((view) => { if (view) say('', view.check ? 'The clock is checked from now on.' : 'The clock is no longer checked.'); });
  check.addEventListener('change', saveCheck);
  server.addEventListener('change', saveCheck);
  checkNow.addEventListener('click', () => {
    say();
    last.textContent = 'Checking…';
    update(handlers.checkClockNow, { button: checkNow });
  });

  offsetForm.addEventListener('submit', (e) => {
    e.preventDefault();
    say();
    const read = offsetFromForm(amount.value, direction.value);
    mark(amount, 'error' in read);
    if ('error' in read) {
      offsetError.textContent = read.error;
      amount.focus();
      return;
    }
    update(() => handlers.setClockOffset(read.seconds, 'manual'), { button: offsetSubmit, errorAt: offsetError, field: amount })
      .then((view) => { if (view) say('', view.offset ? 'The offset is set.' : 'The offset is removed.'); });
  });
  remove.addEventListener('click', () => {
    say();
    update(() => handlers.setClockOffset(null, 'manual'), { button: remove, errorAt: offsetError })
      .then((view) => {
        if (!view) return;
        say('', 'The offset is removed.');
        offsetSubmit.focus();
      });
  });

  function forgetFound() {
    found = null;
    show(result, false);
    show(use, false);
  }
  for (const input of [account, code]) input.addEventListener('input', () => { forgetFound(); calibrateError.textContent = ''; });

  calibrateForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    say();
    forgetFound();
    calibrateError.textContent = '';
    mark(code, false);
    if (!account.value) {
      calibrateError.textContent = 'Add a time-based account first.';
      return;
    }
    setBusy(calibrateSubmit, true);
    try {
      const answer = await handlers.calibrateClock(account.value, code.value);
      result.textContent = answer.said;
      show(result, true);
      if (answer.seconds) {
        found = answer.seconds;
        use.textContent = `Use this offset (${answer.signed})`;
        show(use, true);
      }
    } catch (err) {
      calibrateError.textContent = messageOf(err);
      if (fieldOf(err) === 'code') {
        mark(code, true);
        code.focus();
      }
    } finally {
      setBusy(calibrateSubmit, false);
    }
  });
  use.addEventListener('click', () => {
    if (found == null) return;
    const seconds = found;
    update(() => handlers.setClockOffset(seconds, 'code'), { button: use, errorAt: calibrateError })
      .then((view) => {
        if (!view) return;
        code.value = '';
        forgetFound();
        say('', 'The offset found from the code is set.');
        offsetSubmit.focus();
      });
  });

  function fillAccounts() {
    const chosen = account.value;
    clear(account);
    for (const choice of calibrationChoices(handlers.accounts())) {
      account.append(h('option', { value: choice.id, text: choice.label }));
    }
    if ([...account.options].some((option) => option.value === chosen)) account.value = chosen;
  }

  return {
    async load() {
      fillAccounts();
      try {
        render(await handlers.clockStatus());
      } catch (err) {
        say(messageOf(err));
      }
    },
    /** A check ended, or the offset changed by itself, while Settings is open. */
    update: render,
    clearMessage() {
      say();
      offsetError.textContent = '';
      calibrateError.textContent = '';
      mark(amount, false);
      mark(server, false);
      mark(code, false);
    },
    /** No code typed from another device lingers once Settings closes. */
    wipe() {
      code.value = '';
      forgetFound();
    },
    /** Brings the section into view with its first control focused. */
    focus() {
      $('#settings-clock').scrollIntoView({ block: 'start' });
      check.focus();
    },
  };
}
