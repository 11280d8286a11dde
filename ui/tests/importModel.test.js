import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSelection, toggle, selectedIds, confirmLabel, summary, baseName, typeLabel, isSelectable } from '../js/importModel.js';

const preview = {
  candidates: [
    { id: 'c1', issuer: 'Dropbox', account: 'a', type: 'totp', source: '/p/a.png', duplicate: false, problem: null },
    { id: 'c2', issuer: 'GitHub', account: 'a', type: 'totp', source: '/p/b.png', duplicate: true, problem: null },
    { id: 'c3', issuer: 'Weird', account: 'x', type: 'totp', source: '/p/c.png', duplicate: false, problem: 'Bad secret' },
    { id: 'c4', issuer: 'Bank', account: 'a', type: 'hotp', source: 'C:\\x\\d.jpg', duplicate: false, problem: null },
  ],
  errors: [{ source: '/p/cat.jpg', message: 'No QR code found' }],
};

test('new, valid candidates start checked; duplicates and problems do not', () => {
  assert.deepEqual([...initialSelection(preview)].sort(), ['c1', 'c4']);
});

test('candidates with a problem cannot be selected', () => {
  assert.equal(isSelectable(preview.candidates[2]), false);
  const s = toggle(initialSelection(preview), preview, 'c3', true);
  assert.equal(s.has('c3'), false);
});

test('duplicates can be opted in; toggling is immutable', () => {
  const s0 = initialSelection(preview);
  const s1 = toggle(s0, preview, 'c2', true);
  assert.equal(s0.has('c2'), false);
  assert.equal(s1.has('c2'), true);
  const s2 = toggle(s1, preview, 'c1', false);
  assert.deepEqual(selectedIds(s2, preview), ['c2', 'c4']);
});

test('unknown ids are ignored', () => {
  const s = toggle(new Set(), preview, 'nope', true);
  assert.equal(s.size, 0);
  assert.deepEqual(selectedIds(new Set(['nope', 'c3']), preview), []);
});

test('selectedIds keeps the preview order', () => {
  assert.deepEqual(selectedIds(new Set(['c4', 'c1']), preview), ['c1', 'c4']);
});

test('confirm label follows the count', () => {
  assert.equal(confirmLabel(0), 'Import 0 accounts');
  assert.equal(confirmLabel(1), 'Import 1 account');
  assert.equal(confirmLabel(2), 'Import 2 accounts');
});

test('summary', () => {
  assert.equal(summary(preview), 'Found 4 accounts, 1 already in your vault, 1 cannot be imported.');
  assert.equal(summary({ candidates: [preview.candidates[0]], errors: [] }), 'Found 1 account.');
  assert.match(summary({ candidates: [], errors: [{ source: 'x', message: 'y' }] }), /could be read/);
  assert.match(summary({ candidates: [], errors: [] }), /No QR codes were found/);
  assert.match(summary(null), /No QR codes/);
});

test('baseName handles POSIX and Windows paths', () => {
  assert.equal(baseName('/home/a/Pictures/shot.png'), 'shot.png');
  assert.equal(baseName('C:\\Users\\a\\shot.png'), 'shot.png');
  assert.equal(baseName('shot.png'), 'shot.png');
  assert.equal(baseName(''), '');
});

test('typeLabel', () => {
  assert.equal(typeLabel('totp'), 'TOTP');
  assert.equal(typeLabel('steam'), 'Steam');
  assert.equal(typeLabel('other'), 'OTHER');
});
