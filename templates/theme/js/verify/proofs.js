// W3C Data Integrity EdDSA proofs (eddsa-jcs-2022 and eddsa-rdfc-2022), verification only.
// The same rules as site_builder/credentials/proofs.py: one embedded DataIntegrityProof, made for
// assertionMethod, whose 64-byte Ed25519 signature covers
// SHA-256(canonical proof configuration) || SHA-256(canonical credential).
//
// The two suites differ only in what "canonical" means: JCS (RFC 8785, jcs.js) or RDF Dataset
// Canonicalization of the JSON-LD, which needs a JSON-LD processor. That one is large, so the
// caller passes it in (`rdfc`, see rdfc.js) and it is only loaded when a credential needs it.

import {t} from '../shared/i18n.js';
import {decodeBase58} from './base58.js';
import {canonicalize} from './jcs.js';
import {asList, isObject, jsonEqual, own, without} from './json.js';

export const RDFC = 'eddsa-rdfc-2022';
export const JCS = 'eddsa-jcs-2022';
export const CRYPTOSUITES = [RDFC, JCS];
const PROOF_TYPE = 'DataIntegrityProof';
const PROOF_PURPOSE = 'assertionMethod';

/**
 * The proof cannot be used or checked; the message says why, in plain words, and `reason`
 * and `params` are the verifier spec's code for it (as in Python's ProofError).
 */
export class ProofError extends Error {
  constructor(message, reason = 'not-canonicalizable', params = {}) {
    super(message);
    this.reason = reason;
    this.params = params;
  }
}

// XML Schema 1.1 dateTime, the only form `created` may take (timezone optional).
const XSD_DATETIME = new RegExp(
  '^(-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' +
    'T(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]+)?|24:00:00(?:\\.0+)?)' +
    '(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$',
);

/** True for an XML Schema dateTime whose day exists in its month (2023-02-30 does not). */
export function isXsdDateTime(value) {
  if (typeof value !== 'string') return false;
  const match = XSD_DATETIME.exec(value);
  if (match === null) return false;
  const year = BigInt(match[1]); // years may have any number of digits
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = year % 4n === 0n && (year % 100n !== 0n || year % 400n === 0n);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= daysInMonth[month - 1];
}

/** A JSON value as Python's `_show` writes it; a missing one is null. */
function show(value) {
  return JSON.stringify(value ?? null);
}

/** A `z`-prefixed base58btc multibase value of exactly `length` bytes. */
export function decodeMultibase(value, length, what) {
  if (typeof value !== 'string') throw new ProofError(`The ${what} must be text.`);
  if (!value.startsWith('z')) {
    throw new ProofError(
      `The ${what} is not in the expected format: it must start with 'z' ` +
        '(base58btc multibase encoding).',
    );
  }
  let bytes;
  try {
    bytes = decodeBase58(value.slice(1), length);
  } catch (error) {
    throw new ProofError(`The ${what} is not valid base58btc: ${error.message}.`);
  }
  if (bytes.length !== length) {
    throw new ProofError(`The ${what} must be ${length} bytes long, but it is ${bytes.length}.`);
  }
  return bytes;
}

/**
 * Check the credential's single embedded proof has the one shape this catalog accepts, and
 * decode its signature. Throws ProofError saying what is wrong.
 */
export function parseProof(document) {
  let found = own(document, 'proof');
  if (Array.isArray(found)) {
    if (found.length > 1) {
      throw new ProofError(
        `The credential carries ${found.length} proofs; this catalog ` +
          'supports exactly one proof per credential.',
        'several-proofs',
        {count: found.length},
      );
    }
    found = found.length ? found[0] : null;
  }
  if (found === null || found === undefined) {
    throw new ProofError(
      'The credential has no proof (signature), so it cannot be verified. ' +
        'Ask the issuer for the signed credential file.',
      'no-proof',
    );
  }
  if (!isObject(found)) {
    throw new ProofError(
      "The credential's proof is not a JSON object, so it cannot be read.",
      'proof-not-object',
    );
  }
  const type = own(found, 'type');
  if (type !== PROOF_TYPE) {
    throw new ProofError(
      `The proof is of type ${show(type)}; this catalog only accepts ` + `"${PROOF_TYPE}" proofs.`,
      'proof-type',
      {value: show(type)},
    );
  }
  const cryptosuite = own(found, 'cryptosuite');
  if (!CRYPTOSUITES.includes(cryptosuite)) {
    throw new ProofError(
      `The proof uses the cryptosuite ${show(cryptosuite)}, which this ` +
        `catalog does not accept (accepted: ${CRYPTOSUITES.join(', ')}).`,
      'unsupported-cryptosuite',
      {value: show(cryptosuite)},
    );
  }
  const purpose = own(found, 'proofPurpose');
  if (purpose !== PROOF_PURPOSE) {
    throw new ProofError(
      `The proof was made for the purpose ${show(purpose)}, but a ` +
        `credential must be signed for "${PROOF_PURPOSE}" (the issuer asserting it is true).`,
      'wrong-proof-purpose',
      {value: show(purpose)},
    );
  }
  const method = own(found, 'verificationMethod');
  if (typeof method !== 'string' || !method) {
    throw new ProofError(
      'The proof does not say which key signed it (its ' + '"verificationMethod" must be a URL).',
      'no-verification-method',
    );
  }
  const created = own(found, 'created');
  if (created !== undefined && created !== null && !isXsdDateTime(created)) {
    throw new ProofError(
      `The proof's creation time ${show(created)} is not a valid date ` +
        'and time (expected a form like 2025-05-15T09:30:00Z).',
      'bad-created',
      {value: show(created)},
    );
  }
  const proofValue = own(found, 'proofValue');
  if (typeof proofValue !== 'string') {
    throw new ProofError(
      'The proof has no signature value ("proofValue" must be text).',
      'no-proof-value',
    );
  }
  let signature;
  try {
    signature = decodeMultibase(proofValue, 64, 'signature');
  } catch (error) {
    throw new ProofError(
      `The proof's signature value is unreadable. ${error.message}`,
      'bad-proof-value',
    );
  }
  return {
    type,
    cryptosuite,
    created,
    verificationMethod: method,
    proofPurpose: purpose,
    proofValue,
    signature,
    raw: found,
  };
}

