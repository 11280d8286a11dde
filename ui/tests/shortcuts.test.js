import { test } from 'node:test';
import assert from 'node:assert/strict';

import { isLockShortcut, isPasteImport, isTextField } from '../js/shortcuts.js';

test('Ctrl+L and Cmd+L lock; other combinations do not', () => {
  assert.equal(isLockShortcut({ ctrlKey: true, key: 'l' }), true);
  assert.equal(isLockShortcut({ metaKey: true, key: 'L' }), true);
  assert.equal(isLockShortcut({ ctrlKey: true, shiftKey: true, key: 'L' }), false);
  assert.equal(isLockShortcut({ ctrlKey: true, altKey: true, key: 'l' }), false);
  assert.equal(isLockShortcut({ key: 'l' }), false);
  assert.equal(isLockShortcut({ ctrlKey: true, key: 'k' }), false);
});

test('Ctrl+V imports only outside text fields', () => {
  const row = { tagName: 'LI' };
  assert.equal(isPasteImport({ ctrlKey: true, key: 'v', target: row }), true);
  assert.equal(isPasteImport({ metaKey: true, key: 'V', target: document_body() }), true);
  assert.equal(isPasteImport({ ctrlKey: true, key: 'v', target: { tagName: 'TEXTAREA' } }), false);
  assert.equal(isPasteImport({ ctrlKey: true, key: 'v', target: { tagName: 'INPUT', type: 'password' } }), false);
  assert.equal(isPasteImport({ key: 'v', target: row }), false);
});

test('checkboxes and buttons are not text fields; text inputs and editable content are', () => {
  assert.equal(isTextField({ tagName: 'INPUT', type: 'checkbox' }), false);
  assert.equal(isTextField({ tagName: 'BUTTON' }), false);
  assert.equal(isTextField({ tagName: 'INPUT' }), true);
  assert.equal(isTextField({ tagName: 'DIV', isContentEditable: true }), true);
  assert.equal(isTextField(null), false);
});

function document_body() {
  return { tagName: 'BODY' };
}
