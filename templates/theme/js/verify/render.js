// Building the results on the page. Every piece of text, whether it comes from a credential,
// from the catalog or from the verifier, is set as text (text nodes, setAttribute), never
// parsed as HTML; links taken from data go through safeHref (catalog.js) first.

import {safeHref} from './catalog.js';
import {own} from './json.js';
import {achievementOf, formatDate, learnerName, parseDateTime} from './verify.js';

const ATTRIBUTE = /^(class|id|tabindex|role|alt|src|href|data-[a-z-]+|aria-[a-z]+)$/;

/** An element with attributes and children (strings become text nodes). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (!ATTRIBUTE.test(name)) throw new Error(`unexpected attribute ${name}`);
    element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A link when the address is allowed (see safeHref), plain text otherwise. */
function link(context, address, text) {
  const href = safeHref(context.keys, context.root, address);
  return href ? h('a', {href}, text) : h('span', {}, text);
}

export const VERDICTS = {
  'verified': {title: 'Verified', icon: '✓',
    text: 'Every check passed: this credential is genuine, unaltered and from an issuer of ' +
      'this catalog.'},
  'warning': {title: 'Verified, with warnings', icon: '!',
    text: 'The signature is genuine and nothing failed, but some checks gave a warning or ' +
      'could not be completed: read those lines below before relying on it.'},
  'not-verified': {title: 'Not verified', icon: '✕',
    text: 'At least one check failed: do not rely on this credential. The lines marked ' +
      '"Failed" say why and what you can do.'},
};

const CHECK_NAMES = {
  format: 'Format', proof: 'Signature block', issuer: 'Issuer', key: 'Signing key',
  signature: 'Signature', validity: 'Validity dates', status: 'Revocation status',
  achievement: 'Catalog entry',
};

const STATUS_WORDS = {pass: 'Passed', fail: 'Failed', warn: 'Warning', unknown: 'Could not check'};
const STATUS_ICONS = {pass: '✓', fail: '✕', warn: '!', unknown: '?'};

function fact(term, ...description) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, ...description));
}

function details(item, result, context) {
  const document = item.document;
  const achievement = achievementOf(document);
  const name = own(achievement, 'name');
  const narrative = own(own(achievement, 'criteria'), 'narrative');
  const learner = learnerName(document);
  const validFrom = parseDateTime(own(document, 'validFrom'));
  const validUntil = parseDateTime(own(document, 'validUntil'));
  const record = result.record;
  const confirmed = result.verdict !== 'not-verified';
  return h('div', {class: 'result-details'},
    h('h4', {}, confirmed ? 'Details' : 'What the credential claims (not confirmed)'),
    h('dl', {class: 'facts'},
      fact('Awarded to', learner ?? 'No name given in the credential'),
      typeof name === 'string' && name ? fact('Credential', name) : null,
      record ? fact('In this catalog',
        link(context, own(record, 'url'), String(own(record, 'name') ?? 'Credential page')),
        typeof own(record, 'summary') === 'string'
          ? h('span', {class: 'fact-note'}, record.summary) : null) : null,
      fact('Issued by', result.issuerName ?? 'Not an issuer of this catalog'),
      validFrom !== null ? fact('Valid from', formatDate(validFrom)) : null,
      validFrom !== null ? fact('Expires', validUntil !== null ? formatDate(validUntil)
        : 'Does not expire') : null,
      typeof narrative === 'string' && narrative.trim()
        ? fact('Criteria', plainParagraphs(narrative)) : null));
}

/**
 * Markdown (a criteria narrative) shown as plain text: paragraphs kept, every other mark-up
 * character left as the text it is. Nothing in it becomes an element or a link.
 */
function plainParagraphs(markdown) {
  return markdown.trim().split(/\n\s*\n/).map(paragraph =>
    h('p', {class: 'narrative'}, paragraph.replace(/\s*\n\s*/g, ' ')));
}

