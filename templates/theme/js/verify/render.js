// Building the results on the page. Every piece of text, whether it comes from a credential,
// from the catalog or from the verifier, is set as text (text nodes, setAttribute), never
// parsed as HTML; links taken from data go through safeHref (catalog.js) first.

import {formatDate, nt, t} from '../shared/i18n.js';
import {safeHref} from './catalog.js';
import {own} from './json.js';
import {headline} from './outcome.js';
import {achievementOf, parseDateTime} from './verify.js';

const ATTRIBUTE = new RegExp(
  '^(class|id|tabindex|role|alt|src|href|scope|type|for|name|lang|' +
    'autocomplete|inputmode|spellcheck|target|rel|download|data-[a-z-]+|aria-[a-z]+)$',
);

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

/** A link when the address is allowed (see safeHref), plain text otherwise; the catalog's
 *  own pages in the page's language. */
function link(context, address, text) {
  const href = safeHref(context.keys, context.pagesRoot, address);
  return href ? h('a', {href}, text) : h('span', {}, text);
}

export const VERDICTS = {
  verified: {title: t('Verified'), icon: '✓'},
  warning: {title: t('Verified, with warnings'), icon: '!'},
  'not-verified': {title: t('Not verified'), icon: '✕'},
};

const CHECK_NAMES = {
  format: t('Format'),
  proof: t('Signature block'),
  issuer: t('Issuer'),
  key: t('Signing key'),
  signature: t('Signature'),
  validity: t('Validity dates'),
  status: t('Revocation status'),
  achievement: t('Catalog entry'),
};

const STATUS_WORDS = {
  pass: t('Passed'),
  fail: t('Failed'),
  warn: t('Warning'),
  unknown: t('Could not check'),
  skipped: t('Not checked'),
};
const STATUS_ICONS = {pass: '✓', fail: '✕', warn: '!', unknown: '?', skipped: '–'};

function fact(term, ...description) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, ...description));
}

function claims(item, outcome, context) {
  const document = item.document;
  const achievement = achievementOf(document);
  const narrative = own(own(achievement, 'criteria'), 'narrative');
  const credential = outcome.credential ?? {};
  const validFrom = parseDateTime(credential.validFrom);
  const validUntil = parseDateTime(credential.validUntil);
  const record = outcome.record;
  return h(
    'dl',
    {class: 'facts'},
    fact(t('Awarded to'), credential.holderName ?? t('No name given in the credential')),
    credential.name
      ? fact(t('Credential'), h('span', {lang: credential.language}, credential.name))
      : null,
    record
      ? fact(
          t('In this catalog'),
          link(context, own(record, 'url'), String(own(record, 'name') ?? t('Credential page'))),
          typeof own(record, 'summary') === 'string'
            ? h('span', {class: 'fact-note'}, record.summary)
            : null,
        )
      : null,
    fact(t('Issued by'), credential.issuerName ?? t('Not an issuer of this catalog')),
    validFrom !== null ? fact(t('Valid from'), formatDate(validFrom)) : null,
    validFrom !== null
      ? fact(t('Expires'), validUntil !== null ? formatDate(validUntil) : t('Does not expire'))
      : null,
    typeof narrative === 'string' && narrative.trim()
      ? fact(t('Criteria'), plainParagraphs(narrative, credential.language))
      : null,
  );
}

/**
 * What the credential says, under its verdict: open when the verdict confirms it; collapsed
 * and headed "not confirmed" when a check failed, so nothing unconfirmed reads as fact.
 */
function details(item, outcome, context) {
  if (outcome.verdict !== 'not-verified') {
    return h(
      'div',
      {class: 'result-details'},
      h('h4', {}, t('Details')),
      claims(item, outcome, context),
    );
  }
  return h(
    'details',
    {class: 'result-details result-claims'},
    h('summary', {}, t('What the credential claims (not confirmed)')),
    claims(item, outcome, context),
  );
}

/**
 * Markdown (a criteria narrative) shown as plain text: paragraphs kept, every other mark-up
 * character left as the text it is. Nothing in it becomes an element or a link.
 */
