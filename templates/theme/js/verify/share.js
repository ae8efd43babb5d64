// "Show it": what the page offers under a credential that verified and counts (not expired,
// revoked or suspended): an "Add to LinkedIn profile" link with the fields filled in, the
// verification link to copy, and a printable certificate (the print stylesheet in
// verifier.css prints only the chosen result, with a QR code of its short link). The same
// LinkedIn fields and the same short link as the Python side
// (site_builder/credentials/sharing.py); the add-to-profile address and its parameters are
// described at https://addtoprofile.linkedin.com/ . Nothing is sent anywhere until the
// visitor follows the link, and then only to LinkedIn, only these fields.

import {t} from '../shared/i18n.js';
import {sha256Hex} from './bytes.js';
import {canonicalize} from './jcs.js';
import {own} from './json.js';
import {h} from './render.js';
import {parseDateTime} from './verify.js';

export const LINKEDIN_ADD = 'https://www.linkedin.com/profile/add';

/**
 * The LinkedIn add-to-profile address for a certification: `fields` has name, organization
 * (a name) or organizationId, issued and expires (ms since 1970 or null), certUrl, certId.
 */
export function linkedinUrl({
  name,
  organization,
  organizationId,
  issued,
  expires,
  certUrl,
  certId,
}) {
  const query = new URLSearchParams({startTask: 'CERTIFICATION_NAME', name});
  if (organizationId) query.set('organizationId', organizationId);
  else query.set('organizationName', organization);
  for (const [prefix, time] of [
    ['issue', issued],
    ['expiration', expires],
  ]) {
    if (time === null || time === undefined) continue;
    const moment = new Date(time);
    query.set(`${prefix}Year`, String(moment.getUTCFullYear()));
    query.set(`${prefix}Month`, String(moment.getUTCMonth() + 1));
  }
  if (certUrl) query.set('certUrl', certUrl);
  if (certId) query.set('certId', certId);
  return `${LINKEDIN_ADD}?${query}`;
}

function base64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url(gzip(JSON)) of a value, the form both verification links carry. */
async function pack(value) {
  const stream = new Blob([JSON.stringify(value)])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return base64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** The /verify/#vc= link for a credential: base64url(gzip(JSON)), as `credcat issue` makes. */
export async function verificationLink(root, document) {
  return `${new URL('verify/', root).href}#vc=${await pack(document)}`;
}

/**
 * The /verify/#vcs= short link a certificate's QR code carries, as sharing.short_link makes
 * it: the credential with its achievement replaced by {id, sha256 of its RFC 8785 form}. The
 * page puts the published achievement back (inputs.js, credentialFromShortLink).
 */
export async function shortLink(root, document) {
  const subject = document.credentialSubject;
  const {achievement} = subject;
  const reference = {id: achievement.id, sha256: await sha256Hex(canonicalize(achievement))};
  const short = {...document, credentialSubject: {...subject, achievement: reference}};
  return `${new URL('verify/', root).href}#vcs=${await pack(short)}`;
}

const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4; // modules of light margin around the code, as ISO/IEC 18004 asks

let writer = null;

/** The QR code of `text` as an SVG element, or null when it fits no QR code. */
async function qrSvg(text) {
  writer ??= import('../vendor/qrcode.min.js');
  const modules = (await writer).qrModules(text);
  if (modules === null) return null;
  const side = modules.length + 2 * QUIET;
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of Object.entries({
    viewBox: `0 0 ${side} ${side}`,
    role: 'img',
    'aria-label': t('QR code: verify this credential'),
    'shape-rendering': 'crispEdges',
  })) {
    svg.setAttribute(name, value);
  }
  const background = document.createElementNS(SVG, 'rect');
  for (const [name, value] of Object.entries({width: side, height: side, fill: '#fff'})) {
    background.setAttribute(name, value);
  }
  // One path: a run of dark modules in a row is one rectangle.
  let path = '';
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; x += 1) {
      if (!row[x]) continue;
      let end = x;
      while (end + 1 < row.length && row[end + 1]) end += 1;
      path += `M${x + QUIET} ${y + QUIET}h${end - x + 1}v1h${x - end - 1}z`;
      x = end;
    }
  });
  const dark = document.createElementNS(SVG, 'path');
  dark.setAttribute('d', path);
  dark.setAttribute('fill', '#000');
  svg.append(background, dark);
  return svg;
}

/**
 * The certificate's QR code figure in a result (made once, shown only when that result is
 * printed): the short link when it fits a QR code, else a sentence saying how to verify.
 */
