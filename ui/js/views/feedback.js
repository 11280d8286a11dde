// Passing feedback: the toast, and the overlay shown while files are dragged over the window.

import { $, show } from './dom.js';

export function createToast(durationMs = 2000) {
  const el = $('#toast');
  let timer = null;
  return {
    /** @param {number} [ms] how long it stays; longer texts may wrap onto a second line */
    show(text, kind = 'info', ms = durationMs) {
      clearTimeout(timer);
      el.textContent = text;
      el.dataset.kind = kind;
      el.classList.toggle('toast-long', String(text).length > 48);
      el.classList.add('show');
      timer = setTimeout(() => el.classList.remove('show'), ms);
    },
    hide() {
      clearTimeout(timer);
      el.classList.remove('show');
    },
  };
}

export function createDropOverlay() {
  const el = $('#drop-overlay');
  return {
    set(active) {
      show(el, !!active);
      document.body.classList.toggle('dragging', !!active);
    },
  };
}
