// EventCost: CGRateS's compact cost record (APIerSv1.GetCost reply, session costs, CDR CostDetails),
// built from timespans. Charges reference de-duplicated Rating/Rates/Timings/RatingFilters entries
// by short IDs; ours are content hashes (deterministic), CGRateS's are random.
import { createHash } from 'node:crypto';
import { Money, ZERO, type RoundingMethod } from '../util/money.js';
import { GO_ZERO_TIME, msToNs } from '../util/time.js';
import { roundCgrates } from './float.js';
import { moneyFromFloat, rateCall } from './cost.js';
import type { RatingIndex } from './build.js';
import type { CallCost, CallDescriptor, CostMode, CostInterval, Increment, RateGroup, RateOptions } from './types.js';

export interface ChargingIncrement {
  usage: number; // ns
  cost: Money;
  accountingId: string;
  compressFactor: number;
}

export interface ChargingInterval {
  ratingId: string;
  increments: ChargingIncrement[];
  compressFactor: number;
}

export interface RatingUnit {
  connectFee: Money;
  roundingMethod: RoundingMethod;
  roundingDecimals: number;
  maxCost: Money;
  maxCostStrategy: string;
  timingId: string;
  ratesId: string;
  ratingFiltersId: string;
}

export interface BalanceCharge {
  accountId: string;
  balanceUuid: string;
  ratingId: string;
  units: Money;
  balanceFactor?: Money;
  extraChargeId: string;
}

export interface ChargedTiming {
  years: number[];
  months: number[];
  monthDays: number[];
  weekDays: number[];
  startTime: string;
}

export interface RatingMatchedFilters {
  DestinationID: string;
  DestinationPrefix: string;
  RatingPlanID: string;
  Subject: string;
}

export interface EventCost {
  cgrId: string;
  runId: string;
  startTime: number; // ms
  /** the same instant exactly, epoch ns, when known */
  startTimeNs?: bigint;
  usage: number; // ns
  /** Σ charges (not tariff-rounded in `*cgrates`: rounded *middle G at each level, as CGRateS) */
  cost: Money;
  charges: ChargingInterval[];
  /** filled by accounts (AccountSummary wire object), null on pure rating */
  accountSummary: unknown;
  rating: Record<string, RatingUnit>;
  accounting: Record<string, BalanceCharge>;
  ratingFilters: Record<string, RatingMatchedFilters>;
  rates: Record<string, RateGroup[]>;
  timings: Record<string, ChargedTiming>;
}

export interface EventCostOptions {
  cgrId?: string;
  runId?: string;
  mode: CostMode;
  roundingDecimals: number;
  accountSummary?: unknown;
}

function shortId(content: string): string {
  return createHash('sha1').update(content).digest('hex').slice(0, 7);
}

class Registry<T> {
  readonly map: Record<string, T> = {};
  private readonly byKey = new Map<string, string>();
  constructor(private readonly keyOf: (v: T) => string) {}
  id(v: T): string {
    const key = this.keyOf(v);
    let id = this.byKey.get(key);
    if (!id) {
      id = shortId(key);
      while (id in this.map) id = shortId(id + key);
      this.byKey.set(key, id);
      this.map[id] = v;
    }
    return id;
  }
}

function sameIncrements(a: ChargingIncrement[], b: ChargingIncrement[]): boolean {
  return a.length === b.length && a.every((x, i) => x.usage === b[i].usage && x.cost.eq(b[i].cost) && x.accountingId === b[i].accountingId &&
    x.compressFactor === b[i].compressFactor);
}

function ratesKey(r: RateGroup[]): string {
  return r.map((g) => `${g.groupIntervalStart}/${g.value.toString()}/${g.rateIncrement}/${g.rateUnit}`).join(';');
}

