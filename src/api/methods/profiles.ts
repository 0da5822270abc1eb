// AttributeSv1 and ChargerSv1: profile matching as CGRateS exposes it.
import type { MethodTable } from '../table.js';
import type { AttributeService } from '../../attributes/index.js';
import type { ChargerService } from '../../chargers/index.js';
import type { CGREvent } from '../../filters/index.js';
import { cgrEventArgs, id, optNum, optStrList, optBool, type Params } from './params.js';

function cgrEvent(p: unknown, defaultTenant: string): CGREvent & { APIOpts: Record<string, unknown> } {
  const ev = cgrEventArgs(p);
  return { ...ev, Tenant: ev.Tenant || defaultTenant, APIOpts: ev.APIOpts ?? {} };
}

/** Attribute options of APIOpts, typed; runs are bounded so one request cannot loop for long. */
function optsOf(ev: { APIOpts: Record<string, unknown> }, params: unknown) {
  const o = ev.APIOpts as Params;
  const ctx = id({ Context: (params as Params | null)?.Context }, 'Context');
  const runs = { integer: true, min: 0, max: 100 };
  return {
    context: id(o, '*context') || ctx || undefined,
    attributeIds: optStrList(o, o['*attrProfileIDs'] !== undefined ? '*attrProfileIDs' : '*attributeIDs'),
    processRuns: optNum(o, '*attrProcessRuns', runs),
    profileRuns: optNum(o, '*attrProfileRuns', runs),
    ignoreFilters: optBool(o, '*attrProfileIgnoreFilters') ?? false,
  };
}

export function register(table: MethodTable, d: { attributes: AttributeService; chargers: ChargerService; defaultTenant: string }): void {
  table.add('AttributeSv1.ProcessEvent', async (p) => {
    const ev = cgrEvent(p, d.defaultTenant);
    return d.attributes.processEvent(ev, optsOf(ev, p));
  });
  table.add('AttributeSv1.GetAttributeForEvent', async (p) => {
    const ev = cgrEvent(p, d.defaultTenant);
    return d.attributes.getAttributeForEvent(ev, optsOf(ev, p));
  });
  table.add('ChargerSv1.ProcessEvent', async (p) => d.chargers.processEvent(cgrEvent(p, d.defaultTenant)));
  table.add('ChargerSv1.GetChargersForEvent', async (p) =>
    d.chargers.getChargersForEvent(cgrEvent(p, d.defaultTenant)).map((c) => ({
      Tenant: c.tenant, ID: c.id, FilterIDs: c.filterIds, RunID: c.runId, AttributeIDs: c.attributeIds, Weight: c.weight,
    })),
  );
}
