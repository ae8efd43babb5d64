// Verify one Open Badges 3.0 credential against the keys this catalog publishes.
//
// This is the browser twin of site_builder/credentials/verify.py: the same checks, in the same order,
// with the same ids, statuses and verdict rules, pinned by the shared cases in tests/vectors/.
// A check that cannot run because an earlier one failed is 'unknown', never 'pass'. Messages
// are the verifier's own: plain words, and on failure what the visitor can do about it.

import {
  credentialRecord, issuerDid, issuerEntry, issuerOfDid, KeyResolutionError, resolveKey,
} from './catalog.js';
import {sha256Hex} from './bytes.js';
import {issuerIdOf, isObject, own, truthy, types} from './json.js';
import {parseProof, ProofError, verifySignature} from './proofs.js';
import {checkStatus} from './status.js';

export const CHECKS = ['format', 'proof', 'issuer', 'key', 'signature', 'validity', 'status',
  'achievement'];
export const PASS = 'pass';
export const FAIL = 'fail';
export const WARN = 'warn';
export const UNKNOWN = 'unknown';

const CLOCK_SKEW_MS = 5 * 60 * 1000; // a few minutes of clock difference is not "not yet valid"
const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const OB_CONTEXT = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context-3\.0\.[0-9]+\.json$/;
// validFrom / validUntil: a date-time with a time zone (Python: XSD_DATETIME + fromisoformat).
const DATE_TIME = new RegExp('^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):' +
  '([0-9]{2})(?:\\.([0-9]+))?(?:Z|([+-])([0-9]{2}):([0-9]{2}))$');

/** 'not-verified' if anything failed, 'warning' if anything is a warning or unknown. */
export function verdict(checks) {
  const statuses = new Set(checks.map(check => check.status));
  if (statuses.has(FAIL)) return 'not-verified';
  if (statuses.has(WARN) || statuses.has(UNKNOWN)) return 'warning';
  return 'verified';
}

/** Milliseconds since 1970 for a valid date-time with a time zone, else null. */
export function parseDateTime(value) {
  if (typeof value !== 'string') return null;
  const match = DATE_TIME.exec(value);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // 2000 is a leap year
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > (month === 2 && !leap ? 28 : days) || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  // XML Schema offsets run from -14:00 to +14:00, minutes 00-59 (as in Python's XSD_DATETIME).
  if (offsetHours > 14 || offsetMinutes > 59 || (offsetHours === 14 && offsetMinutes > 0)) {
    return null;
  }
  const moment = new Date(0);
  moment.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0-99 to 19xx
  moment.setUTCHours(hour, minute, second, Number((match[7] ?? '0').slice(0, 3).padEnd(3, '0')));
  const sign = match[8] === '-' ? -1 : 1;
  return moment.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60000;
}

/**
 * A date or date-time from the catalog's own files (key retirement and revocation): a bare
 * date means its first moment, a date-time without a zone means UTC. NaN if unreadable.
 */
export function parseMoment(value) {
  if (typeof value !== 'string') return NaN;
  const full = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value) ? `${value}T00:00:00Z`
    : /(Z|[+-][0-9]{2}:[0-9]{2})$/.test(value) ? value : `${value}Z`;
  return parseDateTime(full) ?? NaN;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

/** "15 January 2026", or "15 January 2026 at 09:30 UTC", always in UTC. */
export function formatDate(time, withTime = false) {
  const moment = new Date(time);
  const date = `${moment.getUTCDate()} ${MONTHS[moment.getUTCMonth()]} ${moment.getUTCFullYear()}`;
  if (!withTime) return date;
  const pad = number => String(number).padStart(2, '0');
  return `${date} at ${pad(moment.getUTCHours())}:${pad(moment.getUTCMinutes())} UTC`;
}

export function achievementOf(document) {
  const achievement = own(own(document, 'credentialSubject'), 'achievement');
  return isObject(achievement) ? achievement : null;
}

function check(id, status, message) {
  return {id, status, message};
}

