import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickLanguage, interpolate, translate, setLanguage, language } from '../js/i18n.js';

test('pickLanguage: an override Ringlet speaks wins over the system', () => {
  assert.equal(pickLanguage(['fr-FR', 'en'], 'de'), 'de');
});

test('pickLanguage: the first preferred language Ringlet speaks, region and encoding ignored', () => {
  assert.equal(pickLanguage(['pt-BR', 'fr_CH.UTF-8', 'de'], null), 'fr');
  assert.equal(pickLanguage(['DE-at'], ''), 'de');
});

test('pickLanguage: English when nothing matches, and for an override it does not speak', () => {
  assert.equal(pickLanguage(['pt-BR', 'ja'], 'xx'), 'en');
  assert.equal(pickLanguage(undefined, undefined), 'en');
});

test('interpolate: named placeholders, and a missing one stays visible', () => {
  assert.equal(interpolate('{n} of {m} left', { n: 8, m: 10 }), '8 of 10 left');
  assert.equal(interpolate('Hello {who}', {}), 'Hello {who}');
  assert.equal(interpolate('{a}{a}', { a: '<b>' }), '<b><b>');
});

test('translate: an unknown key falls back to the given text, then to the key', () => {
  assert.equal(translate('de', 'no.such.key', {}, 'Backend text'), 'Backend text');
  assert.equal(translate('de', 'no.such.key'), 'no.such.key');
});

test('setLanguage: only languages Ringlet speaks', () => {
  assert.equal(setLanguage('fr'), 'fr');
  assert.equal(language(), 'fr');
  assert.equal(setLanguage('xx'), 'en');
});
