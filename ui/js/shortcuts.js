// Keyboard shortcuts of the main list, as pure functions of a keydown event.

function withCommandKey(event, key) {
  return Boolean(event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey
    && typeof event.key === 'string' && event.key.toLowerCase() === key;
}

/** Ctrl+L (Cmd+L on macOS) locks the vault. */
export function isLockShortcut(event) {
  return withCommandKey(event, 'l');
}

/**
 * Ctrl+V (Cmd+V) imports what is on the clipboard, outside a text field and in the search
 * box while it is empty (it has focus whenever the list shows, and a QR screenshot or a
 * link pasted there is meant as an import, not a query).
 */
export function isPasteImport(event) {
  return withCommandKey(event, 'v') && outsideTypedText(event.target);
}

/** Outside a text field, or in the search box while it is empty (nothing typed to act on). */
function outsideTypedText(target) {
  const emptySearch = Boolean(target && target.dataset && 'pasteImports' in target.dataset)
    && target.value === '';
  return emptySearch || !isTextField(target);
}

/**
 * Ctrl+Z (Cmd+Z) undoes the latest delete (while its toast shows), outside a text field and
 * in the empty search box (which has focus whenever the list shows); a text field with
 * text keeps its own undo.
 */
export function isUndoShortcut(event) {
  return withCommandKey(event, 'z') && outsideTypedText(event.target);
}

/** Ctrl+F (Cmd+F) anywhere, or `/` outside a text field, goes to the search box. */
export function isSearchShortcut(event) {
  if (withCommandKey(event, 'f')) return true;
  return event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey
    && !isTextField(event.target);
}

/** Ctrl+N (Cmd+N) adds an account. */
export function isAddShortcut(event) {
  return withCommandKey(event, 'n');
}

/** Ctrl+, (Cmd+,) opens the settings. */
export function isSettingsShortcut(event) {
  return withCommandKey(event, ',');
}

/** Text fields keep their own paste. */
export function isTextField(target) {
  if (!target || typeof target !== 'object') return false;
  if (target.isContentEditable) return true;
  const tag = typeof target.tagName === 'string' ? target.tagName.toLowerCase() : '';
  if (tag === 'textarea') return true;
  if (tag !== 'input') return false;
  const type = (target.type || 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(type);
}

/**
 * The main window's shortcut for a key press, or null: 'lock' (even over a dialog), and,
 * when no dialog is open, 'paste-import', 'undo', 'search', 'add' or 'settings'.
 */
export function mainShortcut(event, dialogOpen) {
  if (isLockShortcut(event)) return 'lock';
  if (dialogOpen) return null;
  if (isPasteImport(event)) return 'paste-import';
  if (isUndoShortcut(event)) return 'undo';
  if (isSearchShortcut(event)) return 'search';
  if (isAddShortcut(event)) return 'add';
  if (isSettingsShortcut(event)) return 'settings';
  return null;
}