function checkFormat(document) {
  if (!isObject(document)) {
    return check('format', FAIL, 'This is not a credential: it is not a JSON object. Check ' +
      'that you pasted or chose the right file.');
  }
  const problems = [];
  const context = own(document, '@context');
  if (!Array.isArray(context) || !context.length || context[0] !== VC_CONTEXT) {
    problems.push(`its first @context must be ${VC_CONTEXT}`);
  } else if (!context.some(item => typeof item === 'string' && OB_CONTEXT.test(item))) {
    problems.push('it does not use the Open Badges 3.0 context');
  }
  const documentTypes = types(own(document, 'type'));
  if (!documentTypes.includes('VerifiableCredential') ||
      !['OpenBadgeCredential', 'AchievementCredential'].some(t => documentTypes.includes(t))) {
    problems.push('its type must include VerifiableCredential and OpenBadgeCredential');
  }
  const id = own(document, 'id');
  if (typeof id !== 'string' || !id.includes(':')) problems.push('it has no id (a URI)');
  if (issuerIdOf(document) === null) problems.push('it does not name its issuer');
  if (parseDateTime(own(document, 'validFrom')) === null) {
    problems.push('validFrom is missing or not a date-time with a time zone');
  }
  if (Object.hasOwn(document, 'validUntil') && parseDateTime(document.validUntil) === null) {
    problems.push('validUntil is not a date-time with a time zone');
  }
  const subject = own(document, 'credentialSubject');
  const achievement = achievementOf(document);
  if (!isObject(subject)) {
    problems.push('it has no credentialSubject');
  } else {
    if (!types(own(subject, 'type')).includes('AchievementSubject')) {
      problems.push('credentialSubject must be an AchievementSubject');
    }
    if (!truthy(own(subject, 'id')) && !truthy(own(subject, 'identifier'))) {
      problems.push('credentialSubject names no learner (id or identifier)');
    }
    if (achievement === null) {
      problems.push('credentialSubject has no achievement');
    } else {
      const missing = ['id', 'name', 'criteria'].filter(name => !truthy(own(achievement, name)));
      if (!types(own(achievement, 'type')).includes('Achievement')) {
        missing.push('type Achievement');
      }
      if (missing.length) problems.push(`the achievement lacks ${missing.join(', ')}`);
    }
  }
  if (problems.length) {
    return check('format', FAIL, 'This is not a well-formed Open Badges 3.0 credential: ' +
      `${problems.join('; ')}. Ask whoever gave it to you for the original file or link.`);
  }
  return check('format', PASS, 'This is a well-formed Open Badges 3.0 credential.');
}

function checkValidity(document, now) {
  const validFrom = parseDateTime(own(document, 'validFrom'));
  const validUntil = parseDateTime(own(document, 'validUntil'));
  if (validFrom === null || (Object.hasOwn(document, 'validUntil') && validUntil === null)) {
    return check('validity', UNKNOWN, 'The validity dates could not be read.');
  }
  if (validFrom > now + CLOCK_SKEW_MS) {
    return check('validity', FAIL, 'This credential is not valid yet: it becomes valid on ' +
      `${formatDate(validFrom, true)}. Check again after that date, or ask the issuer.`);
  }
  if (validUntil !== null && validUntil < now) {
    return check('validity', WARN, `This credential expired on ${formatDate(validUntil)}. ` +
      'It was genuine, but ask the holder whether it has been renewed.');
  }
  if (validUntil !== null) {
    return check('validity', PASS, `Valid since ${formatDate(validFrom)}, until ` +
      `${formatDate(validUntil)}.`);
  }
  return check('validity', PASS, `Valid since ${formatDate(validFrom)}; it does not expire.`);
}

/**
 * The key check once the key is known to be this catalog's: a retired key still vouches for
 * what it signed before it retired; a revoked one only for what the issuer recorded as
 * issued before the compromise (the published list of proof hashes), since whoever stole it
 * can backdate a signature but cannot add to that record.
 */