async function canonicalBytes(value, cryptosuite, what, rdfc) {
  let text;
  try {
    text = cryptosuite === RDFC ? await rdfc(value) : canonicalize(value);
  } catch (error) {
    // A network problem is not a verdict on the credential: let the page say "try again".
    const offline = findCause(error, 'CatalogUnavailable');
    if (offline) throw offline;
    const detail = explain(error, what);
    throw new ProofError(
      `The ${what}'s data could not be put into canonical form, so its ` +
        `signature cannot be checked: ${detail}.`,
      'not-canonicalizable',
      {detail},
    );
  }
  return new TextEncoder().encode(text);
}

/** The error, or one of its causes (jsonld.js wraps them in `details.cause`), by name. */
function findCause(error, name) {
  const seen = new Set();
  for (
    let current = error;
    current && !seen.has(current);
    current = current.details?.cause ?? current.cause
  ) {
    seen.add(current);
    if (current.name === name) return current;
  }
  return null;
}

/** Why canonicalization failed, in words. */
function explain(error, what) {
  const unknown = findCause(error, 'UnknownContextError');
  if (unknown) return unknown.message;
  const unsafe = findCause(error, 'jsonld.ValidationError');
  if (unsafe) {
    const event = unsafe.details?.event?.code;
    const code = event ? ` (${event})` : '';
    return t(
      'the {what} contains data its JSON-LD vocabulary does not define{code}, so that data ' +
        'would not be covered by the signature',
      {what, code},
    );
  }
  if (error?.name === 'JcsError') return error.message;
  if (error?.name === 'RangeError') return t('the {what} is nested too deeply', {what});
  return t('it is not valid JSON-LD ({error})', {error: error?.message ?? error});
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/**
 * The 64 bytes an EdDSA Data Integrity signature covers: SHA-256(config) || SHA-256(document),
 * config hash first. `document` is hashed without `proof`, `proofConfig` without `proofValue`;
 * for eddsa-rdfc-2022 the config is given the document's `@context`.
 */
export async function hashData(document, proofConfig, cryptosuite, rdfc) {
  const unsecured = without(document, 'proof');
  const config = without(proofConfig, 'proofValue');
  if (cryptosuite === RDFC) {
    if (!Object.hasOwn(unsecured, '@context')) {
      throw new ProofError(
        t(
          "The credential has no '@context', so its data cannot be put into the canonical " +
            'form an {cryptosuite} signature covers.',
          {cryptosuite: RDFC},
        ),
      );
    }
    config['@context'] = unsecured['@context'];
  }
  const configHash = await sha256(await canonicalBytes(config, cryptosuite, t('proof'), rdfc));
  const documentHash = await sha256(
    await canonicalBytes(unsecured, cryptosuite, t('credential'), rdfc),
  );
  const data = new Uint8Array(64);
  data.set(configHash, 0);
  data.set(documentHash, 32);
  return data;
}

/**
 * True only if `proof` is a valid Ed25519 signature by `publicKey` (32 raw bytes) over the
 * credential as it stands; false if anything changed or another key signed. Throws ProofError
 * when the signature cannot be checked at all, so "could not check" is never taken for either.
 */
export async function verifySignature(document, proof, publicKey, rdfc) {
  const unsecured = without(document, 'proof');
  const options = without(proof.raw, 'proofValue');
  if (proof.cryptosuite === JCS && Object.hasOwn(options, '@context')) {
    // The proof's @context was signed; the credential must begin with the same contexts in
    // the same order, or a context could have been slipped in front of the signed ones.
    const required = asList(options['@context']);
    if (!jsonEqual(asList(own(unsecured, '@context')).slice(0, required.length), required)) {
      return false;
    }
    unsecured['@context'] = options['@context'];
  }
  const data = await hashData(unsecured, options, proof.cryptosuite, rdfc);
  let key;
  try {
    key = await crypto.subtle.importKey('raw', publicKey, {name: 'Ed25519'}, false, ['verify']);
  } catch {
    throw new ProofError(t('The published key cannot be used to check Ed25519 signatures.'));
  }
  return crypto.subtle.verify({name: 'Ed25519'}, key, proof.signature, data);
}
