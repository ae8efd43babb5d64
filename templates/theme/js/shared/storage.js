// localStorage that never throws: storage can be disabled, full, or hold anything another
// script wrote. Everything the catalog's pages remember stays in this browser; nothing here
// is ever sent to a server.

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

const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** A catalog id (the same pattern as the JSON Schemas): safe to put in a path. */
export function isId(value) {
  return typeof value === "string" && ID.test(value);
}
