// The CDR, with CGRateS's field names. Money is exact (Money; −1 = not rated, as CGRateS), instants
// are epoch ms (GO_ZERO_TIME = unset), Usage is nanoseconds.
import { createHash } from 'node:crypto';
import { Money, parseMoney, type Money as MoneyT } from '../util/money.js';
import { GO_ZERO_TIME, formatTime, formatTimeNs, msToNs, parseTime, parseTimeParts, type TimeParts } from '../util/time.js';
import { GoDuration, GoTime, ifaceAsString, valueAsDuration, type DataMap } from '../filters/index.js';

export interface CDR {
  CGRID: string;
  RunID: string;
  /** Storage order (the StorDB row id); 0 until stored. */
  OrderID: number;
  OriginHost: string;
  Source: string;
  OriginID: string;
  ToR: string;
  RequestType: string;
  Tenant: string;
  Category: string;
  Account: string;
  Subject: string;
  Destination: string;
  SetupTime: number;
  AnswerTime: number;
  /** The nanoseconds past SetupTime's / AnswerTime's millisecond (0..999999), when the source had them. */
  SetupTimeSubNs?: number;
  AnswerTimeSubNs?: number;
  Usage: number;
  ExtraFields: Record<string, string>;
  ExtraInfo: string;
  Partial: boolean;
  PreRated: boolean;
  CostSource: string;
  Cost: MoneyT;
  /** The EventCost as JSON (null when not rated). */
  CostDetails: Record<string, unknown> | null;
}

/** The CDR as it travels in JSON (CGRateS's CDR marshalled by Go). */
export interface WireCDR {
  CGRID: string;
  RunID: string;
  OrderID: number;
  OriginHost: string;
  Source: string;
  OriginID: string;
  ToR: string;
  RequestType: string;
  Tenant: string;
  Category: string;
  Account: string;
  Subject: string;
  Destination: string;
  SetupTime: string;
  AnswerTime: string;
  Usage: number;
  ExtraFields: Record<string, string>;
  ExtraInfo: string;
  Partial: boolean;
  PreRated: boolean;
  CostSource: string;
  Cost: number;
  CostDetails: Record<string, unknown> | null;
}

export const UNRATED_COST: MoneyT = new Money(-1);

/** CGRID: lowercase hex sha1 of OriginID followed by OriginHost, no separator (rating-semantics 8.1). */
export function cgrid(originID: string, originHost: string): string {
  return createHash('sha1').update(originID, 'utf8').update(originHost, 'utf8').digest('hex');
}

/** Fields with their own CDR column; every other event field goes to ExtraFields. */
export const MAIN_CDR_FIELDS: readonly string[] = [
  'CGRID', 'RunID', 'OrderID', 'OriginHost', 'Source', 'OriginID', 'ToR', 'RequestType', 'Tenant', 'Category', 'Account',
  'Subject', 'Destination', 'SetupTime', 'AnswerTime', 'Usage', 'ExtraInfo', 'Partial', 'PreRated', 'CostSource', 'Cost',
  'CostDetails', 'Rated',
];
const MAIN = new Set(MAIN_CDR_FIELDS);

export interface CdrDefaults {
  /** general.default_tenant */
  tenant: string;
  /** general.default_category */
  category: string;
  /** general.default_request_type */
  requestType: string;
  /** general.default_timezone, for times written without a zone. */
  timezone: string;
  /** The CGREvent's Tenant, used when the event map has none. */
  eventTenant?: string;
}

export class CdrFieldError extends Error {}

function asBool(v: unknown, field: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v > 0;
  const s = ifaceAsString(v);
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new CdrFieldError(`${field}: cannot convert <${s}> to bool`);
}

function asTimeParts(v: unknown, field: string, tz: string): TimeParts {
  if (v instanceof GoTime) return { ms: v.ms, subNs: v.subNs };
  if (v === null || v === undefined) return { ms: GO_ZERO_TIME, subNs: 0 };
  try {
    return typeof v === 'number' ? { ms: parseTime(v, tz), subNs: 0 } : parseTimeParts(ifaceAsString(v), tz);
  } catch (e) {
    throw new CdrFieldError(`${field}: ${(e as Error).message}`);
  }
}

/** SetupTime and AnswerTime of a source, the nanoseconds below the ms only when there are some. */
function cdrTimes(setup: unknown, answer: unknown, tz: string): Pick<CDR, 'SetupTime' | 'AnswerTime' | 'SetupTimeSubNs' | 'AnswerTimeSubNs'> {
  const s = asTimeParts(setup, 'SetupTime', tz);
  const a = asTimeParts(answer, 'AnswerTime', tz);
  return { SetupTime: s.ms, AnswerTime: a.ms, ...(s.subNs ? { SetupTimeSubNs: s.subNs } : {}), ...(a.subNs ? { AnswerTimeSubNs: a.subNs } : {}) };
}

