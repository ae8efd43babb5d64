// What this catalog site publishes, read from the site itself (same origin), and the rules
// that turn a credential's issuer and verification method into a key this catalog vouches
// for. The same rules as site_builder/credentials/did.py (`resolve_key`, `credential_record`).
//
// Everything is fetched relative to the site root the page lives in, never from the
// addresses inside a credential: a local preview, a pull-request preview and the production
// site therefore each verify against their own published keys, and a did:web of any other
// host is simply not an issuer of this catalog. The documents that carry catalog text for
// people (credential and pathway records) are read from the page's language's own copies
// (shared/language.js); keys, DID documents, status lists and contexts from the site root.

import {t} from '../shared/i18n.js';
import {decodeMultibase} from './proofs.js';
import {isObject, own} from './json.js';
import {shardPath} from '../shared/shards.js';
import {isId} from '../shared/storage.js';

/** The site's published data could not be reached (offline, server error): try again. */
export class CatalogUnavailable extends Error {
  get name() {
    return 'CatalogUnavailable';
  }
}

/**
 * Why a verification method is not a key this catalog publishes: a reason code of the
 * verifier spec and the values its message uses (as Python's KeyResolutionError).
 */
export class KeyResolutionError extends Error {
  constructor(reason, params = {}) {
    super(reason);
    this.reason = reason;
    this.params = params;
  }
}

export class PublishedCatalog {
  /** `root`: the URL of the site root (where keys.json is); `languageRoot`: where the page's
   *  language publishes its records (the site root for the default language). */
  constructor(root, languageRoot = root) {
    this.root = new URL(root);
    this.languageRoot = new URL(languageRoot);
    this.cache = new Map();
    // Results worked out from published documents that many credentials share (a status
    // list's verified bits), like `PublishedCatalog.memo` in Python.
    this.memo = new Map();
  }

  /**
   * The parsed JSON at a site-relative path, or null if the site does not publish it (404)
   * or it is not JSON. Network and server failures throw CatalogUnavailable instead, since
   * "could not ask" must not turn into "not published".
   */
  get(path) {
    if (!this.cache.has(path)) {
      const request = this.fetchJson(path);
      this.cache.set(path, request);
      request.catch(() => this.cache.delete(path)); // let a later try ask again
    }
    return this.cache.get(path);
  }

  /** As `get`, for a path of the page's language's own copy of the site's records. */
  getInLanguage(path) {
    const address = new URL(path, this.languageRoot);
    return this.get(address.href.slice(this.root.href.length));
  }

  /** The text of a site page (a credential page carrying JSON-LD), or null; as `get`. */
  getText(path) {
    const key = `text:${path}`;
    if (!this.cache.has(key)) {
      const request = this.fetchJson(path, (response) => response.text());
      this.cache.set(key, request);
      request.catch(() => this.cache.delete(key));
    }
    return this.cache.get(key);
  }

  async fetchJson(path, read = (response) => response.json()) {
    const url = new URL(path, this.root);
    if (url.origin !== this.root.origin || !url.href.startsWith(this.root.href)) {
      return null;
    }
    let response;
    try {
      response = await fetch(url, {credentials: 'same-origin', redirect: 'error'});
    } catch {
      throw new CatalogUnavailable(
        t(
          'This site could not be reached to read its published keys and credentials. ' +
            'Check your connection and try again.',
        ),
      );
    }
    if (response.status === 404 || response.status === 410) return null;
    if (!response.ok) {
      throw new CatalogUnavailable(
        t(
          'This site answered with an error ({status}) while the verifier read its published ' +
            'data. Try again in a moment.',
          {status: response.status},
        ),
      );
    }
    try {
      return await read(response);
    } catch {
      return null;
    }
  }

  /** /keys.json: the site URL, the DID prefix and every issuer with its keys. */
  async keys() {
    const keys = await this.get('keys.json');
    if (!isObject(keys) || typeof own(keys, 'didPrefix') !== 'string') {
      throw new CatalogUnavailable(
        t(
          'This site does not publish its key index (keys.json), so no credential can be ' +
            'checked here.',
        ),
      );
    }
    return keys;
  }
}

/**
 * Where the site publishes a document, from the `paths` templates in keys.json (written by
 * site_builder/contract.py): sitePath(keys, 'didDocument', {issuer: 'x'}) -> 'issuers/x/did.json'.
 */
export function sitePath(keys, name, ids = {}) {
  return pathTemplate(keys, name).replace(/\{(\w+)\}/g, (_, key) =>
    encodeURIComponent(String(ids[key])),
  );
}

