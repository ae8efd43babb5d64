#!/usr/bin/env node
// Usage: node sign.mjs UNSIGNED.json SECRET_KEY_MULTIBASE VERIFICATION_METHOD CRYPTOSUITE
//                      [PUBLIC_KEY_MULTIBASE] [CREATED]
//
// Signs an unsigned credential with Digital Bazaar's libraries (@digitalbazaar/vc issue +
// DataIntegrityProof) and prints the signed credential. The Ed25519 key comes from a Multikey
// secret key (z3u2..., the 32-byte seed); its public half is derived from it and, when
// PUBLIC_KEY_MULTIBASE is given, must equal it. CREATED (an XML Schema dateTime) fixes the
// proof's `created`; the default is now. Nothing is fetched: see loader.mjs.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import * as base58btc from 'base58-universal';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfc} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createSignCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {makeDocumentLoader} from './loader.mjs';

const [file, secretKeyMultibase, verificationMethod, suiteName, publicKeyMultibase, created] =
  process.argv.slice(2);
if (!(file && secretKeyMultibase && verificationMethod && suiteName)) {
  console.error(
    'usage: node sign.mjs UNSIGNED.json SECRET_KEY_MULTIBASE VERIFICATION_METHOD ' +
      'CRYPTOSUITE [PUBLIC_KEY_MULTIBASE] [CREATED]',
  );
  process.exit(2);
}
const cryptosuites = {
  'eddsa-rdfc-2022': () => rdfc,
  'eddsa-jcs-2022': createSignCryptosuite,
};
if (!cryptosuites[suiteName]) {
  console.error(`unknown cryptosuite ${suiteName}; use one of ${Object.keys(cryptosuites)}`);
  process.exit(2);
}

// Multikey secret: 'z' + base58btc(0x80 0x26 + 32-byte seed).
const decoded = base58btc.decode(secretKeyMultibase.slice(1));
if (
  secretKeyMultibase[0] !== 'z' ||
  decoded.length !== 34 ||
  decoded[0] !== 0x80 ||
  decoded[1] !== 0x26
) {
  console.error('the secret key must be an Ed25519 Multikey secret key (z3u2...)');
  process.exit(2);
}
const controller = verificationMethod.split('#')[0];
const key = await Ed25519Multikey.generate({
  id: verificationMethod,
  controller,
  seed: decoded.slice(2),
});
if (publicKeyMultibase && key.publicKeyMultibase !== publicKeyMultibase) {
  console.error(
    `the secret key's public half is ${key.publicKeyMultibase}, ` + `not ${publicKeyMultibase}`,
  );
  process.exit(2);
}

const credential = JSON.parse(readFileSync(file, 'utf8'));
const suite = new DataIntegrityProof({
  signer: key.signer(),
  cryptosuite: cryptosuites[suiteName](),
  date: created,
});
const signed = await vc.issue({credential, suite, documentLoader: makeDocumentLoader()});
console.log(JSON.stringify(signed, null, 2));
