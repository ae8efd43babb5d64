// "Add to comparison" buttons (credential pages, search results) and the small tray that
// links to the comparison page. Buttons ship hidden: without JavaScript they could do nothing.
import {nt, t} from '../shared/i18n.js';
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
    button.textContent = chosen ? t('Remove from comparison') : t('Add to comparison');
    button.disabled = !chosen && ids.length >= MAX;
    button.title = button.disabled
      ? t('You can compare up to {max} credentials: remove one first.', {max: MAX})
      : '';
  }
  for (const tray of document.querySelectorAll('.compare-tray')) {
    const text = tray.querySelector('.compare-tray-text');
    const link = tray.querySelector('.compare-tray-link');
    tray.hidden = ids.length === 0;
    text.textContent =
      ids.length === 1
        ? t('1 credential picked for comparison: add at least one more.')
        : nt(
            '{n} of at most {max} credentials picked for comparison.',
            '{n} of at most {max} credentials picked for comparison.',
            ids.length,
            {max: MAX},
          );
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
