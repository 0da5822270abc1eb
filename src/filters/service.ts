// FilterS: resolves filter IDs (Filters.csv profiles or inline `*type:element:v1|v2`) and checks
// them against a data provider. All listed filters must pass; rules inside a profile are ANDed.
import type { ActivationInterval, FilterProfile } from '../tariffplan/model.js';
import { AccurateError, ERR } from '../util/errors.js';
import { isZeroTime, parseTime } from '../util/time.js';
import { splitPath, type DataMap } from './paths.js';
import { FilterError, FilterRule, type FilterDeps } from './rules.js';

export interface CompiledFilter {
  tenant: string;
  id: string;
  rules: FilterRule[];
  activationInterval: ActivationInterval | null;
}

/** CGRateS's ActivationInterval.IsActiveAtTime: strictly after activation, strictly before expiry. */
export function isActiveAt(ai: ActivationInterval | null | undefined, atMs: number): boolean {
  if (!ai) return true;
  return (isZeroTime(ai.activationTime) || ai.activationTime < atMs) && (isZeroTime(ai.expiryTime) || ai.expiryTime > atMs);
}

/** Splits inline values on `|`, keeping `<...>` dynamic parts whole. */
function splitInlineValues(val: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of val) {
    if (c === '<') depth++;
    else if (c === '>' && depth > 0) depth--;
    if (c === '|' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Compiles an inline filter `*string:~*req.Account:1001|1002`; throws FilterError naming it when malformed. */
export function compileInlineFilter(tenant: string, rule: string): CompiledFilter {
  const parts = splitPath(rule, ':', 3);
  if (parts.length !== 3) throw new FilterError(`inline parse error for string: <${rule}> (expected *type:element:values)`);
  const values = parts[2] === '' ? [] : splitInlineValues(parts[2]);
  try {
    return { tenant, id: rule, rules: [new FilterRule(parts[0], parts[1], values)], activationInterval: null };
  } catch (e) {
    throw new FilterError(`inline filter <${rule}>: ${(e as Error).message}`);
  }
}

/** Compiles a Filters.csv profile; the error names the filter. */
export function compileFilter(profile: FilterProfile): CompiledFilter {
  const rules = profile.rules.map((r, i) => {
    try {
      return new FilterRule(r.type, r.element, r.values);
    } catch (e) {
      throw new FilterError(`filter ${profile.tenant}:${profile.id} rule ${i + 1} (${r.type} ${r.element}): ${(e as Error).message}`);
    }
  });
  return { tenant: profile.tenant, id: profile.id, rules, activationInterval: profile.activationInterval };
}

export class FilterService {
  private profiles = new Map<string, FilterProfile>();
  private readonly compiled = new Map<string, CompiledFilter>();

  constructor(
    profiles: Record<string, FilterProfile>,
    private readonly deps: FilterDeps = {},
  ) {
    this.setProfiles(profiles);
  }

  /** Replaces the profiles (after a tariff-plan reload). */
  setProfiles(profiles: Record<string, FilterProfile>): void {
    this.profiles = new Map(Object.values(profiles).map((p) => [`${p.tenant}:${p.id}`, p]));
    this.compiled.clear();
  }

  get filterDeps(): FilterDeps {
    return this.deps;
  }

  /** The compiled filter for an ID; AccurateError `NOT_FOUND:<id>` when no such profile exists. */
  getFilter(tenant: string, id: string): CompiledFilter {
    const key = `${tenant}:${id}`;
    let f = this.compiled.get(key);
    if (f) return f;
    if (id.startsWith('*')) f = compileInlineFilter(tenant, id);
    else {
      const p = this.profiles.get(key);
      if (!p) throw new AccurateError(`${ERR.NOT_FOUND}:${id}`, ERR.NOT_FOUND);
      f = compileFilter(p);
    }
    this.compiled.set(key, f);
    return f;
  }

  /**
   * Whether the data provider passes every filter. Filters inactive at `atMs` (default now) are
   * skipped, as CGRateS; if every listed filter is inactive the result is false.
   */
  pass(tenant: string, filterIds: readonly string[], dp: DataMap, atMs?: number | string): boolean {
    if (filterIds.length === 0) return true;
    const now = this.deps.now ? this.deps.now() : Date.now();
    const at = atMs === undefined ? now : typeof atMs === 'number' ? atMs : parseTime(atMs, this.deps.timezone ?? 'Local', now);
    let pass = false;
    for (const id of filterIds) {
      const f = this.getFilter(tenant, id);
      if (!isActiveAt(f.activationInterval, at)) continue;
      for (const rule of f.rules) if (!rule.pass(dp, this.deps)) return false;
      pass = true;
    }
    return pass;
  }
}
