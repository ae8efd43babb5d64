// The header's language switcher leads to the same page in another language. On pages whose
// address holds what the visitor is looking at (a search's words and filters, the
// credentials being compared, a credential to verify in `#vc=`), the link takes the query and
// fragment along at the moment it is followed, so the visitor stays on the same entry.

function carry(link) {
  const target = new URL(link.getAttribute('href'), document.baseURI);
  target.search = window.location.search;
  target.hash = window.location.hash;
  link.href = target.href;
}

for (const link of document.querySelectorAll('.language-switcher a[rel="alternate"]')) {
  for (const event of ['pointerenter', 'focus', 'click']) {
    link.addEventListener(event, () => carry(link));
  }
}
