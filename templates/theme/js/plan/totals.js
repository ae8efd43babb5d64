// What remains of a pathway once some credentials are held: the same rules as
// site_builder/site/presentation.py (plan, stage_choice, totals), read from the same data
// (presentation.plan_entry, written into each checkbox's data-plan attribute).
// 1. Holding a credential counts every credential that stacks into it (its parts) as held.
// 2. A stage needs `required` credentials; held ones count first, then the missing ones that
//    add least: parts a stacked credential still needs anyway, then the lightest (hours, name).
// 3. A stacked credential with "alone" figures needs its parts: a part neither held nor chosen
//    is added to that credential's stage. Each credential counts once, a stacked one with its
//    figures alone, so a certificate's price never adds its parts twice.
import {toCents} from '../shared/format.js';

function byWeight(needed) {
  return (a, b) => {
    const an = needed.has(a.id) ? 0 : 1;
    const bn = needed.has(b.id) ? 0 : 1;
    if (an !== bn) return an - bn;
    if (a.hours !== b.hours) return a.hours - b.hours;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; // code-point order, as Python's
  };
}

/** Held ids plus the parts of every held credential of the stages. */
export function heldWithParts(stages, held) {
  const result = new Set(held);
  for (const stage of stages) {
    for (const credential of stage.credentials) {
      if (held.has(credential.id)) for (const part of credential.parts) result.add(part.id);
    }
  }
  return result;
}

function neededParts(stages, held) {
  const needed = new Set();
  for (const stage of stages) {
    for (const credential of stage.credentials) {
      if (credential.stacked && !held.has(credential.id)) {
        for (const part of credential.parts) if (!held.has(part.id)) needed.add(part.id);
      }
    }
  }
  return needed;
}

/** The credentials still to earn in one stage. */
export function stageChoice(stage, held, needed = new Set()) {
  const missing = stage.credentials.filter((c) => !held.has(c.id));
  const stillNeeded = Math.max(0, stage.required - (stage.credentials.length - missing.length));
  return [...missing].sort(byWeight(needed)).slice(0, stillNeeded);
}

/** Totals over stages: hours, costs per currency (in hundredths), count, choice per stage,
 *  and the held ids once parts are counted. */
export function totals(stages, heldTicked) {
  const held = heldWithParts(stages, heldTicked);
  const needed = neededParts(stages, held);
  const choices = stages.map((stage) => stageChoice(stage, held, needed));
  const chosen = new Set(choices.flat().map((c) => c.id));
  for (const choice of choices) {
    for (const credential of [...choice]) {
      if (!credential.stacked) continue;
      for (const part of credential.parts) {
        if (!held.has(part.id) && !chosen.has(part.id)) {
          choice.push(part);
          chosen.add(part.id);
        }
      }
    }
  }
  let hours = 0;
  let count = 0;
  const costs = new Map();
  for (const credential of choices.flat()) {
    count += 1;
    hours += credential.ownHours;
    if (credential.currency && credential.amount !== null) {
      costs.set(
        credential.currency,
        (costs.get(credential.currency) || 0) + toCents(credential.amount),
      );
    }
  }
  return {hours, costs, count, choices, held};
}
