// Costing timespans into increments, in the two cost modes, and the public rating entry points.
import { Money, ZERO, type RoundingMethod } from '../util/money.js';
import { AccurateError, ERR } from '../util/errors.js';
import type { RatingIndex } from './build.js';
import { resolveRating, type ResolvedRating } from './profiles.js';
import { groupStart, rateParams, splitSpans, type Span } from './split.js';
import { roundCgrates } from './float.js';
import { msToNs } from '../util/time.js';
import { spanDuration, type CallCost, type CallDescriptor, type CostInterval, type Increment, type RateGroup, type RateOptions, type TimeSpan } from './types.js';

const DEFAULT_MAX_INCREMENTS = 1_000_000;

/** A float64 as CGRateS prints it (shortest round-trip form) → exact Money. */
export function moneyFromFloat(x: number): Money {
  let m = floatMoney.get(x);
  if (!m) {
    m = new Money(String(x));
    if (floatMoney.size >= 4096) floatMoney.clear();
    floatMoney.set(x, m);
  }
  return m;
}

// Money is immutable: the few float64 prices and costs a tariff produces are parsed once and shared.
const floatMoney = new Map<number, Money>();

/** Normalised call window: start ms (anchor + startNs), duration ns, duration index, ToR. */
export interface CallWindow {
  startMs: number;
  durationNs: number;
  durationIndex: number;
  tor: string;
}

export function callWindow(cd: CallDescriptor): CallWindow {
  const durationNs = cd.endNs - cd.startNs;
  if (!Number.isSafeInteger(durationNs) || durationNs < 0) {
    throw new AccurateError(`SERVER_ERROR: invalid usage ${durationNs} ns (TimeEnd before TimeStart?)`, 'SERVER_ERROR');
  }
  const di = cd.durationIndexNs;
  return { startMs: cd.anchorMs + cd.startNs / 1e6, durationNs, durationIndex: di < durationNs ? durationNs : di, tor: cd.tor || '*voice' };
}

/** The longest rounding of the spans (largest RoundingDecimals; method '' and no rounding when all are 0). */
export function longestRounding(tss: readonly { rateInterval: TimeSpan['rateInterval'] }[]): { decimals: number; method: RoundingMethod } {
  let decimals = 0;
  let method: RoundingMethod = '';
  for (const ts of tss) {
    if (ts.rateInterval && ts.rateInterval.rating.roundingDecimals > decimals) {
      decimals = ts.rateInterval.rating.roundingDecimals;
      method = ts.rateInterval.rating.roundingMethod;
    }
  }
  return { decimals, method };
}

/** Splits a call into timespans (no increments yet): the pieces other code can rate or inspect. */
export function splitForRating(idx: RatingIndex, cd: CallDescriptor, opts: Pick<RateOptions, 'fallbackDepth'> = {}): { spans: Span[]; resolved: ResolvedRating; window: CallWindow } {
  const w = callWindow(cd);
  const resolved = resolveRating(idx, {
    tenant: cd.tenant, category: cd.category, subject: cd.subject, destination: cd.destination,
    timeStart: w.startMs, timeEnd: w.startMs + w.durationNs / 1e6,
  }, opts.fallbackDepth);
  const spans = splitSpans(idx, { startMs: w.startMs, durationNs: w.durationNs, durationIndex: w.durationIndex, tor: w.tor, infos: resolved.infos });
  return { spans, resolved, window: w };
}

function toTimeSpan(sp: Span): TimeSpan {
  return {
    startNs: sp.s,
    endNs: sp.e,
    cost: ZERO,
    rateInterval: sp.ri,
    durationIndexNs: sp.di,
    increments: [],
    roundIncrement: null,
    matchedSubject: sp.info?.matchedSubject ?? '',
    matchedPrefix: sp.info?.matchedPrefix ?? '',
    matchedDestId: sp.info?.matchedDestId ?? '',
    ratingPlanId: sp.info?.ratingPlanId ?? '',
  };
}

/**
 * Rates a call: CGRateS Responder.GetCost / CallDescriptor.GetCost of [cd.startNs, cd.endNs); the
 * timespans count from the CD's anchor. The connect fee is a zero-duration
 * increment at the head of the first timespan when loopIndex is 0. Throws AccurateError with
 * RATING_PLAN_NOT_FOUND / UNAUTHORIZED_DESTINATION; a zero usage never fails.
 */
