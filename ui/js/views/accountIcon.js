// An account's picture: a bundled SVG or the person's PNG as an <img> from a data: address
// (an SVG shown as an image runs no script and is never inserted as markup), or a letter on
// a colour from its hue, or nothing.

import { h } from './dom.js';
import { hueClass } from '../organizeModel.js';

const HUES = Array.from({ length: 12 }, (_, n) => `hue-${n}`);
const SAFE_SRC = /^data:image\/(svg\+xml|png);base64,[A-Za-z0-9+/=]+$/;

/** Fills `el` (a span.account-icon) with `icon` (the AccountView's `icon`). */
export function paintIcon(el, icon) {
  const kind = icon && icon.kind;
  el.classList.remove(...HUES);
  el.dataset.kind = kind || 'none';
  const img = el.querySelector('img');
  if ((kind === 'bundled' || kind === 'image') && typeof icon.src === 'string' && SAFE_SRC.test(icon.src)) {
    if (img && img.getAttribute('src') === icon.src) return;
    el.replaceChildren(h('img', { src: icon.src, alt: '', draggable: false, attrs: { width: 32, height: 32 } }));
  } else if (kind === 'letter') {
    el.replaceChildren(h('span', { className: 'letter', text: icon.letter || '?' }));
    el.classList.add(hueClass(icon.hue));
  } else {
    el.replaceChildren();
  }
}

/** A new span.account-icon showing `icon`. */
export function accountIcon(icon) {
  const el = h('span', { className: 'account-icon', attrs: { 'aria-hidden': 'true' } });
  paintIcon(el, icon);
  return el;
}
