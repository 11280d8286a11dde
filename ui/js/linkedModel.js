// Linked folders (a phone app's backup folder, read-only): the words the list and the
// toasts use. Pure, tested with node --test.

/** "just now", "3 minutes ago", "2 hours ago", "5 days ago". */
export function ago(thenMs, nowMs) {
  const seconds = Math.max(0, Math.floor((nowMs - thenMs) / 1000));
  if (seconds < 60) return 'just now';
  const unit = (n, word) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return unit(hours, 'hour');
  return unit(Math.floor(hours / 24), 'day');
}

/** The group's heading: "Linked: Aegis on Pixel, updated 3 minutes ago". */
export function headingText(group, nowMs) {
  const updated = group.updatedMs == null ? 'no backup read yet' : `updated ${ago(group.updatedMs, nowMs)}`;
  return `Linked: ${group.name}, ${updated}`;
}

/** The note under an HOTP row: it cannot be used here. */
export const HOTP_NOTE = 'Read-only: its counter lives on the phone.';

/** The toast for a `linked-changed` event: what a new backup changed, else why it was skipped. */
export function changeMessage(payload) {
  if (!payload) return '';
  if (payload.summary) return `${payload.name}: ${payload.summary}.`;
  const [first] = payload.skipped || [];
  return first ? `${payload.name}: ${first}` : '';
}

/** The group's rows that `matches` (a search's ids, or null for all) keeps, in the search's order. */
export function visibleRows(accounts, matches) {
  if (!matches) return accounts;
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return matches.map((id) => byId.get(id)).filter(Boolean);
}

/** When the rows' codes next change (ms), at most `maxWaitMs` from now: the next refresh. */
export function nextRefreshIn(groups, nowMs, maxWaitMs = 30_000) {
  let soonest = nowMs + maxWaitMs;
  for (const group of groups) {
    for (const row of group.accounts) {
      if (row.expiresAt != null && row.expiresAt > nowMs) soonest = Math.min(soonest, row.expiresAt);
    }
  }
  return Math.max(250, soonest - nowMs + 50);
}

/** True when a search's ids hold a linked row (the vault's own list then says no "no match"). */
export function hasLinkedMatch(ids) {
  return Array.isArray(ids) && ids.some((id) => String(id).startsWith('linked:'));
}
