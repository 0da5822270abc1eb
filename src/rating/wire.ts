// JSON shapes as CGRateS puts them on the wire: Go field names, durations as integer nanoseconds,
// times RFC3339 (Go's RFC3339Nano), money as JSON numbers.
import { createHash } from 'node:crypto';
import { moneyToJSON, type Money } from '../util/money.js';
import { formatTimeNs, isZeroTime } from '../util/time.js';
import type { IndexedPlan, IndexedProfile } from './build.js';
import { compressibleTimespans } from './cost.js';
import type { EventCost } from './eventcost.js';
import type { BalanceInfo, CallCost, CostInterval, Increment, RateGroup, RIRating, RITiming, TimeSpan } from './types.js';

type Json = Record<string, unknown>;

/** Go's time.Time JSON (RFC3339Nano, UTC): fraction only when non-zero, trailing zeros trimmed. */
export function formatGoTime(ms: number): string {
  if (isZeroTime(ms)) return '0001-01-01T00:00:00Z';
  const whole = Math.floor(ms);
  const nsFrac = Math.round((ms - whole) * 1e6);
  const iso = new Date(whole).toISOString(); // 2014-08-04T13:00:00.123Z
  const msPart = whole - Math.floor(whole / 1000) * 1000;
  const ns = msPart * 1e6 + nsFrac;
  const head = iso.slice(0, 19);
  if (ns === 0) return `${head}Z`;
  return `${head}.${String(ns).padStart(9, '0').replace(/0+$/, '')}Z`;
}

const num = (m: Money): number => moneyToJSON(m);

export function rateGroupsToWire(rates: readonly RateGroup[]): Json[] {
  return rates.map((g) => ({ GroupIntervalStart: g.groupIntervalStart, Value: num(g.value), RateIncrement: g.rateIncrement, RateUnit: g.rateUnit }));
}

export function timingToWire(t: RITiming): Json {
  return { ID: t.id, Years: t.years, Months: t.months, MonthDays: t.monthDays, WeekDays: t.weekDays, StartTime: t.startTime, EndTime: '' };
}

export function ratingToWire(r: RIRating): Json {
  return {
    ConnectFee: num(r.connectFee), RoundingMethod: r.roundingMethod, RoundingDecimals: r.roundingDecimals,
    MaxCost: num(r.maxCost), MaxCostStrategy: r.maxCostStrategy, Rates: rateGroupsToWire(r.rates),
  };
}

export function rateIntervalToWire(ri: CostInterval | null | undefined): Json | null {
  if (!ri) return null;
  return { Timing: ri.timing ? timingToWire(ri.timing) : null, Rating: ratingToWire(ri.rating), Weight: ri.weight };
}

export function balanceInfoToWire(bi: BalanceInfo | null | undefined): Json {
  if (!bi) return { Unit: null, Monetary: null, AccountID: '' };
  return {
    Unit: bi.unit ? {
      UUID: bi.unit.uuid, ID: bi.unit.id, Value: num(bi.unit.value), DestinationID: bi.unit.destinationId,
      Consumed: num(bi.unit.consumed), Factor: bi.unit.factor, RateInterval: rateIntervalToWire(bi.unit.rateInterval),
    } : null,
    Monetary: bi.monetary ? { UUID: bi.monetary.uuid, ID: bi.monetary.id, Value: num(bi.monetary.value), RateInterval: rateIntervalToWire(bi.monetary.rateInterval) } : null,
    AccountID: bi.accountId,
  };
}

function sameBalance(a: BalanceInfo | null | undefined, b: BalanceInfo | null | undefined): boolean {
  if (!a || !b) return a === b;
  return a.accountId === b.accountId && a.unit?.uuid === b.unit?.uuid && a.monetary?.uuid === b.monetary?.uuid;
}

/** Consecutive equal increments compressed (CompressFactor), as CGRateS sends them; runs keep their factor. */
export function incrementsToWire(incs: readonly Increment[]): Json[] {
  const out: Json[] = [];
  let prev: Increment | undefined;
  for (const inc of incs) {
    const cf = inc.compressFactor;
    if (prev && prev.durationNs === inc.durationNs && prev.cost.eq(inc.cost) && sameBalance(prev.balanceInfo, inc.balanceInfo)) {
      const last = out[out.length - 1];
      last.CompressFactor = (last.CompressFactor as number) + cf;
      last.BalanceInfo = balanceInfoToWire(inc.balanceInfo); // value after the last compressed increment
      continue;
    }
    out.push({ Duration: inc.durationNs, Cost: num(inc.cost), BalanceInfo: balanceInfoToWire(inc.balanceInfo), CompressFactor: cf });
    prev = inc;
  }
  return out;
}

/** An instant of a timespan (offset ns from the call's anchor) as Go prints it: exact when the anchor is. */
function instantToWire(cc: Anchor, offsetNs: number): string {
  return cc.anchorNs !== undefined ? formatTimeNs(cc.anchorNs + BigInt(offsetNs)) : formatGoTime(cc.anchorMs + offsetNs / 1e6);
}

type Anchor = Pick<CallCost, 'anchorMs' | 'anchorNs'>;

