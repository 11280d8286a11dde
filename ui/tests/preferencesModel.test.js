import { test } from 'node:test';
import assert from 'node:assert/strict';

import { withChanges, themeOf } from '../js/preferencesModel.js';

const SAVED = {
  quickShortcut: 'Ctrl+Alt+Space', nextCode: 'always', hideCodes: true, compact: false,
  sort: 'manual', theme: 'dark', shortcuts: ['Ctrl+Alt+Space'], shortcutAvailable: true, problem: null, startAtLogin: false,
};

test('a change keeps every other saved preference, even one added later', () => {
  assert.deepEqual(withChanges(SAVED, { sort: 'name' }), {
    quickShortcut: 'Ctrl+Alt+Space', nextCode: 'always', hideCodes: true, compact: false,
    sort: 'name', theme: 'dark',
  });
  assert.equal(withChanges({ ...SAVED, futurePreference: 3 }, {}).futurePreference, 3);
});

test('the view\'s own fields are not saved (the file refuses unknown fields)', () => {
  const saved = withChanges(SAVED, { theme: 'light' });
  for (const field of ['shortcuts', 'shortcutAvailable', 'problem', 'startAtLogin']) assert.equal(field in saved, false, field);
  assert.equal(saved.theme, 'light');
});

test('the theme becomes data-theme only when chosen', () => {
  assert.equal(themeOf({ theme: 'dark' }), 'dark');
  assert.equal(themeOf({ theme: 'light' }), 'light');
  assert.equal(themeOf({ theme: 'system' }), null);
  assert.equal(themeOf({ theme: '<script>' }), null);
  assert.equal(themeOf(null), null);
});

test('every colour follows the chosen theme: no stylesheet asks the OS directly', async () => {
  // A `prefers-color-scheme` block would ignore Settings' choice; colours are light-dark()
  // pairs instead, which follow `color-scheme`, set from data-theme.
  const { readdir, readFile } = await import('node:fs/promises');
  const folder = new URL('../css/', import.meta.url);
  const sheets = (await readdir(folder)).filter((name) => name.endsWith('.css'));
  assert.ok(sheets.length >= 5, sheets.join());
  for (const name of sheets) {
    const css = await readFile(new URL(name, folder), 'utf8');
    assert.doesNotMatch(css, /prefers-color-scheme/, name);
  }
  const base = await readFile(new URL('base.css', folder), 'utf8');
  assert.match(base, /:root\[data-theme="dark"\]\s*\{\s*color-scheme:\s*dark;/);
  assert.match(base, /:root\[data-theme="light"\]\s*\{\s*color-scheme:\s*light;/);
});
