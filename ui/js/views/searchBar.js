// The search box above the list. Each change asks Rust for the matching ids (the core's one
// rule); only the answer to the latest query is shown.

import { $ } from './dom.js';
import { isBlank, searchKeyAction } from '../searchModel.js';

/**
 * @param {{search: (query: string) => Promise<string[]>,
 *          onResults: (ids: string[] | null, query: string) => void,
 *          onAction: (action: 'copy-top' | 'focus-list' | 'hide') => void,
 *          onError: (err: unknown) => void}} handlers
 *   `onResults(null)` means the whole list.
 */
export function createSearchBar({ search, onResults, onAction, onError }) {
  const input = $('#search');
  let asked = 0;

  /** Runs the current query; resolves when its answer (if still the latest) is shown. */
  function run() {
    const query = input.value;
    const seq = ++asked;
    if (isBlank(query)) {
      onResults(null, '');
      return Promise.resolve();
    }
    return search(query).then((ids) => {
      if (seq !== asked) return;
      onResults(Array.isArray(ids) ? ids : [], query);
    }, (err) => {
      if (seq === asked) onError(err);
    });
  }

  function clear() {
    input.value = '';
    return run();
  }

  input.addEventListener('input', () => { run(); });
  input.addEventListener('keydown', (event) => {
    const action = searchKeyAction(event, input.value);
    if (!action) return;
    event.preventDefault();
    if (action === 'clear') clear();
    else onAction(action);
  });

  return {
    focus: () => input.focus(),
    run,
    /** The query, as typed. */
    query: () => input.value,
    /** Replaces the query (a tag chip) and runs it. */
    setQuery(query) {
      input.value = query;
      return run();
    },
    /** Forgets the query without asking the backend (on lock). */
    reset: () => {
      asked++;
      input.value = '';
    },
    isActive: () => !isBlank(input.value),
  };
}
