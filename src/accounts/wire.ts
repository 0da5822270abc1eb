// CGRateS wire shapes of the rater: CallDescriptor in (Responder.*), CallCost out (Timespans,
// Increments with BalanceInfo, compressed as CGRateS does), AccountSummary.
import { AccurateError } from '../util/errors.js';
import { Money } from '../util/money.js';
import { parseDuration } from '../util/duration.js';
import { parseTime, parseTimeParts } from '../util/time.js';
import type { BalanceInfo, CallCost, DebitDescriptor, Increment, TimeSpan } from './debit.js';
import { newDebitDescriptor } from './debit.js';
import { type Account, splitAccountKey } from './model.js';
import { wire as ratingWire, type CostInterval } from '../rating/index.js';

type J = Record<string, unknown>;

/** Sub-millisecond nanoseconds written in a time's fraction (RFC3339Nano). */
/** A time field as epoch ms plus the nanoseconds below the millisecond. */
export function parseWireTime(v: unknown, tz: string, now: number, field: string): { ms: number; ns: number } {
  if (typeof v === 'number') return { ms: parseTime(v, tz, now), ns: 0 };
  if (typeof v !== 'string') throw new AccurateError(`SERVER_ERROR: ${field}: not a time`, 'SERVER_ERROR');
  try {
    const t = parseTimeParts(v, tz, now);
    return { ms: t.ms, ns: t.subNs };
  } catch (e) {
    throw new AccurateError(`SERVER_ERROR: ${field}: ${(e as Error).message}`, 'SERVER_ERROR');
  }
}

const str = (j: J, k: string) => (j[k] === undefined || j[k] === null ? '' : String(j[k]));

function durField(j: J, k: string): number {
  const v = j[k];
  if (v === undefined || v === null || v === '') return 0;
  try {
    return parseDuration(v as string | number);
  } catch (e) {
    throw new AccurateError(`SERVER_ERROR: ${k}: ${(e as Error).message}`, 'SERVER_ERROR');
  }
}

function debitInfoFromWire(j: J | null | undefined): BalanceInfo | null {
  if (!j) return null;
  const u = j.Unit as J | null | undefined;
  const m = j.Monetary as J | null | undefined;
  return {
    unit: u
      ? {
          uuid: str(u, 'UUID'), id: str(u, 'ID'), value: new Money(Number(u.Value ?? 0)), destinationId: str(u, 'DestinationID'),
          consumed: new Money(Number(u.Consumed ?? 0)), factor: u.Factor === undefined || u.Factor === null ? 1 : Number(u.Factor),
          category: str(u, 'Category'), tor: str(u, 'ToR'), rateInterval: null,
        }
      : null,
    monetary: m ? { uuid: str(m, 'UUID'), id: str(m, 'ID'), value: new Money(Number(m.Value ?? 0)), rateInterval: null } : null,
    accountId: str(j, 'AccountID'),
  };
}

export function incrementsFromWire(list: unknown): Increment[] {
  if (!Array.isArray(list)) return [];
  return list.map((raw) => {
    const j = raw as J;
    return {
      durationNs: durField(j, 'Duration'),
      cost: new Money(String(j.Cost ?? 0)),
      balanceInfo: debitInfoFromWire(j.BalanceInfo as J),
      compressFactor: Math.max(1, Number(j.CompressFactor ?? 1)),
    };
  });
}

