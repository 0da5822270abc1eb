// AttributeS: alters events with the highest-weight matching AttributeProfile, once per process
// run, as CGRateS's AttributeSv1.ProcessEvent (contexts, filters, weights, blocker, inline profiles).
import type { AttributeProfile } from '../tariffplan/model.js';
import { AccurateError, ERR, mandatoryMissing } from '../util/errors.js';
import { parseTime } from '../util/time.js';
import {
  FilterService, isActiveAt, cloneEvent, splitPath, parsePath, setField, removeField, fieldAsString, NotFoundError,
  type CGREvent, type DataMap,
} from '../filters/index.js';
import { compileAttributeValue, evaluateAttribute, type CompiledAttribute } from '../filters/index.js';

export interface AttributeProcessOptions {
  /** `*context` (default from APIOpts, else `*default`). */
  context?: string;
  /** Only these profiles (ids or inline `*constant:*req.Field:value`), as APIOpts `*attrProfileIDs`. */
  attributeIds?: string[];
  /** How many profiles may apply one after another (APIOpts `*attrProcessRuns`, config attributes.process_runs). */
  processRuns?: number;
  /** How often the same profile may apply (0 = unlimited). */
  profileRuns?: number;
  /** With attributeIds: skip the profiles' filters. */
  ignoreFilters?: boolean;
}

export interface AttrSProcessEventReply {
  MatchedProfiles: string[];
  AlteredFields: string[];
  CGREvent: CGREvent;
}

export interface AttributeServiceOptions {
  defaultTenant?: string;
  processRuns?: number;
  timezone?: string;
  roundingDecimals?: number;
  rsrSeparator?: string;
}

interface CompiledProfile {
  profile: AttributeProfile;
  attributes: CompiledAttribute[];
}

export class AttributeError extends Error {}

/** NOT_FOUND and MANDATORY_IE_MISSING pass as they are; any other failure becomes `SERVER_ERROR: <why>`. */
export function asServerError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const msg = (e as Error).message;
    if (msg === ERR.NOT_FOUND || msg.startsWith(ERR.MANDATORY_IE_MISSING) || msg.startsWith(ERR.SERVER_ERROR)) throw e;
    throw new AccurateError(`${ERR.SERVER_ERROR}: ${msg}`, ERR.SERVER_ERROR);
  }
}

/** Inline profile `*constant:*req.RequestType:*none;*variable:*req.X:~*req.Y` (several values joined with `&`). */
export function inlineAttributeProfile(tenant: string, rule: string): AttributeProfile {
  const attributes = rule.split(';').map((part) => {
    const p = splitPath(part, ':', 3);
    if (p.length !== 3) throw new AttributeError(`inline parse error for string: <${part}> (expected *type:path:value)`);
    if (p[1] === '') throw new AttributeError(`empty path in inline AttributeProfile <${rule}>`);
    return { filterIds: [], path: p[1], type: p[0], value: p[2] };
  });
  return { tenant, id: rule, contexts: ['*any'], filterIds: [], activationInterval: null, attributes, blocker: false, weight: 0 };
}

function optString(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

function optList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(';').filter(Boolean);
}

function optInt(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new AccurateError(`SERVER_ERROR: ${name} must be an integer, have <${String(v)}>`, ERR.SERVER_ERROR);
  return n;
}

export class AttributeService {
  private byTenant = new Map<string, AttributeProfile[]>();
  private readonly compiled = new Map<string, CompiledProfile>();

  constructor(
    profiles: Record<string, AttributeProfile>,
    private readonly filters: FilterService,
    private readonly opts: AttributeServiceOptions = {},
  ) {
    this.setProfiles(profiles);
  }

  setProfiles(profiles: Record<string, AttributeProfile>): void {
    this.byTenant = new Map();
    // Sorted by id so equal weights resolve the same way every time.
    for (const p of Object.values(profiles).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      const list = this.byTenant.get(p.tenant) ?? [];
      list.push(p);
      this.byTenant.set(p.tenant, list);
    }
    this.compiled.clear();
  }

