// Reading JSON-RPC parameter objects: one reader per kind of value (string, id, integer, money,
// duration, time, boolean, object). Each names the field when the value is wrong, so a client
// gets `SERVER_ERROR: Value: "Infinity" is not a finite decimal` rather than a crash or, worse,
// a value that means something else. Readers never coerce across meanings ("false" is false,
// "0x10" is not 16, 2^53+1 is not 2^53).
import { AccurateError, ERR, mandatoryMissing } from '../../util/errors.js';
import { parseDuration } from '../../util/duration.js';
import { parseTime, isZeroTime, GO_ZERO_TIME } from '../../util/time.js';
import { Money } from '../../util/money.js';

export type Params = Record<string, unknown>;

/** Bounds of what a parameter may hold; far beyond any real tariff, account or call. */
export const PARAM_LIMITS = {
  /** Any string parameter. */
  maxString: 64 * 1024,
  /** Identifiers: tenant, account, subject, profile and template ids. */
  maxId: 1024,
  /** Money (and unit balance) magnitude: below 10^18 (a unit balance of nanoseconds holds 31 years). */
  maxMoneyExp: 18,
  /** Latest instant accepted: 9999-12-31T23:59:59.999Z (Go's RFC3339 range). */
  maxTimeMs: 253402300799999,
  /** Longest duration: 10 years in nanoseconds (CGRateS's *unlimited is -1, read separately). */
  maxDurationNs: 10 * 366 * 24 * 3600 * 1e9,
} as const;

export function bad(message: string): AccurateError {
  return new AccurateError(`${ERR.SERVER_ERROR}: ${message}`, ERR.SERVER_ERROR);
}

/** A value as an error message shows it: JSON, short, on one line. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : typeof v === 'object' && v !== null ? 'an object' : String(v);
  } catch {
    s = typeof v;
  }
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

export function obj(params: unknown): Params {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw bad('params must be a JSON object');
  return params as Params;
}

/** A string field; '' when absent. Numbers are accepted only when their text is exact (ids such as 1001). */
export function str(p: Params, field: string, maxLen: number = PARAM_LIMITS.maxString): string {
  const v = p[field];
  if (v === undefined || v === null) return '';
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number') {
    if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) throw bad(`${field}: ${show(v)} cannot be read exactly, send it as a string`);
    s = String(v);
  } else if (typeof v === 'boolean') s = String(v);
  else throw bad(`${field} must be a string, got ${show(v)}`);
  if (s.length > maxLen) throw bad(`${field} is longer than ${maxLen} characters`);
  return s;
}

/** An identifier (tenant, account, subject, template id): a string of at most PARAM_LIMITS.maxId characters. */
export function id(p: Params, field: string): string {
  const v = str(p, field, PARAM_LIMITS.maxId);
  // Ids become object keys downstream (balance maps by ToR, templates by id): no prototype names.
  if (PROTOTYPE_NAMES.has(v)) throw bad(`${field}: ${show(v)} is not allowed as an id`);
  return v;
}

const PROTOTYPE_NAMES = new Set(['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/** A required identifier: MANDATORY_IE_MISSING naming the field when absent or empty. */
export function requiredId(p: Params, field: string): string {
  const v = id(p, field);
  if (v === '') throw mandatoryMissing([field]);
  return v;
}

/** Kinds of usage CGRateS rates and balances hold (ToR); balances add *monetary. */
export const TORS: readonly string[] = ['*voice', '*data', '*sms', '*mms', '*generic'];
export const BALANCE_TYPES: readonly string[] = ['*monetary', ...TORS];

/** A ToR ('' when absent): one of TORS, so an odd name cannot pick odd balances or rating units. */
export function tor(p: Params, field: string): string {
  const v = id(p, field);
  if (v !== '' && !TORS.includes(v)) throw bad(`${field}: ${show(v)} is not one of ${TORS.join(', ')}`);
  return v;
}

/** A balance type ('' when absent): *monetary or a ToR. */
export function balanceType(p: Params, field: string): string {
  const v = id(p, field);
  if (v !== '' && !BALANCE_TYPES.includes(v)) throw bad(`${field}: ${show(v)} is not one of ${BALANCE_TYPES.join(', ')}`);
  return v;
}

/**
 * rals.max_computed_usage as CGRateS applies it: a request for more usage than configured for its
 * ToR (`*any` for the rest) is MAX_USAGE_EXCEEDED, before any rating work (a 25-day dry run of
 * one-second increments would exhaust memory).
 */
export function maxUsageCheck(limits: Record<string, string | number> | undefined): (usageNs: number, tor: string) => void {
  const parsed = new Map<string, number>();
  for (const [k, v] of Object.entries(limits ?? {})) {
    try {
      parsed.set(k, parseDuration(v));
    } catch {
      // A bad config value is the config checker's to report.
    }
  }
  return (usageNs, t) => {
    const limit = parsed.get(t || '*voice') ?? parsed.get('*any');
    if (limit !== undefined && limit >= 0 && usageNs > limit) throw new AccurateError('MAX_USAGE_EXCEEDED', 'MAX_USAGE_EXCEEDED');
  };
}

/** A list of strings (each at most maxId long); undefined when absent. */
export function optStrList(p: Params, field: string): string[] | undefined {
  const v = p[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.length > PARAM_LIMITS.maxId)) throw bad(`${field} must be a list of strings, got ${show(v)}`);
  return v as string[];
}

/** A finite number; integers only when `integer`, within [min, max]. Numeric strings are read as numbers, nothing else is. */
export function optNum(p: Params, field: string, range: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === '') return undefined;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) n = Number(v);
  else throw bad(`${field} must be a number, got ${show(v)}`);
  if (!Number.isFinite(n)) throw bad(`${field} must be a finite number, got ${show(v)}`);
  if (range.integer && !Number.isSafeInteger(n)) throw bad(`${field} must be an integer, got ${show(v)}`);
  if (range.min !== undefined && n < range.min) throw bad(`${field} must be at least ${range.min}, got ${show(v)}`);
  if (range.max !== undefined && n > range.max) throw bad(`${field} must be at most ${range.max}, got ${show(v)}`);
  return n;
}

