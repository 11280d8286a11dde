// The quick picker's pure logic: which rows it shows and which one is chosen.

import { orderByIds } from './searchModel.js';

/** At most this many rows: the picker is for one code, found by typing. */
export const PICKER_ROWS = 8;

/** The rows to show: the search's matches (or the whole list), the first PICKER_ROWS. */
export function pickerRows(accounts, ids) {
  const rows = ids ? orderByIds(accounts, ids) : accounts;
  return rows.slice(0, PICKER_ROWS);
}

/** The chosen row after `key` (↑ ↓ Home End), kept inside `count` rows; null: not a move. */
export function moveChoice(key, chosen, count) {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown': return Math.min(count - 1, chosen + 1);
    case 'ArrowUp': return Math.max(0, chosen - 1);
    default: return null;
  }
}

/** A code that will turn before a person can paste it: refresh the list first. */
export function needsRefresh(rows, now) {
  return rows.some((a) => a.expiresAt != null && a.expiresAt <= now);
}
