// The clock above the list (issue #13): the question asked once (check the clock with a
// time server?), the warning when codes may be refused with "Correct codes by …", and the
// offset in force, said plainly while one is set. It shows what clock_status says; the
// sentences are Rust's.

import { $, show, setBusy } from './dom.js';
import { clockBar } from '../clockModel.js';

/**
 * @param {{saveCheck: (check: boolean) => Promise<object>,
 *          correct: () => Promise<object>,
 *          openSettings: () => void,
 *          changed: (view: object) => void,
 *          done: () => void}} handlers
 *   `saveCheck` and `correct` resolve to the new clock view (or reject, handled by the caller);
 *   `changed` hears of every view this bar shows after an action of its own; `done` gives the
 *   keyboard back once a card the person answered is gone.
 */
export function createClockBar(handlers) {
  const bar = $('#clock-bar');
  const ask = $('#clock-ask');
  const askServer = $('#clock-ask-server');
  const yes = $('#clock-ask-yes');
  const no = $('#clock-ask-no');
  const warning = $('#clock-warning');
  const warningText = $('#clock-warning-text');
  const later = $('#clock-warning-later');
  const correct = $('#clock-correct');
  const offset = $('#clock-offset');
  const offsetText = $('#clock-offset-text');
  const change = $('#clock-offset-change');
  let view = null;
  /** The warning put away with "Not now", by its words: a different one shows again. */
  let dismissed = null;

  function render(next) {
    view = next || null;
    const shown = clockBar(view, dismissed);
    show(ask, shown.ask);
    if (shown.ask) askServer.textContent = view.server;
    show(warning, Boolean(shown.warning));
    warningText.textContent = shown.warning ? shown.warning.said : '';
    const by = shown.warning && shown.warning.correctSaid;
    correct.textContent = by || '';
    show(correct, Boolean(by));
    show(offset, Boolean(shown.offset));
    offsetText.textContent = shown.offset || '';
    show(bar, shown.ask || Boolean(shown.warning) || Boolean(shown.offset));
  }

  async function act(button, call) {
    setBusy(button, true);
    try {
      const next = await call();
      if (next) {
        render(next);
        handlers.changed(next);
      }
    } finally {
      setBusy(button, false);
      handlers.done();
    }
  }

  yes.addEventListener('click', () => act(yes, () => handlers.saveCheck(true)));
  no.addEventListener('click', () => act(no, () => handlers.saveCheck(false)));
  correct.addEventListener('click', () => act(correct, handlers.correct));
  later.addEventListener('click', () => {
    dismissed = view && view.warning ? view.warning.said : null;
    render(view);
    handlers.done();
  });
  change.addEventListener('click', () => handlers.openSettings());

  return {
    render,
    /** The view shown, or null. */
    view: () => view,
    /** Locked: nothing of the clock stays on screen; a warning put away may show again. */
    clear() {
      dismissed = null;
      render(null);
    },
  };
}