export function num(p: Params, field: string, range: { integer?: boolean; min?: number; max?: number } = {}): number {
  return optNum(p, field, range) ?? 0;
}

/** A count or index: a non-negative safe integer. */
export function optCount(p: Params, field: string): number | undefined {
  return optNum(p, field, { integer: true, min: 0 });
}

/** true/false (JSON booleans or the strings "true"/"false"); anything else names the field. */
export function optBool(p: Params, field: string): boolean | undefined {
  const v = p[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw bad(`${field} must be true or false, got ${show(v)}`);
}

export function bool(p: Params, field: string): boolean {
  return optBool(p, field) ?? false;
}

export function optObj(p: Params, field: string): Params | undefined {
  const v = p[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(`${field} must be an object, got ${show(v)}`);
  return v as Params;
}

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Money as CGRateS clients write it: a JSON number or a decimal string. Not hex, not `1_000`,
 * not Infinity/NaN, and of a magnitude below 10^15 (so `1e999999` is refused, not stored).
 */
export function moneyValue(v: unknown, field: string): Money {
  let m: Money;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw bad(`${field}: ${show(v)} is not a finite decimal`);
    m = new Money(v);
  } else if (typeof v === 'string') {
    const t = v.trim();
    if (t.length > 64 || !DECIMAL_RE.test(t)) throw bad(`${field}: ${show(v)} is not a decimal number`);
    m = new Money(t);
  } else throw bad(`${field}: ${show(v)} is not a decimal number`);
  if (!m.isFinite() || (!m.isZero() && m.abs().gte(new Money(10).pow(PARAM_LIMITS.maxMoneyExp)))) {
    throw bad(`${field}: ${show(v)} is out of range (|x| < 1e${PARAM_LIMITS.maxMoneyExp})`);
  }
  return m;
}

export function optMoney(p: Params, field: string): Money | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === '') return undefined;
  return moneyValue(v, field);
}

/** A duration value: Go syntax (`60s`, `1m30s`) or a number of nanoseconds (seconds when bare is 's'). */
export function durationValue(v: unknown, field: string, opts: { bare?: 'ns' | 's'; min?: number; max?: number; allowUnlimited?: boolean } = {}): number {
  let ns: number;
  try {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`${show(v)} is not a duration`);
      ns = parseDuration(v, { bare: opts.bare });
    } else if (typeof v === 'string') {
      if (v.length > 64) throw new Error('is not a duration');
      ns = parseDuration(v, { bare: opts.bare });
    } else throw new Error(`${show(v)} is not a duration`);
  } catch (e) {
    throw bad(`${field}: ${(e as Error).message}`);
  }
  if (ns === -1 && opts.allowUnlimited !== false && v === '*unlimited') return ns;
  const min = opts.min ?? -PARAM_LIMITS.maxDurationNs;
  const max = opts.max ?? PARAM_LIMITS.maxDurationNs;
  if (ns < min) throw bad(`${field}: ${show(v)} is ${min === 0 ? 'negative' : `below the minimum of ${min} ns`}`);
  if (ns > max) throw bad(`${field}: ${show(v)} is longer than ${max} ns`);
  return ns;
}

/** A duration field; 0 when absent. Negative durations only when `min` allows them. */
export function usage(p: Params, field: string, opts: { bare?: 'ns' | 's'; min?: number; max?: number } = {}): number {
  const v = p[field];
  if (v === undefined || v === null || v === '') return 0;
  return durationValue(v, field, { min: 0, ...opts });
}

