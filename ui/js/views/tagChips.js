// The tags present in the vault as filter chips above the list. A chip puts its `tag:NAME`
// term in the search box, or takes it out: the search box stays the one place a filter
// lives, and Rust's search applies it.

import { $, h, clear, show } from './dom.js';
import { hasTag, tagsOf, toggleTag } from '../organizeModel.js';

/**
 * @param {{getQuery: () => string, setQuery: (query: string) => void}} search
 */
export function createTagChips({ getQuery, setQuery }) {
  const bar = $('#tag-chips');
  let tags = [];

  function paint() {
    const query = getQuery();
    for (const chip of bar.children) {
      chip.setAttribute('aria-pressed', String(hasTag(query, chip.dataset.tag)));
    }
  }

  bar.addEventListener('click', (e) => {
    const chip = e.target.closest('button.chip');
    if (!chip) return;
    setQuery(toggleTag(getQuery(), chip.dataset.tag));
    paint();
  });

  return {
    /** The chips of the tags in `accounts` (the whole list), pressed as the query says. */
    render(accounts) {
      const next = tagsOf(accounts);
      if (next.join('\n') !== tags.join('\n')) {
        const focused = document.activeElement && document.activeElement.closest
          ? document.activeElement.closest('#tag-chips button.chip') : null;
        const focusedTag = focused ? focused.dataset.tag : null;
        tags = next;
        clear(bar);
        for (const tag of tags) {
          bar.append(h('button', {
            className: 'chip', type: 'button', text: tag, title: `Show only accounts tagged ${tag}`,
            dataset: { tag }, attrs: { 'aria-pressed': 'false' },
          }));
        }
        const again = focusedTag && [...bar.children].find((chip) => chip.dataset.tag === focusedTag);
        if (again) again.focus();
      }
      show(bar, tags.length > 0);
      paint();
    },
    /** The query changed: pressed states follow. */
    paint,
    clear() {
      tags = [];
      clear(bar);
      show(bar, false);
    },
  };
}