export function timespanToWire(cc: Anchor, ts: TimeSpan): Json {
  return {
    TimeStart: instantToWire(cc, ts.startNs),
    TimeEnd: instantToWire(cc, ts.endNs),
    Cost: num(ts.cost),
    RateInterval: rateIntervalToWire(ts.rateInterval),
    DurationIndex: ts.durationIndexNs,
    Increments: ts.increments.length > 0 ? incrementsToWire(ts.increments) : null,
    RoundIncrement: ts.roundIncrement
      ? { Duration: ts.roundIncrement.durationNs, Cost: num(ts.roundIncrement.cost), BalanceInfo: balanceInfoToWire(ts.roundIncrement.balanceInfo), CompressFactor: 1 }
      : null,
    MatchedSubject: ts.matchedSubject,
    MatchedPrefix: ts.matchedPrefix,
    MatchedDestId: ts.matchedDestId,
    RatingPlanId: ts.ratingPlanId,
    CompressFactor: 1,
  };
}

/** Timespans as CGRateS sends them: consecutive equal timespans compressed into one with a CompressFactor. */
export function timespansToWire(cc: Anchor & { timespans: readonly TimeSpan[] }): Json[] {
  const out: Json[] = [];
  let head: TimeSpan | undefined;
  let cost: Money | undefined;
  for (const ts of cc.timespans) {
    if (head && cost && compressibleTimespans(head, ts)) {
      const last = out[out.length - 1];
      cost = cost.plus(ts.cost);
      last.CompressFactor = (last.CompressFactor as number) + 1;
      last.Cost = num(cost);
      last.TimeEnd = instantToWire(cc, ts.endNs);
      last.DurationIndex = ts.durationIndexNs;
      continue;
    }
    out.push(timespanToWire(cc, ts));
    head = ts;
    cost = ts.cost;
  }
  return out;
}

export function callCostToWire(cc: CallCost, accountSummary: unknown = null): Json {
  return {
    Category: cc.category, Tenant: cc.tenant, Subject: cc.subject, Account: cc.account, Destination: cc.destination, ToR: cc.tor,
    Cost: num(cc.cost), Timespans: cc.timespans.length > 0 ? timespansToWire(cc) : null, RatedUsage: cc.ratedUsageNs,
    AccountSummary: accountSummary,
  };
}

export function eventCostToWire(ec: EventCost): Json {
  const map = <T, R>(o: Record<string, T>, f: (v: T) => R): Record<string, R> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
  return {
    CGRID: ec.cgrId,
    RunID: ec.runId,
    StartTime: ec.startTimeNs !== undefined ? formatTimeNs(ec.startTimeNs) : formatGoTime(ec.startTime),
    Usage: ec.usage,
    Cost: num(ec.cost),
    Charges: ec.charges.map((c) => ({
      RatingID: c.ratingId,
      Increments: c.increments.map((i) => ({ Usage: i.usage, Cost: num(i.cost), AccountingID: i.accountingId, CompressFactor: i.compressFactor })),
      CompressFactor: c.compressFactor,
    })),
    AccountSummary: ec.accountSummary ?? null,
    Rating: map(ec.rating, (u) => ({
      ConnectFee: num(u.connectFee), RoundingMethod: u.roundingMethod, RoundingDecimals: u.roundingDecimals, MaxCost: num(u.maxCost),
      MaxCostStrategy: u.maxCostStrategy, TimingID: u.timingId, RatesID: u.ratesId, RatingFiltersID: u.ratingFiltersId,
    })),
    Accounting: map(ec.accounting, (b) => ({
      AccountID: b.accountId, BalanceUUID: b.balanceUuid, RatingID: b.ratingId, Units: num(b.units),
      ...(b.balanceFactor ? { BalanceFactor: num(b.balanceFactor) } : {}), ExtraChargeID: b.extraChargeId,
    })),
    RatingFilters: ec.ratingFilters,
    Rates: map(ec.rates, rateGroupsToWire),
    Timings: map(ec.timings, (t) => ({ Years: t.years, Months: t.months, MonthDays: t.monthDays, WeekDays: t.weekDays, StartTime: t.startTime })),
  };
}

export function destinationToWire(id: string, prefixes: readonly string[]): Json {
  return { Id: id, Prefixes: [...prefixes] };
}

export function ratingProfileToWire(p: IndexedProfile): Json {
  return {
    Id: p.key,
    RatingPlanActivations: p.activations.map((a) => ({
      ActivationTime: formatGoTime(a.activationTime), RatingPlanId: a.ratingPlanId, FallbackKeys: a.fallbackKeys.length > 0 ? a.fallbackKeys : null,
    })),
  };
}

function tag(content: unknown): string {
  return createHash('sha1').update(JSON.stringify(content)).digest('hex').slice(0, 8);
}

/** RatingPlan as CGRateS stores it: timings and ratings by tag, per destination a list of {Timing, Rating, Weight}. */
export function ratingPlanToWire(plan: IndexedPlan): Json {
  const timings: Record<string, Json> = {};
  const ratings: Record<string, Json> = {};
  const destinationRates: Record<string, Json[]> = {};
  for (const [dest, list] of plan.destRates) {
    destinationRates[dest] = list.map((ri) => {
      const t = timingToWire(ri.timing);
      const r = ratingToWire(ri.rating);
      const tt = tag(t);
      const rt = tag(r);
      timings[tt] = t;
      ratings[rt] = r;
      return { Timing: tt, Rating: rt, Weight: ri.weight };
    });
  }
  return { Id: plan.id, Timings: timings, Ratings: ratings, DestinationRates: destinationRates };
}