async function certificateQr(article, root, credential) {
  const found = article.querySelector('.certificate-qr');
  if (found) return found;
  const link = await shortLink(root, credential);
  const svg = await qrSvg(link);
  const figure = h(
    'figure',
    {class: 'certificate-qr', 'data-link': link},
    svg,
    h(
      'figcaption',
      {},
      svg
        ? t('Scan to verify, or choose a photo of this page on the catalog’s verify page.')
        : t(
            'This credential is too large for a QR code: verify it from its file or its ' +
              'verification link on the catalog’s verify page.',
          ),
    ),
  );
  article.append(figure);
  return figure;
}

/**
 * The "show it" section of one result. The LinkedIn link and the verification link are filled
 * in once the link is computed (it is asynchronous); the print button prints this result only.
 */
export function showIt(item, outcome, number, context) {
  const credential = outcome.credential ?? {};
  const section = h(
    'section',
    {class: 'show-it', 'aria-labelledby': `show-${number}-heading`},
    h('h4', {id: `show-${number}-heading`}, t('Show this credential')),
  );
  const linkedin = h(
    'a',
    {class: 'button', 'data-share': 'linkedin', target: '_blank', rel: 'noopener noreferrer'},
    t('Add to LinkedIn profile'),
  );
  const copy = h('input', {
    id: `share-${number}-link`,
    type: 'text',
    'aria-readonly': 'true',
    spellcheck: 'false',
    'data-share': 'link',
  });
  copy.readOnly = true;
  const print = h(
    'button',
    {class: 'button button-secondary', type: 'button', 'data-share': 'print'},
    t('Print a certificate'),
  );
  print.addEventListener('click', async () => {
    const article = section.closest('article');
    await certificateQr(article, context.root, item.document);
    article.classList.add('is-printing');
    document.body.classList.add('printing-one');
    window.print();
    article.classList.remove('is-printing');
    document.body.classList.remove('printing-one');
  });
  // A way into a wallet: the Learner Credential Wallet (and others) add a credential from its
  // JSON file or pasted JSON, without any server of ours (docs/guides/learners.md).
  const json = `${JSON.stringify(item.document, null, 2)}\n`;
  const file = URL.createObjectURL(new Blob([json], {type: 'application/json'}));
  context.imageUrls?.push(file);
  const download = h(
    'a',
    {
      class: 'button button-secondary',
      href: file,
      'data-share': 'file',
      download: `${String(credential.credentialId ?? 'credential')}.json`,
    },
    t('Download the credential file'),
  );
  const copyJson = h(
    'button',
    {class: 'button button-secondary', type: 'button', 'data-share': 'copy'},
    t('Copy the credential for a wallet'),
  );
  const copied = h('span', {class: 'hint', role: 'status'});
  copyJson.addEventListener('click', () => {
    navigator.clipboard.writeText(json).then(
      () => {
        copied.textContent = ` ${t('Copied: paste it in your wallet (“Paste JSON”).')}`;
      },
      () => {
        copied.textContent = ` ${t('Copying was refused: download the file instead.')}`;
      },
    );
  });
  section.append(
    h('p', {}, linkedin, ' ', print),
    h('p', {}, download, ' ', copyJson, copied),
    h(
      'p',
      {class: 'hint'},
      t(
        'LinkedIn opens with the name, issuer, dates, credential id and this verification ' +
          'link filled in; you confirm there. The certificate prints this result only. A ' +
          'wallet app such as the Learner Credential Wallet adds the credential from the ' +
          'downloaded file or the copied text.',
      ),
    ),
    h(
      'label',
      {for: `share-${number}-link`},
      t('Verification link (anyone who opens it sees this result)'),
    ),
    copy,
  );
  const fromLink = /^#vcs?=/.test(window.location.hash) && item.source === t('Verification link');
  const ready = fromLink
    ? Promise.resolve(window.location.href)
    : verificationLink(context.root, item.document);
  ready.then((address) => {
    copy.value = address;
    linkedin.setAttribute(
      'href',
      linkedinUrl({
        name: String(own(outcome.record, 'name') ?? credential.name ?? ''),
        organization: credential.issuerName ?? '',
        issued: parseDateTime(credential.validFrom),
        expires: parseDateTime(credential.validUntil),
        certUrl: address,
        certId: credential.id,
      }),
    );
    section.dataset.ready = 'true';
  });
  return section;
}
