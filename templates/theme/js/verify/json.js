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
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => jsonEqual(item, b[i]))
    );
  }
  if (!isObject(a) || !isObject(b)) return false;
  const names = Object.keys(a);
  return (
    names.length === Object.keys(b).length &&
    names.every((name) => Object.hasOwn(b, name) && jsonEqual(a[name], b[name]))
  );
}

// -- credential fields, read as site_builder/credentials/verify.py reads them ---------------------------

/** A `type` value as a list of its strings. */
export function types(value) {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

/** The issuer's id: `issuer` itself when it is text, else `issuer.id`; null if neither. */
export function issuerIdOf(document) {
  const issuer = own(document, 'issuer');
  if (typeof issuer === 'string') return issuer;
  const id = own(issuer, 'id');
  return typeof id === 'string' ? id : null;
}

// -- reading untrusted JSON text, as site_builder/credentials/reading.py reads it -------------
//
// RFC 8785 (the canonical form eddsa-jcs-2022 signs) requires I-JSON input (RFC 7493): no
// duplicate member names, no lone surrogates, no numbers beyond IEEE 754 doubles. JSON.parse
// quietly keeps the last of two "name" members, so the text itself is scanned for them.

/** Text from which no credential can be read: a reason code of the verifier spec. */
export class JsonInputError extends Error {
  constructor(reason, params = {}) {
    super(reason);
    this.reason = reason;
    this.params = params;
  }

  get name() {
    return 'JsonInputError';
  }
}

/** verifier.json's limits.maxDepth, for reading text before the spec is at hand (a test
 * keeps the two equal). */
export const MAX_DEPTH = 64;

const STRING_TOKEN = /"(?:[^"\\]|\\.)*"/gs;
const NUMBER_TOKEN = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** How deeply arrays and objects nest, counted without parsing (strings removed first). */
export function nestingDepth(text) {
  let depth = 0;
  let deepest = 0;
  for (const char of text.replace(STRING_TOKEN, '')) {
    if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}

/**
 * The first duplicate member name (reported when its object closes, as Python's parser does)
 * and whether any integer lies beyond 2^53 - 1, for text JSON.parse has already accepted.
 */
function scanTokens(text) {
  const stack = [];
  let duplicate = null;
  let unsafe = false;
  for (let i = 0; i < text.length; ) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      let next = end + 1;
      while (WHITESPACE.has(text[next])) next++;
      const top = stack[stack.length - 1];
      if (text[next] === ':' && top) {
        const name = JSON.parse(text.slice(i, end + 1));
        if (top.names.has(name)) top.duplicate ??= name;
        else top.names.add(name);
      }
      i = end + 1;
    } else if (char === '{') {
      stack.push({names: new Set(), duplicate: null});
      i++;
    } else if (char === '[') {
      stack.push(null);
      i++;
    } else if (char === '}' || char === ']') {
      const closed = stack.pop();
      if (closed && closed.duplicate !== null) duplicate ??= closed.duplicate;
      i++;
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      NUMBER_TOKEN.lastIndex = i;
      const match = NUMBER_TOKEN.exec(text);
      if (
        match[1] === undefined &&
        match[2] === undefined &&
        !Number.isSafeInteger(Number(match[0]))
      ) {
        unsafe = true;
      }
      i = NUMBER_TOKEN.lastIndex;
    } else {
      i++;
    }
  }
  return {duplicate, unsafe};
}

/** The JSON value of `text`; throws JsonInputError saying why it is refused. */
export function readJson(text, maxDepth = MAX_DEPTH) {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (nestingDepth(body) > maxDepth) throw new JsonInputError('too-deep', {limit: maxDepth});
  let value;
  try {
    value = JSON.parse(body);
  } catch {
    throw new JsonInputError('not-a-credential');
  }
  const {duplicate, unsafe} = scanTokens(body);
  if (duplicate !== null) throw new JsonInputError('duplicate-key', {key: duplicate});
  if (unsafe) throw new JsonInputError('number-out-of-range');
  return value;
}

/** The credentials in JSON text: each item of an array of objects, else the one value. */
export function credentialsOf(value) {
  return Array.isArray(value) && value.length > 0 && value.every(isObject) ? value : [value];
}
