// Keyboard shortcuts of the main list, as pure functions of a keydown event.

function withCommandKey(event, key) {
  return Boolean(event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey
    && typeof event.key === 'string' && event.key.toLowerCase() === key;
}

/** Ctrl+L (Cmd+L on macOS) locks the vault. */
export function isLockShortcut(event) {
  return withCommandKey(event, 'l');
}

/** Ctrl+V (Cmd+V) outside a text field imports what is on the clipboard. */
export function isPasteImport(event) {
  return withCommandKey(event, 'v') && !isTextField(event.target);
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
