// Link checks: every id a row references must exist in the folder (or in what is already stored).
import type { EntityKind, TariffPlan } from './model.js';
import type { ParseContext } from './parse.js';
import { BUILTIN_TIMINGS, FILE_SCHEMAS } from './schemas.js';

const NAMES: Record<EntityKind, string> = {
  timings: 'Timing', destinations: 'Destination', rates: 'Rate', destinationRates: 'DestinationRate', ratingPlans: 'RatingPlan',
  ratingProfiles: 'RatingProfile', sharedGroups: 'SharedGroup', actions: 'Actions', actionPlans: 'ActionPlan',
  actionTriggers: 'ActionTriggers', accountActions: 'AccountActions', filters: 'Filter', attributes: 'AttributeProfile', chargers: 'ChargerProfile',
};

/**
 * @param files the file holding each kind, when the folder has it: references to a kind whose file
 *   is absent (and that nothing stored defines) are one "missing file" problem, not one per row.
 */
export function checkReferences(ctx: ParseContext, known?: TariffPlan, files?: Map<EntityKind, string | undefined>): void {
  const exists = (kind: EntityKind, id: string): boolean =>
    id in ctx.tp[kind] || ctx.declared.has(`${kind}\u0000${id}`) || (known !== undefined && id in known[kind]);
  const missingFile = new Map<EntityKind, { count: number; first: (typeof ctx.refs)[number] }>();
  for (const r of ctx.refs) {
    if (r.kind === 'timings' && BUILTIN_TIMINGS.has(r.id)) continue;
    if (exists(r.kind, r.id)) continue;
    if (files && files.has(r.kind) && files.get(r.kind) === undefined && !(known && Object.keys(known[r.kind]).length > 0)) {
      const m = missingFile.get(r.kind);
      if (m) m.count++;
      else missingFile.set(r.kind, { count: 1, first: r });
      continue;
    }
    const msg = `${r.what} references ${NAMES[r.kind]} ${r.id}, which is not defined`;
    // CGRateS loads a trigger whose actions are missing and only fails when it fires (its own engine
    // test plan has such triggers), so that one is a notice, not an error.
    if (r.what.startsWith('ActionTrigger ') && r.kind === 'actions') {
      ctx.notices.push(`${r.file}:${r.line}:${r.column}: ${msg}; the trigger will do nothing when it fires`);
      continue;
    }
    ctx.issues.push({ file: r.file, line: r.line, column: r.column, message: msg });
  }
  for (const [kind, { count, first }] of missingFile) {
    const file = FILE_SCHEMAS.find((f) => f.kind === kind)!.file;
    ctx.issues.push({
      file, line: 0, column: 0,
      message: `missing from the folder, yet ${count} reference${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} a ${NAMES[kind]} (first: ${first.file}:${first.line}:${first.column} ${first.what} references ${first.id})`,
    });
  }
}
