// localStorage that never throws: storage can be disabled, full, or hold anything another
// script wrote. Everything the catalog's pages remember stays in this browser; nothing here
// is ever sent to a server.
//
// The rule for every page: nothing is written without the visitor's explicit action (ticking,
// "compare", "remember these for planning"), every key starts with PREFIX, and forgetAll()
// is the one "forget everything" control's way to clear it all, on a shared computer too.

export function readJSON(key) {
  try {
    const text = window.localStorage.getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

export function writeJSON(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function remove(key) {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Storage disabled: there is nothing to remove.
  }
}

// The JSON Schemas' id pattern, which the build writes on every page's <html> element
// (site_builder/catalog/schema_facts.py, ID_PATTERN): one rule for Python and the browser.
const ID = new RegExp(document.documentElement.dataset.idPattern || '^(?!)$');

/** A catalog id (the pattern of the JSON Schemas): safe to put in a path. */
export function isId(value) {
  return typeof value === 'string' && ID.test(value);
}

/** Every key the catalog's pages store in this browser starts with this. */
export const PREFIX = 'credcat.';

/**
 * "Forget everything": remove every key the catalog's pages stored in this browser (the
 * comparison, the planner's ticks, credentials remembered for planning). Returns how many
 * were removed.
 */
export function forgetAll() {
  try {
    const keys = [];
    for (let i = 0; i < window.localStorage.length; i += 1) {
      const key = window.localStorage.key(i);
      if (key?.startsWith(PREFIX)) keys.push(key);
    }
    keys.forEach((key) => window.localStorage.removeItem(key));
    return keys.length;
  } catch {
    return 0;
  }
}

/** Whether anything the catalog's pages stored is in this browser. */
export function anythingStored() {
  try {
    for (let i = 0; i < window.localStorage.length; i += 1) {
      if (window.localStorage.key(i)?.startsWith(PREFIX)) return true;
    }
    return false;
  } catch {
    return false;
  }
}
