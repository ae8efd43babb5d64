// The /verify/ page: wires the inputs (paste, files, drag and drop, #vc= links) to the
// verifier and shows the results. Everything happens in the visitor's browser: the page only
// reads this site's own published files (keys, DID documents, catalog records, contexts) and
// sends nothing anywhere.

import {
  CatalogUnavailable,
  PublishedCatalog,
  publishedAchievement as achievementAt,
  recordById,
} from './catalog.js';
import {credentialsFromText, MAX_AT_ONCE} from './inputs.js';
import {countsForProgress, headline, normalize} from './outcome.js';
import {h, renderPathways, renderProblem, renderResult, renderSummary} from './render.js';
import {prefetch, unreadableResult, verifyDocument} from './verify.js';
import {credentialsOf, isObject} from './json.js';
import {formatDate, formatList, formatNumber, nt, t} from '../shared/i18n.js';
import {languageRoot, siteRoot} from '../shared/language.js';
import {anythingStored, forgetAll, isId, writeJSON} from '../shared/storage.js';

const section = document.getElementById('verifier');
const input = document.getElementById('credential-input');
const button = document.getElementById('verify-button');
const fileInput = document.getElementById('credential-files');
const dropZone = document.getElementById('drop-zone');
const results = document.getElementById('results');
const status = document.getElementById('verify-status');
const support = document.getElementById('verifier-support');
const forget = document.getElementById('forget-everything');
const forgetStatus = document.getElementById('forget-status');
const VERIFIED = 'credcat.verified';
const camera = document.getElementById('camera');
const cameraButton = document.getElementById('camera-button');
const cameraVideo = document.getElementById('camera-video');
const VERIFY_LINK = /#vcs?=[A-Za-z0-9_-]+$/;
let stopCamera = null;

// Keys, DID documents, status lists and contexts are the site's; the credential and pathway
// records, which carry catalog text, are the page's language's.
const root = siteRoot(section.dataset.siteRoot || '..');
const pagesRoot = languageRoot(section.dataset.siteRoot || '..');
const published = new PublishedCatalog(root, pagesRoot);

// Modules most verifications never need are imported on first use: eddsa-rdfc-2022's
// canonicalizer (rdfc.js, which loads the JSON-LD bundle) and the QR reader (qr.js).
let canonicalizer = null;

/** RDFC-1.0 canonical N-Quads of a JSON-LD document (see rdfc.js). */
async function rdfc(document) {
  canonicalizer ??= import('./rdfc.js').then(
    ({rdfcCanonicalizer}) => rdfcCanonicalizer(published),
    () => {
      canonicalizer = null; // allow another try
      throw new CatalogUnavailable(
        t('Part of the verifier could not be loaded. Check your connection and try again.'),
      );
    },
  );
  return (await canonicalizer)(document);
}
let imageUrls = [];
let running = false;
// Rounds of verification begun: a round's late additions never land in a later round's results.
let rounds = 0;

/** WebCrypto Ed25519 (Chrome/Edge 137+, Firefox 129+, Safari 17), in a secure context. */
async function ed25519Supported() {
  try {
    // The Ed25519 base point: any valid public key would do.
    const basePoint = new Uint8Array(32).fill(0x66);
    basePoint[0] = 0x58;
    await crypto.subtle.importKey('raw', basePoint, {name: 'Ed25519'}, false, ['verify']);
    return true;
  } catch {
    return false;
  }
}

/** The catalog record of a verified credential, when the verifier did not give it. */
async function recordOf(outcome) {
  const achievement = outcome.checks.find((item) => item.id === 'achievement');
  const id = outcome.credential?.credentialId;
  if (outcome.record !== null || achievement?.status !== 'pass' || !isId(id)) {
    return outcome.record;
  }
  return recordById(published, id).catch(() => null);
}

/**
 * Verify one item. Input that could not be read at all is a result whose format check fails
 * (with the reader's reason when it has one; the input's own message otherwise).
 */
async function check(item) {
  if (item.problem !== undefined) return {item, problem: item.problem};
  try {
    if (item.error !== undefined) {
      const result = await unreadableResult(
        published,
        item.source,
        item.reason ?? 'not-a-credential',
        item.params ?? {},
      );
      if (!item.reason) result.checks[0].message = item.error;
      return {item, outcome: normalize(result, undefined)};
    }
    const outcome = normalize(
      await verifyDocument(item.document, published, {rdfc, file: item.source}),
      item.document,
    );
    outcome.record = await recordOf(outcome);
    return {item, outcome};
  } catch (error) {
    const message =
      error instanceof CatalogUnavailable
        ? error.message
        : t(
            'Something went wrong while checking this credential, so it could not be ' +
              'verified. Reload the page and try again.',
          );
    return {item, problem: message};
  }
}