export function rateCall(idx: RatingIndex, cd: CallDescriptor, opts: RateOptions): CallCost {
  const w = callWindow(cd);
  // the exact anchor only when the request had sub-ms instants (a float ms is exact to the ms otherwise)
  const anchorNs = cd.anchorNs ?? (Number.isInteger(cd.anchorMs) ? undefined : msToNs(cd.anchorMs));
  const cc: CallCost = {
    category: cd.category, tenant: cd.tenant, subject: cd.subject, account: cd.account, destination: cd.destination,
    tor: cd.tor || '', cost: ZERO, timespans: [], ratedUsageNs: 0, anchorMs: cd.anchorMs, ...(anchorNs !== undefined ? { anchorNs } : {}),
    connectFee: ZERO, deductConnectFee: cd.loopIndex === 0, negativeConnectFee: false, maxCostDisconnect: false,
    // CGRateS's float64 MaxCost running total: the one place the request's MaxCostSoFar becomes a float
    maxCostSoFar: cd.maxCostSoFar.toNumber(), costSoFar: cd.costSoFar,
  };
  if (w.durationNs === 0) {
    // Rating info only, no rate: cost 0, no connect fee; rating errors are ignored.
    try {
      const r = resolveRating(idx, { tenant: cd.tenant, category: cd.category, subject: cd.subject, destination: cd.destination,
        timeStart: w.startMs, timeEnd: w.startMs }, opts.fallbackDepth);
      cc.destination = r.destination;
      if (r.infos.length > 0) {
        const ts = toTimeSpan({ s: cd.startNs, e: cd.startNs, di: 0, ri: null, info: r.infos[0] });
        ts.durationIndexNs = cd.durationIndexNs;
        cc.timespans.push(ts);
      }
    } catch {
      /* CGRateS ignores rating errors of a zero-usage request */
    }
    return cc;
  }
  const { spans, resolved } = splitForRating(idx, cd, opts);
  cc.destination = resolved.destination;
  cc.tor = w.tor;
  // A period no rate interval covers (e.g. a weekday-only plan reached past midnight into Saturday) is not
  // free: CGRateS fails on it (nil rate interval), we answer that the destination is not authorized then.
  if (spans.some((sp) => sp.ri === null && sp.e > sp.s)) throw new AccurateError(ERR.UNAUTHORIZED_DESTINATION);
  const tss = spans.map(toTimeSpan);
  const connectFee = cd.loopIndex === 0 && tss.length > 0 && tss[0].rateInterval !== null;
  const maxInc = opts.maxIncrements ?? DEFAULT_MAX_INCREMENTS;
  if (opts.mode === '*cgrates') costCgrates(cc, tss, spans, connectFee, opts.roundingDecimals, maxInc);
  else costExact(cc, tss, spans, connectFee, maxInc, cd.costSoFar);
  // the spans count from the window's start; the answer counts from the CD's anchor
  if (cd.startNs !== 0) {
    for (const ts of tss) {
      ts.startNs += cd.startNs;
      ts.endNs += cd.startNs;
    }
  }
  cc.timespans = tss;
  cc.ratedUsageNs = tss.reduce((a, ts) => a + spanDuration(ts), 0);
  const head = tss[0]?.increments[0];
  cc.connectFee = head?.connectFee ? head.cost : tss[0]?.rateInterval?.rating.connectFee ?? ZERO;
  return cc;
}

/** Rates [startNs, endNs) as `subject` would be rated (accounts: a balance's RatingSubject). */
export function rateWithSubject(idx: RatingIndex, cd: CallDescriptor, subject: string, opts: RateOptions): CallCost {
  return rateCall(idx, { ...cd, subject }, opts);
}

interface CgrSpan {
  nb: number;
  step: number;
  incCost: number;
  noIncrCost: number;
}

function sameTiming(a: CostInterval | null, b: CostInterval | null): boolean {
  if (!a || !b) return a === b;
  const same = (x: number[], y: number[]): boolean => x.length === y.length && x.every((v, k) => v === y[k]);
  const ta = a.timing;
  const tb = b.timing;
  if (!ta || !tb) return ta === tb && a.weight === b.weight;
  return a.weight === b.weight && ta.startTime === tb.startTime && same(ta.years, tb.years) && same(ta.months, tb.months) &&
    same(ta.monthDays, tb.monthDays) && same(ta.weekDays, tb.weekDays);
}

function sameMatch(a: TimeSpan, b: TimeSpan): boolean {
  return spanDuration(a) === spanDuration(b) && a.matchedSubject === b.matchedSubject && a.matchedPrefix === b.matchedPrefix &&
    a.matchedDestId === b.matchedDestId && a.ratingPlanId === b.ratingPlanId && sameTiming(a.rateInterval, b.rateInterval);
}