function plainParagraphs(markdown, lang) {
  return markdown
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => h('p', {class: 'narrative', lang}, paragraph.replace(/\s*\n\s*/g, ' ')));
}

function checkLine(check) {
  const after =
    check.status === 'skipped' && CHECK_NAMES[check.params?.after]
      ? t(
          'not checked, because the {check} check failed: anything it would say comes from ' +
            'data nobody vouches for.',
          {check: CHECK_NAMES[check.params.after].toLowerCase()},
        )
      : check.message;
  return h(
    'li',
    {
      class: 'check',
      'data-check': check.id,
      'data-status': check.status,
      'data-reason': check.reason,
    },
    h(
      'span',
      {class: 'check-status'},
      h('span', {'aria-hidden': 'true'}, STATUS_ICONS[check.status] ?? '?'),
      ' ',
      STATUS_WORDS[check.status] ?? check.status,
    ),
    ' ',
    h('span', {class: 'check-name'}, `${CHECK_NAMES[check.id] ?? check.id}:`),
    ' ',
    h('span', {class: 'check-message'}, after),
  );
}

/**
 * One credential's result: the verdict and the one sentence that decides it on top, then the
 * checks, then what the credential says. Input that is not a credential gets its sentence
 * only (the format check, shown as the sentence it is), and no list of checks never run.
 * What a result offers under it (recipient check, sharing) is appended by the page (main.js).
 */
export function renderResult(item, outcome, index, context) {
  const {title, text} = headline(outcome);
  const titleId = `result-${index + 1}-title`;
  const image = item.image ? context.imageUrl(item.image) : null;
  const notCredential = outcome.failed?.id === 'format';
  const holder = outcome.credential?.holderName;
  return h(
    'article',
    {
      class: 'result',
      id: `result-${index + 1}`,
      'data-verdict': outcome.verdict,
      'data-holder': notCredential ? null : (holder ?? ''),
      'aria-labelledby': titleId,
    },
    h(
      'h3',
      {class: 'verdict', id: titleId},
      h('span', {class: 'verdict-icon', 'aria-hidden': 'true'}, VERDICTS[outcome.verdict].icon),
      ' ',
      title,
    ),
    h('p', {class: 'result-source'}, item.source),
    image ? h('img', {class: 'result-image', src: image, alt: t('The badge image')}) : null,
    notCredential
      ? h(
          'p',
          {
            class: 'verdict-text',
            'data-check': 'format',
            'data-status': 'fail',
            'data-reason': outcome.failed.reason,
          },
          h('span', {class: 'check-message'}, text),
        )
      : h('p', {class: 'verdict-text'}, text),
    notCredential
      ? null
      : h('ul', {class: 'checks', 'aria-label': t('Checks')}, outcome.checks.map(checkLine)),
    !notCredential && item.document !== undefined ? details(item, outcome, context) : null,
  );
}

const WHY = {
  format: t('Not a credential'),
  proof: t('Unusable signature block'),
  key: t('Signed with a key this catalog does not vouch for'),
  signature: t('Changed after it was signed, or forged'),
};

