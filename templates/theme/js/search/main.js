// The search page: the form's fields are the address's parameters (see query.js); the search
// index (engine.js, loaded from this site) finds the credentials. Results are built with
// textContent from the records the index holds, never as HTML. The index and the result
// links are those of the page's language (<html data-language-root>).
import {wireCompareButtons} from '../compare/button.js';
import {approximateAmount, toCents} from '../shared/format.js';
import {nt, t} from '../shared/i18n.js';
import {languageRoot} from '../shared/language.js';
import {openIndex} from './engine.js';
import {FACET_KEYS, paramsFromForm, searchFromParams} from './query.js';

const PAGE_SIZE = 10; // each block of results shown costs one small download
const form = document.getElementById('search-form');
const list = document.getElementById('search-results');
const status = document.getElementById('search-status');
const more = document.getElementById('search-more');
const unavailable = document.getElementById('search-unavailable');
const root = languageRoot(form.dataset.siteRoot);
const bounds = {
  workload: form.dataset.workloadBounds.split(',').map(Number),
  cost: form.dataset.costBounds.split(',').map(Number),
};
const index = openIndex(new URL('search-index/', root));

let sequence = 0;
let current = {results: [], shown: 0};

function setState(state) {
  list.dataset.state = state;
  list.dataset.search = window.location.search;
}

// -- form <-> address --------------------------------------------------------------------

function applyParams(params) {
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === 'checkbox') {
      element.checked = params.getAll(element.name).includes(element.value);
    } else if (element.tagName === 'SELECT' || element.type === 'search') {
      element.value = params.get(element.name) || '';
      if (element.tagName === 'SELECT' && element.selectedIndex < 0) element.selectedIndex = 0;
    }
  }
  for (const facet of form.querySelectorAll('details.facet')) {
    const inputs = [...facet.querySelectorAll('input[type=checkbox]:checked, select')];
    const chosen = inputs.filter((el) => el.tagName !== 'SELECT' || el.value !== '').length;
    facet.querySelector('.facet-selected').textContent = chosen
      ? nt('({n} chosen)', '({n} chosen)', chosen)
      : '';
    if (chosen) facet.open = true;
  }
  const currency = form.elements.currency;
  const paid = currency.value !== '' && !form.elements.free.checked;
  form.elements.cost_min.disabled = !paid;
  form.elements.cost_max.disabled = !paid;
  currency.disabled = form.elements.free.checked;
}

function updateAddress(push) {
  const params = paramsFromForm(form);
  const query = params.toString();
  const url = query ? `?${query}` : window.location.pathname;
  window.history[push ? 'pushState' : 'replaceState'](null, '', url);
}

// -- results ---------------------------------------------------------------------------------

function text(tag, className, value) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.textContent = value;
  return element;
}

/** " (about 293 EUR)" when the cost filter's currency differs from the price's and the
 *  catalog gives reference rates; "" otherwise. */
function approximately(price) {
  const target = new URLSearchParams(window.location.search).get('currency');
  if (!price || !target || !form.dataset.rates) return '';
  const [amount, currency] = price.split(' ');
  if (currency === target) return '';
  const about = approximateAmount(
    new Map([[currency, toCents(amount)]]),
    target,
    JSON.parse(form.dataset.rates),
  );
  return about === null
    ? ''
    : ` ${t('(about {amount} {currency})', {amount: about, currency: target})}`;
}

function resultItem(meta) {
  const item = document.createElement('li');
  item.className = meta.status === 'retired' ? 'result is-retired' : 'result';
  item.dataset.credentialId = meta.id || '';
  const heading = document.createElement('h3');
  heading.className = 'result-title';
  const link = document.createElement('a');
  link.href = new URL(`credentials/${encodeURIComponent(meta.id || '')}/`, root).href;
  link.textContent = meta.title || meta.id || t('Untitled credential');
  heading.append(link);
  if (meta.status === 'retired')
    heading.append(' ', text('span', 'badge badge-retired', t('Retired')));
  item.append(heading);
  const facts = [
    meta.issuer,
    meta.type,
    meta.level,
    meta.workload,
    meta.cost && meta.cost + approximately(meta.price),
    meta.participation,
  ]
    .filter(Boolean)
    .join(' · ');
  item.append(text('p', 'result-facts', facts));
  if (meta.summary) item.append(text('p', 'result-summary', meta.summary));
  const button = text(
    'button',
    'button button-secondary button-small compare-toggle',
    t('Add to comparison'),
  );
  button.type = 'button';
  button.dataset.compareId = meta.id || '';
  button.hidden = true;
  const actions = document.createElement('p');
  actions.className = 'result-actions';
  actions.append(button);
  item.append(actions);
  return item;
}

async function showMore(mine) {
  const slice = current.results.slice(current.shown, current.shown + PAGE_SIZE);
  const data = await Promise.all(slice.map((n) => index.record(n)));
  if (mine !== sequence) return;
  for (const entry of data) list.append(resultItem(entry));
  current.shown += slice.length;
  more.hidden = current.shown >= current.results.length;
  wireCompareButtons(list);
}

function describe(count, search) {
  if (count === 0) return t('No credential matches.');
  return search.term
    ? nt('{n} credential matches “{term}”.', '{n} credentials match “{term}”.', count, {
        term: search.term,
      })
    : nt('{n} credential matches the filters.', '{n} credentials match the filters.', count);
}