/** One credential's result: verdict on top, then one line per check, then its details. */
export function renderResult(item, result, index, context) {
  const verdict = VERDICTS[result.verdict];
  const titleId = `result-${index + 1}-title`;
  const image = item.image ? context.imageUrl(item.image) : null;
  return h('article', {class: 'result', 'data-verdict': result.verdict,
    'aria-labelledby': titleId},
  h('h3', {class: 'verdict', id: titleId},
    h('span', {class: 'verdict-icon', 'aria-hidden': 'true'}, verdict.icon), ' ',
    verdict.title),
  h('p', {class: 'result-source'}, item.source),
  image ? h('img', {class: 'result-image', src: image, alt: 'The badge image'}) : null,
  h('p', {class: 'verdict-text'}, verdict.text),
  h('ul', {class: 'checks', 'aria-label': 'Checks'},
    result.checks.map(check => h('li', {class: 'check', 'data-check': check.id,
      'data-status': check.status},
    h('span', {class: 'check-status'},
      h('span', {'aria-hidden': 'true'}, STATUS_ICONS[check.status] ?? '?'), ' ',
      STATUS_WORDS[check.status] ?? check.status),
    ' ',
    h('span', {class: 'check-name'}, `${CHECK_NAMES[check.id] ?? check.id}:`), ' ',
    h('span', {class: 'check-message'}, check.message)))),
  item.document !== undefined ? details(item, result, context) : null);
}

/** A credential the page could not check at all (the site's data could not be read). */
export function renderProblem(item, message, index) {
  return h('article', {class: 'result result-problem', 'data-problem': 'true',
    'aria-labelledby': `result-${index + 1}-title`},
  h('h3', {class: 'verdict', id: `result-${index + 1}-title`}, 'Could not check'),
  h('p', {class: 'result-source'}, item.source),
  h('p', {}, message));
}

function member(context, credential) {
  return h('li', {}, link(context, own(credential, 'url'), String(own(credential, 'name') ?? '')));
}

/** Progress on each pathway the verified credentials advance. */
export function renderPathways(progress, context) {
  if (!progress.length) return null;
  return h('section', {class: 'pathway-progress', 'aria-labelledby': 'pathways-heading'},
    h('h3', {id: 'pathways-heading'}, 'Progress on pathways'),
    h('p', {class: 'hint'}, 'From the credentials verified above (those not verified do not ' +
      'count).'),
    progress.map(pathway => h('article', {class: 'pathway-result', 'data-pathway': pathway.id,
      'data-complete': String(pathway.complete)},
    h('h4', {}, link(context, pathway.url, pathway.name)),
    pathway.goal ? h('p', {class: 'muted'}, `Leads to: ${pathway.goal}`) : null,
    h('p', {class: 'pathway-summary'}, pathway.complete
      ? 'Every stage of this pathway is complete.'
      : `${pathway.stages.filter(stage => stage.complete).length} of ` +
        `${pathway.stages.length} stages complete.`),
    h('ol', {class: 'stage-progress'}, pathway.stages.map(stage => h('li', {
      'data-stage': stage.number, 'data-complete': String(stage.complete)},
    h('p', {class: 'stage-progress-title'},
      h('span', {class: `rating rating-${stage.complete ? 'yes' : 'no'}`},
        h('span', {class: 'rating-icon', 'aria-hidden': 'true'}, stage.complete ? '✓' : '○'),
        stage.complete ? ' Complete' : ' Not complete'), ' ',
      h('strong', {}, stage.name), ` (${stage.held.length} of ${stage.required} needed)`),
    stage.held.length ? h('div', {}, 'Held: ',
      h('ul', {class: 'held'}, stage.held.map(credential => member(context, credential))))
      : null,
    !stage.complete && stage.missing.length ? h('div', {class: 'missing'},
      stage.required - stage.held.length === stage.missing.length
        ? 'Still needed: '
        : `Still needed: ${stage.required - stage.held.length} more of `,
      h('ul', {}, stage.missing.map(credential => member(context, credential)))) : null))))));
}