/**
 * CGRateS TimeSpan.Equal as its Compress uses it: same increments (connect fee included, compressed
 * runs compared with their CompressFactor), same weight and timing, same duration and matched rating.
 * CGRateS merges such consecutive timespans into one with a CompressFactor; we keep them apart and
 * reproduce the effect on the costs, the MaxCost running total and the wire (CompressFactor).
 */
export function compressibleTimespans(a: TimeSpan, b: TimeSpan): boolean {
  if (!sameMatch(a, b)) return false;
  const ia = a.increments;
  const ib = b.increments;
  if (ia.length === 0 || ia.length !== ib.length) return false;
  for (let k = 0; k < ia.length; k++) {
    const x = ia[k];
    const y = ib[k];
    if (x.durationNs !== y.durationNs || !x.cost.eq(y.cost) || x.compressFactor !== y.compressFactor || !x.connectFee !== !y.connectFee || x.balanceInfo || y.balanceInfo) return false;
  }
  return true;
}

function costCgrates(cc: CallCost, tss: TimeSpan[], spans: Span[], connectFee: boolean, G: number, maxInc: number): void {
  // createIncrementsSlice: span cost (price ÷ unit_ns) × duration_ns at *middle G, split evenly over the increments
  const cs: CgrSpan[] = tss.map((ts, i) => {
    const out: CgrSpan = { nb: 0, step: 0, incCost: 0, noIncrCost: 0 };
    const p = ts.rateInterval ? rateParams(ts.rateInterval, groupStart(spans[i])) : null;
    if (!p) return out;
    const nb = Math.trunc(spanDuration(ts) / p.rateIncrement);
    const spanCost = roundCgrates(spanDuration(ts) * (p.valueF / p.rateUnit), G, '*middle');
    if (nb > maxInc) out.noIncrCost = spanCost;
    else if (nb > 0) {
      out.nb = nb;
      out.step = p.rateIncrement;
      out.incCost = roundCgrates(spanCost / nb, G, '*middle');
    }
    return out;
  });
  // getCost compresses equal consecutive timespans into one (before GetCost adds the connect fee)
  const sameAsNext = (i: number): boolean => {
    const c = cs[i];
    const n = cs[i + 1];
    return n !== undefined && c.nb > 0 && n.nb === c.nb && n.step === c.step && n.incCost === c.incCost && sameMatch(tss[i], tss[i + 1]);
  };
  let cost = 0;
  let maxCostSoFar = cc.maxCostSoFar;
  for (let i = 0; i < tss.length;) {
    let j = i;
    while (sameAsNext(j)) j++;
    const n = j - i + 1;
    const ri = tss[i].rateInterval;
    const c = cs[i];
    // GetCost puts the connect fee at the head of the first (compressed) timespan; CalculateCost then
    // multiplies that timespan's total by its CompressFactor, connect fee included: when a call splits
    // into n equal pieces (e.g. across midnight) CGRateS charges the fee n times (engine/calldesc.go
    // GetCost, engine/timespans.go Compress and CalculateCost). Each member of the group carries it here.
    const withCF = connectFee && i === 0 && ri !== null;
    let sum = 0;
    if (withCF) sum += ri.rating.connectFeeF;
    if (c.nb > 0) sum += c.nb * c.incCost;
    // GetTotalCost over the compressed increments: [connect fee] + nb × incCost, then *middle G
    const unitCost = withCF || c.nb > 0 ? roundCgrates(sum, G, '*middle') : c.noIncrCost;
    const unitMoney = moneyFromFloat(unitCost);
    for (let k = i; k <= j; k++) {
      const incs: Increment[] = [];
      if (withCF) incs.push({ durationNs: 0, cost: moneyFromFloat(ri.rating.connectFeeF), compressFactor: 1, connectFee: true });
      if (cs[k].nb > 0) incs.push({ durationNs: cs[k].step, cost: moneyFromFloat(cs[k].incCost), compressFactor: cs[k].nb });
      tss[k].increments = incs;
      tss[k].cost = unitMoney;
    }
    cost += unitCost * n;
    // One MaxCost step per compressed group, adding the running total (4.7 quirk).
    maxCostSoFar += cost;
    if (ri && ri.rating.maxCostStrategy === '*free' && ri.rating.maxCostF > 0 && maxCostSoFar >= ri.rating.maxCostF) {
      cost = ri.rating.maxCostF;
      maxCostSoFar = ri.rating.maxCostF;
    }
    i = j + 1;
  }
  const r = longestRounding(tss);
  cc.cost = moneyFromFloat(roundCgrates(cost, r.decimals, r.method));
  cc.maxCostSoFar = maxCostSoFar;
}

