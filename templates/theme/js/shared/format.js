// Figures worded exactly as site_builder/site/presentation.py words them (`'%g'` hours, money as
// `1,234.50 EUR`, several currencies joined with " + "), so a total the browser computes reads
// like the totals printed on the pages.

/** Hours like Python's `'%g' % hours` for the values a catalog holds. */
export function hoursText(hours) {
  return String(Number(Number(hours).toPrecision(6)));
}

function grouped(whole) {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An amount kept in hundredths (integers add up exactly), e.g. 123450 -> "1,234.50 EUR". */
export function moneyText(cents, currency) {
  const whole = Math.floor(cents / 100);
  const hundredths = String(cents % 100).padStart(2, '0');
  return `${grouped(whole)}.${hundredths} ${currency}`;
}

/** Sums per currency (a Map of currency -> hundredths), or "Free" when nothing is to pay. */
export function costsText(costs) {
  const currencies = [...costs.keys()].sort();
  if (currencies.length === 0) return 'Free';
  return currencies.map((code) => moneyText(costs.get(code), code)).join(' + ');
}

/** Amount in hundredths from a decimal string or number such as "149" or 149.5. */
export function toCents(amount) {
  return Math.round(Number(amount) * 100);
}

/** Sums per currency (hundredths) converted to `target` at reference rates
 *  ({base, date, rates: {code: "units per base"}}), as presentation.approximate_text words it:
 *  "about 1,953 EUR at the reference rates of 2026-01-02". "" when there is nothing to convert
 *  (no cost, or only amounts already in `target`) or a rate is missing. */
export function approximateText(costs, target, reference) {
  const codes = [...costs.keys()];
  if (codes.length === 0 || (codes.length === 1 && codes[0] === target)) return '';
  const targetRate = Number(reference.rates[target]);
  let total = 0;
  for (const code of codes) {
    const rate = Number(reference.rates[code]);
    if (!rate || !targetRate) return '';
    total += (costs.get(code) / 100 / rate) * targetRate;
  }
  return `about ${grouped(Math.round(total))} ${target} at the reference rates of ${reference.date}`;
}