// The parts of a search a visitor can take away, each named as the form names it.
const GROUPS = [
  {key: 'q', params: ['q']},
  ...FACET_KEYS.map((key) => ({key, params: [key]})),
  {key: 'workload', params: ['hours_min', 'hours_max']},
  {key: 'cost', params: ['currency', 'cost_min', 'cost_max', 'free']},
  {key: 'active', params: ['active']},
];

function groupName(group, params) {
  if (group.key === 'q') return t('the words “{words}”', {words: params.get('q')});
  if (group.key === 'active') return t('Hide retired credentials');
  const summary = form.querySelector(`details[data-facet="${group.key}"] summary`);
  return t('the {name} filter', {name: summary.firstChild.textContent.trim().toLowerCase()});
}

function without(params, names) {
  const rest = new URLSearchParams();
  for (const [name, value] of params) if (!names.includes(name)) rest.append(name, value);
  return rest;
}

/** Matching credentials, active ones first unless the search chose a status. */
function find(search) {
  return index.search(search.term, search.filters);
}

/** When nothing matches: for each part of the search, how many would match without it. */
async function explain(params, mine) {
  const relax = document.getElementById('search-relax');
  const items = [];
  for (const group of GROUPS) {
    if (!group.params.some((name) => params.has(name))) continue;
    const rest = without(params, group.params);
    const search = searchFromParams(rest, bounds);
    const count = search.empty ? null : (await find(search)).length;
    if (mine !== sequence) return;
    const item = document.createElement('li');
    const button = text(
      'button',
      'button button-secondary button-small',
      t('Remove {what}', {what: groupName(group, params)}),
    );
    button.type = 'button';
    button.addEventListener('click', () => {
      applyParams(rest);
      window.history.pushState(null, '', rest.toString() ? `?${rest}` : window.location.pathname);
      run();
    });
    const what = groupName(group, params);
    const found =
      count === null
        ? t('Without {what}: everything can be browsed again.', {what})
        : nt(
            'Without {what}: {n} credential would match.',
            'Without {what}: {n} credentials would match.',
            count,
            {what},
          );
    item.append(text('span', '', `${found} `), button);
    items.push(item);
  }
  relax.replaceChildren(...items);
  relax.hidden = items.length === 0;
}

/** Without exchange rates, a currency filter leaves out credentials priced in others. */
function uncompared(params) {
  const currency = params.get('currency');
  if (!currency || params.get('free') === '1' || form.dataset.converts === 'yes') return '';
  const priced = JSON.parse(form.dataset.priced || '{}');
  const others = Object.entries(priced).filter(([code]) => code !== currency);
  const count = others.reduce((sum, [, n]) => sum + n, 0);
  if (!count) return '';
  const codes = others.map(([code]) => code).join(', ');
  return ` ${nt(
    '{n} credential is priced in {codes} and could not be compared with {currency} (this catalog gives no exchange rates).',
    '{n} credentials are priced in {codes} and could not be compared with {currency} (this catalog gives no exchange rates).',
    count,
    {codes, currency},
  )}`;
}

async function run() {
  const mine = ++sequence;
  const params = new URLSearchParams(window.location.search);
  const search = searchFromParams(params, bounds);
  list.replaceChildren();
  document.getElementById('search-relax').hidden = true;
  more.hidden = true;
  current = {results: [], shown: 0};
  if (search.empty) {
    status.textContent = t('Type words or choose filters to see matching credentials.');
    list.dataset.total = '0';
    setState('idle');
    return;
  }
  setState('searching');
  status.textContent = t('Searching…');
  let found;
  try {
    found = await find(search);
  } catch (error) {
    if (mine !== sequence) return;
    unavailable.hidden = false;
    status.textContent = '';
    setState('failed');
    console.warn('credcat search:', error);
    return;
  }
  if (mine !== sequence) return; // a newer search replaced this one
  current = {results: found, shown: 0};
  status.textContent = describe(found.length, search) + uncompared(params);
  list.dataset.total = String(found.length);
  if (found.length === 0) await explain(params, mine);
  await showMore(mine);
  if (mine === sequence) setState('done');
}

// -- events ----------------------------------------------------------------------------------

let typing = null;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  applyParams(paramsFromForm(form));
  updateAddress(true);
  run();
});
form.addEventListener('input', (event) => {
  if (event.target.classList.contains('facet-filter')) return;
  if (event.target.type !== 'search') return;
  clearTimeout(typing);
  typing = setTimeout(() => {
    updateAddress(false);
    run();
  }, 300);
});
form.addEventListener('change', (event) => {
  if (event.target.type === 'search') return;
  applyParams(paramsFromForm(form));
  updateAddress(true);
  run();
});
more.addEventListener('click', () => showMore(sequence));
document.getElementById('search-clear').addEventListener('click', (event) => {
  event.preventDefault();
  applyParams(new URLSearchParams());
  updateAddress(true);
  run();
});
window.addEventListener('popstate', () => {
  applyParams(new URLSearchParams(window.location.search));
  run();
});

// "Find in list" boxes for long facets (skills, occupations).
for (const box of form.querySelectorAll('.facet-filter')) {
  box.hidden = false;
  box.addEventListener('input', () => {
    const wanted = box.value.trim().toLowerCase();
    for (const option of box.closest('fieldset').querySelectorAll('.facet-options li')) {
      const label = option.querySelector('.facet-label').textContent.toLowerCase();
      option.hidden = wanted !== '' && !label.includes(wanted);
    }
  });
}

applyParams(new URLSearchParams(window.location.search));
run();
