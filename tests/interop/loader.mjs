// A JSON-LD document loader that never touches the network.
//
// It serves exactly two kinds of document:
//  - the JSON-LD contexts credcat bundles (the URL -> file map is read from
//    site_builder/credentials/contexts.py, the files from site_builder/credentials/contexts/), so both implementations
//    canonicalize against the very same bytes;
//  - the documents given on the command line, each under its `id` or a given URL: controller
//    (DID) documents, and for `id#fragment` the verification method with the Multikey context
//    (what Digital Bazaar's DID resolvers, did-io, return and jsonld-signatures expects); any
//    other document, such as a BitstringStatusListCredential, as it is.
// Every other URL is an error, so a context or key can never be fetched from elsewhere.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const SITE_BUILDER = join(HERE, '..', '..', 'site_builder', 'credentials');
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

export function bundledContexts() {
  const source = readFileSync(join(SITE_BUILDER, 'contexts.py'), 'utf8');
  const block = source.match(/_FILES[^=]*=\s*\{([\s\S]*?)\n\}/);
  if (!block) {
    throw new Error('cannot find the _FILES map in site_builder/credentials/contexts.py');
  }
  const contexts = new Map();
  for (const [, url, file] of block[1].matchAll(/"(https?:\/\/[^"]+)"\s*:\s*"([^"]+)"/g)) {
    contexts.set(url, JSON.parse(readFileSync(join(SITE_BUILDER, 'contexts', file), 'utf8')));
  }
  for (const needed of ['https://www.w3.org/ns/credentials/v2', MULTIKEY_CONTEXT]) {
    if (!contexts.has(needed)) {
      throw new Error(
        `site_builder/credentials/contexts.py does not map ${needed}; was it reformatted?`,
      );
    }
  }
  return contexts;
}

// Each argument is a JSON file served under its `id`, or `URL=FILE` to serve FILE at URL
// whatever its `id` says (as a web server would: a status list is fetched by its address).
export function loadDocuments(specs) {
  const documents = new Map();
  for (const spec of specs) {
    const pair = spec.match(/^([a-z][a-z0-9+.-]*:[^=]*)=(.+)$/i);
    const path = pair ? pair[2] : spec;
    const document = JSON.parse(readFileSync(path, 'utf8'));
    const url = pair ? pair[1] : document?.id;
    if (typeof url !== 'string') {
      throw new Error(`${path}: a document to serve needs a string "id" (or give URL=FILE)`);
    }
    if (documents.has(url)) {
      throw new Error(`${path}: two documents to serve at ${url}`);
    }
    documents.set(url, document);
  }
  return documents;
}

export function makeDocumentLoader({documents = new Map()} = {}) {
  const contexts = bundledContexts();
  const requested = [];
  const documentLoader = async (url) => {
    requested.push(url);
    if (contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: structuredClone(contexts.get(url))};
    }
    const hash = url.indexOf('#');
    const base = hash === -1 ? url : url.slice(0, hash);
    const controller = documents.get(base);
    if (controller && hash === -1) {
      return {contextUrl: null, documentUrl: url, document: structuredClone(controller)};
    }
    if (controller) {
      const methods = [].concat(controller.verificationMethod ?? []);
      const method = methods.find((m) => m && typeof m === 'object' && m.id === url);
      if (!method) {
        throw new Error(`${base} has no verification method ${url}`);
      }
      return {
        contextUrl: null,
        documentUrl: url,
        document: {'@context': MULTIKEY_CONTEXT, ...structuredClone(method)},
      };
    }
    throw new Error(`refusing to load ${url}: not a bundled context or a given document`);
  };
  documentLoader.requested = requested;
  return documentLoader;
}