/** The fixed start of a published path, before its first {id}: e.g. 'status/'. */
export function sitePathPrefix(keys, name) {
  return pathTemplate(keys, name).split('{', 1)[0];
}

function pathTemplate(keys, name) {
  const paths = own(keys, 'paths');
  const template = isObject(paths) ? own(paths, name) : undefined;
  if (typeof template !== 'string') {
    throw new CatalogUnavailable(
      t(
        'This site does not say where it publishes its {name} documents (no paths in ' +
          'keys.json), so no credential can be checked here.',
        {name},
      ),
    );
  }
  return template;
}

/** The site's own absolute URL as keys.json gives it, always ending with a slash. */
export function siteUrl(keys) {
  const url = (typeof own(keys, 'site') === 'string' ? keys.site : '').trim();
  return url.endsWith('/') ? url : `${url}/`;
}

export function issuersOf(keys) {
  const issuers = own(keys, 'issuers');
  return isObject(issuers) ? issuers : {};
}

/** The issuer entry of keys.json for a catalog issuer id, or null. */
export function issuerEntry(keys, issuerId) {
  const entry = own(issuersOf(keys), issuerId);
  return isObject(entry) ? entry : null;
}

/** The did:web of a catalog issuer. */
export function issuerDid(keys, issuerId) {
  return `${keys.didPrefix}:issuers:${issuerId}`;
}

/** The catalog issuer id when `did` (fragment ignored) is one of this site's issuer DIDs. */
export function issuerOfDid(keys, did) {
  const prefix = `${keys.didPrefix}:issuers:`;
  const rest = did.split('#', 1)[0];
  if (!rest.startsWith(prefix)) return null;
  const issuerId = rest.slice(prefix.length);
  return issuerId && !issuerId.includes(':') ? issuerId : null;
}

function decodeKey(multibase) {
  let bytes;
  try {
    bytes = decodeMultibase(multibase, 34, 'published key');
  } catch {
    throw new KeyResolutionError('key-undecodable');
  }
  if (bytes[0] !== 0xed || bytes[1] !== 0x01) throw new KeyResolutionError('key-undecodable');
  return bytes.slice(2);
}

function keysOf(entry) {
  const records = own(entry, 'keys');
  return Array.isArray(records) ? records.filter(isObject) : [];
}

/**
 * Resolve a verification method to a key this catalog publishes (docs/standards.md, "Keys and
 * identifiers"): {issuerId, methodId, publicKey, record}. Throws KeyResolutionError saying why not.
 */
export async function resolveKey(published, method) {
  const keys = await published.keys();
  const issuers = issuersOf(keys);
  if (method.startsWith('did:key:')) {
    // A did:key carries its own key: trust it only if this catalog publishes that key.
    const hash = method.indexOf('#');
    const did = hash < 0 ? method : method.slice(0, hash);
    const fragment = hash < 0 ? '' : method.slice(hash + 1);
    const multibase = did.slice('did:key:'.length);
    if (fragment && fragment !== multibase) throw new KeyResolutionError('did-key-malformed');
    for (const [issuerId, entry] of Object.entries(issuers)) {
      for (const record of keysOf(entry)) {
        if (own(record, 'publicKeyMultibase') === multibase) {
          return {issuerId, methodId: method, publicKey: decodeKey(multibase), record};
        }
      }
    }
    throw new KeyResolutionError('did-key-not-published');
  }
  const issuerId = issuerOfDid(keys, method);
  if (issuerId === null || !method.includes('#')) {
    throw new KeyResolutionError('key-not-published', {method, didPrefix: keys.didPrefix});
  }
  const entry = issuerEntry(keys, issuerId);
  if (entry === null) throw new KeyResolutionError('no-did-document', {issuerId});
  const records = own(entry, 'keys');
  if (!Array.isArray(records) || !records.every(isObject)) {
    throw new KeyResolutionError('key-index-mismatch');
  }
  const record = records.find((item) => own(item, 'id') === method);
  if (record !== undefined && own(record, 'state') === 'revoked') {
    const multibase = own(record, 'publicKeyMultibase');
    if (typeof multibase !== 'string') throw new KeyResolutionError('key-index-mismatch');
    return {issuerId, methodId: method, publicKey: decodeKey(multibase), record};
  }
  const didDocument = await published.get(sitePath(keys, 'didDocument', {issuer: issuerId}));
  if (!isObject(didDocument)) throw new KeyResolutionError('no-did-document', {issuerId});
  const did = method.split('#', 1)[0];
  if (own(didDocument, 'id') !== did) throw new KeyResolutionError('did-mismatch');
  const methods = own(didDocument, 'verificationMethod');
  const found = (Array.isArray(methods) ? methods : []).find(
    (item) => isObject(item) && own(item, 'id') === method,
  );
  if (found === undefined) throw new KeyResolutionError('key-not-in-did-document', {method});
  if (own(found, 'controller') !== did || own(found, 'type') !== 'Multikey') {
    throw new KeyResolutionError('key-controller');
  }
  const assertion = own(didDocument, 'assertionMethod');
  if (!Array.isArray(assertion) || !assertion.includes(method)) {
    throw new KeyResolutionError('key-not-authorised');
  }
  const multibase = own(found, 'publicKeyMultibase');
  if (
    record === undefined ||
    typeof multibase !== 'string' ||
    own(record, 'publicKeyMultibase') !== multibase
  ) {
    throw new KeyResolutionError('key-index-mismatch');
  }
  return {issuerId, methodId: method, publicKey: decodeKey(multibase), record};
}