// "3 verified, 1 not verified": how many results of each verdict, in the summary line.
const VERDICT_COUNTS = {
  verified: (n) => nt('{n} verified', '{n} verified', n),
  warning: (n) => nt('{n} verified, with warnings', '{n} verified, with warnings', n),
  'not-verified': (n) => nt('{n} not verified', '{n} not verified', n),
  problem: (n) => nt('{n} could not check', '{n} could not check', n),
};

function summary(outcomes) {
  if (outcomes.length === 1) {
    return outcomes[0].outcome
      ? t('{title}.', {title: headline(outcomes[0].outcome).title})
      : t('The credential could not be checked.');
  }
  const counts = new Map();
  for (const {outcome} of outcomes) {
    const key = outcome ? outcome.verdict : 'problem';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([key, count]) => VERDICT_COUNTS[key](count));
  return nt(
    '{n} credential checked: {verdicts}.',
    '{n} credentials checked: {verdicts}.',
    outcomes.length,
    {
      verdicts: parts.join(', '),
    },
  );
}

/** The holder a result is grouped under: the name the credential gives, or a placeholder. */
function holderOf(outcome) {
  if (!outcome || outcome.failed?.id === 'format') return null;
  return outcome.credential?.holderName ?? t('No name given');
}

/** Results grouped by holder, in the order each holder first appears; problems last. */
function groupByHolder(outcomes) {
  const groups = new Map();
  outcomes.forEach((entry, index) => {
    const holder = holderOf(entry.outcome);
    if (!groups.has(holder)) groups.set(holder, []);
    groups.get(holder).push({...entry, index});
  });
  const none = groups.get(null);
  groups.delete(null);
  return {groups, none: none ?? []};
}

/**
 * The "remember these for planning" control: the only way the verify page writes to this
 * browser's storage. It writes the holder's counted catalog credential ids to
 * localStorage['credcat.verified'] (the list the pathway planner offers to tick once),
 * replacing whatever an earlier visitor left there.
 */
function rememberControl(holder, ids) {
  const button = h(
    'button',
    {class: 'button button-secondary', type: 'button', 'data-remember': holder},
    nt(
      'Remember {holder}’s {n} credential for planning',
      'Remember {holder}’s {n} credentials for planning',
      ids.length,
      {holder},
    ),
  );
  const said = h('p', {class: 'hint', role: 'status'});
  button.addEventListener('click', () => {
    said.textContent = writeJSON(VERIFIED, ids)
      ? t(
          'Remembered in this browser only: the pathway planner will offer to tick them. Use ' +
            '"Forget everything" below to clear it.',
        )
      : t('This browser does not allow the page to remember anything.');
    updateForget();
  });
  return h('div', {class: 'remember'}, h('p', {}, button), said);
}

// What a verified result offers under its verdict (the recipient check, "show it", progress on
// pathways) is added once the verdict is on the page, from modules imported when first needed:
// the page is ready sooner, and the verdict does not wait for them.
let extrasModules = null;

function importExtras() {
  extrasModules ??= Promise.all([
    import('./recipient.js'),
    import('./share.js'),
    import('./pathways.js'),
  ]).catch((error) => {
    extrasModules = null; // allow another try
    throw error;
  });
  return extrasModules;
}

async function progressSections(groups, context, pathwayProgress) {
  const sections = [];
  let number = 0;
  for (const [holder, entries] of groups) {
    const records = new Map();
    for (const {outcome} of entries) {
      if (outcome && countsForProgress(outcome)) records.set(outcome.record.id, outcome.record);
    }
    if (!records.size) continue;
    number += 1;
    try {
      const section = renderPathways(
        holder,
        await pathwayProgress(published, [...records.values()]),
        context,
        number,
      );
      if (section) {
        section.append(rememberControl(holder, [...records.keys()]));
        sections.push(section);
      }
    } catch {
      sections.push(
        h(
          'p',
          {class: 'hint'},
          t("Progress on pathways could not be shown: this site's pathway data could not be read."),
        ),
      );
    }
  }
  return sections;
}

