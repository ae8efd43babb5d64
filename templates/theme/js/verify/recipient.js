// The recipient check: someone who knows the holder's e-mail address (or another identifier)
// types it, and the page says whether the credential was issued to it. Open Badges 3.0 keeps
// the recipient in credentialSubject.identifier as IdentityObjects
// (https://www.imsglobal.org/spec/ob/v3p0/#identityobject): `identityHash` is the plain value
// when `hashed` is false, else "sha256$" + the hex SHA-256 of the value followed by `salt`.
// The hash is computed here with WebCrypto; what is typed is never sent or stored.

import {formatList, t} from '../shared/i18n.js';
import {sha256Hex} from './bytes.js';
import {isObject, own} from './json.js';
import {h} from './render.js';

const LABELS = {
  emailAddress: t('e-mail address'),
  url: t('web address'),
  phone: t('phone number'),
  sourcedId: t('student number'),
  identifier: t('identifier'),
};

/** The identifiers someone can check (not the learner's name, which is shown anyway). */
export function checkableIdentifiers(identifiers) {
  return (Array.isArray(identifiers) ? identifiers : []).filter(
    (item) =>
      isObject(item) &&
      typeof own(item, 'identityHash') === 'string' &&
      own(item, 'identityType') !== 'name',
  );
}

/**
 * Whether `typed` is the value behind `identifier`: true, false, or null when the identifier
 * is hashed with an algorithm this page does not know. An e-mail address is compared as
 * typed and in lower case, since issuers commonly hash it lower-cased.
 */
export async function identityMatches(identifier, typed) {
  const value = typed.trim();
  const candidates =
    own(identifier, 'identityType') === 'emailAddress'
      ? [...new Set([value, value.toLowerCase()])]
      : [value];
  const stored = String(own(identifier, 'identityHash'));
  if (own(identifier, 'hashed') !== true) {
    return candidates.some(
      (candidate) =>
        candidate === stored ||
        (own(identifier, 'identityType') === 'emailAddress' &&
          candidate.toLowerCase() === stored.toLowerCase()),
    );
  }
  const match = /^sha256\$([0-9a-fA-F]{64})$/.exec(stored);
  if (match === null) return null;
  const salt = typeof own(identifier, 'salt') === 'string' ? identifier.salt : '';
  for (const candidate of candidates) {
    if ((await sha256Hex(candidate + salt)) === match[1].toLowerCase()) return true;
  }
  return false;
}

/** The recipient-check form for one verified credential, or null if it names no recipient. */
export function recipientForm(identifiers, number) {
  const checkable = checkableIdentifiers(identifiers);
  if (!checkable.length) return null;
  const types = [...new Set(checkable.map((item) => String(own(item, 'identityType'))))];
  const what = formatList(
    types.map((type) => LABELS[type] ?? type),
    'disjunction',
  );
  const inputId = `recipient-${number}`;
  const input = h('input', {
    id: inputId,
    type: types.includes('emailAddress') ? 'email' : 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': `${inputId}-hint`,
  });
  const button = h('button', {class: 'button button-secondary', type: 'button'}, t('Check'));
  const answer = h('p', {class: 'recipient-answer', role: 'status'});
  const run = async () => {
    if (!input.value.trim()) {
      answer.dataset.match = 'empty';
      answer.textContent = t('Type the {what} first.', {what});
      return;
    }
    const results = await Promise.all(checkable.map((item) => identityMatches(item, input.value)));
    const match = results.includes(true) ? 'yes' : results.includes(false) ? 'no' : 'unknown';
    answer.dataset.match = match;
    answer.textContent =
      match === 'yes'
        ? t('Yes: this credential was issued to the {what} you typed.', {what})
        : match === 'no'
          ? t(
              'No: this credential was not issued to the {what} you typed. Check for typing ' +
                'mistakes, or ask the holder which address the issuer has.',
              {what},
            )
          : t('This credential records its recipient in a way this page cannot check.');
  };
  button.addEventListener('click', run);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      run();
    }
  });
  return h(
    'section',
    {class: 'recipient-check', 'aria-labelledby': `${inputId}-heading`},
    h('h4', {id: `${inputId}-heading`}, t('Check who it was issued to')),
    h('label', {for: inputId}, t('The holder’s {what}', {what})),
    h(
      'p',
      {class: 'hint', id: `${inputId}-hint`},
      t(
        'If you know it, type it here: this page compares it with the recipient recorded in ' +
          'the credential, in your browser. Nothing you type is sent or stored.',
      ),
    ),
    h('div', {class: 'recipient-row'}, input, button),
    answer,
  );
}
