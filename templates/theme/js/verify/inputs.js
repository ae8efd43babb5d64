// Turning what a visitor pastes into credentials to verify: credential JSON, a list of them, or
// a verification link (read by files.js, with chosen and dropped files and baked badge images,
// imported when first needed). Nothing here trusts its input: every size is bounded before the
// work it would cost, and every failure becomes a message.
//
// Each input gives a list of items: {source, document} for a parsed credential, or
// {source, error} for something that could not be read; `image` keeps a badge image's bytes
// so the page can show the picture next to its result.

import {formatNumber, t} from '../shared/i18n.js';
import {credentialsOf, JsonInputError, readJson} from './json.js';

export const MAX_CREDENTIAL_BYTES = 1024 * 1024; // 1 MB per credential
export const MAX_INPUT_BYTES = 10 * 1024 * 1024; // one file or one paste
export const MAX_AT_ONCE = 50;
// A verification link, #vc= or #vcs= (files.js reads them).
const VERIFY_LINK = /#vcs?=[A-Za-z0-9_-]*$/;

/**
 * Input that cannot be read; the message says why and what to do. A `reason` of the verifier
 * spec, when set, makes the page report it as that format failure.
 */
export class InputError extends Error {
  constructor(message, reason = null, params = {}) {
    super(message);
    this.reason = reason;
    this.params = params;
  }
}

/**
 * A link that is fine but cannot be checked now (its catalog entry changed): "could not
 * check", not a verdict on the credential. Items get {source, problem} for it.
 */
export class CannotCheck extends InputError {}

function megabytes(bytes) {
  const size = formatNumber(bytes / (1024 * 1024), {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return t('{size} MB', {size});
}

/** `what` names the input, e.g. "This file". */
export function tooLarge(what, bytes, limit) {
  return new InputError(
    t(
      '{what} is {size}; the verifier reads at most {limit}. A credential is normally a few ' +
        'kilobytes: check that this is the right file.',
      {what, size: megabytes(bytes), limit: megabytes(limit)},
    ),
  );
}

export function byteLength(text) {
  return new TextEncoder().encode(text).length;
}

/**
 * Parse JSON text holding one credential, or several as a JSON array of objects. (An array
 * of anything else is taken as one document, which then fails the format check.)
 */
export function credentialsFromJson(text, source) {
  const size = byteLength(text);
  if (size > MAX_INPUT_BYTES) {
    return [{source, error: tooLarge(t('This input'), size, MAX_INPUT_BYTES).message}];
  }
  let value;
  try {
    value = readJson(text);
  } catch (error) {
    if (!(error instanceof JsonInputError)) throw error;
    if (error.reason === 'not-a-credential') {
      // readJson: JSON.parse refused the text
      // The parser's own message (a position in the text) helps nobody here: say what to do.
      return [
        {
          source,
          error: t(
            'This is not a credential: it is not valid JSON. A credential starts with { and ' +
              'ends with }: paste or choose the whole credential, or the whole verification ' +
              'link.',
          ),
        },
      ];
    }
    return [
      {source, error: t('This is not a credential.'), reason: error.reason, params: error.params},
    ];
  }
  const several = credentialsOf(value) === value; // an array of credentials, not one value
  if (!several) {
    if (size > MAX_CREDENTIAL_BYTES) {
      return [{source, error: tooLarge(t('This credential'), size, MAX_CREDENTIAL_BYTES).message}];
    }
    return [{source, document: value}];
  }
  if (value.length > MAX_AT_ONCE) {
    return [
      {
        source,
        error: t(
          'This list holds {count} credentials; the verifier checks at most {max} at once. ' +
            'Split the list and check it in parts.',
          {count: formatNumber(value.length), max: MAX_AT_ONCE},
        ),
      },
    ];
  }
  return value.map((document, i) => {
    const item = {
      source: t('{source}, credential {number} of {count}', {
        source,
        number: i + 1,
        count: value.length,
      }),
    };
    const itemSize = byteLength(JSON.stringify(document));
    if (itemSize > MAX_CREDENTIAL_BYTES) {
      item.error = tooLarge(t('This credential'), itemSize, MAX_CREDENTIAL_BYTES).message;
    } else {
      item.document = document;
    }
    return item;
  });
}

/** Pasted text: credential JSON, a list of credentials, or a verification link. */
export async function credentialsFromText(text, source = t('Pasted text'), published = null) {
  const trimmed = text.trim();
  if (!trimmed) {
    return [
      {
        source,
        error: t('There is nothing to check yet: paste a credential first, or choose a file.'),
      },
    ];
  }
  if (!/^[[{]/.test(trimmed) && VERIFY_LINK.test(trimmed)) {
    const {credentialsFromLinkText} = await import('./files.js');
    return credentialsFromLinkText(trimmed, t('Pasted verification link'), published);
  }
  return credentialsFromJson(text, source);
}
