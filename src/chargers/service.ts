// ChargerS: forks an event into one run per matching ChargerProfile (Chargers.csv), each with its
// RunID and its attributes applied, as CGRateS's ChargerSv1.ProcessEvent.
import type { ChargerProfile } from '../tariffplan/model.js';
import { AccurateError, ERR, mandatoryMissing } from '../util/errors.js';
import { parseTime } from '../util/time.js';
import { FilterService, isActiveAt, cloneEvent, eventDataProvider, type CGREvent } from '../filters/index.js';
import { asServerError, type AttributeService } from '../attributes/index.js';

export interface ChrgSProcessEventReply {
  ChargerSProfile: string;
  AttributeSProfiles: string[] | null;
  AlteredFields: string[];
  CGREvent: CGREvent;
}

export interface ChargerServiceOptions {
  defaultTenant?: string;
  timezone?: string;
}

export class ChargerService {
  private byTenant = new Map<string, ChargerProfile[]>();

  /** `attributes` null: AttributeS is not connected (chargers.attributes_conns empty), runs keep their event as is. */
  constructor(
    profiles: Record<string, ChargerProfile>,
    private readonly filters: FilterService,
    private readonly attributes: AttributeService | null,
    private readonly opts: ChargerServiceOptions = {},
  ) {
    this.setProfiles(profiles);
  }

  setProfiles(profiles: Record<string, ChargerProfile>): void {
    this.byTenant = new Map();
    for (const p of Object.values(profiles).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const list = this.byTenant.get(p.tenant) ?? [];
      list.push(p);
      this.byTenant.set(p.tenant, list);
    }
  }

  private tenantOf(ev: CGREvent): string {
    return ev.Tenant || this.opts.defaultTenant || 'cgrates.org';
  }

  /** ChargerSv1.GetChargersForEvent: matching profiles by descending weight; NOT_FOUND when none. */
  getChargersForEvent(event: CGREvent): ChargerProfile[] {
    return asServerError(() => this.matching(event));
  }

  private matching(event: CGREvent): ChargerProfile[] {
    const tenant = this.tenantOf(event);
    const dp = eventDataProvider({ ...event, Tenant: tenant });
    delete dp['*vars'];
    const at = event.Time === undefined || event.Time === null || event.Time === '' ? undefined
      : typeof event.Time === 'number' ? event.Time : parseTime(event.Time, this.opts.timezone ?? 'Local');
    const out: ChargerProfile[] = [];
    for (const p of this.byTenant.get(tenant) ?? []) {
      if (at !== undefined && !isActiveAt(p.activationInterval, at)) continue;
      if (!this.filters.pass(tenant, p.filterIds, dp)) continue;
      out.push(p);
    }
    if (out.length === 0) throw new AccurateError(ERR.NOT_FOUND);
    // Stable: equal weights keep id order.
    return out.sort((a, b) => b.weight - a.weight);
  }

  /** ChargerSv1.ProcessEvent: one forked event per matching charger. */
  processEvent(event: CGREvent): ChrgSProcessEventReply[] {
    return asServerError(() => this.fork(event));
  }

  private fork(event: CGREvent): ChrgSProcessEventReply[] {
    if (!event || typeof event.Event !== 'object' || event.Event === null) throw mandatoryMissing(['Event']);
    const tenant = this.tenantOf(event);
    const replies: ChrgSProcessEventReply[] = [];
    for (const cp of this.matching(event)) {
      const ev = cloneEvent(event);
      ev.Tenant = tenant;
      ev.Event.RunID = cp.runId;
      ev.APIOpts = { ...(ev.APIOpts ?? {}), '*subsys': '*chargers' };
      const reply: ChrgSProcessEventReply = { ChargerSProfile: cp.id, AttributeSProfiles: null, AlteredFields: ['*req.RunID'], CGREvent: ev };
      replies.push(reply);
      if ((cp.attributeIds.length === 1 && cp.attributeIds[0] === '*none') || !this.attributes) continue;
      const hadContext = ev.APIOpts['*context'] !== undefined && ev.APIOpts['*context'] !== '';
      // No AttributeIDs means "every matching profile", so the option is only set when the charger names some.
      if (cp.attributeIds.length > 0) ev.APIOpts['*attrProfileIDs'] = cp.attributeIds;
      if (!hadContext) ev.APIOpts['*context'] = '*chargers';
      try {
        const r = this.attributes.processEvent(ev);
        reply.AttributeSProfiles = r.MatchedProfiles;
        if (r.AlteredFields.length > 0) {
          reply.AlteredFields.push(...r.AlteredFields);
          reply.CGREvent = r.CGREvent;
        }
      } catch (e) {
        // No matching attribute profile is fine: the run keeps its event.
        if (!(e instanceof AccurateError && e.message === ERR.NOT_FOUND)) throw e;
      }
      const opts = reply.CGREvent.APIOpts ?? {};
      if (!hadContext && opts['*context'] === '*chargers') delete opts['*context'];
    }
    return replies;
  }
}
