// Combining a loaded folder with what is stored, and describing the difference between two plans.
import { ENTITY_KINDS, emptyTariffPlan, type EntityKind, type TariffPlan } from './model.js';

export interface KindDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

export type TariffPlanDiff = Record<EntityKind, KindDiff>;

/** JSON with object keys sorted at every level: equal data gives equal text. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Per kind, the ids added, changed and removed going from `before` to `after` (sorted). */
export function diffTariffPlans(before: TariffPlan, after: TariffPlan): TariffPlanDiff {
  const d = {} as TariffPlanDiff;
  for (const k of ENTITY_KINDS) {
    const b = before[k] as Record<string, unknown>;
    const a = after[k] as Record<string, unknown>;
    const kd: KindDiff = { added: [], changed: [], removed: [] };
    for (const id of Object.keys(a)) {
      if (!(id in b)) kd.added.push(id);
      else if (canonicalJson(a[id]) !== canonicalJson(b[id])) kd.changed.push(id);
    }
    for (const id of Object.keys(b)) if (!(id in a)) kd.removed.push(id);
    kd.added.sort();
    kd.changed.sort();
    kd.removed.sort();
    d[k] = kd;
  }
  return d;
}

export function isEmptyDiff(d: TariffPlanDiff): boolean {
  return ENTITY_KINDS.every((k) => d[k].added.length + d[k].changed.length + d[k].removed.length === 0);
}

/** `+12 ~3 -1 rates, +2 destinations`; '' when nothing changed. */
export function summarizeDiff(d: TariffPlanDiff): string {
  const parts: string[] = [];
  for (const k of ENTITY_KINDS) {
    const { added, changed, removed } = d[k];
    const n: string[] = [];
    if (added.length) n.push(`+${added.length}`);
    if (changed.length) n.push(`~${changed.length}`);
    if (removed.length) n.push(`-${removed.length}`);
    if (n.length) parts.push(`${n.join(' ')} ${kindLabel(k)}`);
  }
  return parts.join(', ');
}

/** snake_case label of a kind: destinationRates → destination_rates. */
export function kindLabel(k: EntityKind): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * What the store holds after a load: with `flush` only the loaded plan; otherwise the stored plan
 * with every loaded entity replacing (or adding to) the stored one of the same id.
 */
export function mergeTariffPlans(stored: TariffPlan, loaded: TariffPlan, opts: { flush?: boolean } = {}): TariffPlan {
  const out = emptyTariffPlan();
  for (const k of ENTITY_KINDS) {
    const merged = opts.flush ? { ...loaded[k] } : { ...stored[k], ...loaded[k] };
    (out as unknown as Record<string, unknown>)[k] = structuredClone(merged);
  }
  return out;
}
