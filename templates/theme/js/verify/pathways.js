// Progress on the catalog's pathways, for the credentials verified together on the page:
// which stages they complete and what remains. Everything comes from the catalog's own
// published records (credential record -> pathways, pathway record -> stages), never from the
// credentials, which only say which catalog credentials the visitor holds.

import {t} from '../shared/i18n.js';
import {pathwayRecord} from './catalog.js';
import {isObject, own} from './json.js';

function list(value) {
  return Array.isArray(value) ? value : [];
}

/**
 * `records`: catalog records (record.json) of the credentials that verified. Returns one entry
 * per pathway they advance: {id, name, url, goal, complete, stages: [{number, name, required,
 * held, missing, complete}]}, where held and missing are the stage's member credentials.
 */
export async function pathwayProgress(published, records) {
  const held = new Set(records.map((record) => own(record, 'id')));
  const ids = [...new Set(records.flatMap((record) => list(own(record, 'pathways'))))].filter(
    (id) => typeof id === 'string',
  );
  const pathways = await Promise.all(ids.map((id) => pathwayRecord(published, id)));
  return pathways.filter(isObject).map((pathway) => {
    const stages = list(own(pathway, 'stages'))
      .filter(isObject)
      .map((stage, index) => {
        const members = list(own(stage, 'credentials')).filter(isObject);
        const stated = own(stage, 'required');
        // A stage needs all its credentials unless it says how many to choose.
        const required =
          Number.isInteger(stated) && stated > 0
            ? Math.min(stated, members.length)
            : members.length;
        const have = members.filter((member) => held.has(own(member, 'id')));
        return {
          number: index + 1,
          name: String(own(stage, 'name') ?? t('Stage {number}', {number: index + 1})),
          required,
          held: have,
          missing: members.filter((member) => !held.has(own(member, 'id'))),
          complete: have.length >= required,
        };
      });
    return {
      id: own(pathway, 'id'),
      name: String(own(pathway, 'name') ?? ''),
      url: own(pathway, 'url'),
      goal: typeof own(pathway, 'goal') === 'string' ? pathway.goal : null,
      stages,
      complete: stages.every((stage) => stage.complete),
    };
  });
}
