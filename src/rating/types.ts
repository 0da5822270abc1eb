// The rating data model: what the index holds, what a cost request carries and the one call model
// (CallCost, TimeSpan, Increment, BalanceInfo) that rating returns and accounts, sessions and CDRs
// use as it is. Instants are epoch milliseconds, durations integer nanoseconds, money exact (Money).
import { ZERO, type Money, type RoundingMethod } from '../util/money.js';

/** `*cgrates` reproduces CGRateS's float64 per-increment rounding; `*exact` (default) is exact decimal. */
export type CostMode = '*exact' | '*cgrates';

export type ToR = '*voice' | '*data' | '*sms' | '*mms' | '*generic' | string;

/** Rating options of one request: the cost mode and CGRateS's `general.rounding_decimals` (G). */
export interface RateOptions {
  mode: CostMode;
  /** G: used only by `*cgrates` (5 in a running engine, 6 in CGRateS's engine unit tests). */
  roundingDecimals: number;
  /** `rals.fallback_depth` (3). */
  fallbackDepth?: number;
  /** `rals.max_increments` (1e6): a timespan with more increments gets none, as in CGRateS. */
  maxIncrements?: number;
}

/** One rate group (a Rates.csv row): applies from `groupIntervalStart` of elapsed call time. */
export interface RateGroup {
  groupIntervalStart: number; // ns
  value: Money; // price per rateUnit
  rateIncrement: number; // ns, 0 replaced by 1s at use
  rateUnit: number; // ns, 0 replaced by 1s at use
  /** float64 of value, for `*cgrates` (Go parses CSV floats the same way as Number()). */
  valueF: number;
}

/** A DestinationRate resolved: connect fee (first rate row), rounding, max cost and rate groups sorted by start. */
export interface RIRating {
  rateId: string;
  connectFee: Money;
  connectFeeF: number;
  roundingMethod: RoundingMethod;
  roundingDecimals: number;
  maxCost: Money;
  maxCostF: number;
  maxCostStrategy: '' | '*free' | '*disconnect';
  rates: RateGroup[];
}

/** A timing as a rate interval uses it (EndTime never limits rating). WeekDays 0 = Sunday. */
export interface RITiming {
  id: string;
  years: number[];
  months: number[];
  monthDays: number[];
  weekDays: number[];
  startTime: string; // hh:mm:ss
  /** parsed StartTime */
  hour: number;
  minute: number;
  second: number;
}

/** One RatingPlans.csv binding resolved for one destination: timing × rating × weight. */
export interface RateInterval {
  timing: RITiming;
  rating: RIRating;
  weight: number;
}

/**
 * The rate interval a cost refers to: the rating index's own RateInterval, held by reference (never
 * copied per call), or accounts' free `*zero<dur>` unit interval, which has no timing (CGRateS's nil Timing).
 */
export type CostInterval = Omit<RateInterval, 'timing'> & { timing: RITiming | null };

/** The rating found for a period of the call (CGRateS RatingInfo). `rateIntervals` null = a gap to be filled by fallback. */
export interface RatingInfo {
  matchedSubject: string; // *out:tenant:category:subject
  ratingPlanId: string;
  matchedPrefix: string;
  matchedDestId: string;
  activationTime: number; // ms
  rateIntervals: RateInterval[] | null;
  fallbackKeys: string[];
}

/**
 * What a cost or debit request is about (CGRateS CallDescriptor), for rating and accounts alike: the
 * period [startNs, endNs) in integer ns offsets from `anchorMs` (TimeStart of the request); a cost
 * answer's timespans count from the same anchor. Accounts extend it with their debit-only fields.
 */
export interface CallDescriptor {
  tenant: string;
  category: string;
  subject: string;
  account: string;
  destination: string;
  /** '*voice' when empty */
  tor: ToR;
  /** epoch ms (fractional below 1 ms only where an instant was computed in float) */
  anchorMs: number;
  /** the anchor exactly, epoch ns (util/time parseTimeNs), when the request came with sub-ms instants */
  anchorNs?: bigint;
  startNs: number;
  endNs: number;
  /** elapsed call time at endNs, ns; raised to the piece's duration when smaller */
  durationIndexNs: number;
  /** 0 on the first piece of a call (connect fee charged), >0 on later debit loops. */
  loopIndex: number;
  /**
   * CGRateS's MaxCostSoFar: what the call charged so far. In `*cgrates` it holds a float64 (the
   * shortest decimal that prints it, so toNumber() gives the float back exactly): rating's MaxCost
   * running total starts from it, accounts add their debits to it.
   */
  maxCostSoFar: Money;
  /**
   * Exact cost already charged for earlier pieces of the same call (`*exact`): the increments of this
   * piece continue its cumulative tariff rounding, so the pieces of a session add up to the rounded
   * cost of the whole call; also counts towards MaxCost `*free`.
   */
  costSoFar: Money;
}

/**
 * A CallDescriptor with the defaults of the fields not given (undefined counts as not given). An
 * extension of it (accounts' DebitDescriptor) passes the defaults of its own fields in `extension`.
 */