/** The summary table of several results: holder, credential, verdict, one line why. */
export function renderSummary(rows) {
  return h(
    'table',
    {class: 'summary-table'},
    h('caption', {}, t('Summary: one line per credential, grouped by holder')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [t('Holder'), t('Credential'), t('Verdict'), t('Why')].map((name) =>
          h('th', {scope: 'col'}, name),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map(({item, outcome, problem, index}) => {
        const verdict = outcome ? VERDICTS[outcome.verdict].title : t('Could not check');
        const why =
          problem ??
          (outcome.failed
            ? (WHY[outcome.failed.id] ?? headline(outcome).title)
            : headline(outcome).title);
        const notCredential = outcome?.failed?.id === 'format';
        return h(
          'tr',
          {'data-verdict': outcome?.verdict ?? 'problem'},
          h(
            'td',
            {},
            notCredential || !outcome
              ? '—'
              : (outcome.credential?.holderName ?? t('No name given')),
          ),
          h(
            'td',
            {},
            !notCredential && outcome?.credential?.name
              ? h(
                  'a',
                  {href: `#result-${index + 1}`, lang: outcome.credential.language},
                  outcome.credential.name,
                )
              : h('a', {href: `#result-${index + 1}`}, item.source),
          ),
          h('td', {}, verdict),
          h('td', {}, why),
        );
      }),
    ),
  );
}

/** A credential the page could not check at all (the site's data could not be read). */
export function renderProblem(item, message, index) {
  return h(
    'article',
    {
      class: 'result result-problem',
      'data-problem': 'true',
      id: `result-${index + 1}`,
      'aria-labelledby': `result-${index + 1}-title`,
    },
    h('h3', {class: 'verdict', id: `result-${index + 1}-title`}, t('Could not check')),
    h('p', {class: 'result-source'}, item.source),
    h('p', {}, message),
  );
}

function member(context, credential) {
  return h('li', {}, link(context, own(credential, 'url'), String(own(credential, 'name') ?? '')));
}

/**
 * One holder's progress on each pathway their credentials advance. `holder` is the name the
 * credentials give (the same in each); `number` makes the heading's id unique on the page.
 */
export function renderPathways(holder, progress, context, number) {
  if (!progress.length) return null;
  const headingId = `pathways-heading-${number}`;
  return h(
    'section',
    {class: 'pathway-progress', 'aria-labelledby': headingId, 'data-holder': holder},
    h('h3', {id: headingId}, t('Progress on pathways: {holder}', {holder})),
    h(
      'p',
      {class: 'hint'},
      t(
        'Whose progress: {holder}, as named in the credentials verified above. Only ' +
          'credentials that verified with nothing failed and that are not expired, revoked or ' +
          'suspended count.',
        {holder},
      ),
    ),
    progress.map((pathway) =>
      h(
        'article',
        {
          class: 'pathway-result',
          'data-pathway': pathway.id,
          'data-complete': String(pathway.complete),
        },
        h('h4', {}, link(context, pathway.url, pathway.name)),
        pathway.goal ? h('p', {class: 'muted'}, t('Leads to: {goal}', {goal: pathway.goal})) : null,
        h(
          'p',
          {class: 'pathway-summary'},
          pathway.complete
            ? t('Every stage of this pathway is complete.')
            : nt(
                '{done} of {n} stage complete.',
                '{done} of {n} stages complete.',
                pathway.stages.length,
                {done: pathway.stages.filter((stage) => stage.complete).length},
              ),
        ),
        h(
          'ol',
          {class: 'stage-progress'},
          pathway.stages.map((stage) =>
            h(
              'li',
              {
                'data-stage': stage.number,
                'data-complete': String(stage.complete),
              },
              h(
                'p',
                {class: 'stage-progress-title'},
                h(
                  'span',
                  {class: `rating rating-${stage.complete ? 'yes' : 'no'}`},
                  h(
                    'span',
                    {class: 'rating-icon', 'aria-hidden': 'true'},
                    stage.complete ? '✓' : '○',
                  ),
                  ' ',
                  stage.complete ? t('Complete') : t('Not complete'),
                ),
                ' ',
                h('strong', {}, stage.name),
                ' ',
                t('({held} of {required} needed)', {
                  held: stage.held.length,
                  required: stage.required,
                }),
              ),
              stage.held.length
                ? h(
                    'div',
                    {},
                    t('Held: '),
                    h(
                      'ul',
                      {class: 'held'},
                      stage.held.map((credential) => member(context, credential)),
                    ),
                  )
                : null,
              !stage.complete && stage.missing.length
                ? h(
                    'div',
                    {class: 'missing'},
                    stage.required - stage.held.length === stage.missing.length
                      ? t('Still needed: ')
                      : t('Still needed: {count} more of ', {
                          count: stage.required - stage.held.length,
                        }),
                    h(
                      'ul',
                      {},
                      stage.missing.map((credential) => member(context, credential)),
                    ),
                  )
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}