/** An exact rational n/d (d > 0) in BigInt: exact mode's running total without 40-digit truncation. */
interface Rat {
  n: bigint;
  d: bigint;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const isSafe = (x: bigint): boolean => x <= MAX_SAFE && x >= -MAX_SAFE;

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b >= 0n && a <= MAX_SAFE && b <= MAX_SAFE) {
    // Euclid on float64: % of safe integers is exact, and the loop allocates nothing.
    let x = Number(a);
    let y = Number(b);
    while (y !== 0) {
      const t = x % y;
      x = y;
      y = t;
    }
    return x === 0 ? 1n : BigInt(x);
  }
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a === 0n ? 1n : a;
}

function reduce(r: Rat): Rat {
  const g = gcd(r.n, r.d);
  return g === 1n ? r : { n: r.n / g, d: r.d / g };
}

// Money is immutable and the index's prices live as long as the index: their rationals are computed once.
const ratCache = new WeakMap<Money, Rat>();

function ratOf(m: Money): Rat {
  let r = ratCache.get(m);
  if (!r) {
    const dp = m.decimalPlaces();
    r = reduce({ n: BigInt(m.times(new Money(10).pow(dp)).toFixed(0)), d: 10n ** BigInt(dp) });
    ratCache.set(m, r);
  }
  return r;
}

const ratAdd = (a: Rat, b: Rat): Rat => reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const ratGt = (a: Rat, b: Rat): boolean => a.n * b.d > b.n * a.d;

// The exact totals of a tariff recur from call to call (same durations, same prices): their Money is shared.
const ratMoney = new Map<string, Money>();

function ratToMoney(r: Rat): Money {
  const key = `${r.n}/${r.d}`;
  let m = ratMoney.get(key);
  if (!m) {
    m = new Money(r.n.toString()).div(r.d.toString());
    if (ratMoney.size >= 4096) ratMoney.clear();
    ratMoney.set(key, m);
  }
  return m;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

const POW10N = Array.from({ length: 20 }, (_, k) => 10n ** BigInt(k));
const pow10n = (decimals: number): bigint => POW10N[decimals] ?? 10n ** BigInt(decimals);
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k); // exact in float64

// The float64 fast path of the grid arithmetic (fewer BigInts, less garbage): with a total's numerator
// × 10^D and its denominator of magnitude ≤ 2^50, every sum, product and remainder below stays an exact
// float64 integer; larger ones take BigInt.
const SMALL = 2 ** 50;

/** ⌊a / b⌋ (b > 0, |a| and b ≤ 2^52) in float64: the rounded quotient is off by at most one, the exact remainder corrects it. */
function floorDivN(a: number, b: number): number {
  const q = Math.floor(a / b);
  const r = a - q * b; // |q·b| ≤ |a| + b ≤ 2^53: exact
  return r < 0 ? q - 1 : r >= b ? q + 1 : q;
}

/** x rounded to `decimals` with a tariff method, in grid units (× 10^decimals). */
function roundToGrid(x: Rat, decimals: number, method: RoundingMethod): bigint {
  const p = POW10[decimals];
  if (p !== undefined) {
    const nn = Number(x.n);
    const d = Number(x.d);
    if (Math.abs(nn) * p <= SMALL && d <= SMALL) {
      const t = nn * p;
      switch (method) {
        case '*up':
          return BigInt(0 - floorDivN(0 - t, d));
        case '*down':
          return BigInt(floorDivN(t, d));
        default:
          return BigInt(t >= 0 ? floorDivN(2 * t + d, 2 * d) : 0 - floorDivN(d - 2 * t, 2 * d));
      }
    }
  }
  const n = x.n * pow10n(decimals);
  switch (method) {
    case '*up':
      return -floorDiv(-n, x.d);
    case '*down':
      return floorDiv(n, x.d);
    default: // *middle: half up (away from zero for the positive costs of tariffs)
      return n >= 0n ? floorDiv(2n * n + x.d, 2n * x.d) : -floorDiv(-2n * n + x.d, 2n * x.d);
  }
}

// Money of `units` × 10^-decimals, shared between calls (Money is immutable); bounded so odd tariffs cannot grow it.
const gridCache = new Map<number, Map<number, Money>>();
const gridPow = new Map<number, Money>();

