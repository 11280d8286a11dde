// Every string a person reads comes from one catalog per language (ui/js/i18n/<lang>.js for
// the window's own text, ui/js/i18n/backend.<lang>.js for what the backend says: error keys and
// the tray's labels). English is complete by
// definition and is the fallback for a key another catalog lacks; the catalog check test keeps
// the other catalogs complete.
//
// A catalog maps a key to a template. `{name}` in a template is replaced by params.name. A value
// that is an object is a plural: its forms are keyed by Intl.PluralRules categories (`one`,
// `other`, …) and chosen by params.count.

import en from './i18n/en.js';
import de from './i18n/de.js';
import fr from './i18n/fr.js';
import backendEn from './i18n/backend.en.js';
import backendDe from './i18n/backend.de.js';
import backendFr from './i18n/backend.fr.js';

/** The languages Ringlet speaks, each named in its own language (as a language menu shows them). */
export const LANGUAGES = Object.freeze({
  en: Object.freeze({ name: 'English', catalog: { ...en, ...backendEn } }),
  de: Object.freeze({ name: 'Deutsch', catalog: { ...de, ...backendDe } }),
  fr: Object.freeze({ name: 'Français', catalog: { ...fr, ...backendFr } }),
});

export const DEFAULT_LANGUAGE = 'en';

/**
 * The language to use: the override when it is one Ringlet speaks, else the first of the
 * person's preferred languages (BCP 47 tags, as navigator.languages gives them: `de-AT`,
 * `fr_CH.UTF-8` from an environment) that Ringlet speaks, else English.
 * @param {readonly string[]|null|undefined} preferred
 * @param {string|null|undefined} [override]
 */
export function pickLanguage(preferred, override) {
  const base = (tag) => String(tag ?? '').trim().toLowerCase().split(/[-_.@]/)[0];
  if (override && Object.hasOwn(LANGUAGES, base(override))) return base(override);
  for (const tag of preferred ?? []) {
    const lang = base(tag);
    if (Object.hasOwn(LANGUAGES, lang)) return lang;
  }
  return DEFAULT_LANGUAGE;
}

/** `{name}` → params.name. A placeholder with no value stays as written, so a gap shows. */
export function interpolate(template, params = {}) {
  return String(template).replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (whole, name) =>
    Object.hasOwn(params, name) && params[name] != null ? String(params[name]) : whole);
}

function lookup(lang, key) {
  const catalog = LANGUAGES[lang]?.catalog;
  return catalog && Object.hasOwn(catalog, key) ? catalog[key] : undefined;
}

/**
 * The text for `key` in `lang`: that language's template, else English's, else `fallback`
 * (a backend message, say), else the key itself (which the catalog check test forbids).
 * @param {string} lang
 * @param {string} key
 * @param {Record<string, unknown>} [params]
 * @param {string} [fallback]
 */
export function translate(lang, key, params = {}, fallback) {
  let found = lang;
  let template = lookup(lang, key);
  if (template === undefined && lang !== DEFAULT_LANGUAGE) {
    found = DEFAULT_LANGUAGE;
    template = lookup(DEFAULT_LANGUAGE, key);
  }
  if (template === undefined) return fallback ?? key;
  if (template !== null && typeof template === 'object') {
    const category = new Intl.PluralRules(found).select(Number(params.count));
    template = template[category] ?? template.other;
  }
  return interpolate(template, params);
}

let current = DEFAULT_LANGUAGE;

/** Switch the window's language; the caller re-renders (applyTranslations plus its views). */
export function setLanguage(lang) {
  current = Object.hasOwn(LANGUAGES, lang) ? lang : DEFAULT_LANGUAGE;
  if (typeof document !== 'undefined') document.documentElement.lang = current;
  return current;
}

/** The window's language now. */
export function language() {
  return current;
}

/** The text for `key` in the window's language. */
export function t(key, params, fallback) {
  return translate(current, key, params, fallback);
}

/**
 * Translate the static markup under `root`: `data-i18n="key"` sets the element's text;
 * `data-i18n-attr="aria-label:key; placeholder:other.key"` sets attributes.
 * @param {ParentNode} root
 */
export function applyTranslations(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((part) => part.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}
