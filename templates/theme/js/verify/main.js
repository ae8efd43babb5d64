// The /verify/ page: wires the inputs (paste, files, drag and drop, #vc= links) to the
// verifier and shows the results. Everything happens in the visitor's browser: the page only
// reads this site's own published files (keys, DID documents, catalog records, contexts) and
// sends nothing anywhere.

import {CatalogUnavailable, PublishedCatalog} from './catalog.js';
import {
  credentialsFromFile, credentialsFromLinkText, credentialsFromText, MAX_AT_ONCE,
} from './inputs.js';
import {pathwayProgress} from './pathways.js';
import {rdfcCanonicalizer} from './rdfc.js';
import {h, renderPathways, renderProblem, renderResult, VERDICTS} from './render.js';
import {unreadableResult, verifyDocument} from './verify.js';

const section = document.getElementById('verifier');
const input = document.getElementById('credential-input');
const button = document.getElementById('verify-button');
const fileInput = document.getElementById('credential-files');
const dropZone = document.getElementById('drop-zone');
const results = document.getElementById('results');
const status = document.getElementById('verify-status');
const support = document.getElementById('verifier-support');

const root = new URL(`${(section.dataset.siteRoot || '..').replace(/\/$/, '')}/`,
  document.baseURI);
const published = new PublishedCatalog(root);
const rdfc = rdfcCanonicalizer(published);
let imageUrls = [];
let running = false;

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

/**
 * Verify one item. Input that could not be read at all is a result whose format check fails
 * (with the reader's reason when it has one; the input's own message otherwise).
 */
async function check(item) {
  try {
    if (item.error !== undefined) {
      const result = await unreadableResult(published, item.source, item.reason ??
        'not-a-credential', item.params ?? {});
      if (!item.reason) result.checks[0].message = item.error;
      return {item, result};
    }
    return {item, result: await verifyDocument(item.document, published,
      {rdfc, file: item.source})};
  } catch (error) {
    const message = error instanceof CatalogUnavailable ? error.message
      : 'Something went wrong while checking this credential, so it could not be verified. ' +
        'Reload the page and try again.';
    return {item, problem: message};
  }
}

function summary(outcomes) {
  const counts = {};
  for (const {result} of outcomes) {
    const key = result ? VERDICTS[result.verdict].title.toLowerCase() : 'could not check';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const parts = Object.entries(counts).map(([title, count]) => `${count} ${title}`);
  if (outcomes.length === 1) {
    return outcomes[0].result ? `${VERDICTS[outcomes[0].result.verdict].title}.`
      : 'The credential could not be checked.';
  }
  return `${outcomes.length} credentials checked: ${parts.join(', ')}.`;
}

/**
 * Let the pathway planner tick what the visitor has just verified. Only catalog credential ids
 * are kept, in this browser's localStorage; nothing leaves the page.
 */
function rememberVerified(ids) {
  try {
    const stored = JSON.parse(localStorage.getItem('credcat.verified') ?? '[]');
    const known = Array.isArray(stored) ? stored.filter(id => typeof id === 'string') : [];
    localStorage.setItem('credcat.verified', JSON.stringify([...new Set([...known, ...ids])]));
  } catch {
    // Storage may be disabled or full; the verdicts on this page do not depend on it.
  }
}

async function progressSection(outcomes, context) {
  const records = new Map();
  for (const {result} of outcomes) {
    if (result && result.verdict !== 'not-verified' && result.record) {
      records.set(result.record.id, result.record);
    }
  }
  if (!records.size) return null;
  rememberVerified([...records.keys()]);
  try {
    return renderPathways(await pathwayProgress(published, [...records.values()]), context);
  } catch {
    return h('p', {class: 'hint'}, 'Progress on pathways could not be shown: this site\'s ' +
      'pathway data could not be read.');
  }
}

async function show(outcomes) {
  const keys = await published.keys().catch(() => null);
  const context = {
    keys, root,
    imageUrl(blob) {
      const url = URL.createObjectURL(blob);
      imageUrls.push(url);
      return url;
    },
  };
  const heading = h('h2', {id: 'results-heading', tabindex: '-1'},
    outcomes.length === 1 ? 'Result' : `Results for ${outcomes.length} credentials`);
  const text = summary(outcomes);
  results.replaceChildren(heading, h('p', {class: 'results-summary'}, text),
    ...outcomes.map(({item, result, problem}, index) => (result
      ? renderResult(item, result, index, context) : renderProblem(item, problem, index))));
  const progress = await progressSection(outcomes, context);
  if (progress) results.append(progress);
  status.textContent = text;
  heading.focus();
}

/** Verify what `read` gives (a promise of input items), one run at a time. */
async function run(read) {
  if (running) return;
  running = true;
  button.disabled = true;
  results.setAttribute('aria-busy', 'true');
  status.textContent = 'Checking…';
  imageUrls.forEach(url => URL.revokeObjectURL(url));
  imageUrls = [];
  try {
    let items = await read();
    if (items.length > MAX_AT_ONCE) {
      items = [...items.slice(0, MAX_AT_ONCE), {source: 'The remaining credentials',
        error: `Only the first ${MAX_AT_ONCE} credentials were checked; check the others in ` +
          'another round.'}];
    }
    await show(await Promise.all(items.map(check)));
  } catch {
    status.textContent = '';
    results.replaceChildren(h('p', {class: 'notice', role: 'alert'}, 'The verifier could not ' +
      'read this input. Reload the page and try again.'));
  } finally {
    running = false;
    button.disabled = false;
    results.removeAttribute('aria-busy');
  }
}

function runFiles(files) {
  const chosen = [...files];
  if (!chosen.length) return;
  run(async () => (await Promise.all(chosen.map(credentialsFromFile))).flat());
}

function runLink() {
  if (/^#vc=/.test(window.location.hash)) {
    run(() => credentialsFromLinkText(window.location.hash));
  }
}

function wire() {
  button.addEventListener('click', () => run(() => credentialsFromText(input.value)));
  input.addEventListener('keydown', event => {
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
    window.addEventListener(type, event => event.preventDefault());
  }
  dropZone.addEventListener('dragover', event => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    dropZone.classList.add('is-dragover');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('is-dragover'));
  dropZone.addEventListener('drop', event => {
    event.preventDefault();
    dropZone.classList.remove('is-dragover');
    runFiles(event.dataTransfer.files);
  });
  window.addEventListener('hashchange', runLink);
}

async function start() {
  if (!(await ed25519Supported())) {
    support.hidden = false;
    support.textContent = 'This browser cannot check the signatures these credentials use ' +
      '(Ed25519). Update it, or open this page in a current Chrome, Edge, Firefox or Safari.';
    return;
  }
  wire();
  button.disabled = false;
  fileInput.disabled = false;
  section.dataset.ready = 'true';
  runLink();
}

start();
