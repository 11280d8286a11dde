// Pure logic of organizing: tags (chips, the search box's `tag:` terms, the edit dialog's
// comma-separated field), the edit's changed fields, recovery-code and trash wording.

/** How long a delete can be undone from its toast. */
export const UNDO_MS = 10_000;

const fold = (text) => String(text).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** The tags present in `accounts`, each once (case and accents aside, first spelling kept), sorted. */
export function tagsOf(accounts) {
  const seen = new Map();
  for (const account of accounts || []) {
    for (const tag of account.tags || []) {
      const key = fold(tag);
      if (tag && !seen.has(key)) seen.set(key, tag);
    }
  }
  return [...seen.values()].sort((a, b) => fold(a).localeCompare(fold(b)));
}

/**
 * The search term a chip stands for. The search's `tag:` term is one word that a tag must
 * start with: a tag with spaces is asked for by its first word.
 */
export function tagTerm(tag) {
  const first = String(tag).trim().split(/\s+/)[0] || '';
  return `tag:${first}`;
}

/** The query's words, as typed. */
function words(query) {
  return String(query || '').split(/\s+/).filter(Boolean);
}

/** True when `query` holds the chip's term (case and accents aside). */
export function hasTag(query, tag) {
  const term = fold(tagTerm(tag));
  return words(query).some((word) => fold(word) === term);
}

/** `query` with the chip's term taken out when present, else added at the end. */
export function toggleTag(query, tag) {
  const term = tagTerm(tag);
  if (hasTag(query, tag)) {
    return words(query).filter((word) => fold(word) !== fold(term)).join(' ');
  }
  return [...words(query), term].join(' ');
}

/** The edit dialog's tags field, "work, bank ,, home" → ['work', 'bank', 'home']. */
export function parseTags(text) {
  return String(text || '').split(',').map((tag) => tag.trim()).filter(Boolean);
}

/** The tags as the field shows them. */
export function formatTags(tags) {
  return (tags || []).join(', ');
}

/**
 * What the edit dialog sends: only the fields that changed (a field left out stays as it
 * is in Rust, so a label cleaned for display is never written back unchanged). The clock
 * offset is whole seconds (`timeOffset` as read by clockModel's `accountOffset`).
 * @param {{issuer: string, account: string, tags: string[], note: string, pinned: boolean,
 *          timeOffset?: number}} before
 * @param {{issuer: string, name: string, tags: string, note: string, pinned: boolean,
 *          timeOffset?: number}} form
 */
export function editChanges(before, form) {
  const changes = {};
  if (form.issuer.trim() !== (before.issuer || '').trim()) changes.issuer = form.issuer;
  if (form.name.trim() !== (before.account || '').trim()) changes.name = form.name;
  const tags = parseTags(form.tags);
  if (tags.join('\n') !== (before.tags || []).join('\n')) changes.tags = tags;
  if (form.note.trim() !== (before.note || '').trim()) changes.note = form.note;
  if (Boolean(form.pinned) !== Boolean(before.pinned)) changes.pinned = Boolean(form.pinned);
  // A custom image or a chosen bundled icon is kept unless another choice is made.
  const chosen = before.icon ? before.icon.choice : 'auto';
  if (form.icon && form.icon !== chosen && ICON_CHOICES.includes(form.icon)) changes.icon = { kind: form.icon };
  if (Number.isInteger(form.timeOffset) && form.timeOffset !== (before.timeOffset || 0)) changes.timeOffset = form.timeOffset;
  return changes;
}

/** "8 of 10 recovery codes left" (as the CLI says it), or '' for an account with none. */
export function recoveryLeftText(left, total) {
  if (!total) return '';
  return `${left} of ${total} recovery ${total === 1 ? 'code' : 'codes'} left`;
}

/** What the confirmation of pasted codes says. */
export function parsedSummary({ codes, known }, replace) {
  const n = codes.length;
  const found = `Found ${n} recovery ${n === 1 ? 'code' : 'codes'}.`;
  if (replace) return `${found} They replace the codes kept now.`;
  if (!known) return found;
  if (known === n) return `${found} This account already keeps all of them.`;
  return `${found} ${known} of them ${known === 1 ? 'is' : 'are'} already kept; the others are added.`;
}

/** "30 days left", "1 day left", "goes today". */
export function daysLeftText(days) {
  if (days <= 0) return 'goes today';
  return `${days} ${days === 1 ? 'day' : 'days'} left`;
}

/** The icon choices the edit dialog sends (a custom image is picked in Rust's dialog instead). */
export const ICON_CHOICES = ['auto', 'letter', 'none'];

/** The list's orders, as the preference names them, and what the menu says. */
export const SORTS = [
  ['issuer', 'By issuer'],
  ['name', 'By name'],
  ['used', 'Most used'],
  ['recent', 'Recently used'],
  ['manual', 'My order'],
];

/**
 * Where a move puts an account, as `move_account` takes it: the position in the whole list
 * (`allIds`, the backend's order) of the row `delta` rows away in the rows shown
 * (`shownIds`: the list, or a search's matches). null when there is no such row.
 */
export function moveTarget(allIds, shownIds, id, delta) {
  const at = shownIds.indexOf(id);
  if (at < 0) return null;
  const neighbour = shownIds[at + delta];
  if (neighbour === undefined) return null;
  const to = allIds.indexOf(neighbour);
  return to < 0 ? null : to;
}

/** The letter avatar's colour class: the hue (0–359) in twelve steps, so that CSS (and no inline style) paints it. */
export function hueClass(hue) {
  const step = Number.isInteger(hue) && hue >= 0 ? Math.floor(hue / 30) % 12 : 0;
  return `hue-${step}`;
}