/** An instant as epoch ms, checked to lie in year 1..9999 so it can be stored, listed and printed. */
export function timeValue(v: unknown, field: string, tz: string, now?: number): number {
  let ms: number;
  try {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${show(v)} is not a time`);
    if (typeof v === 'string' && v.length > 128) throw new Error('is not a time');
    ms = parseTime(v, tz, now);
  } catch (e) {
    throw bad(`${field}: ${(e as Error).message}`);
  }
  checkTimeRange(ms, field, v);
  return ms;
}

/** Rejects instants a Date cannot hold or Go cannot print (before year 1, after 9999). */
export function checkTimeRange(ms: number, field: string, original: unknown = ms): void {
  if (isZeroTime(ms)) return;
  if (!Number.isFinite(ms) || ms < GO_ZERO_TIME || ms > PARAM_LIMITS.maxTimeMs) throw bad(`${field}: ${show(original)} is out of range (years 1 to 9999)`);
}

/** A time field in any layout parseTime knows. */
export function time(p: Params, field: string, tz: string): number {
  return timeValue(p[field] ?? '', field, tz);
}

/** A CGREvent-shaped argument: Tenant, ID, Event, APIOpts and the method's flags. */
export interface CgrEventArgs {
  Tenant?: string;
  ID?: string;
  Event: Params;
  APIOpts?: Params;
  [flag: string]: unknown;
}

/** Flags of CGREvent-style arguments: booleans, read strictly (so "false" is false). */
const EVENT_FLAGS = [
  'GetMaxUsage', 'GetAttributes', 'AuthorizeResources', 'GetRoutes', 'InitSession', 'AllocateResources', 'UpdateSession',
  'TerminateSession', 'ReleaseResources', 'ProcessThresholds', 'ProcessStats', 'GetRoutesIgnoreErrors', 'ForceDuration',
] as const;

/** Unwraps a CGREvent argument, flat or nested under `CGREvent` as older clients send it; Event is required. */
export function cgrEventArgs(params: unknown): CgrEventArgs {
  const args = (params ?? {}) as Params & { CGREvent?: unknown };
  if (typeof args !== 'object' || Array.isArray(args)) throw bad('params must be a JSON object');
  const inner = (args.CGREvent && typeof args.CGREvent === 'object' && !Array.isArray(args.CGREvent) ? args.CGREvent : args) as Params;
  if (!inner.Event || typeof inner.Event !== 'object' || Array.isArray(inner.Event)) throw mandatoryMissing(['Event']);
  const out = { ...args, ...inner } as CgrEventArgs;
  out.Tenant = id(out, 'Tenant');
  out.ID = str(out, 'ID');
  if (out.APIOpts !== undefined && out.APIOpts !== null) out.APIOpts = optObj(out, 'APIOpts');
  for (const f of EVENT_FLAGS) if (out[f] !== undefined) out[f] = optBool(out, f);
  if (out.Flags !== undefined && out.Flags !== null) out.Flags = optStrList(out, 'Flags');
  return out;
}

/** Event fields holding instants or durations: checked at the edge so one absurd value cannot poison listings. */
const EVENT_TIMES = ['SetupTime', 'AnswerTime'] as const;
const EVENT_DURATIONS = ['Usage', 'LastUsed'] as const;
const EVENT_IDS = ['Tenant', 'Account', 'Subject', 'Category', 'Destination', 'ToR', 'RequestType', 'OriginID', 'OriginHost', 'CGRID', 'RunID', 'Source'] as const;

/** Checks the well-known fields of an event: ids are strings, times in range, durations non-negative. */
export function checkEvent(ev: Params, tz = 'UTC'): void {
  for (const f of EVENT_IDS) if (ev[f] !== undefined && ev[f] !== null) id(ev, f);
  tor(ev, 'ToR');
  for (const f of EVENT_TIMES) {
    const v = ev[f];
    if (v === undefined || v === null || v === '') continue;
    timeValue(v, f, tz);
  }
  for (const f of EVENT_DURATIONS) {
    const v = ev[f];
    if (v === undefined || v === null || v === '') continue;
    durationValue(v, f, { min: 0 });
  }
  const cost = ev.Cost;
  if (cost !== undefined && cost !== null && cost !== '' && !(typeof cost === 'number' && cost === -1)) moneyValue(cost, 'Cost');
}

/** The flat event of a CGREvent argument with its Tenant filled in (what SessionS and CDRs take). */
export function eventOf(
  params: unknown, defaultTenant: string, tz = 'UTC', usageCheck?: (usageNs: number, tor: string) => void,
): { ev: Params; args: CgrEventArgs } {
  if (!params || typeof params !== 'object') throw mandatoryMissing(['CGREvent']);
  const args = cgrEventArgs(params);
  const ev: Params = { ...args.Event };
  checkEvent(ev, tz);
  if (usageCheck && ev.Usage !== undefined && ev.Usage !== null && ev.Usage !== '') usageCheck(durationValue(ev.Usage, 'Usage', { min: 0 }), str(ev, 'ToR'));
  ev.Tenant = (ev.Tenant as string) || args.Tenant || defaultTenant;
  return { ev, args };
}

/** Where an export or a tariff-plan folder may be: a template id, looked up only among own keys. */
export function ownKey<T>(map: Record<string, T> | undefined, key: string): T | undefined {
  return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

export { GO_ZERO_TIME };
