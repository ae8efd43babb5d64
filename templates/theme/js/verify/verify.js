// Verify one Open Badges 3.0 credential against the keys this catalog publishes.
//
// This is the browser twin of site_builder/credentials/verify.py. What the checks are, their
// order and dependencies, the reason codes, the verdict rule and the messages come from the
// one verifier specification both read (/verifier.json, built from
// site_builder/credentials/verifier.json); the shared cases in tests/vectors/ pin the results.
// docs/verification.md explains the checks, and why every field the verdict depends on must be
// in the one JSON shape credcat issues: with eddsa-rdfc-2022 the signature covers the RDF, so
// other JSON shapes of the same data verify too, and a verifier that could not read them
// would say "could not check" where the truth is "revoked".
//
// A result is {file, verdict, checks: [{id, status, reason, message, params}], credential}.

import {
  CatalogUnavailable,
  credentialRecord,
  issuerDid,
  issuerEntry,
  issuerOfDid,
  KeyResolutionError,
  pathwayRecord,
  resolveKey,
  sitePath,
} from './catalog.js';
import {sha256Hex} from './bytes.js';
import {t} from '../shared/i18n.js';
import {asList, isObject, own, truthy, types} from './json.js';
import {parseProof, ProofError, verifySignature} from './proofs.js';
import {checkStatus, PURPOSES, statusEntries} from './status.js';

const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
const OB_CONTEXT = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context-3\.0\.[0-9]+\.json$/;
// validFrom / validUntil: a date-time with a time zone (Python: XSD_DATETIME + fromisoformat).
const DATE_TIME = new RegExp(
  '^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):' +
    '([0-9]{2})(?:\\.([0-9]+))?(?:Z|([+-])([0-9]{2}):([0-9]{2}))$',
);
const STATUS_INDEX = /^[0-9]{1,15}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The verifier specification this site publishes; without it nothing can be checked. */
export async function loadSpec(published) {
  const spec = await published.get('verifier.json');
  if (!isObject(spec) || !Array.isArray(own(spec, 'checks'))) {
    throw new CatalogUnavailable(
      t(
        'This site does not publish its verifier specification (verifier.json), so no ' +
          'credential can be checked here.',
      ),
    );
  }
  return spec;
}

// A status list's purpose, as the messages name it.
const PURPOSES_SHOWN = {revocation: t('revocation'), suspension: t('suspension')};

/** The message of a reason code in the page's language (its English text in the spec is the
 *  msgid), its {placeholders} filled from `params`. */
export function message(spec, reason, params) {
  const purpose = Object.hasOwn(PURPOSES_SHOWN, params.purpose)
    ? {purpose: PURPOSES_SHOWN[params.purpose]}
    : {};
  return t(spec.messages.en[reason], {...params, ...purpose});
}

/** The verdict: the first rule of the spec matching a check's status, else `otherwise`. */
export function verdict(checks, spec) {
  const statuses = new Set(checks.map((check) => check.status));
  const rule = spec.verdict.rules.find((item) => item.statuses.some((s) => statuses.has(s)));
  return rule ? rule.verdict : spec.verdict.otherwise;
}

/** Milliseconds since 1970 for a valid date-time with a time zone, else null. */
export function parseDateTime(value) {
  if (typeof value !== 'string') return null;
  const match = DATE_TIME.exec(value);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // 2000 is a leap year
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > (month === 2 && !leap ? 28 : days) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
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
  const full = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)
    ? `${value}T00:00:00Z`
    : /(Z|[+-][0-9]{2}:[0-9]{2})$/.test(value)
      ? value
      : `${value}Z`;
  return parseDateTime(full) ?? NaN;
}