/** The catalog credential id whose page is `achievementId`, or null. */
async function credentialIdOf(published, achievementId) {
  const keys = await published.keys();
  const prefix = `${siteUrl(keys)}credentials/`;
  if (typeof achievementId !== 'string' || !achievementId.startsWith(prefix)) return null;
  let credentialId = achievementId.slice(prefix.length);
  if (credentialId.endsWith('/')) credentialId = credentialId.slice(0, -1);
  return isId(credentialId) ? credentialId : null;
}

/** The record of a catalog credential, from its records shard, or null. */
export async function recordById(published, credentialId) {
  if (!isId(credentialId)) return null;
  const path = shardPath(await published.keys(), 'credentialRecord', credentialId);
  const shard = path === null ? null : await published.getInLanguage(path);
  const record = isObject(shard) ? own(shard, credentialId) : undefined;
  return isObject(record) && own(record, 'id') === credentialId ? record : null;
}

/** The record of the catalog credential whose page is `achievementId`, or null. */
export async function credentialRecord(published, achievementId) {
  const credentialId = await credentialIdOf(published, achievementId);
  const record = credentialId === null ? null : await recordById(published, credentialId);
  return record !== null && own(record, 'url') === achievementId ? record : null;
}

/**
 * The Open Badges achievement the catalog publishes at `achievementId` (a short link's
 * reference), or null. The address is the credential's page, which carries it as JSON-LD in
 * `<script type="application/ld+json" id="achievement">`; only this catalog's own credential
 * pages are read, and DOMParser never runs what it parses.
 */
export async function publishedAchievement(published, achievementId) {
  const credentialId = await credentialIdOf(published, achievementId);
  if (credentialId === null) return null;
  const keys = await published.keys();
  const html = await published.getText(sitePath(keys, 'achievement', {credential: credentialId}));
  if (html === null) return null;
  const page = new DOMParser().parseFromString(html, 'text/html');
  const script = page.querySelector('script#achievement[type="application/ld+json"]');
  try {
    return script === null ? null : JSON.parse(script.textContent);
  } catch {
    return null;
  }
}

/** The record of a catalog pathway (its stages), from its shard, or null. */
export async function pathwayRecord(published, pathwayId) {
  if (!isId(pathwayId)) return null;
  const path = shardPath(await published.keys(), 'pathwayRecord', pathwayId);
  const shard = path === null ? null : await published.getInLanguage(path);
  const record = isObject(shard) ? own(shard, pathwayId) : undefined;
  return isObject(record) && own(record, 'id') === pathwayId ? record : null;
}

/**
 * Where a link taken from data may point: an address of this catalog becomes the same page
 * on the site the verifier runs on (so a preview links to its own pages), under `root`: the
 * page's language root links to that language's page; otherwise only https: addresses (or
 * this very origin) are allowed. Anything else gives null: no link.
 */
export function safeHref(keys, root, address) {
  if (typeof address !== 'string') return null;
  const site = siteUrl(keys);
  let url;
  try {
    url =
      address.startsWith(site) && site !== '/'
        ? new URL(address.slice(site.length), root)
        : new URL(address);
  } catch {
    return null;
  }
  const local = url.origin === new URL(root).origin;
  if (url.protocol !== 'https:' && !local) return null;
  if (url.username || url.password) return null;
  return url.href;
}
