// Tiny DOM helpers. Text goes through textContent only; never HTML strings.

const SVG_NS = 'http://www.w3.org/2000/svg';

export const $ = (sel, root = document) => root.querySelector(sel);

/**
 * Create an element. `props`: className, text, attrs{}, dataset{}, on{event: fn}, and
 * plain properties (type, value, disabled, checked, tabIndex, hidden, title...).
 */
export function h(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  applyProps(el, props);
  for (const c of [].concat(children)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function applyProps(el, props) {
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === 'className') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'attrs') for (const [a, av] of Object.entries(v)) { if (av != null) el.setAttribute(a, String(av)); }
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'style') throw new Error('inline styles are not allowed (CSP)');
    else el[k] = v;
  }
}

/** Create an SVG element with attributes (presentation attributes are CSP-safe). */
export function svg(tag, attrs = {}, children = []) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'style') throw new Error('inline styles are not allowed (CSP)');
    el.setAttribute(k, String(v));
  }
  for (const c of children) el.append(c);
  return el;
}

const ICONS = {
  trash: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12', 'M9 7V4h6v3'],
  refresh: ['M20 11a8 8 0 1 0-2.3 5.7', 'M20 4v7h-7'],
  check: ['M5 12l5 5 9-10'],
  pencil: ['M4 20h4L19 9l-4-4L4 16v4', 'M13.5 6.5l4 4'],
  pin: ['M9 4h6', 'M10 4v6l-3 4h10l-3-4V4', 'M12 14v6'],
  key: ['M3.5 16a4.5 4.5 0 1 0 9 0a4.5 4.5 0 1 0-9 0', 'M11.2 12.8L20 4', 'M16 8l2.5 2.5', 'M18.5 5.5L21 8'],
};

/** A stroked 24×24 icon, hidden from assistive technology. */
export function icon(name, className = 'icon') {
  return svg('svg', { class: className, viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
    ICONS[name].map((d) => svg('path', { d })));
}

export function clear(el) {
  el.replaceChildren();
}

export function show(el, visible) {
  el.hidden = !visible;
}

/** Open a <dialog> modally, tolerating an already-open one. */
export function openDialog(dialog) {
  if (!dialog.open) dialog.showModal();
}

export function closeDialog(dialog) {
  if (dialog.open) dialog.close();
}

/** Marks `button` busy (disabled, spinner shown, aria-busy) or idle again. */
export function setBusy(button, busy) {
  button.disabled = busy;
  button.classList.toggle('busy', busy);
  button.setAttribute('aria-busy', busy ? 'true' : 'false');
}

/* Tauri's isolation frame, which Tauri adds to every page after its content, is machinery,
   not content: it gets a title and is hidden from screen readers. Done where this module
   loads (both pages import it), once the frame is there. */
function quietIsolationFrame() {
  const frame = document.getElementById('__tauri_isolation__');
  if (!frame) return false;
  frame.setAttribute('title', 'Ringlet’s message guard (not content)');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  return true;
}
if (typeof document !== 'undefined' && typeof MutationObserver === 'function' && !quietIsolationFrame()) {
  const watcher = new MutationObserver(() => {
    if (quietIsolationFrame()) watcher.disconnect();
  });
  watcher.observe(document.documentElement, { childList: true, subtree: true });
}
