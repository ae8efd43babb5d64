// Helpers for reading untrusted JSON the way the Python verifier (site_builder/credentials/verify.py)
// reads it, so both give the same answer for the same input.

/** A JSON object (Python: dict): not null, not an array. */
export function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `object[name]` only if the object itself has that member. Plain `object[name]` would also
 * find inherited members: a credential naming `constructor` or `__proto__` must find nothing.
 */
export function own(object, name) {
  return isObject(object) && Object.hasOwn(object, name) ? object[name] : undefined;
}

/** Python truthiness of a JSON value: null, false, 0, "", [] and {} are false. */
export function truthy(value) {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** A JSON value as a list: nothing is [], a list is itself, anything else is [value]. */
export function asList(value) {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A copy of a JSON object without one member (built without ever assigning `__proto__`). */
export function without(object, name) {
  return Object.fromEntries(Object.entries(object).filter(([key]) => key !== name));
}

/** Deep equality of two JSON values (object member order does not matter). */
export function jsonEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const names = Object.keys(a);
  return names.length === Object.keys(b).length &&
    names.every(name => Object.hasOwn(b, name) && jsonEqual(a[name], b[name]));
}

// -- credential fields, read as site_builder/credentials/verify.py reads them ---------------------------

/** A `type` value as a list of its strings. */
export function types(value) {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter(item => typeof item === 'string') : [];
}

/** The issuer's id: `issuer` itself when it is text, else `issuer.id`; null if neither. */
export function issuerIdOf(document) {
  const issuer = own(document, 'issuer');
  if (typeof issuer === 'string') return issuer;
  const id = own(issuer, 'id');
  return typeof id === 'string' ? id : null;
}
