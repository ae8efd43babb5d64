// Entry of the one vendored bundle (templates/theme/js/vendor/jsonld-rdfc.min.js).
// The verify page imports it only when a credential carries an eddsa-rdfc-2022 proof.
import jsonld from 'jsonld';

/**
 * RDF Dataset Canonicalization (RDFC-1.0) of a JSON-LD document, as N-Quads.
 *
 * `documentLoader` must answer only from the pinned contexts and throw for anything else;
 * safe mode makes JSON-LD processing fail instead of silently dropping data the signature
 * would then not cover; `base: null` keeps relative IRIs relative (and so rejected).
 */
export function canonizeRdfc(document, documentLoader) {
  return jsonld.canonize(document, {
    algorithm: 'RDFC-1.0',
    format: 'application/n-quads',
    documentLoader,
    safe: true,
    base: null,
    // Dataset-poisoning guard: at most n "deep" iterations for n look-alike blank nodes.
    canonizeOptions: {maxWorkFactor: 1},
  });
}
