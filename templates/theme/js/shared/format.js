// Figures worded exactly as site_builder/site/presentation.py words them (`'%g'` hours, money as
// `1,234.50 EUR`, several currencies joined with " + "), so a total the browser computes reads
// like the totals printed on the pages.

/** Hours like Python's `'%g' % hours` for the values a catalog holds. */
export function hoursText(hours) {
  return String(Number(Number(hours).toPrecision(6)));
}

function grouped(whole) {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** An amount kept in hundredths (integers add up exactly), e.g. 123450 -> "1,234.50 EUR". */
export function moneyText(cents, currency) {
  const whole = Math.floor(cents / 100);
  const hundredths = String(cents % 100).padStart(2, "0");
  return `${grouped(whole)}.${hundredths} ${currency}`;
}

/** Sums per currency (a Map of currency -> hundredths), or "Free" when nothing is to pay. */
export function costsText(costs) {
  const currencies = [...costs.keys()].sort();
  if (currencies.length === 0) return "Free";
  return currencies.map((code) => moneyText(costs.get(code), code)).join(" + ");
}

/** Amount in hundredths from a decimal string or number such as "149" or 149.5. */
export function toCents(amount) {
  return Math.round(Number(amount) * 100);
}
