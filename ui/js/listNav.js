// Pure keyboard navigation and list reconciliation helpers.

/**
 * Index to focus after a key press in a list of `count` rows, or null when the key
 * does not move focus.
 */
export function nextIndex(key, current, count) {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown': return current < 0 ? 0 : Math.min(count - 1, current + 1);
    case 'ArrowUp': return current < 0 ? 0 : Math.max(0, current - 1);
    case 'Home': return 0;
    case 'End': return count - 1;
    default: return null;
  }
}

/** Keys that copy the focused row. */
export function isActivationKey(key) {
  return key === 'Enter' || key === ' ' || key === 'Spacebar';
}

/**
 * Plan an in-place update of keyed rows so focus and DOM nodes survive a refresh.
 * @returns {{remove: string[], create: string[], update: string[], order: string[]}}
 */
export function diffIds(oldIds, newIds) {
  const oldSet = new Set(oldIds);
  const newSet = new Set(newIds);
  return {
    remove: oldIds.filter((id) => !newSet.has(id)),
    create: newIds.filter((id) => !oldSet.has(id)),
    update: newIds.filter((id) => oldSet.has(id)),
    order: [...newIds],
  };
}

/** Replace one account in a list by id (e.g. after next_hotp), keeping the order. */
export function replaceAccount(accounts, updated) {
  let found = false;
  const next = accounts.map((a) => {
    if (a.id === updated.id) {
      found = true;
      return updated;
    }
    return a;
  });
  return found ? next : [...accounts, updated];
}