function gridMoney(units: bigint, decimals: number): Money {
  if (!isSafe(units)) return new Money(units.toString()).div(new Money(10).pow(decimals));
  return gridMoneyN(Number(units), decimals);
}

/** units: a safe integer. */
function gridMoneyN(units: number, decimals: number): Money {
  let byUnits = gridCache.get(decimals);
  if (!byUnits) gridCache.set(decimals, (byUnits = new Map()));
  let m = byUnits.get(units);
  if (!m) {
    let pow = gridPow.get(decimals);
    if (!pow) gridPow.set(decimals, (pow = new Money(10).pow(decimals)));
    m = new Money(String(units)).div(pow);
    if (byUnits.size >= 4096) byUnits.clear();
    byUnits.set(units, m);
  }
  return m;
}

/** Where a run of rounded totals starts and how it steps, in float64 integers (see gridRun). */
interface GridRun {
  sign: 1 | -1;
  q: number; // ⌊X / M⌋
  r: number; // X mod M
  qy: number; // ⌊Y / M⌋
  ry: number; // Y mod M
  m: number; // M
}

const MAX_MODULUS = 2n ** 52n; // r + ry < 2M ≤ 2^53: every remainder sum is exact in float64

/**
 * The rounded running totals g_k = R((A + k·B) / den), k = 0..count, as one arithmetic progression
 * under a floor: g_k = sign · ⌊(X + k·Y) / M⌋ (R = *down: X = A·10^D, Y = B·10^D, M = den, sign +;
 * *up: the same negated; *middle: ⌊(2n + den) / 2den⌋ mirrored for negative totals). Each step adds
 * ⌊Y/M⌋ and carries the remainder (shortRun counts the steps between carries). null when the numbers do not fit
 * float64 integers exactly or a *middle total changes sign within the run (the caller then divides per increment).
 */
function gridRun(A: bigint, B: bigint, den: bigint, decimals: number, method: RoundingMethod, count: number): GridRun | null {
  const p = POW10[decimals];
  if (p !== undefined) {
    const a = Number(A);
    const b = Number(B);
    const dn = Number(den);
    if (Math.abs(a) * p <= SMALL && Math.abs(b) * p <= SMALL && dn <= SMALL) {
      let run: GridRun | null = null;
      switch (method) {
        case '*up':
          run = floatRun(0 - a * p, 0 - b * p, dn, -1, count);
          break;
        case '*down':
          run = floatRun(a * p, b * p, dn, 1, count);
          break;
        default: {
          const last = A + BigInt(count) * B;
          if (A >= 0n && last >= 0n) run = floatRun(2 * a * p + dn, 2 * b * p, 2 * dn, 1, count);
          else if (A <= 0n && last <= 0n) run = floatRun(dn - 2 * a * p, 0 - 2 * b * p, 2 * dn, -1, count);
          else return null;
        }
      }
      if (run) return run;
    }
  }
  const P = pow10n(decimals);
  let X: bigint;
  let Y: bigint;
  let M: bigint;
  let sign: 1 | -1;
  switch (method) {
    case '*up':
      [X, Y, M, sign] = [-A * P, -B * P, den, -1];
      break;
    case '*down':
      [X, Y, M, sign] = [A * P, B * P, den, 1];
      break;
    default: {
      const last = A + BigInt(count) * B;
      if (A >= 0n && last >= 0n) [X, Y, M, sign] = [2n * A * P + den, 2n * B * P, 2n * den, 1];
      else if (A <= 0n && last <= 0n) [X, Y, M, sign] = [-2n * A * P + den, -2n * B * P, 2n * den, -1];
      else return null;
    }
  }
  if (M > MAX_MODULUS) return null;
  const q = floorDiv(X, M);
  const qy = floorDiv(Y, M);
  // |q_k| ≤ |q| + k·(|qy| + 1) must stay a safe integer (and so must every difference of consecutive totals)
  const absQ = q < 0n ? -q : q;
  const absQy = qy < 0n ? -qy : qy;
  if (absQ + BigInt(count) * (absQy + 1n) > MAX_SAFE) return null;
  return { sign, q: Number(q), r: Number(X - q * M), qy: Number(qy), ry: Number(Y - qy * M), m: Number(M) };
}

/** gridRun in float64 (|X|, |Y| ≤ 2^52, M ≤ 2^51); null when the totals might leave safe integers (BigInt decides then). */
function floatRun(X: number, Y: number, M: number, sign: 1 | -1, count: number): GridRun | null {
  const q = floorDivN(X, M);
  const qy = floorDivN(Y, M);
  // |q| + count·(|qy| + 1) as gridRun bounds it, with margin for this sum's own float rounding
  if (Math.abs(q) + count * (Math.abs(qy) + 1) > 2 ** 52) return null;
  return { sign, q, r: X - q * M, qy, ry: Y - qy * M, m: M };
}