/** A moment as the ISO 8601 UTC text both verifiers put in `params` (whole seconds). */
export function iso(time) {
  return `${new Date(Math.floor(time / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

export function achievementOf(document) {
  const achievement = own(own(document, 'credentialSubject'), 'achievement');
  return isObject(achievement) ? achievement : null;
}

/** The issuer's id: only `issuer.id`, the one shape credentials of this catalog use. */
function issuerObjectId(document) {
  const issuer = own(document, 'issuer');
  const id = own(issuer, 'id');
  return isObject(issuer) && typeof id === 'string' ? id : null;
}

/** A format failure: a reason code and its params. */
class Shape extends Error {
  constructor(reason, params = {}) {
    super(reason);
    this.reason = reason;
    this.params = params;
  }
}

/**
 * Refuse what has no single reading: deep nesting, lone surrogates, numbers beyond doubles,
 * and JSON-LD keywords other than @context. Every problem is gathered first, so the order of
 * members cannot change which one is reported (Python: `_scan`).
 */
function scan(document, limits) {
  const found = new Set();
  const keywords = new Set();
  const stack = [[document, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop();
    if (value !== null && typeof value === 'object' && depth > limits.maxDepth) {
      found.add('too-deep');
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) found.add('lone-surrogate');
        if (key === '@context') continue;
        if (key.startsWith('@')) keywords.add(key);
        stack.push([item, depth + 1]);
      }
    } else if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
      found.add('lone-surrogate');
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      found.add('number-out-of-range');
    }
  }
  for (const reason of ['too-deep', 'lone-surrogate', 'number-out-of-range']) {
    if (found.has(reason)) {
      throw new Shape(reason, reason === 'too-deep' ? {limit: limits.maxDepth} : {});
    }
  }
  if (keywords.size) {
    throw new Shape('unexpected-shape', {
      field: [...keywords].sort()[0],
      expected: t('plain JSON members, without JSON-LD keywords'),
    });
  }
}

function checkDate(document, name, required) {
  if (!Object.hasOwn(document, name)) {
    if (required) throw new Shape('missing-field', {field: name});
    return;
  }
  if (parseDateTime(document[name]) === null) {
    throw new Shape('unexpected-shape', {
      field: name,
      expected: t('a date-time with a time zone, as text'),
    });
  }
}

/** credentialStatus: absent, one entry or a list of entries, each exactly as issued. */
function checkStatusShape(document) {
  const value = own(document, 'credentialStatus');
  const listOrObject = {field: 'credentialStatus', expected: t('an object or a list of objects')};
  if (Object.hasOwn(document, 'credentialStatus') && !Array.isArray(value) && !isObject(value)) {
    throw new Shape('unexpected-shape', listOrObject);
  }
  for (const entry of statusEntries(document)) {
    if (!isObject(entry)) throw new Shape('unexpected-shape', listOrObject);
    const rules = [
      ['type', (v) => v === 'BitstringStatusListEntry', '"BitstringStatusListEntry"'],
      ['statusPurpose', (v) => PURPOSES.includes(v), t('"revocation" or "suspension"')],
      [
        'statusListIndex',
        (v) => typeof v === 'string' && STATUS_INDEX.test(v),
        t('a number written as text'),
      ],
      ['statusListCredential', (v) => typeof v === 'string', t('a URL as text')],
    ];
    for (const [name, good, expected] of rules) {
      if (!good(own(entry, name))) {
        throw new Shape('unexpected-shape', {field: `credentialStatus.${name}`, expected});
      }
    }
    if (Object.hasOwn(entry, 'id') && typeof entry.id !== 'string') {
      throw new Shape('unexpected-shape', {
        field: 'credentialStatus.id',
        expected: t('a URL as text'),
      });
    }
  }
}

function formatProblem(document, limits) {
  if (
    !isObject(document) ||
    !Object.hasOwn(document, '@context') ||
    !Object.hasOwn(document, 'type')
  ) {
    throw new Shape('not-a-credential');
  }
  scan(document, limits);
  const context = document['@context'];
  if (
    !Array.isArray(context) ||
    !context.length ||
    context[0] !== VC_CONTEXT ||
    !context.some((item) => typeof item === 'string' && OB_CONTEXT.test(item))
  ) {
    throw new Shape('unexpected-shape', {
      field: '@context',
      expected: t('a list starting with {context} and naming the Open Badges 3.0 context', {
        context: VC_CONTEXT,
      }),
    });
  }
  const documentTypes = document.type;
  if (
    !Array.isArray(documentTypes) ||
    !documentTypes.every((t) => typeof t === 'string') ||
    !documentTypes.includes('VerifiableCredential') ||
    !['OpenBadgeCredential', 'AchievementCredential'].some((t) => documentTypes.includes(t))
  ) {
    throw new Shape('unexpected-shape', {
      field: 'type',
      expected: t('a list including VerifiableCredential and OpenBadgeCredential'),
    });
  }
  if (!Object.hasOwn(document, 'id')) throw new Shape('missing-field', {field: 'id'});
  if (typeof document.id !== 'string' || !document.id.includes(':')) {
    throw new Shape('unexpected-shape', {field: 'id', expected: t('a URI as text')});
  }
  if (!Object.hasOwn(document, 'issuer')) throw new Shape('missing-field', {field: 'issuer'});
  const issuer = issuerObjectId(document);
  if (issuer === null || !issuer.includes(':')) {
    throw new Shape('unexpected-shape', {
      field: 'issuer',
      expected: t('an object whose id is a URI'),
    });
  }
  checkDate(document, 'validFrom', true);
  checkDate(document, 'validUntil', false);
  const subject = own(document, 'credentialSubject');
  if (subject === undefined || subject === null) {
    throw new Shape('missing-field', {field: 'credentialSubject'});
  }
  if (!isObject(subject)) {
    throw new Shape('unexpected-shape', {field: 'credentialSubject', expected: t('an object')});
  }
  if (!types(own(subject, 'type')).includes('AchievementSubject')) {
    throw new Shape('unexpected-shape', {
      field: 'credentialSubject.type',
      expected: 'AchievementSubject',
    });
  }
  if (!truthy(own(subject, 'id')) && !truthy(own(subject, 'identifier'))) {
    throw new Shape('missing-field', {field: 'credentialSubject.identifier'});
  }
  const achievement = achievementOf(document);
  if (achievement === null) {
    throw new Shape('missing-field', {field: 'credentialSubject.achievement'});
  }
  for (const name of ['id', 'name', 'criteria']) {
    if (!truthy(own(achievement, name))) {
      throw new Shape('missing-field', {field: `credentialSubject.achievement.${name}`});
    }
  }
  if (!types(own(achievement, 'type')).includes('Achievement')) {
    throw new Shape('unexpected-shape', {
      field: 'credentialSubject.achievement.type',
      expected: 'Achievement',
    });
  }
  checkStatusShape(document);
}

function check(id, status, reason, params = {}) {
  return {id, status, reason, params};
}

function checkFormat(document, limits) {
  try {
    formatProblem(document, limits);
  } catch (error) {
    if (!(error instanceof Shape)) throw error;
    return check('format', 'fail', error.reason, error.params);
  }
  return check('format', 'pass', 'well-formed');
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
  if (state === 'active') return check('key', 'pass', 'key-active', {issuerName});
  const changed = parseMoment(own(record, state === 'retired' ? 'retired' : 'revoked'));
  if (Number.isNaN(changed) || !['retired', 'revoked'].includes(state)) {
    return check('key', 'fail', 'key-state-unknown', {state: String(state)});
  }
  if (state === 'retired') {
    const params = {issuerName, retired: iso(changed)};
    return signed !== null && signed <= changed
      ? check('key', 'pass', 'key-retired-after', params)
      : check('key', 'fail', 'key-retired', params);
  }
  const reason = own(record, 'revocationReason');
  const params = {
    issuerName,
    revoked: iso(changed),
    revocationReason: typeof reason === 'string' && reason ? reason : t('no reason given'),
  };
  if (signed !== null && signed < changed) {
    const keyId = key.methodId.slice(key.methodId.lastIndexOf('#') + 1);
    const keys = await published.keys();
    const onRecord = await published.get(
      sitePath(keys, 'revokedKey', {issuer: key.issuerId, key: keyId}),
    );
    const issuedBefore = own(onRecord, 'issuedBefore');
    if (Array.isArray(issuedBefore) && issuedBefore.includes(await sha256Hex(proof.proofValue))) {
      return check('key', 'pass', 'key-revoked-on-record', params);
    }
  }
  return check('key', 'fail', 'key-revoked', params);
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

/** The failed check that keeps `id` from running, if any (through skipped ones). */
function skippedAfter(spec, id, done) {
  const entry = spec.checks.find((item) => item.id === id);
  for (const before of entry.after) {
    const earlier = done.get(before);
    if (earlier.status === 'fail') return before;
    if (earlier.status === 'skipped') return earlier.params.after;
  }
  return null;
}

/** `shown`: values the messages show instead of the params' (the issuer's name in the page's
 *  language); the params stay as both verifiers give them. */
function finish(spec, file, done, credential, shown = {}) {
  const checks = [...done.values()].map((item) => ({
    ...item,
    message: message(spec, item.reason, {...item.params, ...shown}),
  }));
  return {file, verdict: verdict(checks, spec), checks, credential};
}

/**
 * The result of input from which no credential could be read: format fails with `reason`,
 * every other check is skipped.
 */
export async function unreadableResult(published, file, reason, params = {}) {
  const spec = await loadSpec(published);
  const done = new Map([['format', check('format', 'fail', reason, params)]]);
  for (const {id} of spec.checks.slice(1)) {
    done.set(id, check(id, 'skipped', 'skipped', {after: skippedAfter(spec, id, done)}));
  }
  return {...finish(spec, file, done, null), issuerName: null, record: null};
}

/**
 * Verify one parsed credential; returns the result (see the top of this file). For the page
 * it also carries `issuerName` (this catalog's name for the issuer) and `record` (the catalog
 * entry of the achievement) when those checks passed. `rdfc` canonicalizes JSON-LD for
 * eddsa-rdfc-2022 (see rdfc.js). Throws CatalogUnavailable when the site's own data cannot be
 * reached, which is not a verdict on the credential.
 */
export async function verifyDocument(document, published, {rdfc, now = Date.now(), file = ''}) {
  const spec = await loadSpec(published);
  const limits = spec.limits;
  const state = {proof: null, key: null, issuerId: null, issuerName: null, record: null};
  const steps = {
    format: async () => checkFormat(document, limits),
    proof: async () => {
      try {
        state.proof = parseProof(document);
      } catch (error) {
        if (!(error instanceof ProofError)) throw error;
        return check('proof', 'fail', error.reason, error.params);
      }
      return check('proof', 'pass', 'proof-ok', {cryptosuite: state.proof.cryptosuite});
    },
    issuer: async () => {
      const keys = await published.keys();
      const issuerDidValue = issuerObjectId(document) ?? '';
      const issuerId = issuerOfDid(keys, issuerDidValue);
      const entry = issuerId === null ? null : issuerEntry(keys, issuerId);
      if (entry === null)
        return check('issuer', 'fail', 'foreign-issuer', {issuer: issuerDidValue});
      state.issuerId = issuerId;
      state.issuerName = String(truthy(own(entry, 'name')) ? entry.name : issuerId);
      return check('issuer', 'pass', 'catalog-issuer', {issuerName: state.issuerName});
    },
    key: async () => {
      const keys = await published.keys();
      let key;
      try {
        key = await resolveKey(published, state.proof.verificationMethod);
      } catch (error) {
        if (!(error instanceof KeyResolutionError)) throw error;
        return check('key', 'fail', error.reason, error.params);
      }
      if (issuerDid(keys, key.issuerId) !== issuerObjectId(document)) {
        return check('key', 'fail', 'key-other-issuer');
      }
      state.key = key;
      return checkKeyState(document, state.proof, key, published, state.issuerName);
    },
    signature: async () => {
      try {
        const good = await verifySignature(document, state.proof, state.key.publicKey, rdfc);
        return good
          ? check('signature', 'pass', 'signature-match')
          : check('signature', 'fail', 'signature-mismatch');
      } catch (error) {
        if (error?.name === 'CatalogUnavailable') throw error;
        if (!(error instanceof ProofError)) throw error;
        return check('signature', 'fail', 'not-canonicalizable', {
          detail: error.params.detail ?? error.message,
        });
      }
    },
    validity: async () => {
      const validFrom = parseDateTime(document.validFrom);
      const validUntil = parseDateTime(own(document, 'validUntil'));
      const params = {validFrom: iso(validFrom)};
      if (validFrom > now + limits.clockSkewSeconds * 1000) {
        return check('validity', 'fail', 'not-yet-valid', params);
      }
      if (validUntil === null) return check('validity', 'pass', 'valid', params);
      if (validUntil < now)
        return check('validity', 'warn', 'expired', {validUntil: iso(validUntil)});
      return check('validity', 'pass', 'valid-until', {...params, validUntil: iso(validUntil)});
    },
    status: async () => {
      // The catalog entry is read next: ask for it now, while the status lists are read.
      credentialRecord(published, own(achievementOf(document), 'id')).catch(() => null);
      return checkStatus(document, published, rdfc, spec);
    },
    achievement: async () => {
      const record = await credentialRecord(published, own(achievementOf(document), 'id'));
      if (record === null) return check('achievement', 'fail', 'unknown-achievement');
      const params = {name: String(own(record, 'name') ?? 'None')};
      if (own(record, 'issuer') !== state.issuerId) {
        return check('achievement', 'fail', 'other-issuers-achievement', params);
      }
      state.record = record;
      return check(
        'achievement',
        'pass',
        own(record, 'status') === 'retired' ? 'retired-credential' : 'catalog-credential',
        params,
      );
    },
  };
  const done = new Map();
  for (const {id} of spec.checks) {
    const after = skippedAfter(spec, id, done);
    done.set(id, after ? check(id, 'skipped', 'skipped', {after}) : await steps[id]());
  }
  // The catalog names its issuer in the page's language in the credential's record (keys.json
  // gives the default language's name, the same as the record's on a default-language page).
  const recordName = own(state.record, 'issuerName');
  const shown = typeof recordName === 'string' && recordName ? {issuerName: recordName} : {};
  const issuerName = shown.issuerName ?? state.issuerName;
  let credential = null;
  if (done.get('format').status === 'pass') {
    const identifiers = own(own(document, 'credentialSubject'), 'identifier');
    credential = {
      id: own(document, 'id') ?? null,
      name: typeof own(document, 'name') === 'string' ? document.name : null,
      holderName: learnerName(document),
      issuerName,
      validFrom: own(document, 'validFrom') ?? null,
      validUntil: own(document, 'validUntil') ?? null,
      credentialId: state.record ? (own(state.record, 'id') ?? null) : null,
      identifiers: Array.isArray(identifiers) ? identifiers : [],
    };
  }
  return {
    ...finish(spec, file, done, credential, shown),
    issuerName,
    record: state.record,
  };
}

/**
 * Ask now for the site's documents that verifying `document` will read (its issuer's DID
 * document, its catalog record and that record's pathways) and check the status lists it
 * names, so that the click on Verify does not wait for them. A status list is the site's own
 * signed document, verified once per page for every credential that names it (status.js,
 * verifiedList); the credential itself is verified only on the click. Only this site's own
 * published files are read, through the same cache the checks read, and a failure is left
 * for the checks to meet (and report).
 */
export async function prefetch(document, published, rdfc) {
  const ask = (request) => request.catch(() => null);
  const keys = await published.keys();
  const method = own(own(document, 'proof'), 'verificationMethod');
  const issuerId = typeof method === 'string' ? issuerOfDid(keys, method) : null;
  const entry = issuerId === null ? null : issuerEntry(keys, issuerId);
  // A revoked key is checked from keys.json alone (resolveKey): no DID document is read.
  const record = asList(own(entry, 'keys')).find((item) => own(item, 'id') === method);
  if (entry !== null && own(record, 'state') !== 'revoked') {
    ask(published.get(sitePath(keys, 'didDocument', {issuer: issuerId})));
  }
  ask(loadSpec(published).then((spec) => checkStatus(document, published, rdfc, spec)));
  const credential = await credentialRecord(published, own(achievementOf(document), 'id'));
  for (const id of asList(own(credential, 'pathways'))) ask(pathwayRecord(published, id));
}
