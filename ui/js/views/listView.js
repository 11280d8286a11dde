// The account list: keyed rows updated in place, ring painting, keyboard navigation.

import { $, h, svg, icon, show } from './dom.js';
import { displayCode, groupCode, primaryText, secondaryText, accountLabel, rowAriaLabel } from '../format.js';
import { showsNext } from '../codeDisplay.js';
import { recoveryLeftText } from '../organizeModel.js';
import { ringFraction, isUrgent, dashOffset, secondsLeft } from '../ring.js';
import { nextIndex, isActivationKey, diffIds } from '../listNav.js';
import { accountIcon, paintIcon } from './accountIcon.js';

/** How far (px) the pointer moves, button held, before a press on a row becomes a drag. */
const DRAG_THRESHOLD = 6;

const RING_R = 13;
const RING_C = 2 * Math.PI * RING_R;

function buildRing() {
  const progress = svg('circle', {
    class: 'ring-progress', cx: 16, cy: 16, r: RING_R,
    'stroke-dasharray': RING_C.toFixed(3), 'stroke-dashoffset': 0,
    transform: 'rotate(-90 16 16)',
  });
  const seconds = svg('text', { class: 'ring-seconds', x: 16, y: 16, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
  const ring = svg('svg', { class: 'ring', viewBox: '0 0 32 32', 'aria-hidden': 'true', focusable: 'false' }, [
    svg('circle', { class: 'ring-track', cx: 16, cy: 16, r: RING_R }),
    progress,
    seconds,
  ]);
  return { ring, progress, seconds };
}

/**
 * @param {{onCopy: (a: object, row: HTMLElement) => void,
 *          onNext: (a: object, button: HTMLButtonElement) => void,
 *          onReveal: (a: object) => void,
 *          onEdit: (a: object, button: HTMLButtonElement) => void,
 *          onRecovery: (a: object, button: HTMLButtonElement) => void,
 *          onDelete: (a: object) => void,
 *          onMove: (a: object, delta: number) => void,
 *          onDrop: (id: string, onto: object) => void,
 *          onAboveTop: () => void}} handlers
 *   `onAboveTop`: ↑ on the first row (the search box is above it). `onMove`: Alt+↑/↓ on a
 *   row; `onDrop`: the row `id` dragged onto the row of `onto`.
 */
export function createListView({ onCopy, onNext, onReveal, onEdit, onRecovery, onDelete, onMove, onDrop, onAboveTop }) {
  const list = $('#account-list');
  const empty = $('#empty-state');
  const noMatch = $('#no-match');
  /** @type {Map<string, {li: HTMLElement, account: object, hotp: boolean, parts: object}>} */
  const rows = new Map();
  // Rows scrolled out of sight are not repainted: with a long list, touching every ring
  // each second cost a few percent of a core for nothing. A row coming into view is
  // painted at once. (Where IntersectionObserver is missing, every row counts as seen.)
  const seen = new WeakSet();
  const watcher = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((changes) => {
      for (const change of changes) {
        if (change.isIntersecting) {
          seen.add(change.target);
          const entry = rows.get(change.target.dataset.id);
          if (entry) paintRow(entry, Date.now());
        } else {
          seen.delete(change.target);
        }
      }
    })
    : null;

  function buildRow(account) {
    const hotp = account.type === 'hotp';
    const issuer = h('span', { className: 'issuer' });
    const name = h('span', { className: 'name' });
    const pin = icon('pin', 'icon pin-icon');
    // An account's own clock offset (its service's clock is off), said while it has one.
    const offset = h('span', { className: 'time-offset' });
    const recovery = h('button', { className: 'recovery-left', type: 'button' });
    const code = h('span', { className: 'code' });
    // The next period's code: shown (by CSS) in the last seconds, or always.
    const upcoming = h('span', { className: 'upcoming', attrs: { 'aria-hidden': 'true' } });
    const edit = h('button', { className: 'edit icon-btn', type: 'button' }, [icon('pencil')]);
    const reveal = h('button', { className: 'reveal icon-btn', type: 'button' }, [icon('key')]);
    const del = h('button', { className: 'delete icon-btn', type: 'button' }, [icon('trash')]);
    const avatar = accountIcon(account.icon);
    const li = h('li', { className: 'account', tabIndex: 0, dataset: { id: account.id } });
    const parts = { avatar, issuer, name, pin, offset, recovery, code, upcoming, edit, reveal, del };

    let side;
    if (hotp) {
      side = h('button', { className: 'next-code icon-btn', type: 'button' }, [icon('refresh')]);
      parts.next = side;
    } else {
      const r = buildRing();
      side = r.ring;
      parts.ring = r.ring;
      parts.progress = r.progress;
      parts.seconds = r.seconds;
    }

    li.append(
      avatar,
      h('div', { className: 'account-text' }, [
        h('div', { className: 'issuer-line' }, [pin, issuer, offset]),
        name,
        recovery,
      ]),
      h('div', { className: 'codes' }, [code, upcoming]),
      h('div', { className: 'account-side' }, [side]),
      edit,
      reveal,
      del,
    );

    const entry = { li, account, hotp, parts, lastSeconds: null, urgent: null };

    li.addEventListener('click', (e) => {
      if (e.target.closest('button') || dragEnded(li)) return;
      onCopy(entry.account, li);
    });
    li.addEventListener('keydown', (e) => {
      if (e.target === li && e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        e.preventDefault();
        onMove(entry.account, e.key === 'ArrowUp' ? -1 : 1);
        return;
      }
      if (e.target !== li || !isActivationKey(e.key)) return;
      e.preventDefault();
      // Shift+Enter: the next code, for a login that will read it after the turn.
      onCopy(entry.account, li, { next: e.shiftKey && e.key === 'Enter' });
    });
    li.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || e.target.closest('button')) return;
      drag = { entry, x: e.clientX, y: e.clientY, moving: false, target: null };
    });
    reveal.addEventListener('click', (e) => {
      e.stopPropagation();
      onReveal(entry.account);
    });
    edit.addEventListener('click', (e) => {
      e.stopPropagation();
      onEdit(entry.account, edit);
    });
    recovery.addEventListener('click', (e) => {
      e.stopPropagation();
      onRecovery(entry.account, recovery);
    });
    del.addEventListener('click', (e) => {
      e.stopPropagation();
      onDelete(entry.account);
    });
    if (parts.next) {
      parts.next.addEventListener('click', (e) => {
        e.stopPropagation();
        onNext(entry.account, parts.next);
      });
    }
    return entry;
  }

  function fillRow(entry, account) {
    entry.account = account;
    const { li, parts } = entry;
    const title = primaryText(account);
    const sub = secondaryText(account);
    parts.issuer.textContent = title;
    parts.issuer.title = title;
    parts.name.textContent = sub;
    parts.name.title = sub;
    parts.name.hidden = !sub;
    parts.code.textContent = displayCode(account);
    parts.upcoming.textContent = account.nextCode ? groupCode(account.nextCode, account.type) : '';
    const left = recoveryLeftText(account.recoveryLeft, account.recoveryTotal);
    parts.recovery.textContent = left;
    parts.recovery.hidden = !left;
    parts.recovery.title = left;
    parts.recovery.classList.toggle('none-left', account.recoveryTotal > 0 && account.recoveryLeft === 0);
    paintIcon(parts.avatar, account.icon);
    parts.pin.classList.toggle('shown', Boolean(account.pinned));
    parts.offset.textContent = account.timeOffsetSaid ? `clock ${account.timeOffsetSaid}` : '';
    parts.offset.title = account.timeOffsetSaid
      ? `This account’s codes use the clock ${account.timeOffsetSaid}: its service’s clock is off`
      : '';
    parts.offset.hidden = !account.timeOffsetSaid;
    li.classList.toggle('pinned', Boolean(account.pinned));
    li.classList.toggle('pending', account.code == null);
    li.dataset.type = account.type;
    li.setAttribute('aria-label', rowAriaLabel(account));
    const label = accountLabel(account);
    parts.recovery.setAttribute('aria-label', `${left}, ${label}: open the recovery codes`);
    parts.edit.setAttribute('aria-label', `Edit ${label}`);
    parts.edit.title = 'Edit: name, tags, note, icon, pin';
    parts.reveal.setAttribute('aria-label', `Show the secret key of ${label}`);
    parts.reveal.title = 'Show secret key (to move it to another device)';
    parts.del.setAttribute('aria-label', `Delete ${label}`);
    parts.del.title = 'Delete';
    if (parts.next) {
      parts.next.setAttribute('aria-label', `Next code for ${label}`);
      parts.next.title = 'Next code';
    }
    entry.lastSeconds = null; // force a repaint of the ring
  }

  function paintRow(entry, now) {
    if (entry.hotp) return;
    const { expiresAt, period } = entry.account;
    const { progress, seconds, ring } = entry.parts;
    progress.setAttribute('stroke-dashoffset', dashOffset(ringFraction(expiresAt, period, now), RING_C).toFixed(2));
    const urgent = isUrgent(expiresAt, now);
    if (urgent !== entry.urgent) {
      entry.urgent = urgent;
      entry.li.classList.toggle('urgent', urgent);
      ring.classList.toggle('urgent', urgent);
    }
    const s = secondsLeft(expiresAt, now);
    if (s !== entry.lastSeconds) {
      entry.lastSeconds = s;
      seconds.textContent = String(s);
      // The next code's turn to show (CSS shows it always where the preference says so).
      entry.li.classList.toggle('ending', showsNext(entry.account, now));
    }
  }

  /** Paint every ring in view for time `now`. Called by the single ticker. */
  function paint(now) {
    for (const entry of rows.values()) {
      if (!watcher || seen.has(entry.li)) paintRow(entry, now);
    }
  }

  /**
   * Render `accounts` (already sorted by the backend), reusing rows by id. `noMatchText`:
   * what to say when a search left no row (instead of the "no accounts yet" card).
   */
  function render(accounts, noMatchText = '') {
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const plan = diffIds([...rows.keys()], accounts.map((a) => a.id));
    for (const id of plan.remove) {
      const gone = rows.get(id).li;
      if (watcher) watcher.unobserve(gone);
      gone.remove();
      rows.delete(id);
    }
    for (const id of plan.update) {
      const entry = rows.get(id);
      const a = byId.get(id);
      if ((a.type === 'hotp') !== entry.hotp) {
        // The kind of row changed: rebuild it in place.
        const fresh = buildRow(a);
        const hadFocus = entry.li.contains(document.activeElement);
        if (watcher) {
          watcher.unobserve(entry.li);
          watcher.observe(fresh.li);
        }
        entry.li.replaceWith(fresh.li);
        rows.set(id, fresh);
        fillRow(fresh, a);
        if (hadFocus) fresh.li.focus();
      } else {
        fillRow(entry, a);
      }
    }
    for (const id of plan.create) {
      const entry = buildRow(byId.get(id));
      fillRow(entry, byId.get(id));
      rows.set(id, entry);
      if (watcher) watcher.observe(entry.li);
    }
    // Put the rows in the backend's order, moving only what is out of place.
    let cursor = list.firstElementChild;
    for (const id of plan.order) {
      const li = rows.get(id).li;
      if (li === cursor) cursor = cursor.nextElementSibling;
      else list.insertBefore(li, cursor);
    }
    show(empty, accounts.length === 0 && !noMatchText);
    noMatch.textContent = noMatchText;
    show(noMatch, accounts.length === 0 && Boolean(noMatchText));
    show(list, accounts.length > 0);
    paint(Date.now());
  }

  /** Update one row (e.g. after next_hotp) without touching the others. */
  function updateOne(account) {
    const entry = rows.get(account.id);
    if (entry && (account.type === 'hotp') === entry.hotp) fillRow(entry, account);
  }

  function clearAll() {
    show(noMatch, false);
    if (watcher) watcher.disconnect();
    rows.clear();
    list.replaceChildren();
  }

  function rowElements() {
    return [...list.querySelectorAll(':scope > li.account')];
  }

  // Dragging a row to another place (the manual order), with pointer events: the page's
  // own HTML5 drag and drop never gets its drop while the window takes dropped files.
  /** @type {{entry: object, x: number, y: number, moving: boolean, target: HTMLElement|null}|null} */
  let drag = null;
  let draggedLi = null; // the row whose press ended a drag: its click copies nothing
  function dragEnded(li) {
    const ended = draggedLi === li;
    draggedLi = null;
    return ended;
  }
  function markTarget(target) {
    if (drag.target === target) return;
    if (drag.target) drag.target.classList.remove('drop-target');
    drag.target = target;
    if (target) target.classList.add('drop-target');
  }
  document.addEventListener('pointermove', (e) => {
    if (!drag) return;
    if (!drag.moving) {
      if (Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < DRAG_THRESHOLD) return;
      drag.moving = true;
      drag.entry.li.classList.add('dragging');
      list.classList.add('reordering');
    }
    const under = document.elementFromPoint(e.clientX, e.clientY);
    const row = under && under.closest('#account-list li.account');
    markTarget(row && row !== drag.entry.li ? row : null);
  });
  function endDrag(drop) {
    if (!drag) return;
    const { entry, moving, target } = drag;
    if (target) target.classList.remove('drop-target');
    entry.li.classList.remove('dragging');
    list.classList.remove('reordering');
    drag = null;
    if (!moving) return;
    draggedLi = entry.li;
    setTimeout(() => { if (draggedLi === entry.li) draggedLi = null; }, 0);
    const onto = target && rows.get(target.dataset.id);
    if (drop && onto) onDrop(entry.account.id, onto.account);
  }
  document.addEventListener('pointerup', () => endDrag(true));
  document.addEventListener('pointercancel', () => endDrag(false));

  list.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const all = rowElements();
    const current = all.indexOf(document.activeElement.closest('li.account'));
    // Arrow keys only act on the rows themselves, not on buttons inside them.
    if (e.target !== all[current]) return;
    if (e.key === 'ArrowUp' && current === 0 && onAboveTop) {
      e.preventDefault();
      onAboveTop();
      return;
    }
    const i = nextIndex(e.key, current, all.length);
    if (i === null) return;
    e.preventDefault();
    all[i].focus();
  });

  function flash(li) {
    li.classList.remove('copied');
    void li.offsetWidth; // restart the animation
    li.classList.add('copied');
  }
  list.addEventListener('animationend', (e) => {
    if (e.target.classList && e.target.classList.contains('copied')) e.target.classList.remove('copied');
  });

  /** The row to focus once the row `id` is gone: the next one, else the previous one. */
  function neighbourOf(id) {
    const all = rowElements();
    const i = all.findIndex((li) => li.dataset.id === id);
    if (i < 0) return null;
    return all[i + 1] || all[i - 1] || null;
  }

  return { render, paint, updateOne, clearAll, flash, neighbourOf };
}