interface EachCost {
  /** what it was computed from */
  value: Money;
  unit: number;
  step: number;
  each: Money;
  /** decimal places of `each` */
  dp: number;
  /** `each` as a reduced rational */
  rat: Rat;
}

// A rate group's cost per increment (price × increment ÷ unit), computed once per group for its own increment.
const eachCache = new WeakMap<RateGroup, EachCost>();

function eachCost(p: RateGroup, step: number): EachCost {
  let e = eachCache.get(p);
  if (!e || e.step !== step || e.value !== p.value || e.unit !== p.rateUnit) {
    const each = p.value.times(step).div(p.rateUnit);
    const v = ratOf(p.value);
    e = { value: p.value, unit: p.rateUnit, step, each, dp: each.decimalPlaces(), rat: reduce({ n: v.n * BigInt(step), d: v.d * BigInt(p.rateUnit) }) };
    if (step === p.rateIncrement) eachCache.set(p, e);
  }
  return e;
}

/**
 * The unit cost a run shows: exact when it has at most 15 significant digits and D + 14 decimals, else
 * rounded to that (price ÷ 60 s does not terminate). Costs travel as JSON numbers (float64) in CallCost,
 * EventCost and CDR CostDetails, and such decimals, as the rounding increment that absorbs the cut, come
 * back from a float64 digit for digit, so a refund from stored CostDetails is still exact.
 */
/**
 * Runs up to this long (2 h 46 min of 1 s increments) keep per-increment cumulative rounding (each
 * increment R(c_k) − R(c_k−1), on the rounding grid): refunding trailing increments leaves exactly the
 * rounded cost of what was used (W6), and a money balance pays them down to exactly 0. Longer runs are
 * one compressed increment at the unit cost after a rounding increment, so size and time stay bounded
 * (a balance that runs out within such a run keeps less than one unit cost).
 */
export const CUMULATIVE_RUN = 10_000;

/**
 * A short run with per-increment cumulative rounding: increment k costs R(c_k) − R(c_k−1), equal
 * neighbours compressed. Closed form (gridRun): every step is ⌊Y/M⌋ or one grid unit more, the latter
 * when the remainder carries past M; so the steps come in alternating runs of equal cost whose lengths
 * are quotients of remainders, and the work is one division per run, not one step per increment. When
 * the numbers do not fit gridRun, each total is rounded on its own.
 */
function shortRun(incs: Increment[], step: number, c: Rat, e: Rat, count: number, g: bigint, gEnd: bigint, D: number, method: RoundingMethod): void {
  const den = c.d * e.d;
  const A = c.n * e.d;
  const B = e.n * c.d;
  const run = gridRun(A, B, den, D, method, count);
  if (run) {
    const { sign, qy, ry, m } = run;
    const low = gridMoneyN(sign > 0 ? qy : 0 - qy, D); // 0 - x, not -x: no negative zero
    if (ry === 0) {
      pushRun(incs, step, low, count);
      return;
    }
    const high = gridMoneyN(sign > 0 ? qy + 1 : 0 - (qy + 1), D);
    // rem: the remainder before the next step (0 ≤ rem < m). A step adds ry and carries (costs `high`)
    // when that reaches m. From rem, ⌊(m − 1 − rem) / ry⌋ steps in a row do not carry; from rem ≥ m − ry,
    // ⌊rem / (m − ry)⌋ steps in a row do, each leaving m − ry less. Every operand and quotient is below
    // 2m ≤ 2^53, so float64 division is exact up to its floor. A full run is followed by the other kind.
    // The steps are periodic: once rem is back at the start of the second run (the first may begin
    // mid-period), the runs since repeat, and whole periods are copied without dividing.
    const drop = m - ry;
    let rem = run.r;
    let left = count;
    let runs = 0;
    let periodRem = -1; // rem at the start of the second run, while runs are recorded
    let periodLen = 0; // steps recorded
    while (left > 0) {
      if (runs === 1) periodRem = rem;
      else if (rem === periodRem) {
        const k = runs - 1;
        for (; left >= periodLen; left -= periodLen) {
          for (let j = 0; j < k; j++) pushRun(incs, step, periodHigh[j] ? high : low, periodRuns[j]);
        }
        periodRem = -1;
        if (left === 0) break;
      }
      let n: number;
      const isHigh = rem >= drop;
      if (isHigh) {
        n = Math.min(left, Math.floor(rem / drop));
        rem -= n * drop;
      } else {
        n = Math.min(left, Math.floor((m - 1 - rem) / ry));
        rem += n * ry;
      }
      pushRun(incs, step, isHigh ? high : low, n);
      left -= n;
      if (periodRem >= 0) {
        if (runs > PERIOD_RUNS) periodRem = -1;
        else {
          periodRuns[runs - 1] = n;
          periodHigh[runs - 1] = isHigh ? 1 : 0;
          periodLen += n;
        }
      }
      runs++;
    }
    return;
  }
  let last: Increment | undefined;
  let prev = g;
  for (let k = 1; k <= count; k++) {
    const gk = k === count ? gEnd : roundToGrid({ n: A + BigInt(k) * B, d: den }, D, method);
    const cost = gridMoney(gk - prev, D);
    // by value: past float64 integers gridMoney makes a new Money each time
    if (last && last.cost.eq(cost)) last.compressFactor++;
    else incs.push((last = { durationNs: step, cost, compressFactor: 1 }));
    prev = gk;
  }
}

