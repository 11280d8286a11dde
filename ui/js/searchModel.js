// The search box's pure logic. Matching itself happens in Rust (search_accounts), by the
// same rule as `ringlet-cli code QUERY`; this orders what it answered and maps keys.

/** The accounts named by `ids`, in that order; ids the list no longer has are skipped. */
export function orderByIds(accounts, ids) {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return ids.map((id) => byId.get(id)).filter(Boolean);
}

/** A query that asks for nothing: the whole list shows, with no call to the backend. */
export function isBlank(query) {
  return typeof query !== 'string' || query.trim() === '';
}

/**
 * What a key pressed in the search box does: 'clear' (Esc with text), 'hide' (Esc on an
 * empty box), 'copy-top' (Enter), 'copy-top-next' (Shift+Enter: the next code),
 * 'focus-list' (↓), or null (typing).
 */
export function searchKeyAction(event, query) {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  switch (event.key) {
    case 'Escape': return isBlank(query) ? 'hide' : 'clear';
    case 'Enter': return event.shiftKey ? 'copy-top-next' : 'copy-top';
    case 'ArrowDown': return event.shiftKey ? null : 'focus-list';
    default: return null;
  }
}

/** Said in place of the list when nothing matches. */
export function noMatchMessage(query) {
  return `No account matches “${query.trim()}”.`;
}
