// What remains of a pathway once some credentials are held: the same rules as
// site_builder/site/presentation.py (stage_choice, totals). A stage needs `required` credentials;
// held ones count first, then the lightest missing ones (by hours, then name) are chosen.
import { toCents } from "../shared/format.js";

function byWeight(a, b) {
  if (a.hours !== b.hours) return a.hours - b.hours;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; // code-point order, as Python's
}

/** The credentials still to earn in one stage. */
export function stageChoice(stage, held) {
  const missing = stage.credentials.filter((c) => !held.has(c.id));
  const stillNeeded = Math.max(0, stage.required - (stage.credentials.length - missing.length));
  return [...missing].sort(byWeight).slice(0, stillNeeded);
}

/** Totals over stages: hours, costs per currency (in hundredths), count, choice per stage. */
export function totals(stages, held) {
  let hours = 0;
  let count = 0;
  const costs = new Map();
  const choices = stages.map((stage) => {
    const choice = stageChoice(stage, held);
    for (const credential of choice) {
      count += 1;
      hours += credential.hours;
      if (credential.currency && credential.amount !== null) {
        costs.set(credential.currency,
          (costs.get(credential.currency) || 0) + toCents(credential.amount));
      }
    }
    return choice;
  });
  return { hours, costs, count, choices };
}
