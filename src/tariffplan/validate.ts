// Link checks: every id a row references must exist in the folder (or in what is already stored).
import type { EntityKind, TariffPlan } from './model.js';
import type { ParseContext } from './parse.js';
import { BUILTIN_TIMINGS } from './schemas.js';

const NAMES: Record<EntityKind, string> = {
  timings: 'Timing', destinations: 'Destination', rates: 'Rate', destinationRates: 'DestinationRate', ratingPlans: 'RatingPlan',
  ratingProfiles: 'RatingProfile', sharedGroups: 'SharedGroup', actions: 'Actions', actionPlans: 'ActionPlan',
  actionTriggers: 'ActionTriggers', accountActions: 'AccountActions', filters: 'Filter', attributes: 'AttributeProfile', chargers: 'ChargerProfile',
};

export function checkReferences(ctx: ParseContext, known?: TariffPlan): void {
  const exists = (kind: EntityKind, id: string): boolean =>
    id in ctx.tp[kind] || ctx.declared.has(`${kind}\u0000${id}`) || (known !== undefined && id in known[kind]);
  for (const r of ctx.refs) {
    if (r.kind === 'timings' && BUILTIN_TIMINGS.has(r.id)) continue;
    if (exists(r.kind, r.id)) continue;
    const msg = `${r.what} references ${NAMES[r.kind]} ${r.id}, which is not defined`;
    // CGRateS loads a trigger whose actions are missing and only fails when it fires (its own engine
    // test plan has such triggers), so that one is a notice, not an error.
    if (r.what.startsWith('ActionTrigger ') && r.kind === 'actions') {
      ctx.notices.push(`${r.file}:${r.line}:${r.column}: warning: ${msg}; the trigger will do nothing when it fires`);
      continue;
    }
    ctx.issues.push({ file: r.file, line: r.line, column: r.column, message: msg });
  }
}