async function checkKeyState(document, proof, key, published, issuerName) {
  const record = key.record;
  const state = own(record, 'state') ?? 'active';
  const signed = parseDateTime(proof.created) ?? parseDateTime(own(document, 'validFrom'));
  if (state === 'active') {
    return check('key', PASS, `Signed with a key this catalog publishes for ${issuerName}.`);
  }
  if (state === 'retired') {
    const retired = parseMoment(String(own(record, 'retired')));
    if (signed !== null && signed <= retired) {
      return check('key', PASS, `Signed with a key of ${issuerName} that was retired on ` +
        `${formatDate(retired)}, after this credential was signed.`);
    }
    return check('key', FAIL, `Signed with a key that ${issuerName} retired on ` +
      `${showDate(retired)}, after it stopped signing credentials. Ask the issuer for a new ` +
      'copy of the credential.');
  }
  const since = parseMoment(String(own(record, 'revoked')));
  const reason = truthy(own(record, 'revocationReason')) ? String(record.revocationReason)
    : 'no reason given';
  if (signed !== null && signed < since) {
    const keyId = key.methodId.slice(key.methodId.lastIndexOf('#') + 1);
    const onRecord = await published.get(
      `status/${key.issuerId}/keys/${encodeURIComponent(keyId)}.json`);
    const issuedBefore = own(onRecord, 'issuedBefore');
    if (Array.isArray(issuedBefore) && issuedBefore.includes(await sha256Hex(proof.proofValue))) {
      return check('key', PASS, `Signed with a key ${issuerName} revoked on ` +
        `${formatDate(since)} (${reason}), but this credential is on the issuer's record as ` +
        'issued before then.');
    }
  }
  return check('key', FAIL, `Signed with a key that ${issuerName} revoked on ` +
    `${showDate(since)} (${reason}), and this credential is not on record as issued before ` +
    'then: it may be forged. Ask the issuer for a new copy.');
}

function showDate(time) {
  return Number.isNaN(time) ? 'an unrecorded date' : formatDate(time);
}

async function checkAchievement(document, published, issuerId) {
  const achievement = achievementOf(document);
  if (achievement === null) {
    return [check('achievement', UNKNOWN, 'There is no achievement to look up.'), null];
  }
  const record = await credentialRecord(published, own(achievement, 'id'));
  if (record === null) {
    return [check('achievement', FAIL, 'The achievement is not a credential of this catalog, ' +
      'so this site cannot say what it stands for. Ask the issuer where it is described.'), null];
  }
  const name = JSON.stringify(String(own(record, 'name') ?? ''));
  if (issuerId !== null && own(record, 'issuer') !== issuerId) {
    return [check('achievement', FAIL, `${name} is awarded by another issuer in this ` +
      'catalog, not by the one that signed this credential. Do not rely on it.'), null];
  }
  if (own(record, 'status') === 'retired') {
    return [check('achievement', PASS, `${name} is a credential of this catalog (retired ` +
      'since: no longer awarded, but earlier awards stand).'), record];
  }
  return [check('achievement', PASS, `${name} is a credential of this catalog.`), record];
}

/**
 * Verify one parsed credential. Returns {verdict, checks, issuerName, record}: `issuerName`
 * is this catalog's name for the issuer (only when the issuer check passed) and `record` the
 * catalog entry of the achievement (only when that check passed). `rdfc` canonicalizes
 * JSON-LD for eddsa-rdfc-2022 (see rdfc.js). Throws CatalogUnavailable when the site's own
 * data cannot be reached, which is not a verdict on the credential.
 */