/** A CallDescriptor as Responder methods receive it (CallDescriptorWithAPIOpts). */
export function callDescriptorFromWire(raw: unknown, defaults: { tenant: string; timezone: string; now: number }): DebitDescriptor {
  if (!raw || typeof raw !== 'object') throw new AccurateError('MANDATORY_IE_MISSING: [CallDescriptor]', 'MANDATORY_IE_MISSING');
  const j = raw as J;
  const start = parseWireTime(j.TimeStart ?? '', defaults.timezone, defaults.now, 'TimeStart');
  const end = j.TimeEnd === undefined || j.TimeEnd === null || j.TimeEnd === '' ? start : parseWireTime(j.TimeEnd, defaults.timezone, defaults.now, 'TimeEnd');
  const startNs = start.ns;
  const endNs = (end.ms - start.ms) * 1e6 + end.ns;
  const opts = (j.APIOpts as J | undefined) ?? {};
  const dry = opts['*ralsDryRun'];
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries((j.ExtraFields as J | null) ?? {})) extra[k] = String(v);
  const tenant = str(j, 'Tenant') || defaults.tenant;
  const account = str(j, 'Account');
  return newDebitDescriptor({
    tenant, category: str(j, 'Category'), subject: str(j, 'Subject') || account, account, destination: str(j, 'Destination'),
    tor: str(j, 'ToR'), anchorMs: start.ms, startNs, endNs, durationIndexNs: durField(j, 'DurationIndex'),
    loopIndex: Number(j.LoopIndex ?? 0), maxRate: new Money(String(j.MaxRate ?? 0)), maxRateUnitNs: durField(j, 'MaxRateUnit'),
    maxCostSoFar: new Money(String(j.MaxCostSoFar ?? 0)), performRounding: Boolean(j.PerformRounding),
    denyNegativeAccount: Boolean(j.DenyNegativeAccount), forceDuration: Boolean(j.ForceDuration),
    dryRun: dry === true || dry === 'true' || Boolean(j.DryRun), extraFields: extra, increments: incrementsFromWire(j.Increments),
  });
}

/** Go's RFC3339Nano of anchor + offset (UTC). */
export function formatNs(anchorMs: number, offsetNs: number): string {
  const ms = anchorMs + Math.floor(offsetNs / 1e6);
  const rest = ((offsetNs % 1e6) + 1e6) % 1e6;
  const iso = new Date(ms).toISOString();
  const frac = (iso.slice(20, 23) + String(rest).padStart(6, '0')).replace(/0+$/, '');
  return iso.slice(0, 19) + (frac ? '.' + frac : '') + 'Z';
}

const num = (m: Money) => m.toNumber();

// A rate interval's wire form is rendered once per interval (intervals are immutable and shared).
const riWire = new WeakMap<CostInterval, unknown>();

function riJson(ri: CostInterval | null): unknown {
  if (!ri) return null;
  let j = riWire.get(ri);
  if (j === undefined) riWire.set(ri, (j = ratingWire.rateIntervalToWire(ri)));
  return j;
}

function debitInfoJson(d: BalanceInfo | null | undefined): unknown {
  if (!d) return null;
  return {
    Unit: d.unit
      ? {
          UUID: d.unit.uuid, ID: d.unit.id, Value: num(d.unit.value), DestinationID: d.unit.destinationId, Consumed: num(d.unit.consumed),
          Factor: d.unit.factor, Category: d.unit.category, ToR: d.unit.tor, RateInterval: riJson(d.unit.rateInterval),
        }
      : null,
    Monetary: d.monetary ? { UUID: d.monetary.uuid, ID: d.monetary.id, Value: num(d.monetary.value), RateInterval: riJson(d.monetary.rateInterval) } : null,
    AccountID: d.accountId,
  };
}

function sameInfo(a: BalanceInfo | null | undefined, b: BalanceInfo | null | undefined): boolean {
  if (!a || !b) return (a ?? null) === (b ?? null);
  const u = a.unit && b.unit
    ? a.unit.uuid === b.unit.uuid && a.unit.destinationId === b.unit.destinationId && a.unit.consumed.eq(b.unit.consumed) &&
      a.unit.factor === b.unit.factor && a.unit.tor === b.unit.tor && a.unit.category === b.unit.category && a.unit.rateInterval === b.unit.rateInterval
    : a.unit === b.unit;
  const m = a.monetary && b.monetary ? a.monetary.uuid === b.monetary.uuid && a.monetary.rateInterval === b.monetary.rateInterval : a.monetary === b.monetary;
  return u && m && a.accountId === b.accountId;
}

