// Figures in the page's language, worded as site_builder/site/presentation.py words them for
// the page with Babel (hours as a number with at most three decimals, money as an amount with
// two decimals and the currency code, several currencies joined with " + ", dates in CLDR's
// long form), so a total the browser computes reads like the totals printed on the pages.
// Digits, separators and month names come from Intl, which follows the same CLDR data.
import {formatNumber, language, nt, t} from './i18n.js';

/** "220 hours", "1 hour", "1.5 hours": a fraction takes the plural (as presentation.py). */
export function hoursText(hours) {
  const amount = Number(hours);
  const count = Number.isInteger(amount) ? amount : 2;
  return nt('{hours} hour', '{hours} hours', count, {hours: formatNumber(amount)});
}

/** An amount kept in hundredths (integers add up exactly), e.g. 123450 -> "1,234.50 EUR". */
export function moneyText(cents, currency) {
  const amount = formatNumber(cents / 100, {minimumFractionDigits: 2, maximumFractionDigits: 2});
  return t('{amount} {currency}', {amount, currency});
}

/** Sums per currency (a Map of currency -> hundredths), or "Free" when nothing is to pay. */
export function costsText(costs) {
  const currencies = [...costs.keys()].sort();
  if (currencies.length === 0) return t('Free');
  return currencies.map((code) => moneyText(costs.get(code), code)).join(' + ');
}

/** Amount in hundredths from a decimal string or number such as "149" or 149.5. */
export function toCents(amount) {
  return Math.round(Number(amount) * 100);
}

/** Sums per currency (hundredths) converted to `target` at reference rates
 *  ({base, date, rates: {code: "units per base"}}) and rounded to a whole amount, e.g.
 *  "1,953"; null when there is nothing to convert (no cost, or only amounts already in
 *  `target`) or a rate is missing. */
export function approximateAmount(costs, target, reference) {
  const codes = [...costs.keys()];
  if (codes.length === 0 || (codes.length === 1 && codes[0] === target)) return null;
  const targetRate = Number(reference.rates[target]);
  let total = 0;
  for (const code of codes) {
    const rate = Number(reference.rates[code]);
    if (!rate || !targetRate) return null;
    total += (costs.get(code) / 100 / rate) * targetRate;
  }
  return formatNumber(Math.round(total), {maximumFractionDigits: 0});
}

/** As presentation.approximate_text words it: "about 1,953 EUR at the reference rates of
 *  2026-01-02"; "" when approximateAmount has nothing to say. */
export function approximateText(costs, target, reference) {
  const amount = approximateAmount(costs, target, reference);
  if (amount === null) return '';
  const date = new Intl.DateTimeFormat(language, {dateStyle: 'long', timeZone: 'UTC'}).format(
    new Date(`${reference.date}T00:00:00Z`),
  );
  return t('about {amount} {currency} at the reference rates of {date}', {
    amount,
    currency: target,
    date,
  });
}