// One period of runs as shortRun records it (the longest it looks for; a longer period is not copied).
const PERIOD_RUNS = 64;
const periodRuns = new Float64Array(PERIOD_RUNS + 1);
const periodHigh = new Uint8Array(PERIOD_RUNS + 1);

/** n (≥ 1) increments of one cost, as one increment. */
function pushRun(incs: Increment[], step: number, cost: Money, n: number): void {
  incs.push({ durationNs: step, cost, compressFactor: n });
}

function shownUnit(each: Money, D: number): Money {
  return each.toSignificantDigits(15, Money.ROUND_HALF_UP).toDecimalPlaces(D + 14, Money.ROUND_HALF_UP);
}

const ratSub = (a: Rat, b: Rat): Rat => reduce({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });

/** Whole units of e that fit in room (room ≥ 0, e > 0). */
const unitsWithin = (room: Rat, e: Rat): bigint => floorDiv(room.n * e.d, room.d * e.n);

/**
 * Exact mode. A span costs price × duration ÷ unit exactly; the call's running total c (costSoFar of
 * earlier pieces included) is rounded with the call's longest rounding R, and a span's increments add
 * up to R(c_end) − R(c_start): so the increments of a call add up exactly to its rounded cost, and the
 * pieces of a session continue one another's rounding.
 *
 * Compact increments (rule 3) and closed form (rule 4): a run of n increments is one increment at the
 * unit cost with CompressFactor n, whatever n. When the unit cost is on the rounding grid, rounding
 * commutes with adding it and that is all; a run of up to CUMULATIVE_RUN increments keeps the
 * per-increment cumulative rounding (equal neighbours compressed); a longer one is headed by a zero-duration `rounding` increment
 * with R(c_end) − R(c_start) − n × unit (under one grid step), so refunding trailing increments gives
 * back their price and leaves the tariff rounding charged. A unit cost that does not fit a float64
 * (price ÷ 60 s) is cut (shownUnit) and the rounding increment absorbs the rest.
 *
 * MaxCost *free (rule 6) is the tariff's cap for the whole call: once a *free rate applies, the call's
 * running total (connect fee and earlier periods included) never exceeds MaxCost. The increment that
 * crosses it pays up to it, later ones are free, and a call already above it on entering the *free
 * period is brought back to it by a zero-duration increment at that period's head.
 */
