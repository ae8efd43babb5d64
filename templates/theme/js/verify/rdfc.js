// RDF Dataset Canonicalization for eddsa-rdfc-2022, loaded only when a credential needs it.
//
// The JSON-LD processor (jsonld.js with rdf-canonize) is the page's one third-party bundle
// (../vendor/jsonld-rdfc.min.js, built by js-bundle/build.mjs). It expands a credential with
// the JSON-LD context documents its @context names, and whoever controls those documents
// controls what a signature appears to say (context substitution). So contexts come only
// from the pinned copies this site publishes under /contexts/ (the same files the Python
// verifier uses), listed in /contexts/index.json; any other context URL is refused, and
// nothing is ever fetched from the address a credential names.

import {t} from '../shared/i18n.js';
import {CatalogUnavailable, sitePath} from './catalog.js';
import {isObject, own} from './json.js';

export class UnknownContextError extends Error {
  get name() {
    return 'UnknownContextError';
  }
}

let bundle = null;

function loadBundle() {
  bundle ??= import('../vendor/jsonld-rdfc.min.js').catch(() => {
    bundle = null; // allow another try
    throw new CatalogUnavailable(
      t('Part of the verifier could not be loaded. Check your connection and try again.'),
    );
  });
  return bundle;
}

const CONTEXT_FILE = /^contexts\/[a-z0-9][a-z0-9.-]*\.json$/;

async function loadContext(published, url) {
  const index = await published.get(sitePath(await published.keys(), 'contexts'));
  const path = typeof url === 'string' ? own(index, url) : undefined;
  const document =
    typeof path === 'string' && CONTEXT_FILE.test(path) ? await published.get(path) : null;
  if (!isObject(document)) {
    throw new UnknownContextError(
      t(
        'it uses the JSON-LD context {url}, which this catalog does not publish (contexts are ' +
          'never fetched from elsewhere)',
        {url: JSON.stringify(url)},
      ),
    );
  }
  // A fresh copy each time, so nothing the processor does can alter the cached one.
  return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
}

/** A function giving the RDFC-1.0 canonical N-Quads of a JSON-LD document. */
export function rdfcCanonicalizer(published) {
  return async (document) => {
    const {canonizeRdfc} = await loadBundle();
    return canonizeRdfc(structuredClone(document), (url) => loadContext(published, url));
  };
}