  private profile(tenant: string, id: string): CompiledProfile | undefined {
    const key = `${tenant}:${id}`;
    let c = this.compiled.get(key);
    if (c) return c;
    const p = id.startsWith('*') ? inlineAttributeProfile(tenant, id) : this.byTenant.get(tenant)?.find((x) => x.id === id);
    if (!p) return undefined;
    // Inline profiles separate their attributes with `;`, so their values are joined with `&`.
    const sep = id.startsWith('*') ? '&' : (this.opts.rsrSeparator ?? ';');
    c = {
      profile: p,
      attributes: p.attributes.map((a, i) => {
        try {
          return compileAttributeValue(a, sep);
        } catch (e) {
          throw new AttributeError(`attribute profile ${tenant}:${p.id} attribute ${i + 1} (${a.path}): ${(e as Error).message}`);
        }
      }),
    };
    this.compiled.set(key, c);
    return c;
  }

  private eventTime(ev: CGREvent): number | undefined {
    if (ev.Time === undefined || ev.Time === null || ev.Time === '') return undefined;
    return typeof ev.Time === 'number' ? ev.Time : parseTime(ev.Time, this.opts.timezone ?? 'Local');
  }

  /** The profile that applies next: highest weight among the matching ones, not the last one applied. */
  private match(
    tenant: string, context: string, ids: string[] | undefined, at: number | undefined, dp: DataMap,
    lastId: string, applied: Map<string, number>, profileRuns: number, ignoreFilters: boolean,
  ): CompiledProfile | undefined {
    const candidates = ids ?? (this.byTenant.get(tenant) ?? []).map((p) => p.id);
    const skipFilters = ids !== undefined && ignoreFilters;
    let best: CompiledProfile | undefined;
    for (const id of candidates) {
      const c = this.profile(tenant, id);
      if (!c) continue;
      const p = c.profile;
      if (!(p.contexts.length === 1 && p.contexts[0] === '*any') && !p.contexts.includes(context)) continue;
      if (at !== undefined && !isActiveAt(p.activationInterval, at)) continue;
      const tntId = `${p.tenant}:${p.id}`;
      (dp['*vars'] as DataMap)['*apTenantID'] = tntId;
      if (!skipFilters && !this.filters.pass(tenant, p.filterIds, dp)) continue;
      if ((best === undefined || best.profile.weight < p.weight) && tntId !== lastId && (profileRuns <= 0 || (applied.get(tntId) ?? 0) < profileRuns)) best = c;
    }
    if (best) (dp['*vars'] as DataMap)['*apTenantID'] = `${best.profile.tenant}:${best.profile.id}`;
    return best;
  }

  /**
   * AttributeSv1.ProcessEvent. Throws AccurateError NOT_FOUND when no profile matches at all, and
   * `SERVER_ERROR: …` for anything else (an unknown filter, a bad value), as CGRateS.
   */
  processEvent(event: CGREvent, options: AttributeProcessOptions = {}): AttrSProcessEventReply {
    return asServerError(() => this.process(event, options));
  }

