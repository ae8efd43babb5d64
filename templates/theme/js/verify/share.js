// "Show it": what the page offers under a credential that verified and counts (not expired,
// revoked or suspended): an "Add to LinkedIn profile" link with the fields filled in, the
// verification link to copy, and a printable certificate (the print stylesheet in
// verifier.css prints only the chosen result). The same LinkedIn fields as the Python side
// (site_builder/credentials/sharing.py); the add-to-profile address and its parameters are
// described at https://addtoprofile.linkedin.com/ . Nothing is sent anywhere until the
// visitor follows the link, and then only to LinkedIn, only these fields.

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

/** The /verify/#vc= link for a credential: base64url(gzip(JSON)), as `credcat issue` makes. */
export async function verificationLink(root, document) {
  const stream = new Blob([JSON.stringify(document)])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  const packed = new Uint8Array(await new Response(stream).arrayBuffer());
  return `${new URL('verify/', root).href}#vc=${base64Url(packed)}`;
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
    h('h4', {id: `show-${number}-heading`}, 'Show this credential'),
  );
  const linkedin = h(
    'a',
    {class: 'button', 'data-share': 'linkedin', target: '_blank', rel: 'noopener noreferrer'},
    'Add to LinkedIn profile',
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
    'Print a certificate',
  );
  print.addEventListener('click', () => {
    const article = section.closest('article');
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
    'Download the credential file',
  );
  const copyJson = h(
    'button',
    {class: 'button button-secondary', type: 'button', 'data-share': 'copy'},
    'Copy the credential for a wallet',
  );
  const copied = h('span', {class: 'hint', role: 'status'});
  copyJson.addEventListener('click', () => {
    navigator.clipboard.writeText(json).then(
      () => {
        copied.textContent = ' Copied: paste it in your wallet (“Paste JSON”).';
      },
      () => {
        copied.textContent = ' Copying was refused: download the file instead.';
      },
    );
  });
  section.append(
    h('p', {}, linkedin, ' ', print),
    h('p', {}, download, ' ', copyJson, copied),
    h(
      'p',
      {class: 'hint'},
      'LinkedIn opens with the name, issuer, dates, credential id and ' +
        'this verification link filled in; you confirm there. The certificate prints this ' +
        'result only. A wallet app such as the Learner Credential Wallet adds the credential ' +
        'from the downloaded file or the copied text.',
    ),
    h(
      'label',
      {for: `share-${number}-link`},
      'Verification link (anyone who opens it sees ' + 'this result)',
    ),
    copy,
  );
  const fromLink = /^#vcs?=/.test(window.location.hash) && item.source === 'Verification link';
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
