// What accounting needs from rating, in accounting's own terms. Times of one debit are
// nanosecond offsets from an anchor instant (epoch ms), so *data/*sms units of 1 ns stay exact.
// `ratingPortFrom` (bottom of this file) adapts src/rating's exports to this port.
import { Money, ZERO } from '../util/money.js';
import { sumIncrements } from './increment-sum.js';
import { rateCall, rateParams, wire, type RateInterval, type RateOptions, type RatingIndex } from '../rating/index.js';

export interface RateRequest {
  tenant: string;
  category: string;
  subject: string;
  account: string;
  destination: string;
  tor: string;
  anchorMs: number;
  startNs: number;
  endNs: number;
  /** Elapsed call time at endNs (selects rate groups). */
  durationIndexNs: number;
  loopIndex: number;
  extraFields: Record<string, string>;
  /** `*exact`: exact cost charged so far for this call (rating continues its cumulative rounding). */
  costSoFar: Money;
}

export interface RateParams {
  rate: Money;
  rateIncrementNs: number;
  rateUnitNs: number;
}

/** A rate interval (timing + rating) as accounting reads it; `json` is CGRateS's RateInterval shape for replies. */
export interface RateIntervalView {
  connectFee: Money;
  roundingMethod: string;
  roundingDecimals: number;
  maxCost: Money;
  maxCostStrategy: string;
  rateAt(groupStartNs: number): RateParams;
  json: unknown;
}

export interface RatedIncrement {
  durationNs: number;
  /** cost of each of the compressFactor increments */
  cost: Money;
  /** a compressed run of equal increments (1 when absent) */
  compressFactor?: number;
}

export interface RatedSpan {
  startNs: number;
  endNs: number;
  durationIndexNs: number;
  rateInterval: RateIntervalView | null;
  /** Compressed runs, without the connect-fee increment. */
  increments: RatedIncrement[];
  cost: Money;
  matchedSubject: string;
  matchedPrefix: string;
  matchedDestId: string;
  ratingPlanId: string;
}

/** CGRateS CallDescriptor.getCost: spans with increments; `cost` includes the connect fee when loopIndex is 0. */
export interface RatedCall {
  spans: RatedSpan[];
  cost: Money;
  /** `*exact`: the exact cumulative cost after the whole rated piece. */
  costSoFar: Money;
}

/** Rates [startNs, endNs) with the request's subject; throws (AccurateError) RATING_PLAN_NOT_FOUND / UNAUTHORIZED_DESTINATION. */
export type RateFn = (req: RateRequest) => RatedCall | Promise<RatedCall>;

/** What the engine hands accounts: src/rating's RatingService (or anything with its index and options). */
export interface RatingSource {
  index: RatingIndex;
  rateOptions: RateOptions;
}

function view(ri: RateInterval, connectFee: Money): RateIntervalView {
  return {
    connectFee,
    roundingMethod: ri.rating.roundingMethod,
    roundingDecimals: ri.rating.roundingDecimals,
    maxCost: ri.rating.maxCost,
    maxCostStrategy: ri.rating.maxCostStrategy,
    rateAt(groupStartNs: number): RateParams {
      const g = rateParams(ri, groupStartNs);
      const second = 1_000_000_000;
      return g
        ? { rate: g.value, rateIncrementNs: g.rateIncrement || second, rateUnitNs: g.rateUnit || second }
        : { rate: ZERO, rateIncrementNs: second, rateUnitNs: second };
    },
    json: wire.rateIntervalToWire(ri),
  };
}

/**
 * Adapts src/rating's rateCall to the port. CGRateS's debit rates pieces with getCost, whose
 * increments carry no connect fee (the debit adds it itself), so the connect-fee increment of
 * rateCall is taken out; its cost becomes the span's connect fee (the same value, except that
 * `*exact` may round it).
 */
export function ratingPortFrom(source: () => RatingSource): RateFn {
  return (req) => {
    const svc = source();
    const cc = rateCall(svc.index, {
      tenant: req.tenant, category: req.category, subject: req.subject, account: req.account, destination: req.destination,
      timeStart: req.anchorMs + req.startNs / 1e6, durationNs: req.endNs - req.startNs, durationIndex: req.durationIndexNs,
      loopIndex: req.loopIndex, tor: req.tor, extraFields: req.extraFields, costSoFar: req.costSoFar,
    }, svc.rateOptions);
    let at = req.startNs;
    const spans: RatedSpan[] = cc.timespans.map((ts, i) => {
      const fee = i === 0 ? ts.increments.find((inc) => inc.connectFee) : undefined;
      const incs = ts.increments.filter((inc) => !inc.connectFee).map((inc) => ({ durationNs: inc.durationNs, cost: inc.cost, compressFactor: inc.compressFactor ?? 1 }));
      const startNs = at;
      at += ts.durationNs;
      return {
        startNs, endNs: at, durationIndexNs: ts.durationIndex,
        rateInterval: ts.rateInterval ? view(ts.rateInterval, fee ? fee.cost : ts.rateInterval.rating.connectFee) : null,
        increments: incs, cost: sumIncrements(incs),
        matchedSubject: ts.matchedSubject, matchedPrefix: ts.matchedPrefix, matchedDestId: ts.matchedDestId, ratingPlanId: ts.ratingPlanId,
      };
    });
    return { spans, cost: cc.cost, costSoFar: cc.costSoFar };
  };
}
