import { test } from 'node:test';
import assert from 'node:assert/strict';

import { isLockShortcut, isPasteImport, isTextField, isSearchShortcut, isAddShortcut, isSettingsShortcut, mainShortcut } from '../js/shortcuts.js';

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

test('Ctrl+V in the empty search box imports; with a query it pastes as text', () => {
  const search = (value) => ({ tagName: 'INPUT', type: 'search', value, dataset: { pasteImports: '' } });
  assert.equal(isPasteImport({ ctrlKey: true, key: 'v', target: search('') }), true);
  assert.equal(isPasteImport({ ctrlKey: true, key: 'v', target: search('git') }), false);
  // Another text field, even empty, keeps its own paste.
  assert.equal(isPasteImport({ ctrlKey: true, key: 'v', target: { tagName: 'INPUT', value: '', dataset: {} } }), false);
});

test('Ctrl+F anywhere and / outside a text field go to search; Ctrl+N adds; Ctrl+, opens settings', () => {
  const row = { tagName: 'LI' };
  const field = { tagName: 'INPUT', type: 'text' };
  assert.equal(isSearchShortcut({ ctrlKey: true, key: 'f', target: field }), true);
  assert.equal(isSearchShortcut({ key: '/', target: row }), true);
  assert.equal(isSearchShortcut({ key: '/', target: field }), false, 'a slash typed in a field stays there');
  assert.equal(isSearchShortcut({ ctrlKey: true, key: '/', target: row }), false);
  assert.equal(isSearchShortcut({ key: 'f', target: row }), false);
  assert.equal(isAddShortcut({ ctrlKey: true, key: 'n' }), true);
  assert.equal(isAddShortcut({ ctrlKey: true, shiftKey: true, key: 'N' }), false);
  assert.equal(isSettingsShortcut({ ctrlKey: true, key: ',' }), true);
  assert.equal(isSettingsShortcut({ key: ',' }), false);
});

test('over a dialog only Ctrl+L acts; otherwise each shortcut names its action', () => {
  const row = { tagName: 'LI' };
  assert.equal(mainShortcut({ ctrlKey: true, key: 'l', target: row }, true), 'lock');
  assert.equal(mainShortcut({ ctrlKey: true, key: 'v', target: row }, true), null);
  assert.equal(mainShortcut({ ctrlKey: true, key: 'n', target: row }, true), null);
  assert.equal(mainShortcut({ ctrlKey: true, key: 'v', target: row }, false), 'paste-import');
  assert.equal(mainShortcut({ key: '/', target: row }, false), 'search');
  assert.equal(mainShortcut({ ctrlKey: true, key: 'n', target: row }, false), 'add');
  assert.equal(mainShortcut({ ctrlKey: true, key: ',', target: row }, false), 'settings');
  assert.equal(mainShortcut({ key: 'a', target: row }, false), null);
});

test('Ctrl+Z undoes a delete outside text fields and in the empty search box only', () => {
  const search = (value) => ({ tagName: 'INPUT', type: 'search', value, dataset: { pasteImports: '' } });
  assert.equal(mainShortcut({ ctrlKey: true, key: 'z', target: { tagName: 'LI' } }, false), 'undo');
  assert.equal(mainShortcut({ ctrlKey: true, key: 'z', target: search('') }, false), 'undo');
  assert.equal(mainShortcut({ ctrlKey: true, key: 'z', target: search('git') }, false), null);
  assert.equal(mainShortcut({ ctrlKey: true, key: 'z', target: { tagName: 'TEXTAREA' } }, false), null);
  assert.equal(mainShortcut({ ctrlKey: true, shiftKey: true, key: 'Z', target: { tagName: 'LI' } }, false), null);
  assert.equal(mainShortcut({ ctrlKey: true, key: 'z', target: { tagName: 'LI' } }, true), null, 'not over a dialog');
});
