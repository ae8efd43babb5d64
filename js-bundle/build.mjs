// Builds the /verify/ page's three third-party bundles from the exact versions pinned in
// package-lock.json: templates/theme/js/vendor/jsonld-rdfc.min.js (JSON-LD to RDF, RDFC-1.0),
// templates/theme/js/vendor/jsqr.min.js (reading a certificate's QR code) and
// templates/theme/js/vendor/qrcode.min.js (drawing a printed certificate's QR code):
//
//   cd js-bundle && npm ci && npm run build
//
// The bundles are committed, so building the site needs no Node.js. Run this again after
// changing a version, and commit the bundles, their licence files and package-lock.json
// together.
import {createHash} from 'node:crypto';
import {readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, '..', 'templates', 'theme', 'js', 'vendor');

// Two modules are swapped for small local ones so the bundle holds no network code and no
// string-to-code path: jsonld's XMLHttpRequest document loader (the page always passes its
// own loader, which serves only the pinned contexts) and the `setimmediate` polyfill (its
// fallback path builds functions from strings, which the page's CSP forbids).
const replacements = {
  name: 'credcat-replacements',
  setup(build) {
    build.onResolve({filter: /^setimmediate$/}, () => ({path: 'setimmediate', namespace: 'shim'}));
    build.onResolve({filter: /\/documentLoaders\/xhr(\.js)?$/}, () => ({
      path: 'xhr-loader',
      namespace: 'shim',
    }));
    build.onLoad({filter: /^setimmediate$/, namespace: 'shim'}, () => ({
      contents: `if (typeof globalThis.setImmediate !== 'function') {
        const queue = [];
        const channel = new MessageChannel();
        channel.port1.onmessage = () => queue.shift()();
        globalThis.setImmediate = (fn, ...args) => {
          queue.push(() => fn(...args));
          channel.port2.postMessage(0);
        };
      }`,
      loader: 'js',
    }));
    build.onLoad({filter: /^xhr-loader$/, namespace: 'shim'}, () => ({
      contents: `module.exports = () => async url => {
        throw new Error('network loading is disabled in this bundle: ' + url);
      };`,
      loader: 'js',
    }));
  },
};

/**
 * The licence and copyright notice of a package that ships no licence file (qrcode-generator
 * states them in its source's opening comment, which the minified bundle drops).
 */
function sourceNotice(folder, info) {
  const source = readFileSync(join(folder, info.module ?? info.main), 'utf8');
  const opening = source.match(/^(?:\/\/.*\n)+/)?.[0] ?? '';
  if (!/copyright/i.test(opening)) throw new Error(`${info.name} has no licence file or notice`);
  const notice = opening.replace(/^\/\/-*\s?/gm, '').trim();
  return `License: ${info.license}\n\n${notice}`;
}

/** One bundle: `entry` (in this folder) to `name`.min.js and `name`.LICENSES.txt. */
async function bundle({entry, name, bundled, plugins = [], purpose = 'verifier'}) {
  const outfile = join(vendor, `${name}.min.js`);
  const versions = bundled.map((pkg) => {
    const info = JSON.parse(readFileSync(join(here, 'node_modules', pkg, 'package.json'), 'utf8'));
    return {name: pkg, version: info.version, license: info.license};
  });
  const result = await esbuild.build({
    entryPoints: [join(here, entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome137', 'firefox129', 'safari17'],
    minify: true,
    legalComments: 'none',
    banner: {
      js: `/*! credcat ${purpose} vendor bundle: ${versions
        .map((v) => `${v.name}@${v.version} (${v.license})`)
        .join(', ')}. Licences: ${name}.LICENSES.txt */`,
    },
    plugins,
    metafile: true,
    write: false,
  });

  const code = result.outputFiles[0].contents;
  const text = new TextDecoder().decode(code);
  for (const forbidden of ['new Function', 'eval(']) {
    if (text.includes(forbidden)) {
      throw new Error(`the bundle contains ${forbidden}; the page's CSP forbids it`);
    }
  }
  writeFileSync(outfile, code);

  // Every bundled package's licence text, next to the bundle.
  const inputs = Object.keys(result.metafile.inputs);
  const packages = [
    ...new Set(
      inputs.map((p) => p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1]).filter(Boolean),
    ),
  ].sort();
  const licences = packages.map((pkg) => {
    const folder = join(here, 'node_modules', pkg);
    const info = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const file = readdirSync(folder).find((f) => /^licen[cs]e/i.test(f));
    const body = file
      ? readFileSync(join(folder, file), 'utf8').trim()
      : sourceNotice(folder, info);
    return `${pkg}@${info.version} (${info.license})\n${'-'.repeat(72)}\n${body}\n`;
  });
  writeFileSync(
    join(vendor, `${name}.LICENSES.txt`),
    `Third-party code in ${name}.min.js (built by js-bundle/build.mjs)\n\n` + licences.join('\n'),
  );

  const sha256 = createHash('sha256').update(code).digest('hex');
  console.log(
    `${outfile}: ${code.length} bytes, ${gzipSync(code, {level: 9}).length} gzipped, ` +
      `sha256 ${sha256}`,
  );
  console.log(`bundled: ${packages.join(', ')}`);
}

await bundle({
  entry: 'rdfc-entry.js',
  name: 'jsonld-rdfc',
  bundled: ['jsonld', 'rdf-canonize', 'canonicalize', 'lru-cache', 'yallist'],
  plugins: [replacements],
});
await bundle({entry: 'qr-entry.js', name: 'jsqr', bundled: ['jsqr'], purpose: 'QR reader'});
await bundle({
  entry: 'qrcode-entry.js',
  name: 'qrcode',
  bundled: ['qrcode-generator'],
  purpose: 'QR writer',
});
