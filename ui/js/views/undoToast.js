// The toast after a delete: "Deleted GitHub (alice)" and an Undo button, for UNDO_MS. It is
// a status region (announced), its button reachable by Tab, and Ctrl+Z presses it. It stays
// while the pointer or the keyboard is on it.

import { $ } from './dom.js';

export function createUndoToast(durationMs) {
  const el = $('#undo-toast');
  const text = $('#undo-text');
  const button = $('#undo-button');
  let pending = null; // {undo}
  let timer = null;
  let held = false;

  function hide() {
    clearTimeout(timer);
    timer = null;
    pending = null;
    el.classList.remove('show');
    text.textContent = '';
  }

  function arm() {
    clearTimeout(timer);
    timer = setTimeout(() => { if (!held) hide(); }, durationMs);
  }

  async function undo() {
    if (!pending) return false;
    const { undo: run } = pending;
    const hadFocus = el.contains(document.activeElement);
    hide();
    await run(hadFocus);
    return true;
  }

  button.addEventListener('click', () => { undo(); });
  for (const [type, on] of [['pointerenter', true], ['pointerleave', false], ['focusin', true], ['focusout', false]]) {
    el.addEventListener(type, () => {
      held = on;
      if (!on && pending) arm();
    });
  }

  return {
    /** Shows `message` with Undo; `undo(hadFocus)` runs once if pressed in time. */
    show(message, undoFn) {
      pending = { undo: undoFn };
      el.classList.add('show');
      // Set after the region is shown, so that screen readers announce it.
      text.textContent = '';
      requestAnimationFrame(() => { if (pending) text.textContent = `${message}.`; });
      held = false;
      arm();
    },
    /** Ctrl+Z: undoes the latest delete while its toast shows; false when there is none. */
    undo,
    isShown: () => pending !== null,
    hide,
  };
}