/** Increments.Compress: equal neighbours fold into one with CompressFactor, reporting the last balance values. */
export function compressIncrements(incs: readonly Increment[]): Increment[] {
  const out: Increment[] = [];
  for (const inc of incs) {
    const last = out[out.length - 1];
    if (last && last.durationNs === inc.durationNs && last.cost.eq(inc.cost) && sameInfo(last.balanceInfo, inc.balanceInfo)) {
      last.compressFactor += inc.compressFactor;
      if (last.balanceInfo && inc.balanceInfo) {
        last.balanceInfo = {
          ...last.balanceInfo,
          unit: last.balanceInfo.unit && inc.balanceInfo.unit ? { ...last.balanceInfo.unit, value: inc.balanceInfo.unit.value } : last.balanceInfo.unit,
          monetary: last.balanceInfo.monetary && inc.balanceInfo.monetary ? { ...last.balanceInfo.monetary, value: inc.balanceInfo.monetary.value } : last.balanceInfo.monetary,
        };
      }
      continue;
    }
    out.push({ ...inc });
  }
  return out;
}

function incrementJson(i: Increment): J {
  return { Duration: i.durationNs, Cost: num(i.cost), BalanceInfo: debitInfoJson(i.balanceInfo), CompressFactor: i.compressFactor };
}

function timespanJson(anchorMs: number, ts: TimeSpan): J {
  return {
    TimeStart: formatNs(anchorMs, ts.startNs),
    TimeEnd: formatNs(anchorMs, ts.endNs),
    Cost: num(ts.cost),
    RateInterval: riJson(ts.rateInterval),
    DurationIndex: ts.durationIndexNs,
    Increments: compressIncrements(ts.increments).map(incrementJson),
    RoundIncrement: ts.roundIncrement ? incrementJson(ts.roundIncrement) : null,
    MatchedSubject: ts.matchedSubject,
    MatchedPrefix: ts.matchedPrefix,
    MatchedDestId: ts.matchedDestId,
    RatingPlanId: ts.ratingPlanId,
    CompressFactor: 1,
  };
}

export interface BalanceSummary {
  UUID: string;
  ID: string;
  Type: string;
  Initial: number;
  Value: number;
  Weight?: number;
  Disabled: boolean;
}

export interface AccountSummary {
  Tenant: string;
  AccountID: string;
  BalanceSummaries: BalanceSummary[] | null;
  AllowNegative: boolean;
  Disabled: boolean;
}

const SUMMARY_ORDER = ['*data', '*sms', '*mms', '*voice', '*generic', '*monetary'];

/** Account.AsAccountSummary; with `initial`, Initial values are taken from it (CallDescriptor.AccountSummary). */
export function accountSummary(acc: Account, initial?: AccountSummary): AccountSummary {
  const { tenant, account } = splitAccountKey(acc.id);
  const list: BalanceSummary[] = [];
  for (const type of SUMMARY_ORDER) {
    for (const b of acc.balanceMap[type] ?? []) {
      const s: BalanceSummary = { UUID: b.uuid, ID: b.id || b.uuid, Type: type, Initial: 0, Value: num(b.value), Disabled: b.disabled };
      if (b.weight !== 0) s.Weight = b.weight;
      list.push(s);
    }
  }
  if (initial?.BalanceSummaries) {
    for (const s of list) s.Initial = initial.BalanceSummaries.find((x) => x.UUID === s.UUID)?.Value ?? 0;
  }
  return { Tenant: tenant, AccountID: account, BalanceSummaries: list.length ? list : null, AllowNegative: acc.allowNegative, Disabled: acc.disabled };
}

/** CallCost JSON as Responder.Debit/MaxDebit reply. */
export function callCostToJSON(cc: CallCost, summary: AccountSummary | null): J {
  return {
    Category: cc.category,
    Tenant: cc.tenant,
    Subject: cc.subject,
    Account: cc.account,
    Destination: cc.destination,
    ToR: cc.tor,
    Cost: num(cc.cost),
    Timespans: cc.timespans.length ? cc.timespans.map((ts) => timespanJson(cc.anchorMs, ts)) : null,
    RatedUsage: cc.ratedUsageNs,
    AccountSummary: summary,
  };
}

/** Every increment of a CallCost, flattened (e.g. to refund it all). */
export function allIncrements(cc: CallCost): Increment[] {
  return cc.timespans.flatMap((ts) => ts.increments);
}