/** RFC3339 as Go prints a time.Time, nanoseconds included. */
function wireTime(ms: number, subNs: number | undefined): string {
  return subNs ? formatTimeNs(msToNs(ms, subNs)) : formatTime(ms);
}

function asCost(v: unknown): MoneyT {
  if (v instanceof Money) return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CdrFieldError(`Cost: ${v} is not a number`);
    return new Money(v);
  }
  try {
    return parseMoney(ifaceAsString(v));
  } catch (e) {
    throw new CdrFieldError(`Cost: ${(e as Error).message}`);
  }
}

function asCostDetails(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') {
    try {
      const parsed: unknown = JSON.parse(v);
      if (parsed === null) return null;
      if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch (e) {
      throw new CdrFieldError(`CostDetails: not an EventCost JSON object (${(e as Error).message})`);
    }
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw new CdrFieldError('CostDetails: not an EventCost object');
  return v as Record<string, unknown>;
}

/**
 * The CDR of an event map, as CGRateS's MapEvent.AsCDR + AddDefaults: unknown fields go to
 * ExtraFields (as strings), Cost defaults to −1 (not rated), RunID to *default, ToR to *voice,
 * RequestType/Tenant/Category to the configured defaults, Subject to Account, CGRID computed.
 * Throws CdrFieldError naming the field that cannot be read.
 */
export function cdrFromEvent(event: Record<string, unknown>, defaults: CdrDefaults): CDR {
  const tz = defaults.timezone;
  const str = (k: string) => (event[k] === undefined ? '' : ifaceAsString(event[k]));
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(event)) if (!MAIN.has(k) && v !== undefined) extra[k] = ifaceAsString(v);
  let usage = 0;
  if (event.Usage !== undefined && event.Usage !== null && event.Usage !== '') {
    try {
      usage = valueAsDuration(event.Usage);
    } catch (e) {
      throw new CdrFieldError(`Usage: ${(e as Error).message}`);
    }
  }
  let orderId = 0;
  if (event.OrderID !== undefined && event.OrderID !== '') {
    orderId = Math.round(Number(event.OrderID));
    if (!Number.isFinite(orderId)) throw new CdrFieldError(`OrderID: <${str('OrderID')}> is not a number`);
  }
  const cdr: CDR = {
    CGRID: str('CGRID'),
    RunID: str('RunID') || '*default',
    OrderID: orderId,
    OriginHost: str('OriginHost'),
    Source: str('Source'),
    OriginID: str('OriginID'),
    ToR: str('ToR') || '*voice',
    RequestType: str('RequestType') || defaults.requestType,
    Tenant: str('Tenant') || defaults.eventTenant || defaults.tenant,
    Category: str('Category') || defaults.category,
    Account: str('Account'),
    Subject: str('Subject'),
    Destination: str('Destination'),
    ...cdrTimes(event.SetupTime, event.AnswerTime, tz),
    Usage: usage,
    ExtraFields: extra,
    ExtraInfo: str('ExtraInfo'),
    Partial: event.Partial === undefined ? false : asBool(event.Partial, 'Partial'),
    PreRated: event.PreRated === undefined ? false : asBool(event.PreRated, 'PreRated'),
    CostSource: str('CostSource'),
    Cost: event.Cost === undefined || event.Cost === null || event.Cost === '' ? UNRATED_COST : asCost(event.Cost),
    CostDetails: asCostDetails(event.CostDetails),
  };
  if (!cdr.CGRID) cdr.CGRID = cgrid(cdr.OriginID, cdr.OriginHost);
  if (!cdr.Subject) cdr.Subject = cdr.Account;
  return cdr;
}

/** CGRateS's JSON of a CDR: RFC3339 times, Usage in ns, Cost a number, CostDetails an object. */
export function cdrToWire(cdr: CDR): WireCDR {
  return {
    CGRID: cdr.CGRID, RunID: cdr.RunID, OrderID: cdr.OrderID, OriginHost: cdr.OriginHost, Source: cdr.Source,
    OriginID: cdr.OriginID, ToR: cdr.ToR, RequestType: cdr.RequestType, Tenant: cdr.Tenant, Category: cdr.Category,
    Account: cdr.Account, Subject: cdr.Subject, Destination: cdr.Destination,
    SetupTime: wireTime(cdr.SetupTime, cdr.SetupTimeSubNs), AnswerTime: wireTime(cdr.AnswerTime, cdr.AnswerTimeSubNs), Usage: cdr.Usage,
    ExtraFields: { ...cdr.ExtraFields }, ExtraInfo: cdr.ExtraInfo, Partial: cdr.Partial, PreRated: cdr.PreRated,
    CostSource: cdr.CostSource, Cost: cdr.Cost.toNumber(), CostDetails: cdr.CostDetails,
  };
}

