// The comparison page: compare/?ids=a,b,c. Each column is one credential's comparison record
// (site_builder/site/compare.py), found in the shard keys.json names for it (shared/shards.js);
// every value goes into the table with textContent. Skills and
// occupations get one row each, so what two credentials share sits on the same row. The
// records and the links are those of the page's language (shared/language.js); keys.json,
// which says where they are, is the site's.
import {MAX, picked, setPicked} from './store.js';
import {nt, t} from '../shared/i18n.js';
import {languageRoot, siteRoot} from '../shared/language.js';
import {shardPath} from '../shared/shards.js';
import {isId} from '../shared/storage.js';

const section = document.getElementById('compare');
const holder = document.getElementById('compare-table');
const status = document.getElementById('compare-status');
const actions = section.querySelector('.compare-actions');
const site = siteRoot(section.dataset.siteRoot);
const root = languageRoot(section.dataset.siteRoot);

function link(path, label) {
  const a = document.createElement('a');
  // Paths come from this site's own files; anything but a plain relative path is dropped.
  if (typeof path === 'string' && /^[a-z0-9][a-z0-9./-]*$/.test(path)) {
    a.href = new URL(path, root).href;
  }
  a.textContent = label;
  return a;
}

function list(items) {
  if (!items.length) return t('None listed');
  const ul = document.createElement('ul');
  ul.className = 'plain-list';
  for (const item of items) {
    const li = document.createElement('li');
    li.append(item);
    ul.append(li);
  }
  return ul;
}

// One row per fact: [row key, heading, value of a comparison record].
const ROWS = [
  [
    'issuer',
    t('Issuer'),
    (r) => {
      const span = document.createElement('span');
      span.append(link(r.issuer.path, r.issuer.name), ` (${r.issuer.kind}, ${r.issuer.country})`);
      return span;
    },
  ],
  ['quality', t('Issuer’s quality assurance'), (r) => r.qualityAssurance.text],
  [
    'credential-quality',
    t('This credential’s quality assurance'),
    (r) => r.qualityAssurance.credential || t('Follows the issuer’s'),
  ],
  ['type', t('Type'), (r) => r.achievementType],
  ['level', t('Level'), (r) => r.level],
  ['workload', t('Workload'), (r) => r.workload.text],
  ['duration', t('Duration'), (r) => r.duration],
  [
    'cost',
    t('Cost'),
    (r) =>
      (r.cost.note ? `${r.cost.text} (${r.cost.note})` : r.cost.text) +
      (r.cost.alone ? `; ${r.cost.alone}` : ''),
  ],
  ['participation', t('Form of participation'), (r) => r.participation],
  ['languages', t('Languages'), (r) => r.languages.join(', ')],
  [
    'assessment',
    t('Assessment methods'),
    (r) => r.assessment.join(', ') + (r.rubric ? t('; published rubric') : ''),
  ],
  ['pass', t('To pass'), (r) => r.passThreshold],
  ['identity', t('Identity verification'), (r) => r.identityVerification],
  ['supervision', t('Supervision'), (r) => r.supervision],
  ['recognition', t('Recognised by'), (r) => list(r.recognition)],
  [
    'stacks',
    t('Counts toward'),
    (r) =>
      list([
        ...r.stacksInto.map((c) => link(c.path, c.name)),
        ...r.pathways.map((p) => {
          const span = document.createElement('span');
          span.append(t('Pathway: '), link(p.path, p.name));
          return span;
        }),
      ]),
  ],
  ['transfer', t('Credit transfer'), (r) => r.creditTransfer || t('Not stated')],
  ['validity', t('Valid for'), (r) => r.validity],
  ['status', t('Status'), (r) => r.statusText],
];

function cell(tag, content) {
  const element = document.createElement(tag);
  if (content instanceof Node) element.append(content);
  else element.textContent = content ?? '';
  return element;
}

function sharedRows(records, key, idOf, labelOf, pathOf) {
  // Union of items, the ones most credentials share first, then by name.
  const seen = new Map();
  records.forEach((record, column) => {
    for (const item of record[key]) {
      const id = idOf(item);
      if (!seen.has(id)) seen.set(id, {item, columns: new Set()});
      seen.get(id).columns.add(column);
    }
  });
  return [...seen.entries()]
    .sort(
      ([, a], [, b]) =>
        b.columns.size - a.columns.size ||
        (labelOf(a.item) < labelOf(b.item) ? -1 : labelOf(a.item) > labelOf(b.item) ? 1 : 0),
    )
    .map(([id, {item, columns}]) => {
      const row = document.createElement('tr');
      row.dataset.row = key === 'skills' ? 'skill' : 'occupation';
      row.dataset.item = id;
      if (columns.size === records.length) row.classList.add('shared');
      const label = pathOf ? link(pathOf(item), labelOf(item)) : labelOf(item);
      row.append(cell('th', label));
      row.firstChild.scope = 'row';
      records.forEach((_, column) => {
        const has = columns.has(column);
        const td = cell('td', has ? t('✓ Yes') : '—');
        td.className = has ? 'has' : 'lacks';
        row.append(td);
      });
      return row;
    });
}

