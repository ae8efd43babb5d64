// The search index's reader (written by site_builder/site/search_index.py, which explains the
// files): fetches only the word files for the words typed, the filter files for the values
// chosen and the result blocks for the results shown, and caches each for the page's life.
// WORD, fold and fileName must stay the same as `_WORD`, `fold` and `filter_file` in
// search_index.py.

const WORD = /[\p{L}\p{N}]+(?:[.\-'\u2019][\p{L}\p{N}]+)*/gu;
const JOINERS = /[.\-'\u2019]/g;
const KEY_WEIGHT = 3; // a word in the name, skills or occupations, against the description
const EXACT_WEIGHT = 2; // the whole word typed, against a longer word it begins

/** Lowercased, accents and other marks taken off, as `fold` in search_index.py. */
function fold(text) {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '');
}

/** The words of a query: folded; a word with inner punctuation without it. */
export function queryWords(text) {
  const found = (fold(text).match(WORD) || []).map((word) => word.replace(JOINERS, ''));
  return [...new Set(found)];
}

/** FNV-1a (32 bits) of `key=value` in UTF-8, as 8 hex digits. */
export function fileName(key, value) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(`${key}=${value}`)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function numbers(gaps) {
  let at = 0;
  return gaps.map((gap) => {
    at += gap;
    return at;
  });
}

export function openIndex(base) {
  const cache = new Map();
  /** A file of the index; null when there is none (no word or value has it). */
  function load(path, optional = true) {
    if (!cache.has(path)) {
      cache.set(
        path,
        fetch(new URL(path, base)).then((response) => {
          if (response.ok) return response.json();
          if (optional && response.status === 404) return null;
          throw new Error(`search index: ${path}: HTTP ${response.status}`);
        }),
      );
    }
    return cache.get(path);
  }
  const meta = load('meta.json', false);

  /** The word files that may hold words beginning with `word`: its prefix's file, following
   *  split prefixes; or, when the word is a split prefix itself, every file under it. */
  function wordFiles(word, {prefix, split}) {
    let letters = word.slice(0, prefix);
    while (split[letters] && word.length > letters.length) {
      letters = word.slice(0, letters.length + 1);
    }
    const files = [];
    const under = [letters];
    while (under.length) {
      const next = under.pop();
      files.push(next);
      under.push(...(split[next] || []));
    }
    return files;
  }

  /** Credential number -> weight, for one typed word: every indexed word it begins. */
  async function wordMatches(word, info) {
    const files = await Promise.all(
      wordFiles(word, info).map((letters) => load(`words/${encodeURIComponent(letters)}_.json`)),
    );
    const found = new Map();
    const entries = files.flatMap((file) => Object.entries(file || {}));
    for (const [indexed, [inKey, inText]] of entries) {
      if (!indexed.startsWith(word)) continue;
      const exact = indexed === word ? EXACT_WEIGHT : 1;
      for (const [list, weight] of [
        [inKey, KEY_WEIGHT * exact],
        [inText, exact],
      ]) {
        for (const n of numbers(list)) found.set(n, Math.max(found.get(n) || 0, weight));
      }
    }
    return found;
  }

  /** Credentials with any of the values of one filter. */
  async function filterMatches(key, values) {
    const lists = await Promise.all(values.map((v) => load(`filters/${fileName(key, v)}.json`)));
    return new Set(lists.flatMap((list) => (list ? numbers(list) : [])));
  }

  /** Numbers of the matching credentials: active first, then by weight, then catalog order.
   *  `filters` is {key: {any: [values]}}; `status` selects active or retired. */
  async function search(term, filters = {}) {
    const info = await meta;
    const {count, active} = info;
    const words = queryWords(term || '');
    const {status, ...others} = filters;
    const [weights, sets] = await Promise.all([
      Promise.all(words.map((word) => wordMatches(word, info))),
      Promise.all(Object.entries(others).map(([key, {any}]) => filterMatches(key, any))),
    ]);
    const statuses = status ? status.any : ['active', 'retired'];
    const keep = (n) => statuses.includes(n < active ? 'active' : 'retired');
    let candidates;
    if (weights.length) {
      candidates = [...weights[0].keys()];
    } else if (sets.length) {
      candidates = [...sets[0]];
    } else {
      candidates = Array.from({length: count}, (_, n) => n);
    }
    const score = new Map();
    for (const n of candidates) {
      if (!keep(n) || !sets.every((set) => set.has(n))) continue;
      let total = 0;
      for (const found of weights) {
        const weight = found.get(n);
        if (!weight) {
          total = -1;
          break;
        }
        total += weight;
      }
      if (total >= 0) score.set(n, total);
    }
    return [...score.keys()].sort(
      (a, b) => (b < active) - (a < active) || score.get(b) - score.get(a) || a - b,
    );
  }

  /** What result number `n` shows (id, title, issuer, type, level, ...). */
  async function record(n) {
    const {block} = await meta;
    const records = await load(`docs/${Math.floor(n / block)}.json`, false);
    return records[n % block];
  }

  return {search, record};
}
