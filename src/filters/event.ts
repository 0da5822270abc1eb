// CGRateS's CGREvent: what AttributeS, ChargerS, SessionS and CDRs pass around, with the data
// provider filters read it through.
import type { DataMap } from './paths.js';
import { GoTime, GoDuration, isMoney } from './values.js';

export interface CGREvent {
  Tenant?: string;
  ID?: string;
  /** When the event happened (epoch ms or a time string); profiles' ActivationInterval is checked against it. */
  Time?: number | string | null;
  Event: Record<string, unknown>;
  APIOpts?: Record<string, unknown>;
}

/** Copies maps and arrays; leaves value objects (Money, GoTime, GoDuration) shared since they are immutable. */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (typeof v === 'object' && v !== null && !(v instanceof GoTime) && !(v instanceof GoDuration) && !isMoney(v) && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = cloneValue(x);
    return out as T;
  }
  return v;
}

export function cloneEvent(ev: CGREvent): CGREvent {
  const out: CGREvent = { ...ev, Event: cloneValue(ev.Event ?? {}), APIOpts: cloneValue(ev.APIOpts ?? {}) };
  return out;
}

/** The data provider of an event: `*req` is the event, `*opts` its APIOpts, `*vars` scratch values. */
export function eventDataProvider(ev: CGREvent, vars: DataMap = {}): DataMap {
  const dp: DataMap = { '*req': ev.Event, '*opts': ev.APIOpts ?? {}, '*vars': vars };
  if (ev.Tenant) dp['*tenant'] = ev.Tenant;
  return dp;
}
