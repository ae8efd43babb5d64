// Credentials out of files (.json, baked .png and .svg badges, pictures of a certificate's QR
// code) and out of verification links (#vc=, #vcs=), for the verify page; imported when a
// visitor first chooses or drops a file or follows a link, since pasting a credential, the
// common case, needs none of it. The rules of inputs.js hold here too.

import {t} from '../shared/i18n.js';
import {base64UrlBytes, gunzip, sha256Hex, TooLarge} from './bytes.js';
import {
  byteLength,
  CannotCheck,
  credentialsFromJson,
  InputError,
  MAX_CREDENTIAL_BYTES,
  MAX_INPUT_BYTES,
  tooLarge,
} from './inputs.js';
import {canonicalize} from './jcs.js';
import {isObject, own} from './json.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_KEYWORD = 'openbadgecredential';
const OB_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
// For SVG images that use the element without declaring its namespace (as site_builder/credentials/baking.py
// reads them): the first element, its content in CDATA.
const SVG_CREDENTIAL = new RegExp(
  '<openbadges:credential\\b[^>]*>\\s*<!\\[CDATA\\[' +
    '([\\s\\S]*?)\\]\\]>\\s*</openbadges:credential>',
);
const LINK = /#vc=([A-Za-z0-9_-]*)$/;
// The short link a certificate's QR code carries (site_builder/credentials/sharing.py): the
// credential with its achievement replaced by {id, sha256}, the achievement being the one the
// catalog publishes as JSON-LD in the credential page, its id (catalog.js publishedAchievement).
const SHORT_LINK = /#vcs=([A-Za-z0-9_-]*)$/;

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** A PNG image without a baked credential: perhaps a picture of a certificate. */
class NoCredentialInPng extends InputError {}

/**
 * The credential JSON text inside a baked PNG badge: its one openbadgecredential iTXt chunk.
 * An image with two cannot say which one it vouches for, so it is refused.
 */
export function credentialFromPng(bytes) {
  if (!PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) {
    throw new InputError(t('This is not a PNG image.'));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (start, end) => String.fromCharCode(...bytes.subarray(start, end));
  const found = [];
  for (let offset = 8; offset + 8 <= bytes.length; ) {
    const length = view.getUint32(offset);
    const type = ascii(offset + 4, offset + 8);
    const start = offset + 8;
    const end = start + length;
    if (end > bytes.length) throw new InputError(t('The PNG image is truncated.'));
    if (type === 'iTXt') {
      const body = bytes.subarray(start, end);
      const nul = body.indexOf(0);
      if (nul === PNG_KEYWORD.length && ascii(start, start + nul) === PNG_KEYWORD) {
        // keyword NUL, compression flag, compression method, language NUL, translated NUL, text
        if (body[nul + 1] !== 0) {
          throw new InputError(
            t(
              "The badge's credential is stored compressed, which Open Badges 3.0 does not " +
                'allow. Ask the issuer for a new badge image.',
            ),
          );
        }
        const languageEnd = body.indexOf(0, nul + 3);
        const translatedEnd = languageEnd < 0 ? -1 : body.indexOf(0, languageEnd + 1);
        if (translatedEnd < 0) throw new InputError(t("The badge's credential chunk is damaged."));
        const text = body.subarray(translatedEnd + 1);
        if (text.length > MAX_CREDENTIAL_BYTES) {
          throw tooLarge(t('The credential in this badge'), text.length, MAX_CREDENTIAL_BYTES);
        }
        try {
          found.push(utf8.decode(text));
        } catch {
          throw new InputError(t("The badge's credential is not valid UTF-8 text."));
        }
      }
    }
    if (type === 'IEND') break;
    offset = end + 4; // skip the CRC
  }
  if (found.length > 1) {
    throw new InputError(
      t('This badge image carries several credentials.'),
      'several-credentials',
      {
        count: found.length,
      },
    );
  }
  if (found.length === 1) return found[0];
  throw new NoCredentialInPng(
    t(
      'This PNG image carries no credential: it is not a baked Open Badges 3.0 badge. Ask ' +
        'the issuer for the badge file or the credential JSON.',
    ),
  );
}

/** The credential JSON text inside a baked SVG badge (first openbadges:credential element). */
export function credentialFromSvg(text) {
  // An XML document made by DOMParser is inert: no script runs and nothing is loaded.
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const element = parsed.getElementsByTagNameNS(OB_NAMESPACE, 'credential')[0];
  if (element !== undefined) return element.textContent;
  const match = SVG_CREDENTIAL.exec(text);
  if (match !== null) return match[1];
  throw new InputError(
    t(
      'This SVG image carries no credential: it is not a baked Open Badges 3.0 badge. Ask ' +
        'the issuer for the badge file or the credential JSON.',
    ),
  );
}

/** The credential JSON text of a verification link: #vc= base64url(gzip(JSON)). */
export async function credentialFromLink(link, pattern = LINK) {
  const match = pattern.exec(link.trim());
  if (match === null || !match[1]) {
    throw new InputError(
      t(
        'This verification link is incomplete: the part after "#vc=" is missing. Copy the ' +
          'whole link again.',
      ),
    );
  }
  if (match[1].length > (MAX_CREDENTIAL_BYTES * 4) / 3 + 4) {
    throw tooLarge(t('This verification link'), match[1].length, MAX_CREDENTIAL_BYTES);
  }
  try {
    return utf8.decode(await gunzip(base64UrlBytes(match[1]), MAX_CREDENTIAL_BYTES));
  } catch (error) {
    if (error instanceof TooLarge) {
      throw tooLarge(t('The credential in this link'), error.size, MAX_CREDENTIAL_BYTES);
    }
    throw new InputError(
      t(
        'This verification link is damaged: its credential cannot be unpacked. Copy the ' +
          'whole link again, or ask for the credential file.',
      ),
    );
  }
}

/**
 * The credential of a short link (#vcs=), its achievement put back from what the catalog
 * publishes, but only if that is exactly what was signed (the SHA-256 of its RFC 8785 form);
 * `published(id)` gives the published achievement object, or null. The signature is then
 * checked over the whole credential as for any other.
 */
export async function credentialFromShortLink(link, published) {
  let short;
  try {
    short = JSON.parse(await credentialFromLink(link, SHORT_LINK));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      t(
        'This verification link is damaged. Copy the whole link again, or ask for the ' +
          'credential file.',
      ),
    );
  }
  const reference = own(own(short, 'credentialSubject'), 'achievement');
  const id = own(reference, 'id');
  const hash = own(reference, 'sha256');
  if (typeof id !== 'string' || typeof hash !== 'string') {
    throw new InputError(
      t(
        'This short verification link is damaged: it does not say which credential of the ' +
          'catalog it is for. Ask the holder for the credential file.',
      ),
    );
  }
  const found = await published(id);
  const achievement = isObject(found)
    ? Object.fromEntries(Object.entries(found).filter(([name]) => name !== '@context'))
    : null;
  if (achievement === null || (await sha256Hex(canonicalize(achievement))) !== hash) {
    throw new CannotCheck(
      t(
        "This short verification link (from a certificate's QR code) can no longer be " +
          'checked: the catalog entry it refers to is not published, or has changed since the ' +
          'credential was issued. This says nothing against the credential: ask the holder ' +
          'for the credential file or its full verification link.',
      ),
    );
  }
  return {...short, credentialSubject: {...short.credentialSubject, achievement}};
}