export function newCallDescriptor<X extends object = object>(
  init: Partial<CallDescriptor & X> & Pick<CallDescriptor, 'anchorMs' | 'endNs'>, extension?: X,
): CallDescriptor & X {
  const cd = {
    tenant: '', category: '', subject: '', account: '', destination: '', tor: '', anchorMs: init.anchorMs, startNs: 0, endNs: init.endNs,
    durationIndexNs: 0, loopIndex: 0, maxCostSoFar: ZERO, costSoFar: ZERO, ...extension,
  } as CallDescriptor & X;
  const given = init as Record<string, unknown>;
  const into = cd as Record<string, unknown>;
  for (const k in given) if (given[k] !== undefined) into[k] = given[k];
  return cd;
}

/** A unit balance that paid an increment (units consumed, the money paid alongside in `monetary`). */
export interface UnitInfo {
  uuid: string;
  id: string;
  /** the balance's value after paying */
  value: Money;
  destinationId: string;
  /** units taken per increment */
  consumed: Money;
  factor: number;
  category: string;
  tor: string;
  rateInterval: CostInterval | null;
}

/** A money balance that paid an increment. */
export interface MonetaryInfo {
  uuid: string;
  id: string;
  /** the balance's value after paying */
  value: Money;
  /** the interval the balance's own RatingSubject rated with (null: the call's rating) */
  rateInterval: CostInterval | null;
}

/** Who paid an increment (CGRateS DebitInfo); set by accounts, absent on pure rating. */
export interface BalanceInfo {
  unit: UnitInfo | null;
  monetary: MonetaryInfo | null;
  accountId: string;
}

/**
 * The debit unit. A timespan's increments add up to its cost; the call's increments add up to the
 * call's cost before CallCost's final rounding in `*cgrates` and exactly to it in `*exact`.
 * Increments travel compressed: one increment stands for compressFactor equal ones. Trailing
 * increments can be refunded whole.
 */
export interface Increment {
  durationNs: number;
  /** cost of each of the compressFactor increments */
  cost: Money;
  /** how many equal increments this one stands for: a run costs cost × compressFactor */
  compressFactor: number;
  /** the zero-duration connect-fee increment at the head of the first timespan (rating's output) */
  connectFee?: boolean;
  /**
   * `*exact`: the zero-duration increment holding a run's tariff rounding (what the rounded total
   * differs from its increments at the exact unit cost); it heads the run, so refunding trailing
   * increments leaves the rounding charged.
   */
  rounding?: boolean;
  /** who paid it (accounts); absent or null on pure rating */
  balanceInfo?: BalanceInfo | null;
}

/** A period of a call rated with one rate interval. Instants are nanosecond offsets from the CallCost's anchor. */
export interface TimeSpan {
  startNs: number;
  endNs: number;
  /** Σ increments (connect fee included on the first timespan of loop 0) */
  cost: Money;
  /** the index's rate interval; null only for a zero-usage request (rating info without rate) or a period no timing covers */
  rateInterval: CostInterval | null;
  /** elapsed call time at the end of this timespan, ns */
  durationIndexNs: number;
  increments: Increment[];
  /** tariff-rounding correction added by accounts/sessions (CGRateS RoundIncrement) */
  roundIncrement: Increment | null;
  matchedSubject: string;
  matchedPrefix: string;
  matchedDestId: string;
  ratingPlanId: string;
}

/** A timespan's duration, ns. */
export const spanDuration = (ts: Pick<TimeSpan, 'startNs' | 'endNs'>): number => ts.endNs - ts.startNs;

/**
 * The one cost of a call (CGRateS CallCost), from rating and from a debit alike. Times are integer
 * nanosecond offsets from `anchorMs` (epoch ms), so `*data`/`*sms` units of 1 ns stay exact.
 */
export interface CallCost {
  category: string;
  tenant: string;
  subject: string;
  account: string;
  destination: string;
  tor: ToR;
  /** rating: tariff-rounded with the longest rounding (Responder.GetCost); a debit: Σ what was debited; -1 on a rating error */
  cost: Money;
  timespans: TimeSpan[];
  /** Σ timespan durations, ns (may exceed the request after rounding up to increments) */
  ratedUsageNs: number;
  /** epoch ms the timespans' offsets count from (fractional below 1 ms only for sub-ms rating requests) */
  anchorMs: number;
  /** the anchor exactly, epoch ns, when the request had sub-ms instants (a float ms cannot hold nanoseconds) */
  anchorNs?: bigint;
  /** the connect fee of the call: what rating charged at the head of the first timespan (loop 0), else the tariff's */
  connectFee: Money;
  /** the connect fee is charged with this piece (loop 0) */
  deductConnectFee: boolean;
  /** a debit charged the connect fee to *default, going negative */
  negativeConnectFee: boolean;
  /** a debit stopped at a MaxCost `*disconnect` */
  maxCostDisconnect: boolean;
  /** CGRateS's float64 MaxCost running total after this request (`*cgrates` rating); pass it to the next piece */
  maxCostSoFar: number;
  /** exact cumulative cost after this piece (`*exact`): costSoFar for the next piece */
  costSoFar: Money;
}
