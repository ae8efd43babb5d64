// Search state <-> URL parameters <-> search index options (engine.js). No DOM here: the same
// functions read a shared address and the form, so both always mean the same search.
//
// Parameters: q (words); issuer, kind, type, level, skill, occupation, participation,
// language (repeatable: any ticked value matches, and every filter used must match);
// hours_min / hours_max and cost_min / cost_max (bounds offered by the page; the range is
// min <= value < max); currency (a price in another currency is compared by its converted range
// when the catalog gives reference rates, see facets.py; without rates it is left out);
// free=1 (free only); active=1 (hide retired). Results come active first, then by relevance
// (words) or in catalog order (filters only).
// Filter values are the keys of site_builder/site/facets.py, written into each credential page.

export const FACET_KEYS = [
  'issuer',
  'kind',
  'type',
  'level',
  'skill',
  'occupation',
  'participation',
  'language',
];

/** The ranges ("lo-hi", last "lo+") that together hold exactly low <= value < high. */
export function rangesBetween(bounds, low, high) {
  const names = [];
  bounds.forEach((start, i) => {
    const end = i + 1 < bounds.length ? bounds[i + 1] : null;
    if (start < low) return;
    if (high === null) {
      names.push(end === null ? `${start}+` : `${start}-${end}`);
    } else if (end !== null && end <= high) {
      names.push(`${start}-${end}`);
    }
  });
  return names;
}

function bound(params, name, bounds, fallback) {
  const value = Number(params.get(name));
  return params.get(name) && bounds.includes(value) ? value : fallback;
}

/** Everything one search needs: words, filters, and whether it is empty. */
export function searchFromParams(params, bounds) {
  const term = (params.get('q') || '').trim();
  const filters = {};
  for (const key of FACET_KEYS) {
    const values = [...new Set(params.getAll(key).filter(Boolean))];
    if (values.length) filters[key] = {any: values};
  }
  const hoursMin = bound(params, 'hours_min', bounds.workload, 0);
  const hoursMax = bound(params, 'hours_max', bounds.workload, null);
  if (hoursMin > 0 || hoursMax !== null) {
    filters.workload = {any: rangesBetween(bounds.workload, hoursMin, hoursMax)};
  }
  const currency = (params.get('currency') || '').trim();
  if (params.get('free') === '1') {
    filters.cost = {any: ['free']};
  } else if (/^[A-Z]{3}$/.test(currency)) {
    const costMin = bound(params, 'cost_min', bounds.cost, 0);
    const costMax = bound(params, 'cost_max', bounds.cost, null);
    const allowed = rangesBetween(bounds.cost, costMin, costMax).map((r) => `${currency}:${r}`);
    if (costMin === 0) allowed.push('free'); // free is 0 in every currency
    filters.cost = {any: allowed};
  }
  if (params.get('active') === '1') filters.status = {any: ['active']};
  // An empty `any` matches nothing (a value no file has): keep it that way explicitly.
  for (const value of Object.values(filters)) {
    if (value.any.length === 0) value.any.push('\u0000none');
  }
  return {term, filters, empty: !term && Object.keys(filters).length === 0};
}

/** The address's parameters for a form, without empty fields, in a stable order. */
export function paramsFromForm(form) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') params.append(name, value.trim());
  }
  return params;
}
