import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  tagsOf, tagTerm, hasTag, toggleTag, parseTags, formatTags, editChanges, recoveryLeftText,
  parsedSummary, daysLeftText, UNDO_MS, moveTarget, hueClass, SORTS,
} from '../js/organizeModel.js';

test('the tags of the list, each once whatever its case or accents, sorted', () => {
  const accounts = [
    { tags: ['work', 'Bank'] },
    { tags: ['Work', 'école'] },
    { tags: [] },
    {},
    { tags: ['ecole', 'home'] },
  ];
  assert.deepEqual(tagsOf(accounts), ['Bank', 'école', 'home', 'work']);
  assert.deepEqual(tagsOf(undefined), []);
});

test('a chip puts its tag: term in the query, and takes it out again', () => {
  assert.equal(tagTerm('work'), 'tag:work');
  assert.equal(tagTerm('two words'), 'tag:two', 'the search term is one word a tag starts with');
  assert.equal(toggleTag('', 'work'), 'tag:work');
  assert.equal(toggleTag('git', 'work'), 'git tag:work');
  assert.equal(toggleTag('git tag:work', 'work'), 'git');
  assert.equal(toggleTag('TAG:Work  git', 'work'), 'git', 'case does not matter, extra spaces go');
  assert.equal(toggleTag('tag:work', 'bank'), 'tag:work tag:bank');
  assert.equal(hasTag('git tag:work', 'Work'), true);
  assert.equal(hasTag('git tag:wor', 'work'), false, 'a tag being typed is not the chip');
  assert.equal(hasTag('', 'work'), false);
});

test('the tags field reads commas and shows tags back the same way', () => {
  assert.deepEqual(parseTags(' work, bank ,, home ,'), ['work', 'bank', 'home']);
  assert.deepEqual(parseTags(''), []);
  assert.equal(formatTags(['work', 'bank']), 'work, bank');
  assert.equal(formatTags(undefined), '');
});

test('an edit sends only what changed', () => {
  const before = { issuer: 'GitHub', account: 'alice', tags: ['work'], note: '', pinned: false };
  const same = { issuer: 'GitHub ', name: 'alice', tags: 'work', note: ' ', pinned: false };
  assert.deepEqual(editChanges(before, same), {});
  const changed = { issuer: 'GitHub', name: 'bob', tags: 'work, home', note: 'laptop', pinned: true };
  assert.deepEqual(editChanges(before, changed), { name: 'bob', tags: ['work', 'home'], note: 'laptop', pinned: true });
  assert.deepEqual(editChanges(before, { ...same, tags: '' }), { tags: [] }, 'every tag removed');
  assert.deepEqual(editChanges(before, { ...same, timeOffset: 0 }), {}, 'no offset, none set');
  assert.deepEqual(editChanges(before, { ...same, timeOffset: -20 }), { timeOffset: -20 });
  assert.deepEqual(editChanges({ ...before, timeOffset: -20 }, { ...same, timeOffset: -20 }), {});
  assert.deepEqual(editChanges({ ...before, timeOffset: -20 }, { ...same, timeOffset: 0 }), { timeOffset: 0 }, 'cleared');
  assert.deepEqual(editChanges(before, { ...same, timeOffset: NaN }), {}, 'not a number: never sent');
});

test('recovery-code and trash wording', () => {
  assert.equal(recoveryLeftText(8, 10), '8 of 10 recovery codes left');
  assert.equal(recoveryLeftText(1, 1), '1 of 1 recovery code left');
  assert.equal(recoveryLeftText(0, 0), '');
  assert.equal(recoveryLeftText(undefined, undefined), '');
  assert.equal(parsedSummary({ codes: ['a', 'b'], known: 0 }, false), 'Found 2 recovery codes.');
  assert.equal(parsedSummary({ codes: ['a', 'b'], known: 1 }, false), 'Found 2 recovery codes. 1 of them is already kept; the others are added.');
  assert.equal(parsedSummary({ codes: ['a'], known: 1 }, false), 'Found 1 recovery code. This account already keeps all of them.');
  assert.equal(parsedSummary({ codes: ['a'], known: 1 }, true), 'Found 1 recovery code. They replace the codes kept now.');
  assert.equal(daysLeftText(30), '30 days left');
  assert.equal(daysLeftText(1), '1 day left');
  assert.equal(daysLeftText(0), 'goes today');
  assert.equal(UNDO_MS, 10_000);
});

test('an icon choice is sent only when it changed, and a picked image is never sent', () => {
  const before = { issuer: 'GitHub', account: 'alice', tags: [], note: '', pinned: false, icon: { kind: 'bundled', choice: 'auto' } };
  const form = { issuer: 'GitHub', name: 'alice', tags: '', note: '', pinned: false };
  assert.deepEqual(editChanges(before, { ...form, icon: 'auto' }), {});
  assert.deepEqual(editChanges(before, { ...form, icon: 'letter' }), { icon: { kind: 'letter' } });
  assert.deepEqual(editChanges(before, { ...form, icon: 'none' }), { icon: { kind: 'none' } });
  const custom = { ...before, icon: { kind: 'image', choice: 'image' } };
  assert.deepEqual(editChanges(custom, { ...form, icon: 'image' }), {}, 'the custom image stays');
  assert.deepEqual(editChanges(custom, { ...form, icon: 'auto' }), { icon: { kind: 'auto' } });
  assert.deepEqual(editChanges({ ...before, icon: undefined }, { ...form, icon: 'auto' }), {});
});

test('Alt+arrows move to the neighbour shown, as a place in the whole list', () => {
  const all = ['a', 'b', 'c', 'd', 'e'];
  assert.equal(moveTarget(all, all, 'c', 1), 3);
  assert.equal(moveTarget(all, all, 'c', -1), 1);
  assert.equal(moveTarget(all, all, 'a', -1), null, 'nothing above the first row');
  assert.equal(moveTarget(all, all, 'e', 1), null);
  // A search shows b, e, a: Alt+Down on b takes e's place in the whole list.
  assert.equal(moveTarget(all, ['b', 'e', 'a'], 'b', 1), 4);
  assert.equal(moveTarget(all, ['b', 'e', 'a'], 'a', -1), 4);
  assert.equal(moveTarget(all, all, 'x', 1), null, 'an unknown row');
  assert.equal(moveTarget(all, all, 'd', 0), 3, 'a drop takes the row’s own place');
});

test('the letter colour is one of twelve classes, and the sort menu names every order', () => {
  assert.equal(hueClass(0), 'hue-0');
  assert.equal(hueClass(32), 'hue-1');
  assert.equal(hueClass(359), 'hue-11');
  assert.equal(hueClass(-5), 'hue-0');
  assert.equal(hueClass('x'), 'hue-0');
  assert.deepEqual(SORTS.map(([value]) => value), ['issuer', 'name', 'used', 'recent', 'manual']);
});