export async function verifyDocument(document, published, {rdfc, now = Date.now()}) {
  const checks = [checkFormat(document)];
  if (!isObject(document)) {
    for (const id of CHECKS.slice(1)) {
      checks.push(check(id, UNKNOWN, 'Not checked: this is not a credential.'));
    }
    return {verdict: verdict(checks), checks, issuerName: null, record: null};
  }
  const keys = await published.keys();

  let proof = null;
  try {
    proof = parseProof(document);
    checks.push(check('proof', PASS, `It carries an ${proof.cryptosuite} signature made for ` +
      'issuing credentials.'));
  } catch (error) {
    if (!(error instanceof ProofError)) throw error;
    checks.push(check('proof', FAIL, `${error.message} Ask the issuer for a correctly signed ` +
      'copy.'));
  }

  const issuerDidValue = issuerIdOf(document);
  let issuerId = issuerDidValue ? issuerOfDid(keys, issuerDidValue) : null;
  let issuerName = null;
  if (issuerDidValue === null) {
    checks.push(check('issuer', UNKNOWN, 'The credential names no issuer.'));
  } else if (issuerId !== null && issuerEntry(keys, issuerId) !== null) {
    issuerName = String(own(issuerEntry(keys, issuerId), 'name') ?? issuerId);
    checks.push(check('issuer', PASS, `Issued by ${issuerName}, an issuer of this catalog.`));
  } else {
    issuerId = null;
    checks.push(check('issuer', FAIL, 'The issuer is not an issuer of this catalog, so this ' +
      "site cannot vouch for it. If you trust the issuer, check the credential on the issuer's " +
      'own site.'));
  }

  let key = null;
  if (proof === null) {
    checks.push(check('key', UNKNOWN, 'Not checked: the signature block is unusable.'));
  } else {
    try {
      key = await resolveKey(published, proof.verificationMethod);
      if (issuerDidValue && issuerDid(keys, key.issuerId) !== issuerDidValue) {
        key = null;
        checks.push(check('key', FAIL, 'The signing key belongs to another issuer than the ' +
          'one named in the credential. Do not rely on it.'));
      } else {
        // A retired or revoked key still identifies the signer, so the signature is checked
        // either way; the key check carries the verdict on its state.
        const owner = String(own(issuerEntry(keys, key.issuerId), 'name') ?? key.issuerId);
        checks.push(await checkKeyState(document, proof, key, published, owner));
      }
    } catch (error) {
      if (!(error instanceof KeyResolutionError || error instanceof ProofError)) throw error;
      key = null;
      checks.push(check('key', FAIL, `Signed with a key this catalog does not publish: ` +
        `${error.message}. Ask the issuer to confirm the credential.`));
    }
  }

  if (proof === null || key === null) {
    checks.push(check('signature', UNKNOWN, 'Not checked: there is no usable proof and ' +
      'published key to check it with.'));
  } else {
    try {
      const good = await verifySignature(document, proof, key.publicKey, rdfc);
      checks.push(good
        ? check('signature', PASS, 'The signature matches: nothing in the credential has ' +
          'changed since it was signed.')
        : check('signature', FAIL, 'The signature does not match: the credential was changed ' +
          'after it was signed, or forged. Do not rely on it; ask the issuer for the original.'));
    } catch (error) {
      if (error?.name === 'CatalogUnavailable') throw error;
      const reason = error instanceof ProofError ? error.message : String(error?.message ?? error);
      checks.push(check('signature', FAIL, `The signature could not be checked: ${reason} ` +
        'Ask the issuer for a newly signed copy.'));
    }
  }

  checks.push(checkValidity(document, now));
  checks.push(await checkStatus(document, published, rdfc));
  const [achievementCheck, record] = await checkAchievement(document, published, issuerId);
  checks.push(achievementCheck);
  return {verdict: verdict(checks), checks, issuerName, record};
}

/** The learner's name, as `credcat issue` records it: an unhashed identifier of type name. */
export function learnerName(document) {
  const identifiers = own(own(document, 'credentialSubject'), 'identifier');
  for (const item of Array.isArray(identifiers) ? identifiers : []) {
    if (own(item, 'identityType') === 'name' && !truthy(own(item, 'hashed'))) {
      const value = own(item, 'identityHash');
      return typeof value === 'string' ? value : null;
    }
  }
  return null;
}
