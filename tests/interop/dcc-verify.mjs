#!/usr/bin/env node
// Usage: node dcc-verify.mjs CREDENTIAL.json SITE_DIR [SCHEMA.json]
//
// Verifies a credential with the Digital Credentials Consortium's verifier-core, the engine of
// VerifierPlus and the Learner Credential Wallet, against a built credcat site folder.
//
// verifier-core builds its own document loader (DCC's bundled contexts and did:web resolver)
// when it is imported and takes no other; it reaches the network only through `fetch`. So this
// script replaces `fetch`, before importing it, with one that answers from local files only:
//  - an https URL of the catalog site (did:web documents, status lists) from SITE_DIR, as the
//    deployed site would serve it, and a 404 for anything the folder does not hold;
//  - a JSON-LD context URL from credcat's pinned copies (site_builder/credentials/contexts/);
//  - the issuer registry verifier-core consults, made from SITE_DIR/keys.json (every issuer DID
//    of the catalog, in DCC's "dcc-legacy" registry format), so the issuer step can pass;
//  - the 1EdTech JSON Schema URL verifier-core's schema check fetches, from SCHEMA.json if given.
// Any other URL fails as if the machine were offline.
//
// Prints {"ok", "fatal": [error names], "steps": {step id: valid}, "schema": [...],
// "requests": [...]} and exits 0 when there is no fatal error and every step is valid,
// 1 otherwise, 2 on a usage error.
import {readFileSync, existsSync, statSync} from 'node:fs';
import {join, resolve, sep} from 'node:path';
import {bundledContexts} from './loader.mjs';

const REGISTRY_URL = 'https://registry.credcat-tests.invalid/issuers.json';
const SCHEMA_URL =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

const [credentialPath, siteDir, schemaPath] = process.argv.slice(2);
if (!credentialPath || !siteDir) {
  console.error('usage: node dcc-verify.mjs CREDENTIAL.json SITE_DIR [SCHEMA.json]');
  process.exit(2);
}

const root = resolve(siteDir);
const keys = JSON.parse(readFileSync(join(root, 'keys.json'), 'utf8'));
const siteUrl = keys.site.endsWith('/') ? keys.site : keys.site + '/';
const contexts = bundledContexts();

// The file of SITE_DIR a URL of the site names, or null; nothing outside the folder.
function siteFile(url) {
  const path = decodeURIComponent(url.split('#')[0].split('?')[0].slice(siteUrl.length));
  const file = resolve(root, path.endsWith('/') || path === '' ? path + 'index.html' : path);
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return null;
  }
  return file;
}

function registry() {
  const entries = {};
  for (const issuer of Object.values(keys.issuers)) {
    entries[issuer.did] = {name: issuer.name, url: siteUrl, location: ''};
  }
  return {registry: entries};
}

const requests = [];
const json = (url, served, body) => {
  requests.push({url, served});
  return new Response(body, {status: 200, headers: {'content-type': 'application/json'}});
};
globalThis.fetch = async (input) => {
  const url = typeof input === 'string' ? input : (input.url ?? String(input));
  if (contexts.has(url)) {
    return json(url, 'pinned context', JSON.stringify(contexts.get(url)));
  }
  if (url === REGISTRY_URL) {
    return json(url, 'issuer registry', JSON.stringify(registry()));
  }
  if (url === SCHEMA_URL && schemaPath) {
    return json(url, 'schema fixture', readFileSync(schemaPath));
  }
  if (url.startsWith(siteUrl)) {
    const file = siteFile(url);
    if (file) {
      return json(url, 'site folder', readFileSync(file));
    }
    requests.push({url, served: 'not found'});
    return new Response('Not Found', {status: 404, statusText: 'Not Found'});
  }
  requests.push({url, served: 'refused'});
  throw new TypeError(`fetch failed: ${url} (these tests are offline)`);
};

// verifier-core and its libraries write to the console; stdout carries only the result.
const logged = [];
console.log = console.warn = console.error = (...args) => logged.push(args.join(' '));

let output;
try {
  const {verifyCredential} = await import('@digitalcredentials/verifier-core');
  const credential = JSON.parse(readFileSync(credentialPath, 'utf8'));
  const result = await verifyCredential({
    credential,
    knownDIDRegistries: [{type: 'dcc-legacy', name: 'credcat catalog', url: REGISTRY_URL}],
  });
  const fatal = (result.errors ?? []).map((e) => e.name);
  const steps = Object.fromEntries((result.log ?? []).map((s) => [s.id, s.valid === true]));
  const schema = (result.additionalInformation ?? []).find((e) => e.id === 'schema_check');
  output = {
    ok: fatal.length === 0 && Object.keys(steps).length > 0 && Object.values(steps).every(Boolean),
    fatal,
    messages: (result.errors ?? []).map((e) => e.message),
    steps,
    schema: [].concat(schema?.results ?? []).map((r) => ({
      schema: r.schema,
      valid: r.result?.valid ?? null,
      errors: (r.result?.errors ?? []).map((e) => `${e.instancePath} ${e.message}`),
    })),
    requests,
  };
} catch (error) {
  output = {
    ok: false,
    fatal: ['harness error'],
    messages: [String(error?.stack ?? error)],
    steps: {},
    schema: [],
    requests,
    logged,
  };
}
process.stdout.write(JSON.stringify(output, null, 2) + '\n');
process.exit(output.ok ? 0 : 1);