  private process(event: CGREvent, options: AttributeProcessOptions): AttrSProcessEventReply {
    if (!event || typeof event.Event !== 'object' || event.Event === null) throw mandatoryMissing(['Event']);
    const args = cloneEvent(event);
    const apiOpts = args.APIOpts ?? {};
    let tenant = args.Tenant || this.opts.defaultTenant || 'cgrates.org';
    args.Tenant = tenant;
    const context = options.context ?? optString(apiOpts['*context']) ?? '*default';
    const ids = options.attributeIds ?? optList(apiOpts['*attrProfileIDs']);
    const processRuns = options.processRuns ?? optInt(apiOpts['*attrProcessRuns'], '*attrProcessRuns') ?? this.opts.processRuns ?? 1;
    const profileRuns = options.profileRuns ?? optInt(apiOpts['*attrProfileRuns'], '*attrProfileRuns') ?? 0;
    const ignoreFilters = options.ignoreFilters ?? (apiOpts['*attrProfileIgnoreFilters'] === true || apiOpts['*attrProfileIgnoreFilters'] === 'true');
    const at = this.eventTime(args);
    const processed: string[] = [];
    const vars: DataMap = { '*processRuns': 0, '*processedProfileIDs': processed };
    const dp: DataMap = { '*req': args.Event, '*opts': apiOpts, '*vars': vars, '*tenant': tenant };
    const applied = new Map<string, number>();
    const matched: string[] = [];
    const altered: string[] = [];
    let lastId = '';
    for (let i = 0; i < processRuns; i++) {
      vars['*processRuns'] = i + 1;
      const c = this.match(tenant, context, ids, at, dp, lastId, applied, profileRuns, ignoreFilters);
      if (!c) break;
      const tntId = `${c.profile.tenant}:${c.profile.id}`;
      for (const a of c.attributes) {
        if (a.filterIds.length > 0 && !this.filters.pass(tenant, a.filterIds, dp)) continue;
        let substitute: string;
        try {
          substitute = evaluateAttribute(a, dp, { timezone: this.opts.timezone ?? 'Local', roundingDecimals: this.opts.roundingDecimals ?? 5 });
        } catch (e) {
          if (e instanceof NotFoundError) throw new AccurateError(`SERVER_ERROR: NOT_FOUND:${e.path} (attribute ${a.path} of ${tntId})`, ERR.SERVER_ERROR);
          throw new AccurateError(`SERVER_ERROR: ${(e as Error).message} (attribute ${a.path} of ${tntId})`, ERR.SERVER_ERROR);
        }
        if (!altered.includes(a.path)) altered.push(a.path);
        if (a.path === '*tenant') {
          tenant = a.type === '*composed' ? tenant + substitute : substitute;
          args.Tenant = tenant;
          dp['*tenant'] = tenant;
          continue;
        }
        const path = parsePath(a.path);
        if (substitute === '*remove') {
          removeField(dp, path);
          continue;
        }
        if (a.type === '*composed') {
          try {
            substitute = fieldAsString(dp, path) + substitute;
          } catch (e) {
            if (!(e instanceof NotFoundError)) throw e;
          }
        }
        setField(dp, path, substitute);
      }
      lastId = tntId;
      matched.push(tntId);
      processed.push(tntId);
      applied.set(tntId, (applied.get(tntId) ?? 0) + 1);
      if (c.profile.blocker) break;
    }
    // A field still asking for `*attributes` was meant to be filled here.
    for (const [field, val] of Object.entries(args.Event)) if (val === '*attributes') throw mandatoryMissing([field]);
    if (matched.length === 0) throw new AccurateError(ERR.NOT_FOUND);
    return { MatchedProfiles: matched, AlteredFields: altered, CGREvent: args };
  }

  /** AttributeSv1.GetAttributeForEvent: the profile that would apply first. */
  getAttributeForEvent(event: CGREvent, options: AttributeProcessOptions = {}): AttributeProfile {
    return asServerError(() => this.firstProfile(event, options));
  }

  private firstProfile(event: CGREvent, options: AttributeProcessOptions): AttributeProfile {
    const apiOpts = event.APIOpts ?? {};
    const tenant = event.Tenant || this.opts.defaultTenant || 'cgrates.org';
    const context = options.context ?? optString(apiOpts['*context']) ?? '*default';
    const ids = options.attributeIds ?? optList(apiOpts['*attrProfileIDs']);
    const dp: DataMap = { '*req': event.Event, '*opts': apiOpts, '*vars': { '*processRuns': 0 } };
    const c = this.match(tenant, context, ids, this.eventTime(event), dp, '', new Map(), 0, options.ignoreFilters ?? false);
    if (!c) throw new AccurateError(ERR.NOT_FOUND);
    return c.profile;
  }
}
