// Settings → Sync in words: how long ago, each other computer's line, the last sync, and
// what a sync changed. Pure: tested with node --test.

import { pluralize } from './format.js';

/** "just now", "3 minutes ago", "2 hours ago", "5 days ago" (`ms` and `now` in Unix ms). */
export function timeAgo(ms, now = Date.now()) {
  const then = Number(ms);
  if (!Number.isFinite(then) || then <= 0) return 'never';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${pluralize(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${pluralize(hours, 'hour')} ago`;
  return `${pluralize(Math.floor(hours / 24), 'day')} ago`;
}

/** One other computer: its name, and what its file last said. */
export function deviceLine(device, now = Date.now()) {
  const name = device.name || `Computer ${device.id}`;
  if (device.removed) return { name, detail: 'removed: its changes are no longer merged' };
  if (device.left) return { name, detail: `stopped syncing ${timeAgo(device.lastWroteMs, now)}` };
  return { name, detail: `last wrote ${timeAgo(device.lastWroteMs, now)}` };
}

/** "Last sync: 2 minutes ago", or that none ran yet. */
export function lastSyncText(status, now = Date.now()) {
  return status.lastSyncMs ? `Last sync: ${timeAgo(status.lastSyncMs, now)}.` : 'Not synced yet.';
}

/** What a sync run changed here, for the status line. */
export function syncResultMessage(result) {
  const changes = Array.isArray(result?.changes) ? result.changes : [];
  if (changes.length === 0) return 'Synced. Nothing changed here.';
  const shown = changes.slice(0, 3).join('; ');
  const more = changes.length > 3 ? `; and ${changes.length - 3} more` : '';
  return `Synced: ${shown}${more}.`;
}

/** The notice shown while another computer's new password waits to be typed here. */
export function passwordChangedText(computer) {
  return `The vault’s password was changed on ${computer}. Type the new password to go on syncing: this copy then opens with it only. Your changes here are kept meanwhile.`;
}