/** The recipient check and "show it" under each result that offers them. */
function addExtras(shown, context, {recipientForm}, {showIt}) {
  for (const [{item, outcome, index}, article] of shown) {
    if (!outcome) continue;
    const counts = countsForProgress(outcome);
    if (counts || outcome.verdict !== 'not-verified') {
      const form = recipientForm(outcome.credential?.identifiers, index + 1);
      if (form) article.append(form);
    }
    if (counts) article.append(showIt(item, outcome, index + 1, context));
  }
}

function resultOf(entry, context, shown) {
  const {item, outcome, problem, index} = entry;
  const article = outcome
    ? renderResult(item, outcome, index, context)
    : renderProblem(item, problem, index);
  shown.push([entry, article]);
  return article;
}

/**
 * Put the verdicts on the page; resolves with a function that adds what the results offer
 * under them (addExtras, progress on pathways) while `current()` says they are still shown.
 */
async function show(outcomes) {
  const keys = await published.keys().catch(() => null);
  const context = {
    keys,
    root,
    pagesRoot,
    imageUrls,
    imageUrl(blob) {
      const url = URL.createObjectURL(blob);
      imageUrls.push(url);
      return url;
    },
  };
  const heading = h(
    'h2',
    {id: 'results-heading', tabindex: '-1'},
    outcomes.length === 1
      ? t('Result')
      : nt('Results for {n} credential', 'Results for {n} credentials', outcomes.length),
  );
  const text = summary(outcomes);
  const {groups, none} = groupByHolder(outcomes);
  const parts = [heading, h('p', {class: 'results-summary'}, text)];
  const shown = [];
  if (outcomes.length > 1) {
    parts.push(renderSummary([...[...groups.values()].flat(), ...none]));
    for (const [holder, entries] of groups) {
      parts.push(
        h('h3', {class: 'holder-heading'}, t('Credentials of {holder}', {holder})),
        ...entries.map((entry) => resultOf(entry, context, shown)),
      );
    }
    if (none.length) {
      parts.push(
        h('h3', {class: 'holder-heading'}, t('Not credentials, or could not check')),
        ...none.map((entry) => resultOf(entry, context, shown)),
      );
    }
  } else {
    parts.push(...outcomes.map((entry, index) => resultOf({...entry, index}, context, shown)));
  }
  results.replaceChildren(...parts);
  status.textContent = text;
  heading.focus();
  return async (current) => {
    const [recipient, share, pathways] = await importExtras();
    if (!current()) return;
    addExtras(shown, context, recipient, share);
    const sections = await progressSections(groups, context, pathways.pathwayProgress);
    if (current()) results.append(...sections);
  };
}

/** Verify what `read` gives (a promise of input items), one run at a time. */
async function run(read) {
  if (running) return;
  running = true;
  const round = ++rounds;
  let extras = null;
  delete results.dataset.state;
  button.disabled = true;
  results.setAttribute('aria-busy', 'true');
  status.textContent = t('Checking…');
  imageUrls.forEach((url) => URL.revokeObjectURL(url));
  imageUrls = [];
  try {
    let items = await read();
    if (items.length > MAX_AT_ONCE) {
      items = [
        ...items.slice(0, MAX_AT_ONCE),
        {
          source: t('The remaining credentials'),
          error: t(
            'Only the first {max} credentials were checked; check the others in another round.',
            {max: MAX_AT_ONCE},
          ),
        },
      ];
    }
    extras = await show(await Promise.all(items.map(check)));
  } catch {
    status.textContent = '';
    results.replaceChildren(
      h(
        'p',
        {class: 'notice', role: 'alert'},
        t('The verifier could not read this input. Reload the page and try again.'),
      ),
    );
  } finally {
    running = false;
    button.disabled = false;
    results.removeAttribute('aria-busy');
  }
  // The verdicts are on the page; what they offer follows, unless another round has begun.
  try {
    if (extras !== null) await extras(() => round === rounds);
  } catch {
    if (round === rounds) {
      results.append(
        h(
          'p',
          {class: 'hint'},
          t('Part of the verifier could not be loaded. Check your connection and try again.'),
        ),
      );
    }
  }
  if (round === rounds) results.dataset.state = 'done';
}

function runFiles(files) {
  const chosen = [...files];
  if (!chosen.length) return;
  run(async () => {
    const {credentialsFromFile} = await import('./files.js');
    return (
      await Promise.all(chosen.map((file) => credentialsFromFile(file, publishedAchievement)))
    ).flat();
  });
}

/**
 * The achievement the catalog publishes for an achievement id (a short link's reference), or
 * null: only this catalog's own credential pages are looked up.
 */