/** Builds the EventCost of a CallCost's timespans (CGRateS NewEventCostFromCallCost + Compute); the cost is Σ charges. */
export function eventCostOf(cc: Pick<CallCost, 'anchorMs' | 'anchorNs' | 'timespans'>, opts: EventCostOptions): EventCost {
  const timespans = cc.timespans;
  const rates = new Registry<RateGroup[]>(ratesKey);
  const timings = new Registry<ChargedTiming>((t) => JSON.stringify(t));
  const filters = new Registry<RatingMatchedFilters>((f) => JSON.stringify(f));
  const rating = new Registry<RatingUnit>((u) => JSON.stringify({ ...u, connectFee: u.connectFee.toString(), maxCost: u.maxCost.toString() }));
  const accounting = new Registry<BalanceCharge>((b) => JSON.stringify({ ...b, units: b.units.toString(), balanceFactor: b.balanceFactor?.toString() }));

  const ratingIdFor = (ri: CostInterval | null | undefined, rf: RatingMatchedFilters): string => {
    if (!ri) return '';
    const t = ri.timing;
    return rating.id({
      connectFee: ri.rating.connectFee,
      roundingMethod: ri.rating.roundingMethod as RoundingMethod,
      roundingDecimals: ri.rating.roundingDecimals,
      maxCost: ri.rating.maxCost,
      maxCostStrategy: ri.rating.maxCostStrategy,
      timingId: t ? timings.id({ years: t.years, months: t.months, monthDays: t.monthDays, weekDays: t.weekDays, startTime: t.startTime }) : '',
      ratesId: ri.rating.rates.length > 0 ? rates.id(ri.rating.rates) : '',
      ratingFiltersId: filters.id(rf),
    });
  };

  const accountingIdFor = (inc: Increment, rf: RatingMatchedFilters, rounding: boolean): string => {
    const bi = inc.balanceInfo;
    if (!bi) return '';
    if (bi.unit) {
      let extra = '*none';
      if (bi.monetary) {
        extra = accounting.id({ accountId: bi.accountId, balanceUuid: bi.monetary.uuid, units: inc.cost,
          ratingId: rounding ? '*rounding' : ratingIdFor(bi.monetary.rateInterval, rf), extraChargeId: '' });
      }
      const bc: BalanceCharge = { accountId: bi.accountId, balanceUuid: bi.unit.uuid, units: bi.unit.consumed,
        ratingId: rounding ? '*rounding' : ratingIdFor(bi.unit.rateInterval, rf), extraChargeId: extra };
      if (bi.unit.factor !== 1) bc.balanceFactor = new Money(bi.unit.factor);
      return accounting.id(bc);
    }
    if (bi.monetary) {
      return accounting.id({ accountId: bi.accountId, balanceUuid: bi.monetary.uuid, units: inc.cost,
        ratingId: rounding ? '*rounding' : ratingIdFor(bi.monetary.rateInterval, rf), extraChargeId: '' });
    }
    return '';
  };

  const charges: ChargingInterval[] = [];
  for (const ts of timespans) {
    const rf: RatingMatchedFilters = { DestinationID: ts.matchedDestId, DestinationPrefix: ts.matchedPrefix, RatingPlanID: ts.ratingPlanId, Subject: ts.matchedSubject };
    const ratingId = ratingIdFor(ts.rateInterval, rf);
    const all = ts.roundIncrement ? [...ts.increments, ts.roundIncrement] : ts.increments;
    const incs: ChargingIncrement[] = [];
    all.forEach((inc, k) => {
      const accId = accountingIdFor(inc, rf, inc === ts.roundIncrement && k === all.length - 1);
      const cf = Math.max(1, inc.compressFactor);
      const last = incs[incs.length - 1];
      if (last && last.usage === inc.durationNs && last.cost.eq(inc.cost) && last.accountingId === accId) last.compressFactor += cf;
      else incs.push({ usage: inc.durationNs, cost: inc.cost, accountingId: accId, compressFactor: cf });
    });
    // Equal consecutive charges are one with a CompressFactor, as CGRateS's compressed timespans give.
    const prev = charges[charges.length - 1];
    if (prev && prev.ratingId === ratingId && sameIncrements(prev.increments, incs)) prev.compressFactor++;
    else charges.push({ ratingId, increments: incs, compressFactor: 1 });
  }
  const G = opts.roundingDecimals;
  const cgrates = opts.mode === '*cgrates';
  let usage = 0;
  let totalF = 0;
  let total = ZERO;
  for (const ch of charges) {
    let chargeF = 0;
    let charge = ZERO;
    for (const ci of ch.increments) {
      usage += ci.usage * ci.compressFactor * ch.compressFactor;
      if (cgrates) chargeF += ci.cost.toNumber() * ci.compressFactor;
      else charge = charge.plus(ci.cost.times(ci.compressFactor));
    }
    // CGRateS: interval cost Round(Σ cost × cf, G), total cost Round(that × interval cf, G), event Round(Σ, G)
    if (cgrates) totalF += roundCgrates(roundCgrates(chargeF, G, '*middle') * ch.compressFactor, G, '*middle');
    else total = total.plus(charge.times(ch.compressFactor));
  }
  return {
    cgrId: opts.cgrId ?? '',
    runId: opts.runId ?? '',
    startTime: timespans.length > 0 ? cc.anchorMs + timespans[0].startNs / 1e6 : GO_ZERO_TIME,
    ...(timespans.length > 0 ? startNsOf(cc, timespans[0].startNs) : {}),
    usage,
    cost: cgrates ? moneyFromFloat(roundCgrates(totalF, G, '*middle')) : total,
    charges,
    accountSummary: opts.accountSummary ?? null,
    rating: rating.map,
    accounting: accounting.map,
    ratingFilters: filters.map,
    rates: rates.map,
    timings: timings.map,
  };
}

/** The EventCost's start to the nanosecond, when a float ms cannot hold it. */
function startNsOf(cc: Pick<CallCost, 'anchorMs' | 'anchorNs'>, offsetNs: number): { startTimeNs?: bigint } {
  if (cc.anchorNs !== undefined) return { startTimeNs: cc.anchorNs + BigInt(offsetNs) };
  return offsetNs % 1e6 !== 0 ? { startTimeNs: msToNs(cc.anchorMs) + BigInt(offsetNs) } : {};
}

/**
 * APIerSv1.GetCost semantics: rate the call (rateCall) and return its EventCost; the cost is the sum
 * of the increments (connect fee included), not re-rounded with the tariff rounding in `*cgrates`.
 */
export function getEventCost(idx: RatingIndex, cd: CallDescriptor, opts: RateOptions, ec: { cgrId?: string; runId?: string } = {}): EventCost {
  const cc = rateCall(idx, cd, opts);
  return eventCostOf(cc, { ...ec, mode: opts.mode, roundingDecimals: opts.roundingDecimals });
}