function groupHeading(text, span) {
  const row = document.createElement('tr');
  row.className = 'group-heading';
  const th = cell('th', text);
  th.colSpan = span;
  th.scope = 'colgroup';
  row.append(th);
  return row;
}

function render(records) {
  const table = document.createElement('table');
  table.className = 'data-table compare-table';
  table.append(
    cell(
      'caption',
      nt('Comparison of {n} credential', 'Comparison of {n} credentials', records.length),
    ),
  );
  const head = document.createElement('thead');
  const top = document.createElement('tr');
  top.append(cell('th', t('Credential')));
  top.firstChild.scope = 'col';
  for (const record of records) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.dataset.id = record.id;
    th.append(link(record.path, record.name));
    const remove = cell('button', t('Remove'));
    remove.type = 'button';
    remove.className = 'button button-small button-secondary no-print';
    remove.setAttribute('aria-label', t('Remove {name} from the comparison', {name: record.name}));
    remove.addEventListener('click', () =>
      show(records.map((r) => r.id).filter((id) => id !== record.id)),
    );
    th.append(' ', remove);
    top.append(th);
  }
  head.append(top);
  table.append(head);
  const body = document.createElement('tbody');
  for (const [key, heading, value] of ROWS) {
    const row = document.createElement('tr');
    row.dataset.row = key;
    row.append(cell('th', heading));
    row.firstChild.scope = 'row';
    for (const record of records) row.append(cell('td', value(record)));
    body.append(row);
  }
  const span = records.length + 1;
  body.append(groupHeading(t('Skills validated (shared skills first)'), span));
  body.append(
    ...sharedRows(
      records,
      'skills',
      (s) => s.id,
      (s) => s.name,
      (s) => s.path,
    ),
  );
  body.append(groupHeading(t('Occupations'), span));
  const occupations = sharedRows(
    records,
    'occupations',
    (o) => o.code,
    (o) => `${o.title} (${o.code})`,
    null,
  );
  body.append(...(occupations.length ? occupations : [groupHeading(t('None listed'), span)]));
  table.append(body);
  holder.replaceChildren(table);
}

// Parsed JSON by address: keys.json, and shards that several columns may share.
const documents = new Map();

function getJson(path, base) {
  const address = new URL(path, base).href;
  if (!documents.has(address)) {
    const request = fetch(address).then((response) => {
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return response.json();
    });
    documents.set(address, request);
    request.catch(() => documents.delete(address));
  }
  return documents.get(address);
}

async function fetchRecord(id) {
  const path = shardPath(await getJson('keys.json', site), 'compareRecord', id);
  if (path === null) throw new Error(`${id}: no comparison records published`);
  const shard = await getJson(path, root);
  const record = Object.hasOwn(shard, id) ? shard[id] : null;
  if (record?.id !== id) throw new Error(`${id}: not in this catalog`);
  return record;
}

async function show(ids) {
  const chosen = [...new Set(ids.filter(isId))];
  const extra = chosen.length > MAX;
  const use = chosen.slice(0, MAX);
  setPicked(use);
  const url = use.length ? `?ids=${use.join(',')}` : window.location.pathname;
  window.history.replaceState(null, '', url);
  holder.replaceChildren();
  actions.hidden = use.length === 0;
  section.dataset.state = 'loading';
  const settled = await Promise.allSettled(use.map(fetchRecord));
  const records = settled.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  const missing = use.filter((_, i) => settled[i].status === 'rejected');
  const notes = [];
  if (missing.length) notes.push(t('Not in this catalog: {ids}.', {ids: missing.join(', ')}));
  if (extra) notes.push(t('Only the first {max} credentials are compared.', {max: MAX}));
  if (records.length < 2) {
    notes.unshift(
      records.length === 1
        ? t('Pick at least one more credential to compare with this one.')
        : t('Pick two to four credentials to compare.'),
    );
  }
  status.textContent = notes.join(' ');
  if (records.length) render(records);
  section.dataset.state = 'done';
}

document.getElementById('compare-print').addEventListener('click', () => window.print());
document.getElementById('compare-clear').addEventListener('click', () => show([]));

const fromAddress = new URLSearchParams(window.location.search).get('ids');
show(fromAddress !== null ? fromAddress.split(',').map((id) => id.trim()) : picked());
