// The credentials a visitor picked for comparison: localStorage["credcat.compare"], a JSON
// list of at most MAX credential ids, shared by every page of the site in this browser.
import {isId, readJSON, writeJSON} from '../shared/storage.js';

export const KEY = 'credcat.compare';
export const MAX = 4;

export function picked() {
  const stored = readJSON(KEY);
  if (!Array.isArray(stored)) return [];
  return [...new Set(stored.filter(isId))].slice(0, MAX);
}

export function setPicked(ids) {
  writeJSON(KEY, [...new Set(ids.filter(isId))].slice(0, MAX));
}

/** Add or remove one id; returns false when it could not be added because the list is full. */
export function toggle(id) {
  const ids = picked();
  if (ids.includes(id)) {
    setPicked(ids.filter((other) => other !== id));
    return true;
  }
  if (ids.length >= MAX) return false;
  setPicked([...ids, id]);
  return true;
}
