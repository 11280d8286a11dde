import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  groupCode, placeholderCode, displayCode, accountLabel, primaryText, secondaryText,
  rowAriaLabel, pluralize, shortenLabel, shortAccountLabel, SHORT_LABEL_MAX,
} from '../js/format.js';

test('groupCode: 6 digits → 3+3', () => {
  assert.equal(groupCode('123456'), '123 456');
});

test('groupCode: 8 digits → 4+4', () => {
  assert.equal(groupCode('12345678'), '1234 5678');
});

test('groupCode: 7 digits → 3+4 (no lone trailing digit)', () => {
  assert.equal(groupCode('1234567'), '123 4567');
});

test('groupCode: groups of 3 from the left otherwise', () => {
  assert.equal(groupCode('123456789'), '123 456 789');
  assert.equal(groupCode('1234567890'), '123 456 7890');
});

test('groupCode: Steam codes and short codes stay ungrouped', () => {
  assert.equal(groupCode('BCDFG', 'steam'), 'BCDFG');
  assert.equal(groupCode('12345'), '12345');
  assert.equal(groupCode('123456', 'steam'), '123456');
});

test('groupCode keeps leading zeros and handles null', () => {
  assert.equal(groupCode('000123'), '000 123');
  assert.equal(groupCode(null), '');
  assert.equal(groupCode(undefined), '');
});

test('placeholderCode masks per digit count', () => {
  assert.equal(placeholderCode(6), '••• •••');
  assert.equal(placeholderCode(8), '•••• ••••');
  assert.equal(placeholderCode(undefined), '••• •••');
});

test('displayCode: HOTP without a code shows dots, otherwise the grouped code', () => {
  assert.equal(displayCode({ type: 'hotp', digits: 6, code: null }), '••• •••');
  assert.equal(displayCode({ type: 'hotp', digits: 6, code: '042042' }), '042 042');
  assert.equal(displayCode({ type: 'totp', digits: 8, code: '87654321' }), '8765 4321');
  assert.equal(displayCode({ type: 'steam', digits: 5, code: 'X7K2P' }), 'X7K2P');
});

test('accountLabel combines issuer and account name', () => {
  assert.equal(accountLabel({ issuer: 'GitHub', account: 'alice' }), 'GitHub (alice)');
  assert.equal(accountLabel({ issuer: 'GitHub', account: '' }), 'GitHub');
  assert.equal(accountLabel({ issuer: '  ', account: 'alice' }), 'alice');
  assert.equal(accountLabel({ issuer: '', account: '' }), 'this account');
});

test('row texts fall back when the issuer is missing', () => {
  assert.equal(primaryText({ issuer: 'GitHub', account: 'alice' }), 'GitHub');
  assert.equal(secondaryText({ issuer: 'GitHub', account: 'alice' }), 'alice');
  assert.equal(primaryText({ issuer: '', account: 'alice' }), 'alice');
  assert.equal(secondaryText({ issuer: '', account: 'alice' }), '');
  assert.equal(primaryText({ issuer: '', account: '' }), 'Unnamed account');
});

test('hostile labels are treated as plain text', () => {
  const label = '<img src=x onerror=alert(1)>';
  assert.equal(accountLabel({ issuer: label, account: '' }), label);
});

test('rowAriaLabel reads the code or says there is none', () => {
  assert.equal(rowAriaLabel({ issuer: 'GitHub', account: 'alice', type: 'totp', code: '123456' }), 'GitHub (alice), 123 456');
  assert.equal(rowAriaLabel({ issuer: 'Bank', account: '', type: 'hotp', code: null }), 'Bank, no code yet');
  assert.equal(rowAriaLabel({ issuer: 'Bank', account: '', type: 'totp', code: '123456', pinned: true }), 'Bank, pinned, 123 456');
});

test('pluralize', () => {
  assert.equal(pluralize(1, 'account'), '1 account');
  assert.equal(pluralize(0, 'account'), '0 accounts');
  assert.equal(pluralize(3, 'account'), '3 accounts');
});

test('shortenLabel keeps short labels and cuts long ones to 80 characters with "…"', () => {
  assert.equal(SHORT_LABEL_MAX, 80);
  assert.equal(shortenLabel('GitHub'), 'GitHub');
  const exact = 'x'.repeat(80);
  assert.equal(shortenLabel(exact), exact);
  const cut = shortenLabel('y'.repeat(10_000));
  assert.equal([...cut].length, 80);
  assert.ok(cut.endsWith('…'));
  assert.equal(shortenLabel('abc def ghi', 9), 'abc def…', 'no space before the ellipsis');
  assert.equal(shortenLabel(null), '');
});

test('shortenLabel never splits a character made of two code units', () => {
  const cut = shortenLabel('😀'.repeat(100), 10);
  assert.equal(cut, `${'😀'.repeat(9)}…`);
  assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut), 'no lone high surrogate');
});

test('a sentence (the undo toast) quotes at most 80 characters of a hostile label', () => {
  const issuer = 'I'.repeat(10_000);
  const name = 'n'.repeat(10_000);
  const label = shortAccountLabel({ issuer, account: name });
  assert.equal(label, `${'I'.repeat(79)}…`);
  assert.equal(shortAccountLabel({ issuer: 'GitHub', account: 'alice' }), 'GitHub (alice)');
});
