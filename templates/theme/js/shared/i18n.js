// The browser's interface text and figures in the page's language (<html lang>).
//
// Messages are gettext's (domain "browser", templates/theme/locales/<lang>/LC_MESSAGES/
// browser.po): the msgid is the English text, and the build publishes each language's
// translations as js/i18n/<lang>.json (site_builder/site/browser_messages.py), one address per
// language that every page shares, so the browser fetches it once and caches it. Messages are
// keyed by the FNV-1a hash of their msgid (the English text would double the file), and plural
// forms by CLDR category, chosen with Intl.PluralRules (a gettext plural formula would need
// eval, which the pages' CSP forbids). A message with no translation shows its English msgid.
//
// Placeholders are {name}, filled from `params` (as the verifier's messages in verifier.json).
// Only string literals may be passed to t() and nt(), except for verifier.json's messages, so
// that `pybabel extract -F babel-browser.cfg` finds every message.
import {fnv1a32} from './shards.js';

function pageLanguage() {
  try {
    return Intl.getCanonicalLocales(document.documentElement.lang || 'en')[0];
  } catch {
    return 'en'; // a lang attribute that is not a language tag
  }
}

export const language = pageLanguage();

async function loadMessages() {
  try {
    const response = await fetch(new URL(`../i18n/${language}.json`, import.meta.url));
    if (!response.ok) return {};
    const {messages} = await response.json();
    return messages !== null && typeof messages === 'object' ? messages : {};
  } catch {
    return {}; // offline or no catalogue: the English text is better than nothing
  }
}

const messages = await loadMessages();
const plurals = new Intl.PluralRules(language);

function translation(msgid) {
  const key = fnv1a32(msgid).toString(16).padStart(8, '0');
  return Object.hasOwn(messages, key) ? messages[key] : undefined;
}

function fill(text, params) {
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The message `msgid` in the page's language, its {placeholders} filled from `params`. */
export function t(msgid, params = {}) {
  const text = translation(msgid);
  return fill(typeof text === 'string' ? text : msgid, params);
}

/**
 * The form of a message for the number `n` ({n} is filled with it, written for the page's
 * language); `singular` and `plural` are the English forms.
 */
export function nt(singular, plural, n, params = {}) {
  const forms = translation(singular);
  const category = plurals.select(n);
  let text = category === 'one' ? singular : plural;
  if (forms !== null && typeof forms === 'object') {
    text = forms[category] ?? forms.other ?? text;
  }
  return fill(text, {n: formatNumber(n), ...params});
}

// Intl formatters, made once per kind and options: the first one of a kind loads the
// browser's locale data, which costs milliseconds a page pays once.
const formatters = new Map();

function formatter(Kind, options) {
  const key = `${Kind.name}:${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Kind(language, options));
  return formatters.get(key);
}

/** A number as the page's language writes it (Intl.NumberFormat options). */
export function formatNumber(number, options = {}) {
  return formatter(Intl.NumberFormat, options).format(number);
}

/** Several texts as one list: "a, b and c" in the page's language. */
export function formatList(items, type = 'conjunction') {
  return formatter(Intl.ListFormat, {style: 'long', type}).format(items);
}

function utcPart(moment, options) {
  return formatter(Intl.DateTimeFormat, {timeZone: 'UTC', ...options}).format(moment);
}

/** "15 January 2026", or "15 January 2026 at 09:30 UTC": always in UTC, the time 24-hour. */
export function formatDate(time, withTime = false) {
  const moment = new Date(time);
  const date = t('{day} {month} {year}', {
    day: utcPart(moment, {day: 'numeric'}),
    month: utcPart(moment, {month: 'long'}),
    year: moment.getUTCFullYear(),
  });
  if (!withTime) return date;
  const pad = (number) => String(number).padStart(2, '0');
  return t('{date} at {time} UTC', {
    date,
    time: `${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())}`,
  });
}
