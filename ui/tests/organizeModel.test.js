import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  tagsOf, tagTerm, hasTag, toggleTag, parseTags, formatTags, editChanges, recoveryLeftText,
  parsedSummary, daysLeftText, UNDO_MS,
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
