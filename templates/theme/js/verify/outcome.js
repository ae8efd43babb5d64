// What the page shows from one verifier result: the verdict first, then only what that verdict
// allows. The verifier (verify.js) gives {verdict, checks: [{id, status, message, reason?,
// params?}], credential?, issuerName?, record?}; this module brings any result to one shape
// and applies the page's presentation rules, so the page reads the same whichever verifier
// version produced it.
//
// The rules (issue 14):
// - Format, signature block, signing key and signature are the checks the others depend on.
//   Once one of them fails, every other check ran on data nobody vouches for: those are shown
//   as "not checked" (status 'skipped', params.after = the failed check), never as passed;
//   the ones before it in that order keep their status. Another of the four that failed too
//   stays failed, except after the format check: input
//   that is not a credential is one sentence, with nothing else looked at.
// - Expired, revoked and suspended are named in the headline.

import {formatDate, t} from '../shared/i18n.js';
import {isObject, own} from './json.js';
import {achievementOf, learnerName, parseDateTime} from './verify.js';

/** The checks every other check depends on, in the order the verifier runs them. */
export const GATES = ['format', 'proof', 'key', 'signature'];
export const SKIPPED = 'skipped';

/** A kebab-case reason for a check of the older result shape, from what it checked. */
function reasonOf(check, document) {
  if (check.status === 'pass') return 'ok';
  if (check.id === 'format' && check.status === 'fail') return 'not-a-credential';
  if (check.id === 'signature' && check.status === 'fail') return 'signature-mismatch';
  if (check.id === 'key' && check.status === 'fail' && /revoked/.test(check.message)) {
    return 'key-revoked';
  }
  if (check.id === 'status' && check.status === 'fail') {
    return /suspended/.test(check.message) ? 'suspended' : 'revoked';
  }
  if (
    check.id === 'validity' &&
    check.status === 'warn' &&
    parseDateTime(own(document, 'validUntil')) !== null
  ) {
    return 'expired';
  }
  return `${check.id}-${check.status}`;
}

function paramsOf(check, document) {
  const params = isObject(check.params) ? {...check.params} : {};
  if (check.reason === 'expired' || reasonOf(check, document) === 'expired') {
    params.validUntil ??= own(document, 'validUntil');
  }
  return params;
}

/**
 * The language of a credential's own texts (its name, description, criteria), or null: the
 * achievement's `inLanguage` (`credcat issue --lang`), else the credential's, else a default
 * `@language` its @context sets (VC 2.0, 11.1). Only plain strings pass the format check (a
 * language value object is another JSON shape of the same signed data), so this is the one
 * language those texts are in.
 */
export function credentialLanguage(document) {
  const tag = (value) => (typeof value === 'string' && value.trim() ? value.trim() : null);
  const declared =
    tag(own(achievementOf(document), 'inLanguage')) ?? tag(own(document, 'inLanguage'));
  if (declared) return declared;
  const contexts = Array.isArray(own(document, '@context')) ? document['@context'] : [];
  const set = contexts.filter(isObject).map((context) => tag(own(context, '@language')));
  return set.filter(Boolean).at(-1) ?? null;
}

/** What the credential says about itself, for the page (claims; confirmed only if verified). */
function claimsOf(document, result) {
  if (!isObject(document)) return null;
  const achievement = achievementOf(document);
  const name = own(achievement, 'name');
  const identifiers = own(own(document, 'credentialSubject'), 'identifier');
  const text = (value) => (typeof value === 'string' ? value : null);
  return {
    id: text(own(document, 'id')),
    name: text(name) ?? text(own(document, 'name')),
    language: credentialLanguage(document),
    holderName: learnerName(document),
    issuerName: result.issuerName ?? null,
    validFrom: text(own(document, 'validFrom')),
    validUntil: text(own(document, 'validUntil')),
    credentialId: text(own(result.record, 'id')),
    identifiers: Array.isArray(identifiers) ? identifiers.filter(isObject) : [],
  };
}