function costExact(cc: CallCost, tss: TimeSpan[], spans: Span[], connectFee: boolean, maxInc: number, prior: Money): void {
  const r = longestRounding(tss);
  if (r.method === '') return costExactUnrounded(cc, tss, spans, connectFee, maxInc, prior);
  const D = r.decimals;
  const R = (x: Rat): bigint => roundToGrid(x, D, r.method);
  let c = ratOf(prior);
  let g = R(c);
  const g0 = g;
  for (let i = 0; i < tss.length; i++) {
    const ts = tss[i];
    const ri = ts.rateInterval;
    const incs: Increment[] = [];
    const gStart = g;
    if (ri) {
      const cap = ri.rating.maxCostStrategy === '*free' && ri.rating.maxCost.gt(0) ? ratOf(ri.rating.maxCost) : null;
      if (connectFee && i === 0) {
        c = ratAdd(c, ratOf(ri.rating.connectFee));
        const ng = R(c);
        incs.push({ durationNs: 0, cost: gridMoney(ng - g, D), compressFactor: 1, connectFee: true });
        g = ng;
      }
      if (cap && ratGt(c, cap)) {
        c = cap;
        const ng = R(c);
        if (ng !== g) incs.push({ durationNs: 0, cost: gridMoney(ng - g, D), compressFactor: 1, rounding: true });
        g = ng;
      }
      const p = rateParams(ri, groupStart(spans[i]));
      if (p) {
        const nb = Math.trunc(spanDuration(ts) / p.rateIncrement);
        const step = nb > maxInc ? spanDuration(ts) : p.rateIncrement; // too many increments: one increment for the span
        const count = nb > maxInc ? 1 : nb;
        const { each, dp, rat: e } = eachCost(p, step);
        let full = count;
        if (cap && e.n > 0n) {
          const k = unitsWithin(ratSub(cap, c), e);
          if (k < BigInt(count)) full = Number(k);
        }
        if (full > 0) {
          const cEnd = reduce({ n: c.n * e.d + BigInt(full) * e.n * c.d, d: c.d * e.d });
          const gEnd = R(cEnd);
          if (dp <= D) incs.push({ durationNs: step, cost: each, compressFactor: full });
          else if (full <= CUMULATIVE_RUN) shortRun(incs, step, c, e, full, g, gEnd, D, r.method);
          else {
            const unit = shownUnit(each, D);
            const slack = gridMoney(gEnd - g, D).minus(unit.times(full));
            if (!slack.isZero()) incs.push({ durationNs: 0, cost: slack, compressFactor: 1, rounding: true });
            incs.push({ durationNs: step, cost: unit, compressFactor: full });
          }
          c = cEnd;
          g = gEnd;
        }
        if (cap && full < count) {
          // the increment crossing MaxCost pays up to it, the rest of the *free period is free
          c = cap;
          const ng = R(c);
          incs.push({ durationNs: step, cost: gridMoney(ng - g, D), compressFactor: 1 });
          g = ng;
          if (count - full - 1 > 0) incs.push({ durationNs: step, cost: ZERO, compressFactor: count - full - 1 });
        }
      }
    }
    ts.increments = incs;
    ts.cost = gridMoney(g - gStart, D);
  }
  cc.cost = gridMoney(g - g0, D);
  cc.costSoFar = ratToMoney(c);
}

/** Exact mode when no timespan asks for rounding: increments are the exact amounts (MaxCost as costExact). */
function costExactUnrounded(cc: CallCost, tss: TimeSpan[], spans: Span[], connectFee: boolean, maxInc: number, prior: Money): void {
  let c = prior;
  for (let i = 0; i < tss.length; i++) {
    const ts = tss[i];
    const ri = ts.rateInterval;
    const incs: Increment[] = [];
    const cStart = c;
    if (ri) {
      const cap = ri.rating.maxCostStrategy === '*free' && ri.rating.maxCost.gt(0) ? ri.rating.maxCost : null;
      if (connectFee && i === 0) {
        c = c.plus(ri.rating.connectFee);
        incs.push({ durationNs: 0, cost: ri.rating.connectFee, compressFactor: 1, connectFee: true });
      }
      if (cap && c.gt(cap)) {
        incs.push({ durationNs: 0, cost: cap.minus(c), compressFactor: 1, rounding: true });
        c = cap;
      }
      const p = rateParams(ri, groupStart(spans[i]));
      if (p) {
        const nb = Math.trunc(spanDuration(ts) / p.rateIncrement);
        const step = nb > maxInc ? spanDuration(ts) : p.rateIncrement;
        const count = nb > maxInc ? 1 : nb;
        const { each, rat: e } = eachCost(p, step);
        let full = count;
        if (cap && e.n > 0n) {
          const k = unitsWithin(ratSub(ratOf(cap), ratOf(c)), e);
          if (k < BigInt(count)) full = Number(k);
        }
        if (full > 0) {
          incs.push({ durationNs: step, cost: each, compressFactor: full });
          c = c.plus(each.times(full));
        }
        if (cap && full < count) {
          incs.push({ durationNs: step, cost: Money.max(ZERO, cap.minus(c)), compressFactor: 1 });
          c = Money.max(c, cap);
          if (count - full - 1 > 0) incs.push({ durationNs: step, cost: ZERO, compressFactor: count - full - 1 });
        }
      }
    }
    ts.increments = incs;
    ts.cost = c.minus(cStart);
  }
  cc.cost = c.minus(prior);
  cc.costSoFar = c;
}