function publishedAchievement(id) {
  return achievementAt(published, id).catch(() => null);
}

function runLink() {
  if (/^#vcs?=/.test(window.location.hash)) {
    run(async () => {
      const {credentialsFromLinkText} = await import('./files.js');
      return credentialsFromLinkText(
        window.location.hash,
        t('Verification link'),
        publishedAchievement,
      );
    });
  }
}

/**
 * As soon as a credential is pasted, ask for the site's documents its checks will read and
 * check the status lists it names (verify.js, prefetch), so the click on Verify finds them
 * ready. Text that is not (yet) JSON is left alone; the credential is read again, strictly,
 * and verified when the visitor clicks.
 */
function prefetchPasted() {
  let value;
  try {
    value = JSON.parse(input.value);
  } catch {
    return;
  }
  for (const document of credentialsOf(value).slice(0, MAX_AT_ONCE)) {
    if (isObject(document)) prefetch(document, published, rdfc).catch(() => null);
  }
}

/** The "forget everything" control is enabled only while something is stored. */
function updateForget() {
  forget.disabled = !anythingStored();
}

/** The camera: on until a verification link's QR code is seen, or the visitor turns it off. */
async function toggleCamera() {
  if (stopCamera !== null) {
    stopCamera();
    stopCamera = null;
    cameraVideo.hidden = true;
    cameraButton.textContent = t('Scan a certificate’s QR code with the camera');
    return;
  }
  cameraVideo.hidden = false;
  cameraButton.textContent = t('Turn the camera off');
  try {
    const {scanCamera} = await import('./qr.js');
    stopCamera = await scanCamera(cameraVideo, (text) => {
      if (!VERIFY_LINK.test(text.trim())) return false;
      stopCamera = null;
      cameraVideo.hidden = true;
      cameraButton.textContent = t('Scan a certificate’s QR code with the camera');
      run(async () => {
        const {credentialsFromLinkText} = await import('./files.js');
        return credentialsFromLinkText(text.trim(), t('Camera (QR code)'), publishedAchievement);
      });
      return true;
    });
  } catch {
    stopCamera = null;
    cameraVideo.hidden = true;
    cameraButton.textContent = t('Scan a certificate’s QR code with the camera');
    status.textContent = t(
      'The camera could not be used: it was refused or is not there. Choose a picture of ' +
        'the QR code instead.',
    );
  }
}

function wire() {
  // Whether this browser can offer the camera at all (qr.js reads it when it is turned on).
  if (typeof navigator.mediaDevices?.getUserMedia === 'function') {
    camera.hidden = false;
    cameraButton.addEventListener('click', toggleCamera);
  }
  forget.addEventListener('click', () => {
    const removed = forgetAll();
    forgetStatus.textContent = removed
      ? t('Forgotten: nothing from this catalog is stored in this browser any more.')
      : t('Nothing was stored.');
    updateForget();
  });
  window.addEventListener('storage', updateForget);
  button.addEventListener('click', () =>
    run(() => credentialsFromText(input.value, t('Pasted text'), publishedAchievement)),
  );
  input.addEventListener('input', prefetchPasted);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      button.click();
    }
  });
  fileInput.addEventListener('change', () => {
    runFiles(fileInput.files);
    fileInput.value = '';
  });
  // A file dropped anywhere else must not make the browser leave the page to open it.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (event) => event.preventDefault());
  }
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    dropZone.classList.add('is-dragover');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('is-dragover'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('is-dragover');
    runFiles(event.dataTransfer.files);
  });
  window.addEventListener('hashchange', runLink);
}

async function start() {
  if (!(await ed25519Supported())) {
    support.hidden = false;
    support.textContent = t(
      'This browser cannot check the signatures these credentials use (Ed25519). Update it, ' +
        'or open this page in a current Chrome, Edge, Firefox or Safari.',
    );
    return;
  }
  wire();
  button.disabled = false;
  fileInput.disabled = false;
  updateForget();
  // Every verification starts with these two: ask for them now, so the first check does not
  // wait for them (a failure is not kept, and is reported when a verification asks again).
  for (const path of ['verifier.json', 'keys.json']) published.get(path).catch(() => null);
  section.dataset.ready = 'true';
  runLink();
  // Results write dates, lists and numbers: have the browser load that locale data once the
  // page is ready, not on the first click (i18n.js keeps the formatters).
  setTimeout(() => {
    formatDate(Date.now());
    formatList(['', ''], 'disjunction');
    formatNumber(1);
  });
}

start();
