// JSON Canonicalization Scheme (RFC 8785), the canonical form eddsa-jcs-2022 signs.
//
// JCS is JSON with object members sorted by their names' UTF-16 code units, no whitespace,
// ECMAScript number serialization and ECMAScript string escaping. JavaScript provides most of
// that: Array.prototype.sort compares strings by UTF-16 code units, and JSON.stringify writes
// finite numbers and well-formed strings exactly as RFC 8785 asks. What is left is to refuse
// what has no canonical form: non-finite numbers and strings with lone surrogates.

import {t} from '../shared/i18n.js';

export class JcsError extends Error {
  get name() {
    return 'JcsError';
  }
}

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function string(value) {
  if (LONE_SURROGATE.test(value)) {
    throw new JcsError(
      t('it contains text with an unpaired UTF-16 surrogate, which has no canonical JSON form'),
    );
  }
  return JSON.stringify(value);
}

function serialize(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new JcsError(t('it contains a number too large to write in JSON'));
      }
      return JSON.stringify(value); // ECMAScript Number::toString; -0 becomes 0
    case 'string':
      return string(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
      const names = Object.keys(value).sort();
      return `{${names.map((name) => `${string(name)}:${serialize(value[name])}`).join(',')}}`;
    }
    default:
      throw new JcsError(t('a {type} value has no JSON form', {type: typeof value}));
  }
}

/** The RFC 8785 canonical JSON text of a value parsed from JSON. */
export function canonicalize(value) {
  return serialize(value);
}
