// Revocation and suspension: W3C Bitstring Status List v1.0, as site_builder/credentials/verify.py checks
// it (`check_status`). A credential names entries in its issuer's lists; each list is itself
// a credential, signed by the issuer and published by this catalog under /status/.
//
// A list that cannot be fetched, is not published here, or does not carry a good signature
// by the credential's own issuer means "could not be checked", never "not revoked".
//
// A list may carry a proof set (one proof per suite); the rule for which proof is checked is
// verifier.json's `statusListProofs`, which Python reads too (status_list.checked_proof). The
// eddsa-jcs-2022 proof comes first, so checking a list never loads the JSON-LD bundle.

import {
  CatalogUnavailable,
  issuerDid,
  KeyResolutionError,
  resolveKey,
  sitePathPrefix,
  siteUrl,
} from './catalog.js';
import {base64UrlBytes, gunzip, TooLarge} from './bytes.js';
import {issuerIdOf, isObject, own, types} from './json.js';
import {parseProof, ProofError, verifySignature} from './proofs.js';

export const PURPOSES = ['revocation', 'suspension'];
// A status list this catalog publishes: status/<issuer>/<name>.json and nothing else, so no
// URL can lead either verifier outside the site's status folder (Python: STATUS_PATH).
const STATUS_PATH = /^status\/[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*\.json$/;

/** Why a status list cannot be used: a reason code of the verifier spec. */
class StatusError extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

/** The entries, already checked for their one accepted shape by the format check. */
export function statusEntries(document) {
  const value = own(document, 'credentialStatus');
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** encodedList: 'u' + base64url (no padding) of the GZIP of the bitstring. */
async function decodeBits(encoded, limits) {
  if (typeof encoded !== 'string' || !encoded.startsWith('u')) {
    throw new StatusError('status-list-invalid');
  }
  let bits;
  try {
    bits = await gunzip(base64UrlBytes(encoded.slice(1)), limits.maxStatusListBytes);
  } catch (error) {
    throw new StatusError(
      error instanceof TooLarge ? 'status-list-too-large' : 'status-list-invalid',
    );
  }
  if (bits.length * 8 < limits.minStatusListEntries) throw new StatusError('status-list-invalid');
  return bits;
}

/**
 * The list with only the proof both verifiers check (verifier.json, `statusListProofs`): from
 * a proof set, the proof of the suite first in `checkFirst`. A set the rule does not allow (a
 * suite not listed or listed twice, proofs by different keys) cannot be checked.
 */
function checkedProof(document, rule) {
  const found = own(document, 'proof');
  if (!Array.isArray(found) || found.length < 2) return document;
  const suites = found.map((proof) => (isObject(proof) ? own(proof, 'cryptosuite') : null));
  const methods = new Set(
    found.map((proof) => (isObject(proof) ? own(proof, 'verificationMethod') : null)),
  );
  if (
    new Set(suites).size !== suites.length ||
    methods.size !== 1 ||
    typeof [...methods][0] !== 'string' ||
    !suites.every((suite) => rule.checkFirst.includes(suite))
  ) {
    throw new StatusError('status-list-signature');
  }
  const suite = rule.checkFirst.find((name) => suites.includes(name));
  return {...document, proof: found[suites.indexOf(suite)]};
}

/** A list credential names its issuer by DID, as text (or as an object with an id). */
function namesIssuer(document, did) {
  return own(document, 'issuer') === did || issuerIdOf(document) === did;
}

async function readList(published, path, purpose, expectedIssuer, rdfc, spec) {
  const document = STATUS_PATH.test(path) ? await published.get(path) : null;
  if (!isObject(document)) throw new StatusError('status-list-unreachable');
  if (!types(own(document, 'type')).includes('BitstringStatusListCredential')) {
    throw new StatusError('status-list-invalid');
  }
  if (expectedIssuer === null || !namesIssuer(document, expectedIssuer)) {
    throw new StatusError('status-list-other-issuer');
  }
  const keys = await published.keys();
  try {
    const proof = parseProof(checkedProof(document, spec.statusListProofs));
    const key = await resolveKey(published, proof.verificationMethod);
    if (issuerDid(keys, key.issuerId) !== expectedIssuer) {
      throw new StatusError('status-list-other-issuer');
    }
    if (own(key.record, 'state') === 'revoked') throw new StatusError('status-list-key-revoked');
    // A list with an eddsa-rdfc-2022 proof only loads the JSON-LD bundle, as credentials do.
    if (!(await verifySignature(document, proof, key.publicKey, rdfc))) {
      throw new StatusError('status-list-signature');
    }
  } catch (error) {
    if (error instanceof ProofError || error instanceof KeyResolutionError) {
      throw new StatusError('status-list-signature');
    }
    throw error;
  }
  const subject = own(document, 'credentialSubject');
  if (!isObject(subject) || own(subject, 'statusPurpose') !== purpose) {
    throw new StatusError('status-list-invalid');
  }
  return decodeBits(own(subject, 'encodedList'), spec.limits);
}

/** The verified bits of a list, worked out once per page for all the credentials using it. */
function verifiedList(published, path, purpose, expectedIssuer, rdfc, spec) {
  const key = JSON.stringify(['list', path, purpose, expectedIssuer]);
  if (!published.memo.has(key)) {
    const bits = readList(published, path, purpose, expectedIssuer, rdfc, spec);
    published.memo.set(key, bits);
    bits.catch((error) => {
      if (error instanceof CatalogUnavailable) published.memo.delete(key); // ask again later
    });
  }
  return published.memo.get(key);
}

/** The site path of the list an entry names, or null when this catalog does not publish it
 *  (only its own status folder is ever read). */
function statusListPath(keys, entry) {
  const url = own(entry, 'statusListCredential');
  const site = siteUrl(keys);
  const path = typeof url === 'string' ? url.slice(site.length) : '';
  return typeof url === 'string' &&
    url.startsWith(site + sitePathPrefix(keys, 'statusList')) &&
    STATUS_PATH.test(path)
    ? path
    : null;
}

/** [status, purpose, reason] for one entry. */
async function checkEntry(published, keys, entry, expectedIssuer, rdfc, spec) {
  const purpose = entry.statusPurpose;
  const path = statusListPath(keys, entry);
  if (path === null) return ['unknown', purpose, 'status-list-not-published'];
  let bits;
  try {
    bits = await verifiedList(published, path, purpose, expectedIssuer, rdfc, spec);
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
    return ['unknown', purpose, error.reason];
  }
  const index = Number(entry.statusListIndex);
  if (index >= bits.length * 8) return ['unknown', purpose, 'index-out-of-range'];
  // Index 0 is the most significant bit of byte 0.
  const set = (bits[Math.floor(index / 8)] & (0x80 >> (index % 8))) !== 0;
  return [set ? 'fail' : 'pass', purpose, ''];
}

/**
 * The `status` check as {id, status, reason, params}: revoked or suspended if any list says
 * so, else "unknown" if any list could not be used, else pass. `spec` is verifier.json.
 */
export async function checkStatus(document, published, rdfc, spec) {
  const {limits} = spec;
  const entries = statusEntries(document);
  if (!entries.length) return {id: 'status', status: 'unknown', reason: 'no-status', params: {}};
  const keys = await published.keys();
  const expectedIssuer = issuerIdOf(document);
  // The lists are read at once (each is fetched and verified once: see verifiedList).
  const outcomes = await Promise.all(
    entries.map((entry) => checkEntry(published, keys, entry, expectedIssuer, rdfc, spec)),
  );
  for (const [purpose, reason] of [
    ['revocation', 'revoked'],
    ['suspension', 'suspended'],
  ]) {
    if (outcomes.some(([status, what]) => status === 'fail' && what === purpose)) {
      return {id: 'status', status: 'fail', reason, params: {}};
    }
  }
  const unknown = outcomes.find(([status]) => status === 'unknown');
  if (unknown) {
    const [, purpose, reason] = unknown;
    const params = {purpose};
    if (reason === 'status-list-too-large') params.limit = limits.maxStatusListBytes;
    return {id: 'status', status: 'unknown', reason, params};
  }
  return {id: 'status', status: 'pass', reason: 'not-revoked', params: {}};
}
