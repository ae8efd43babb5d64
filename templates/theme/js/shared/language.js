// Where the page's language publishes its own data (search index, credential, comparison and
// pathway records) and pages: <html data-language-root>, a URL relative to the page like the
// data-site-root of the page's sections. The default language's root is the site root; each
// other language's is its folder (fr/). Language-neutral documents (keys.json, DID documents,
// status lists, contexts) are read from the site root.

/** The site root a section of the page names (data-site-root), as an absolute URL. */
export function siteRoot(relative) {
  return new URL(`${(relative || '.').replace(/\/$/, '')}/`, document.baseURI);
}

/** The page's language root, or the site root when the page does not name one. */
export function languageRoot(siteRootRelative) {
  const own = document.documentElement.dataset.languageRoot;
  return own ? siteRoot(own) : siteRoot(siteRootRelative);
}
