// "Add to comparison" buttons (credential pages, search results) and the small tray that
// links to the comparison page. Buttons ship hidden: without JavaScript they could do nothing.
import {MAX, picked, toggle} from './store.js';

function compareHref(link, ids) {
  const url = new URL(link.getAttribute('href').split('?')[0], document.baseURI);
  url.search = ids.length ? `?ids=${ids.join(',')}` : '';
  return url.href;
}

/** Bring every button and tray on the page in line with the stored list. */
export function refreshCompare() {
  const ids = picked();
  for (const button of document.querySelectorAll('.compare-toggle')) {
    const chosen = ids.includes(button.dataset.compareId);
    button.hidden = false;
    button.setAttribute('aria-pressed', String(chosen));
    button.textContent = chosen ? 'Remove from comparison' : 'Add to comparison';
    button.disabled = !chosen && ids.length >= MAX;
    button.title = button.disabled
      ? `You can compare up to ${MAX} credentials: remove one first.`
      : '';
  }
  for (const tray of document.querySelectorAll('.compare-tray')) {
    const text = tray.querySelector('.compare-tray-text');
    const link = tray.querySelector('.compare-tray-link');
    tray.hidden = ids.length === 0;
    if (ids.length === 1) {
      text.textContent = '1 credential picked for comparison: add at least one more.';
    } else {
      text.textContent = `${ids.length} of at most ${MAX} credentials picked for comparison.`;
    }
    link.hidden = ids.length < 2;
    link.href = compareHref(link, ids);
  }
}

/** Wire the buttons inside `scope` (call again for results added later). */
export function wireCompareButtons(scope = document) {
  for (const button of scope.querySelectorAll('.compare-toggle:not([data-wired])')) {
    button.dataset.wired = '1';
    button.addEventListener('click', () => {
      toggle(button.dataset.compareId);
      refreshCompare();
    });
  }
  refreshCompare();
}

window.addEventListener('storage', (event) => {
  if (event.key === null || event.key === 'credcat.compare') refreshCompare();
});
wireCompareButtons();
