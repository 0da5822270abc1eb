// AttributeSv1 and ChargerSv1: profile matching as CGRateS exposes it.
import type { MethodTable } from '../table.js';
import type { AttributeService } from '../../attributes/index.js';
import type { ChargerService } from '../../chargers/index.js';
import type { CGREvent } from '../../filters/index.js';
import { cgrEventArgs } from './params.js';

function cgrEvent(p: unknown, defaultTenant: string): CGREvent & { APIOpts: Record<string, unknown> } {
  const ev = cgrEventArgs(p);
  return { ...ev, Tenant: ev.Tenant || defaultTenant, APIOpts: ev.APIOpts ?? {} };
}

function optsOf(ev: { APIOpts: Record<string, unknown> }, context: unknown) {
  const o = ev.APIOpts;
  const ids = o['*attrProfileIDs'] ?? o['*attributeIDs'];
  return {
    context: (o['*context'] as string | undefined) ?? (context as string | undefined),
    attributeIds: Array.isArray(ids) ? (ids as string[]) : undefined,
    processRuns: typeof o['*attrProcessRuns'] === 'number' ? (o['*attrProcessRuns'] as number) : undefined,
    profileRuns: typeof o['*attrProfileRuns'] === 'number' ? (o['*attrProfileRuns'] as number) : undefined,
    ignoreFilters: o['*attrProfileIgnoreFilters'] === true,
  };
}

export function register(table: MethodTable, d: { attributes: AttributeService; chargers: ChargerService; defaultTenant: string }): void {
  table.add('AttributeSv1.ProcessEvent', async (p) => {
    const ev = cgrEvent(p, d.defaultTenant);
    return d.attributes.processEvent(ev, optsOf(ev, (p as { Context?: string })?.Context));
  });
  table.add('AttributeSv1.GetAttributeForEvent', async (p) => {
    const ev = cgrEvent(p, d.defaultTenant);
    return d.attributes.getAttributeForEvent(ev, optsOf(ev, (p as { Context?: string })?.Context));
  });
  table.add('ChargerSv1.ProcessEvent', async (p) => d.chargers.processEvent(cgrEvent(p, d.defaultTenant)));
  table.add('ChargerSv1.GetChargersForEvent', async (p) =>
    d.chargers.getChargersForEvent(cgrEvent(p, d.defaultTenant)).map((c) => ({
      Tenant: c.tenant, ID: c.id, FilterIDs: c.filterIds, RunID: c.runId, AttributeIDs: c.attributeIds, Weight: c.weight,
    })),
  );
}
