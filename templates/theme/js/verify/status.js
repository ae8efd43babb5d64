// Revocation and suspension: W3C Bitstring Status List v1.0, as site_builder/credentials/verify.py checks
// it (`check_status`). A credential names entries in its issuer's lists; each list is itself
// a credential, signed by the issuer and published by this catalog under /status/.
//
// A list that cannot be fetched, is not published here, or does not carry a good signature
// by the credential's own issuer means "could not be checked", never "not revoked".

import {
  CatalogUnavailable, issuerDid, KeyResolutionError, resolveKey, sitePathPrefix, siteUrl,
} from './catalog.js';
import {base64UrlBytes, gunzip} from './bytes.js';
import {issuerIdOf, isObject, own, types} from './json.js';
import {parseProof, ProofError, verifySignature} from './proofs.js';

const PURPOSES = ['revocation', 'suspension'];
const MIN_ENTRIES = 131072; // the specification's minimum list length
const MAX_LIST_BYTES = 16 * 1024 * 1024;

/** Why a status list cannot be used, in plain words. */
class StatusError extends Error {}

function entriesOf(document) {
  const value = own(document, 'credentialStatus');
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** encodedList: 'u' + base64url (no padding) of the GZIP of the bitstring. */
async function decodeBits(encoded) {
  if (typeof encoded !== 'string' || !encoded.startsWith('u')) {
    throw new StatusError("the list is not multibase base64url ('u...')");
  }
  let bits;
  try {
    bits = await gunzip(base64UrlBytes(encoded.slice(1)), MAX_LIST_BYTES);
  } catch {
    throw new StatusError('the list does not decode (base64url of GZIP data)');
  }
  if (bits.length * 8 < MIN_ENTRIES) {
    throw new StatusError(`the list holds ${bits.length * 8} entries, fewer than ${MIN_ENTRIES}`);
  }
  return bits;
}

async function readList(published, path, purpose, expectedIssuer, rdfc) {
  // Only plain paths: a query or fragment would make the site serve another document than
  // the one the Python verifier reads for the same entry.
  const document = /[?#%\\]/.test(path) ? null : await published.get(path);
  if (!isObject(document)) throw new StatusError('it could not be fetched');
  if (!types(own(document, 'type')).includes('BitstringStatusListCredential')) {
    throw new StatusError('it is not a status list');
  }
  if (expectedIssuer === null || issuerIdOf(document) !== expectedIssuer) {
    throw new StatusError('it was published by someone other than the issuer');
  }
  const keys = await published.keys();
  try {
    const proof = parseProof(document);
    const key = await resolveKey(published, proof.verificationMethod);
    if (issuerDid(keys, key.issuerId) !== expectedIssuer) {
      throw new StatusError('it is signed by someone other than the issuer');
    }
    if (own(key.record, 'state') === 'revoked') {
      throw new StatusError('it is signed with a key the issuer has revoked');
    }
    if (!(await verifySignature(document, proof, key.publicKey, rdfc))) {
      throw new StatusError('its signature does not match: it was changed');
    }
  } catch (error) {
    if (error instanceof ProofError || error instanceof KeyResolutionError) {
      throw new StatusError(`its signature cannot be checked (${error.message})`);
    }
    throw error;
  }
  const subject = own(document, 'credentialSubject');
  if (!isObject(subject) || own(subject, 'statusPurpose') !== purpose) {
    throw new StatusError(`it is not a ${purpose} list`);
  }
  return decodeBits(own(subject, 'encodedList'));
}

/** The verified bits of a list, worked out once per page for all the credentials using it. */
function verifiedList(published, path, purpose, expectedIssuer, rdfc) {
  const key = JSON.stringify(['list', path, purpose, expectedIssuer]);
  if (!published.memo.has(key)) {
    const bits = readList(published, path, purpose, expectedIssuer, rdfc);
    published.memo.set(key, bits);
    bits.catch(error => {
      if (error instanceof CatalogUnavailable) published.memo.delete(key); // ask again later
    });
  }
  return published.memo.get(key);
}

/** [status, detail] for one entry: detail is the purpose on pass/fail, the reason otherwise. */
async function checkEntry(published, keys, entry, expectedIssuer, rdfc) {
  if (!isObject(entry) || own(entry, 'type') !== 'BitstringStatusListEntry') {
    return ['unknown', 'it uses a kind of status entry this catalog does not support'];
  }
  const purpose = own(entry, 'statusPurpose');
  const indexText = own(entry, 'statusListIndex');
  if (!PURPOSES.includes(purpose)) {
    return ['unknown', `it has a status entry for ${JSON.stringify(purpose ?? null)}, which ` +
      'this catalog does not use'];
  }
  if (typeof indexText !== 'string' || !/^[0-9]+$/.test(indexText)) {
    return ['unknown', 'its status entry has no valid index'];
  }
  const url = own(entry, 'statusListCredential');
  const site = siteUrl(keys);
  if (typeof url !== 'string' || !url.startsWith(site + sitePathPrefix(keys, 'statusList'))) {
    return ['unknown', 'its status list is not published by this catalog'];
  }
  let bits;
  try {
    bits = await verifiedList(published, url.slice(site.length), purpose, expectedIssuer, rdfc);
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
    return ['unknown', `the ${purpose} list could not be used: ${error.message}`];
  }
  const index = Number(indexText);
  if (!Number.isSafeInteger(index) || index >= bits.length * 8) {
    return ['unknown', `its index is outside the ${purpose} list`];
  }
  // Index 0 is the most significant bit of byte 0.
  const set = (bits[Math.floor(index / 8)] & (0x80 >> (index % 8))) !== 0;
  return [set ? 'fail' : 'pass', purpose];
}

/** The `status` check: {id, status, message}. */
export async function checkStatus(document, published, rdfc) {
  const entries = entriesOf(document);
  if (!entries.length) {
    return {id: 'status', status: 'unknown', message: 'This credential does not say where to ' +
      'check whether it was revoked, so that could not be checked. If it matters, ask the ' +
      'issuer whether it still stands.'};
  }
  const keys = await published.keys();
  const expectedIssuer = issuerIdOf(document);
  const results = [];
  for (const entry of entries) {
    results.push(await checkEntry(published, keys, entry, expectedIssuer, rdfc));
  }
  const failed = new Set(results.filter(([status]) => status === 'fail').map(([, what]) => what));
  if (failed.has('revocation')) {
    return {id: 'status', status: 'fail', message: 'The issuer has revoked this credential: ' +
      'it is no longer valid. Ask the holder or the issuer why.'};
  }
  if (failed.has('suspension')) {
    return {id: 'status', status: 'fail', message: 'The issuer has suspended this credential ' +
      'for now. Check again later or ask the issuer.'};
  }
  const unknown = results.filter(([status]) => status === 'unknown').map(([, why]) => why);
  if (unknown.length) {
    return {id: 'status', status: 'unknown', message: 'Whether it was revoked could not be ' +
      `checked: ${unknown[0]}. This does not mean it was revoked; try again later or ask the ` +
      'issuer.'};
  }
  return {id: 'status', status: 'pass', message: "Not revoked or suspended, according to the " +
    "issuer's signed status lists."};
}