/** A #vc= or #vcs= link; `published` is what credentialFromShortLink needs. */
export async function credentialsFromLinkText(
  link,
  source = t('Verification link'),
  published = null,
) {
  try {
    if (SHORT_LINK.test(link.trim()) && published !== null) {
      return [{source, document: await credentialFromShortLink(link, published)}];
    }
    return credentialsFromJson(await credentialFromLink(link), source);
  } catch (error) {
    if (error instanceof CannotCheck) return [{source, problem: error.message}];
    if (!(error instanceof InputError)) throw error;
    return [{source, error: error.message, reason: error.reason, params: error.params}];
  }
}

/**
 * The credential a QR code in a picture leads to (a certificate's), or null when the picture
 * has no QR code. The code must hold a verification link (#vc= or #vcs=); only its fragment is
 * used, whatever site it names, and nothing is fetched from it.
 */
export async function credentialsFromQrPicture(file, source, published) {
  const {qrFromFile} = await import('./qr.js'); // only for pictures: loaded on first use
  const text = await qrFromFile(file);
  if (text === null) return null;
  if (!LINK.test(text.trim()) && !SHORT_LINK.test(text.trim())) {
    const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    return [
      {
        source,
        error: t(
          'This is not a credential: the QR code in this picture is not a verification link ' +
            '(it says "{text}").',
          {text: shown},
        ),
      },
    ];
  }
  return credentialsFromLinkText(text, t('{source} (QR code)', {source}), published);
}

const JPEG = [0xff, 0xd8, 0xff];
const RIFF = [0x52, 0x49, 0x46, 0x46];

/**
 * A chosen or dropped file: .json, a baked .png or .svg badge, or a picture of a certificate
 * (.png, .jpg, .webp) whose QR code holds a verification link. `published` is what short
 * links need (see credentialFromShortLink).
 */
export async function credentialsFromFile(file, published = null) {
  const source = t('File {name}', {name: file.name});
  try {
    if (file.size > MAX_INPUT_BYTES) throw tooLarge(t('This file'), file.size, MAX_INPUT_BYTES);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (JPEG.every((byte, i) => bytes[i] === byte) || RIFF.every((byte, i) => bytes[i] === byte)) {
      return (
        (await credentialsFromQrPicture(file, source, published)) ?? [
          {
            source,
            error: t(
              'This picture has no QR code that could be read. Choose a sharper or closer ' +
                "picture of the certificate's QR code, or the credential file itself.",
            ),
          },
        ]
      );
    }
    if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) {
      let json;
      try {
        json = credentialFromPng(bytes);
      } catch (error) {
        // A PNG without a baked credential may be a picture of a certificate.
        if (!(error instanceof NoCredentialInPng)) throw error;
        const read = await credentialsFromQrPicture(file, source, published);
        if (read !== null) return read;
        throw error;
      }
      return credentialsFromJson(json, source).map((item) => ({...item, image: file}));
    }
    let text;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new InputError(
        t(
          'This file is neither a credential (JSON) nor a baked badge image (PNG or SVG). ' +
            'Choose the credential file the issuer sent.',
        ),
      );
    }
    const start = text.trimStart();
    if (!/^[[{]/.test(start) && text.includes('<svg')) {
      const json = credentialFromSvg(text);
      if (byteLength(json) > MAX_CREDENTIAL_BYTES) {
        throw tooLarge(t('The credential in this badge'), byteLength(json), MAX_CREDENTIAL_BYTES);
      }
      return credentialsFromJson(json, source).map((item) => ({...item, image: file}));
    }
    return credentialsFromJson(text, source);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return [{source, error: error.message, reason: error.reason, params: error.params}];
  }
}
