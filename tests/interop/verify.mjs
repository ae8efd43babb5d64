#!/usr/bin/env node
// Usage: node verify.mjs [--proof-only] CREDENTIAL.json DOCUMENT.json...
//
// Verifies a credential's Data Integrity proof (eddsa-rdfc-2022 or eddsa-jcs-2022) with
// Digital Bazaar's libraries. DOCUMENTs are served by their `id`: the issuer's DID document
// (and other controller documents), and the BitstringStatusListCredentials its status entries
// name. Nothing is fetched: see loader.mjs.
//
// By default it runs @digitalbazaar/vc's verifyCredential: the VC data model checks (contexts,
// type, issuer, validFrom/validUntil against now), the proof, that the controller document
// lists the method under assertionMethod, that the controller is the issuer, and, when the
// credential has a credentialStatus, @digitalbazaar/vc-bitstring-status-list's checkStatus
// (the list credential verified the same way, same issuer, same purpose, then the bit). A set
// bit (revoked or suspended) makes the result "not verified".
// --proof-only runs jsonld-signatures' verify with AssertionProofPurpose instead (no issuer,
// date or status checks), for documents such as the W3C test vectors whose issuer is not the
// key's controller.
//
// Prints {"verified": bool, "error": string|null, "status": [...], ...}; exits 0 when
// verified, 1 when not, 2 on a usage error.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {checkStatus as checkBitstringStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfc} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import {loadDocuments, makeDocumentLoader} from './loader.mjs';

const args = process.argv.slice(2);
const proofOnly = args[0] === '--proof-only';
if (proofOnly) {
  args.shift();
}
if (args.length < 1) {
  console.error('usage: node verify.mjs [--proof-only] CREDENTIAL.json DOCUMENT.json...');
  process.exit(2);
}

function describe(error) {
  if (!error) {
    return null;
  }
  const errors = [].concat(error.errors ?? []);
  const own = error.message ?? String(error);
  return errors.length ? errors.map(describe).join('; ') : own;
}

async function main() {
  const credential = JSON.parse(readFileSync(args[0], 'utf8'));
  const documentLoader = makeDocumentLoader({documents: loadDocuments(args.slice(1))});
  const suite = [
    new DataIntegrityProof({cryptosuite: rdfc}),
    new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()}),
  ];
  const status = [];
  // The library reports whether the status could be checked; the bit itself is ours to judge.
  const checkStatus = async (options) => {
    const checked = await checkBitstringStatus({...options, suite, documentLoader});
    for (const {credentialStatus: entry, status: set} of checked.results ?? []) {
      status.push({purpose: entry.statusPurpose, index: entry.statusListIndex, set});
    }
    const set = status.filter((s) => s.set).map((s) => s.purpose);
    if (checked.verified && set.length) {
      return {verified: false, error: new Error(`status set: ${set.join(', ')}`)};
    }
    return checked;
  };
  const result = proofOnly
    ? await jsigs.verify(credential, {
        suite,
        documentLoader,
        purpose: new jsigs.purposes.AssertionProofPurpose(),
      })
    : await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const reasons = [
    result.error,
    ...(result.results ?? [])
      .filter((r) => !r.verified)
      .map((r) => r.error ?? r.purposeResult?.error),
    result.statusResult?.verified === false ? result.statusResult.error : null,
  ]
    .map(describe)
    .filter(Boolean);
  return {
    verified: result.verified === true,
    error: result.verified ? null : [...new Set(reasons)].join('; ') || 'not verified',
    mode: proofOnly ? 'proof-only' : 'verifyCredential',
    cryptosuite: [].concat(credential.proof ?? []).map((p) => p?.cryptosuite),
    status,
    loaded: documentLoader.requested,
  };
}

let output;
try {
  output = await main();
} catch (error) {
  output = {verified: false, error: describe(error)};
}
console.log(JSON.stringify(output, null, 2));
process.exit(output.verified ? 0 : 1);