/**
 * One result in the shape the page renders: {verdict, checks, credential, record, failed}, where
 * `failed` is the first failed check the others depend on (or null). Idempotent: a result
 * already in this shape comes out the same.
 */
export function normalize(result, document) {
  const checks = result.checks.map((check) => ({
    id: check.id,
    status: check.status,
    message: check.message,
    reason: typeof check.reason === 'string' ? check.reason : reasonOf(check, document),
    params: paramsOf(check, document),
  }));
  const failed =
    checks.find((check) => GATES.includes(check.id) && check.status === 'fail') ?? null;
  if (failed !== null) {
    // The checks the failed one itself rests on (format before the signature block, and so
    // on) ran on their own and keep what they found.
    const before = GATES.slice(0, GATES.indexOf(failed.id));
    for (const check of checks) {
      if (check === failed || before.includes(check.id)) continue;
      // Another failed gate is kept, except after the format: then nothing else was looked at.
      if (failed.id !== 'format' && GATES.includes(check.id) && check.status === 'fail') continue;
      if (check.status === SKIPPED) continue;
      check.status = SKIPPED;
      check.reason = 'not-checked';
      check.params = {after: failed.id};
    }
  }
  const credential = isObject(result.credential)
    ? {...claimsOf(document, result), ...result.credential}
    : claimsOf(document, result);
  return {
    verdict: result.verdict,
    checks,
    credential,
    record: isObject(result.record) ? result.record : null,
    failed,
  };
}

const CHECK_REASONS = ['expired', 'revoked', 'suspended'];

/**
 * The headline: {title, text}. A failed check the others depend on is the one sentence; an
 * expired, revoked or suspended credential says so in the title.
 */
export function headline(outcome) {
  const {verdict, checks, credential, failed} = outcome;
  const issuer = credential?.issuerName ?? t('its issuer');
  if (failed !== null && failed.id === 'format') {
    return {title: t('This is not a credential'), text: failed.message};
  }
  if (failed !== null) {
    return {title: t('Not verified'), text: failed.message};
  }
  const marked = Object.fromEntries(
    checks
      .filter((check) => CHECK_REASONS.includes(check.reason))
      .map((check) => [check.reason, check]),
  );
  if (marked.revoked) {
    return {title: t('Genuine, but revoked by {issuer}', {issuer}), text: marked.revoked.message};
  }
  if (marked.suspended) {
    return {
      title: t('Genuine, but suspended by {issuer}', {issuer}),
      text: marked.suspended.message,
    };
  }
  const others = checks.filter((check) => check.status === 'fail');
  if (verdict === 'not-verified') {
    return {
      title: t('Not verified'),
      text:
        others.map((check) => check.message).join(' ') ||
        t('At least one check failed: do not rely on this credential.'),
    };
  }
  if (marked.expired) {
    const until = parseDateTime(marked.expired.params.validUntil ?? credential?.validUntil);
    return {
      title:
        until === null
          ? t('Genuine, but expired')
          : t('Genuine, but expired on {date}', {date: formatDate(until)}),
      text: marked.expired.message,
    };
  }
  if (verdict === 'warning') {
    return {
      title: t('Verified, with warnings'),
      text: t(
        'The signature is genuine and nothing failed, but some checks gave a warning or could ' +
          'not be completed: read those lines below before relying on it.',
      ),
    };
  }
  return {
    title: t('Verified'),
    text: t(
      'Every check passed: this credential is genuine, unaltered and from {issuer}, an ' +
        'issuer of this catalog.',
      {issuer},
    ),
  };
}

/**
 * Whether a credential counts towards its holder's pathway progress: it verified with nothing
 * failed, and is neither expired, revoked nor suspended.
 */
export function countsForProgress(outcome) {
  return (
    outcome.verdict !== 'not-verified' &&
    outcome.record !== null &&
    !outcome.checks.some((check) => CHECK_REASONS.includes(check.reason))
  );
}

/** The one line "why" of the summary table. */
export function oneLine(outcome) {
  const {title} = headline(outcome);
  return title;
}
