// Pathway route planner. Storage contract (this browser only, never sent anywhere):
//   localStorage["credcat.held"]     = {"held": [ids ticked], "seenVerified": [ids]}
//   localStorage["credcat.verified"] = [catalog credential ids] written by the verification
//     page for credentials it verified. Each verified id is ticked once, the first time this
//     planner sees it (recorded in seenVerified), so unticking it later sticks.
// "Clear" removes both keys.
import {approximateText, costsText, hoursText} from '../shared/format.js';
import {nt, t} from '../shared/i18n.js';
import {isId, readJSON, remove, writeJSON} from '../shared/storage.js';
import {totals} from './totals.js';

const HELD = 'credcat.held';
const VERIFIED = 'credcat.verified';
const section = document.getElementById('plan');

function verifiedIds() {
  const stored = readJSON(VERIFIED);
  if (!Array.isArray(stored)) return [];
  return stored
    .map((entry) => (entry && typeof entry === 'object' ? entry.id : entry))
    .filter(isId);
}

function load() {
  const stored = readJSON(HELD) || {};
  const held = new Set(Array.isArray(stored.held) ? stored.held.filter(isId) : []);
  const seen = new Set(Array.isArray(stored.seenVerified) ? stored.seenVerified.filter(isId) : []);
  const verified = verifiedIds();
  const fresh = verified.filter((id) => !seen.has(id));
  for (const id of fresh) {
    held.add(id);
    seen.add(id);
  }
  if (fresh.length) save(held, seen);
  return {held, seen, verified: new Set(verified)};
}

function save(held, seen) {
  writeJSON(HELD, {held: [...held].sort(), seenVerified: [...seen].sort()});
}

function readStages() {
  return [...section.querySelectorAll('.plan-stage')].map((fieldset) => ({
    number: fieldset.dataset.stage,
    name: fieldset.querySelector('legend').firstChild.textContent.trim(),
    required: Number(fieldset.dataset.required),
    credentials: [...fieldset.querySelectorAll('input[name=held]')].map((input) =>
      JSON.parse(input.dataset.plan),
    ),
  }));
}

if (section) {
  const stages = readStages();
  const inputs = [...section.querySelectorAll('input[name=held]')];
  const note = section.querySelector('.planner-verified');
  const currency = document.getElementById('plan-currency');
  let state = load();

  const render = () => {
    const result = totals(stages, state.held);
    for (const input of inputs) {
      // A part of a held credential counts as held: ticked, and untickable until the
      // credential that includes it is unticked.
      const included = result.held.has(input.value) && !state.held.has(input.value);
      input.checked = result.held.has(input.value);
      input.disabled = included;
      input.closest('label').querySelector('.plan-included').hidden = !included;
    }
    for (const box of document.querySelectorAll('.flow-box[data-credential-id]')) {
      const held = result.held.has(box.dataset.credentialId);
      box.classList.toggle('is-held', held);
      box.querySelector('.flow-held').hidden = !held;
    }
    document.getElementById('plan-count').textContent = String(result.count);
    document.getElementById('plan-hours').textContent = hoursText(result.hours);
    document.getElementById('plan-cost').textContent = costsText(result.costs);
    if (currency) {
      document.getElementById('plan-approx').textContent = approximateText(
        result.costs,
        currency.value,
        JSON.parse(currency.dataset.rates),
      );
    }
    const remaining = document.getElementById('plan-remaining');
    remaining.replaceChildren(
      ...stages.map((stage, i) => {
        const item = document.createElement('li');
        const choice = result.choices[i];
        item.textContent = choice.length
          ? t('{stage}: {credentials}', {
              stage: stage.name,
              credentials: choice.map((c) => c.name).join('; '),
            })
          : t('{stage}: done', {stage: stage.name});
        item.className = choice.length ? 'to-do' : 'done';
        return item;
      }),
    );
    const verifiedHere = inputs.filter((input) => state.verified.has(input.value)).length;
    note.hidden = verifiedHere === 0;
    note.textContent = verifiedHere
      ? nt(
          '{n} credential of this pathway verified on this site was ticked for you.',
          '{n} credentials of this pathway verified on this site were ticked for you.',
          verifiedHere,
        )
      : '';
    section.dataset.state = 'ready';
  };

  for (const input of inputs) {
    input.addEventListener('change', () => {
      if (input.checked) state.held.add(input.value);
      else state.held.delete(input.value);
      save(state.held, state.seen);
      render();
    });
  }
  if (currency) currency.addEventListener('change', () => render());
  document.getElementById('plan-clear').addEventListener('click', () => {
    remove(HELD);
    remove(VERIFIED);
    state = {held: new Set(), seen: new Set(), verified: new Set()};
    render();
  });
  window.addEventListener('storage', (event) => {
    if (event.key === null || event.key === HELD || event.key === VERIFIED) {
      state = load();
      render();
    }
  });
  section.hidden = false;
  render();
}
