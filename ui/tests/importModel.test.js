import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  initialSelection, toggle, selectedIds, confirmLabel, summary, baseName, typeLabel, isSelectable, mergeSelection, lockedLabel,
} from '../js/importModel.js';

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
  assert.match(summary({ candidates: [], errors: [{ source: 'x', message: 'y' }] }), /Nothing could be read/);
  assert.match(summary({ candidates: [], errors: [] }), /No accounts were found/);
  assert.match(summary(null), /No accounts/);
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

test('summary of a preview that waits for a password', () => {
  assert.equal(
    summary({ candidates: [], errors: [], locked: [{ source: '/tmp/vault.json', format: 'Aegis backup' }] }),
    'Enter the password of the encrypted file to see its accounts.',
  );
  assert.equal(summary({ candidates: [], errors: [] }), 'No accounts were found in these files.');
});

test('mergeSelection keeps choices and chooses the new accounts as a first preview would', () => {
  const before = { candidates: [{ id: 'c0' }, { id: 'c1' }] };
  const after = { candidates: [{ id: 'c0' }, { id: 'c1' }, { id: 'c2' }, { id: 'c3', duplicate: true }, { id: '', problem: 'bad' }] };
  const merged = mergeSelection(new Set(['c1']), before, after);
  assert.deepEqual([...merged].sort(), ['c1', 'c2']);
});

test('lockedLabel names the file and its kind', () => {
  assert.equal(lockedLabel({ source: '/home/me/aegis-backup.json', format: 'Aegis backup' }),
    'aegis-backup.json is an encrypted Aegis backup. Enter its password to read it.');
});
