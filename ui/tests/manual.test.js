import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildManualEntry, normalizeSecret, isBase32, checkUri, defaultsFor } from '../js/manual.js';

const base = { issuer: 'GitHub', account: 'alice', secret: 'JBSWY3DPEHPK3PXP', type: 'totp', algorithm: 'SHA1', digits: '6', period: '30', counter: '0' };

test('normalizeSecret strips spaces, dashes, padding and upper-cases', () => {
  assert.equal(normalizeSecret(' jbsw y3dp-ehpk 3pxp== '), 'JBSWY3DPEHPK3PXP');
  assert.equal(normalizeSecret(null), '');
});

test('isBase32', () => {
  assert.equal(isBase32('JBSWY3DPEHPK3PXP'), true);
  assert.equal(isBase32('JBSWY3DP1'), false, '1 is not Base32');
  assert.equal(isBase32('ABC8'), false);
});

test('TOTP payload: period set, counter null, numbers are numbers', () => {
  const r = buildManualEntry({ ...base, issuer: '  GitHub ', secret: 'jbsw y3dp ehpk 3pxp' });
  assert.equal(r.ok, true);
  assert.deepEqual(r.entry, {
    issuer: 'GitHub', account: 'alice', secret: 'JBSWY3DPEHPK3PXP', type: 'totp',
    algorithm: 'SHA1', digits: 6, period: 30, counter: null,
  });
});

test('HOTP payload: counter set, period null', () => {
  const r = buildManualEntry({ ...base, type: 'hotp', counter: '5', algorithm: 'SHA256', digits: '8' });
  assert.equal(r.ok, true);
  assert.equal(r.entry.period, null);
  assert.equal(r.entry.counter, 5);
  assert.equal(r.entry.digits, 8);
  assert.equal(r.entry.algorithm, 'SHA256');
});

test('Steam payload: 5 digits, SHA1, period kept', () => {
  const r = buildManualEntry({ ...base, type: 'steam', algorithm: 'SHA512', digits: '8', period: '30' });
  assert.equal(r.ok, true);
  assert.equal(r.entry.type, 'steam');
  assert.equal(r.entry.digits, 5);
  assert.equal(r.entry.algorithm, 'SHA1');
  assert.equal(r.entry.period, 30);
  assert.equal(r.entry.counter, null);
});

test('empty advanced fields take the defaults', () => {
  const r = buildManualEntry({ issuer: 'X', account: '', secret: 'JBSWY3DPEHPK3PXP', type: 'totp', algorithm: 'SHA1', digits: '', period: '' });
  assert.equal(r.ok, true);
  assert.equal(r.entry.digits, 6);
  assert.equal(r.entry.period, 30);
  const h = buildManualEntry({ issuer: 'X', secret: 'JBSWY3DPEHPK3PXP', type: 'hotp', counter: '' });
  assert.equal(h.entry.counter, 0);
});

test('either issuer or account name is required', () => {
  const r = buildManualEntry({ ...base, issuer: ' ', account: '' });
  assert.equal(r.ok, false);
  assert.ok(r.errors.issuer);
  assert.equal(buildManualEntry({ ...base, issuer: '', account: 'alice' }).ok, true);
});

test('secret is required and must be Base32', () => {
  assert.ok(buildManualEntry({ ...base, secret: '' }).errors.secret);
  assert.match(buildManualEntry({ ...base, secret: 'not base32!' }).errors.secret, /Base32/);
});

test('digits, period and counter are range-checked', () => {
  assert.ok(buildManualEntry({ ...base, digits: '5' }).errors.digits);
  assert.ok(buildManualEntry({ ...base, digits: '9' }).errors.digits);
  assert.ok(buildManualEntry({ ...base, digits: '6.5' }).errors.digits);
  assert.ok(buildManualEntry({ ...base, period: '0' }).errors.period);
  assert.ok(buildManualEntry({ ...base, period: 'abc' }).errors.period);
  assert.ok(buildManualEntry({ ...base, type: 'hotp', counter: '-1' }).errors.counter);
  assert.equal(buildManualEntry({ ...base, type: 'hotp', period: 'ignored' }).ok, true, 'period is ignored for HOTP');
});

test('unknown type and algorithm fall back to safe defaults', () => {
  const r = buildManualEntry({ ...base, type: 'bogus', algorithm: 'MD5' });
  assert.equal(r.entry.type, 'totp');
  assert.equal(r.entry.algorithm, 'SHA1');
});

test('defaultsFor each type', () => {
  assert.deepEqual(defaultsFor('totp'), { algorithm: 'SHA1', digits: 6, period: 30, counter: null });
  assert.deepEqual(defaultsFor('hotp'), { algorithm: 'SHA1', digits: 6, period: null, counter: 0 });
  assert.equal(defaultsFor('steam').digits, 5);
});

test('checkUri: light validation of a pasted link', () => {
  assert.equal(checkUri('').ok, false);
  assert.equal(checkUri('https://example.com').ok, false);
  assert.deepEqual(checkUri('  otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP  '),
    { ok: true, uri: 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP' });
  assert.equal(checkUri('OTPAUTH://hotp/x?secret=AA').ok, true);
});