/** The inverse of cdrToWire; tolerant of what clients send (times as text, Usage as "60s"). */
export function cdrFromWire(w: Partial<WireCDR> & Record<string, unknown>, timezone = 'UTC'): CDR {
  const extra: Record<string, string> = {};
  if (w.ExtraFields && typeof w.ExtraFields === 'object') for (const [k, v] of Object.entries(w.ExtraFields)) extra[k] = ifaceAsString(v);
  return {
    CGRID: w.CGRID ?? '', RunID: w.RunID ?? '', OrderID: Number(w.OrderID ?? 0), OriginHost: w.OriginHost ?? '',
    Source: w.Source ?? '', OriginID: w.OriginID ?? '', ToR: w.ToR ?? '', RequestType: w.RequestType ?? '',
    Tenant: w.Tenant ?? '', Category: w.Category ?? '', Account: w.Account ?? '', Subject: w.Subject ?? '',
    Destination: w.Destination ?? '',
    ...cdrTimes(w.SetupTime, w.AnswerTime, timezone),
    Usage: w.Usage === undefined || w.Usage === null ? 0 : valueAsDuration(w.Usage),
    ExtraFields: extra, ExtraInfo: w.ExtraInfo ?? '', Partial: Boolean(w.Partial), PreRated: Boolean(w.PreRated),
    CostSource: w.CostSource ?? '', Cost: w.Cost === undefined || w.Cost === null ? UNRATED_COST : asCost(w.Cost),
    CostDetails: asCostDetails(w.CostDetails),
  };
}

/**
 * The CDR as a data provider for filters and export templates (`~*req.Account`, `~*ec.Charges[0]`):
 * times as GoTime (print RFC3339), Usage as GoDuration (prints `1m30s`), Cost as Money.
 */
export function cdrDataProvider(cdr: CDR, timezone = 'UTC'): DataMap {
  const req: DataMap = {
    ...cdr.ExtraFields,
    CGRID: cdr.CGRID, RunID: cdr.RunID, OrderID: cdr.OrderID, OriginHost: cdr.OriginHost, Source: cdr.Source,
    OriginID: cdr.OriginID, ToR: cdr.ToR, RequestType: cdr.RequestType, Tenant: cdr.Tenant, Category: cdr.Category,
    Account: cdr.Account, Subject: cdr.Subject, Destination: cdr.Destination,
    SetupTime: new GoTime(cdr.SetupTime, timezone, cdr.SetupTimeSubNs ?? 0), AnswerTime: new GoTime(cdr.AnswerTime, timezone, cdr.AnswerTimeSubNs ?? 0),
    Usage: new GoDuration(cdr.Usage), ExtraInfo: cdr.ExtraInfo, Partial: cdr.Partial, PreRated: cdr.PreRated,
    CostSource: cdr.CostSource, Cost: cdr.Cost,
  };
  if (cdr.CostDetails) req.CostDetails = cdr.CostDetails;
  const dp: DataMap = { '*req': req, '*opts': {}, '*vars': {} };
  if (cdr.CostDetails) dp['*ec'] = cdr.CostDetails;
  return dp;
}

/** The CDR's fields as a CGREvent map (CGRateS's AsMapStringIface) in wire form. */
export function cdrAsEvent(cdr: CDR): Record<string, unknown> {
  const w = cdrToWire(cdr);
  const { ExtraFields, CostDetails, ...main } = w;
  const ev: Record<string, unknown> = { ...ExtraFields, ...main };
  if (CostDetails) ev.CostDetails = CostDetails;
  return ev;
}

/** CGRateS's ExternalCDR (APIerSv1.GetCDRs): times RFC3339, Usage text (`1m30s` for *voice, else ns), CostDetails a JSON string. */
export type ExternalCDR = Omit<WireCDR, 'Usage' | 'CostDetails' | 'Partial'> & { Usage: string; CostDetails: string };

export function cdrToExternal(cdr: CDR): ExternalCDR {
  // Go's time.RFC3339 has no fraction.
  const rfc = (ms: number) => formatTime(ms - (((ms % 1000) + 1000) % 1000));
  return {
    CGRID: cdr.CGRID, RunID: cdr.RunID, OrderID: cdr.OrderID, OriginHost: cdr.OriginHost, Source: cdr.Source, OriginID: cdr.OriginID,
    ToR: cdr.ToR, RequestType: cdr.RequestType, Tenant: cdr.Tenant, Category: cdr.Category, Account: cdr.Account, Subject: cdr.Subject,
    Destination: cdr.Destination, SetupTime: rfc(cdr.SetupTime), AnswerTime: rfc(cdr.AnswerTime),
    Usage: cdr.ToR === '*voice' ? ifaceAsString(new GoDuration(cdr.Usage)) : String(cdr.Usage),
    ExtraFields: { ...cdr.ExtraFields }, CostSource: cdr.CostSource, Cost: cdr.Cost.toNumber(),
    CostDetails: JSON.stringify(cdr.CostDetails), ExtraInfo: cdr.ExtraInfo, PreRated: cdr.PreRated,
  };
}

export function isRated(cdr: CDR): boolean {
  return !cdr.Cost.eq(UNRATED_COST);
}
