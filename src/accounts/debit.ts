// Debiting a rated call from an account, as CGRateS does it (rating-semantics 4.5, 4.7, 5.3-5.6):
// unit balances first (free `*zero<dur>` units or units rated with the balance's subject and paid
// from money), then money balances, then the rest goes to *default (when the call may go
// negative). Also max usage (a dry run), MaxDebit, the tariff rounding of debits and refunds.
import { randomUUID } from 'node:crypto';
import { AccurateError, ERR } from '../util/errors.js';
import { Money, ZERO } from '../util/money.js';
import { fromFloat } from './arith.js';
import { roundCgrates } from '../rating/float.js';
import { parseDuration } from '../util/duration.js';
import type { AccountingCtx, RatingSource } from './context.js';
import { refundBalanceValue, subtractBalanceValue } from './context.js';
import { type Account, type Balance, DEFAULT_BALANCE_ID, MONETARY, VOICE, cloneAccount, newBalance } from './model.js';
import {
  newCallDescriptor, rateCall, rateParams, spanDuration, type BalanceInfo, type CallCost, type CallDescriptor, type CostInterval, type Increment, type TimeSpan,
} from '../rating/index.js';
// The call model and its request are rating's (one model); accounts re-export what their users need.
export type { BalanceInfo, CallCost, CallDescriptor, Increment, MonetaryInfo, TimeSpan, UnitInfo } from '../rating/index.js';
import { type BalanceRef, allBalancesForPrefix, balanceActiveAt, matchingPrefixAndDestId } from './selection.js';
import { countUnits } from './triggers.js';
import { sumIncrements } from './increment-sum.js';

/**
 * A debit request: rating's CallDescriptor (the one request type) with the fields only a debit reads.
 * Its maxCostSoFar is the debits' running total (CGRateS's float64 sum in `*cgrates`, via the arith).
 */
export interface DebitDescriptor extends CallDescriptor {
  maxRate: Money;
  maxRateUnitNs: number;
  performRounding: boolean;
  denyNegativeAccount: boolean;
  forceDuration: boolean;
  dryRun: boolean;
  extraFields: Record<string, string>;
  /** Increments to refund (RefundIncrements / RefundRounding). */
  increments: Increment[];
}

export function newDebitDescriptor(init: Partial<DebitDescriptor> & Pick<CallDescriptor, 'anchorMs' | 'endNs'>): DebitDescriptor {
  return newCallDescriptor<Omit<DebitDescriptor, keyof CallDescriptor>>(init, {
    maxRate: ZERO, maxRateUnitNs: 0, performRounding: false, denyNegativeAccount: false, forceDuration: false, dryRun: false, extraFields: {}, increments: [],
  });
}

export function cloneCd(cd: DebitDescriptor): DebitDescriptor {
  return { ...cd, extraFields: { ...cd.extraFields }, increments: cd.increments };
}

export function accountKeyOf(cd: CallDescriptor): string {
  return `${cd.tenant}:${cd.account !== '' ? cd.account : cd.subject}`;
}

const durationOf = (cd: CallDescriptor) => cd.endNs - cd.startNs;
const startMs = (cd: CallDescriptor) => cd.anchorMs + Math.floor(cd.startNs / 1e6);
const tsDuration = spanDuration;

export function createCallCost(cd: CallDescriptor): CallCost {
  return {
    category: cd.category, tenant: cd.tenant, subject: cd.subject, account: cd.account, destination: cd.destination, tor: cd.tor,
    cost: ZERO, timespans: [], ratedUsageNs: 0, anchorMs: cd.anchorMs, connectFee: ZERO, deductConnectFee: cd.loopIndex === 0,
    negativeConnectFee: false, maxCostDisconnect: false, maxCostSoFar: 0, costSoFar: cd.costSoFar,
  };
}

const emptyInfo = (): BalanceInfo => ({ unit: null, monetary: null, accountId: '' });

/** Increments.GetTotalCost, then TimeSpan.CalculateCost. */
export function calculateCost(ctx: Pick<AccountingCtx, 'arith'>, ts: TimeSpan): Money {
  if (ts.increments.length === 0) return ts.cost;
  if (ctx.arith.mode === '*cgrates') {
    // CGRateS sums a debit's increments before compressing them: one float64 addition per increment
    let x = 0;
    for (const inc of ts.increments) {
      const c = inc.cost.toNumber();
      if (c === 0) continue; // x + 0 is x, also for the 10^7 free units of a data session
      for (let k = Math.max(1, inc.compressFactor); k > 0; k--) x += c;
    }
    return fromFloat(roundCgrates(x, ctx.arith.decimals, '*middle'));
  }
  return ctx.arith.sum(ts.increments.map((i) => ctx.arith.mulInt(i.cost, i.compressFactor)));
}

/**
 * CGRateS CallDescriptor.getCost: [cd.startNs, cd.endNs) rated with `subject`, as a debit takes it
 * (timespans at the CD's offsets). getCost's increments carry no connect
 * fee (the debit adds it itself), so rating's connect-fee increment is taken out; its cost stays the
 * CallCost's connectFee (the tariff's, except that `*exact` may round it). Throws (AccurateError)
 * RATING_PLAN_NOT_FOUND / UNAUTHORIZED_DESTINATION.
 */
export function ratePiece(rating: RatingSource, cd: CallDescriptor, subject = cd.subject, account = cd.account): CallCost {
  if (cd.durationIndexNs < durationOf(cd)) cd.durationIndexNs = durationOf(cd);
  if (cd.tor === '') cd.tor = VOICE;
  // getCost's MaxCost running total starts at 0: a debit keeps its own in cd.maxCostSoFar
  const rated = rateCall(rating.index, { ...cd, subject, account, maxCostSoFar: ZERO }, rating.rateOptions);
  const cc = createCallCost(cd);
  cc.cost = rated.cost;
  cc.costSoFar = rated.costSoFar;
  cc.connectFee = rated.connectFee;
  // Fresh objects of one shape (what a session keeps per debit for its whole life), the rate interval by reference.
  cc.timespans = rated.timespans.map((ts): TimeSpan => {
    const increments = ts.increments.filter((i) => !i.connectFee)
      .map((i): Increment => ({ durationNs: i.durationNs, cost: i.cost, compressFactor: i.compressFactor, balanceInfo: emptyInfo() }));
    return {
      startNs: ts.startNs, endNs: ts.endNs, cost: sumIncrements(increments), rateInterval: ts.rateInterval,
      durationIndexNs: ts.durationIndexNs, increments, roundIncrement: null, matchedSubject: ts.matchedSubject, matchedPrefix: ts.matchedPrefix,
      matchedDestId: ts.matchedDestId, ratingPlanId: ts.ratingPlanId,
    };
  });
  return cc;
}

/** CallDescriptor.getCost with the CD's own subject. */
async function getCost(ctx: AccountingCtx, cd: DebitDescriptor): Promise<CallCost> {
  return ratePiece(ctx.rating, cd);
}

/** Balance.GetCost: rated with the balance's RatingSubject when it is a real subject. */
async function balanceGetCost(ctx: AccountingCtx, b: Balance, cd: DebitDescriptor, standardIfEmpty: boolean): Promise<CallCost> {
  if (b.ratingSubject !== '' && !b.ratingSubject.startsWith('*zero')) {
    return ratePiece(ctx.rating, cd, b.ratingSubject, b.ratingSubject);
  }
  if (standardIfEmpty) return getCost(ctx, cd);
  return createCallCost(cd);
}

/** utils.ParseZeroRatingSubject: the unit of a free balance, or null when the balance is rated. */
export function zeroRatingUnit(tor: string, ratingSubject: string, defaults: Record<string, string>, isUnitBal: boolean): number | null {
  let rs = ratingSubject.trim();
  if (!isUnitBal && rs === '') return null;
  if (rs === '' || rs === '*any') rs = defaults[tor] ?? defaults['*any'] ?? '';
  if (!rs.startsWith('*zero')) return null;
  const text = rs.slice('*zero'.length);
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return Math.trunc(Number(text));
  try {
    return parseDuration(text);
  } catch {
    return null;
  }
}

export function getDefaultMoneyBalance(acc: Account): Balance {
  const found = (acc.balanceMap[MONETARY] ?? []).find((b) => b.id === DEFAULT_BALANCE_ID);
  if (found) return found;
  const b = newBalance({ uuid: randomUUID(), id: DEFAULT_BALANCE_ID });
  (acc.balanceMap[MONETARY] ??= []).push(b);
  return b;
}

/** Whole times `part` fits in `whole` (both > 0), exactly. */
function fits(whole: Money, part: Money): number {
  return whole.div(part).floor().toNumber();
}

/**
 * soFar + n × cost as n one-by-one additions give it: exact in `*exact`; in `*cgrates` CGRateS's float64
 * running total, whose rounding error decides MaxCost cuts (W5), so the additions are replayed (floats only).
 */
function addTimes(ctx: Pick<AccountingCtx, 'arith'>, soFar: Money, cost: Money, n: number): Money {
  if (n === 1) return ctx.arith.add(soFar, cost);
  if (ctx.arith.mode !== '*cgrates') return soFar.plus(cost.times(n));
  let x = soFar.toNumber();
  const c = cost.toNumber();
  for (let j = 0; j < n; j++) x += c;
  return fromFloat(x);
}

/** How many of n additions of cost > 0 to soFar happen while the total is still below limit (at least one). */
function addsBelow(ctx: Pick<AccountingCtx, 'arith'>, soFar: Money, cost: Money, limit: Money, n: number): number {
  if (ctx.arith.mode !== '*cgrates') return Math.min(n, Math.max(1, limit.minus(soFar).div(cost).ceil().toNumber()));
  let x = soFar.toNumber();
  const c = cost.toNumber();
  const m = limit.toNumber();
  let j = 0;
  while (j < n && x < m) {
    x += c;
    j++;
  }
  return Math.max(1, j);
}

/** Splits a compressed run so that its first `k` increments are one increment (0 < k < its factor). */
function splitRun(ts: TimeSpan, index: number, k: number): void {
  const inc = ts.increments[index];
  if (k <= 0 || k >= inc.compressFactor) return;
  ts.increments.splice(index + 1, 0, { ...inc, compressFactor: inc.compressFactor - k, balanceInfo: emptyInfo() });
  inc.compressFactor = k;
}

/** TimeSpan.SplitByIncrement keeping the head. */
function cutAtIncrement(ts: TimeSpan, index: number): void {
  if (index <= 0 || index >= ts.increments.length) return;
  const kept = ts.increments.slice(0, index);
  const newEnd = ts.startNs + kept.reduce((s, i) => s + i.durationNs * i.compressFactor, 0);
  const tail = ts.endNs - newEnd;
  ts.increments = kept;
  ts.endNs = newEnd;
  ts.durationIndexNs = Math.max(0, ts.durationIndexNs - tail);
}

/** TimeSpan.RoundToDuration. */
function roundToDuration(ts: TimeSpan, unit: number): void {
  const d = tsDuration(ts);
  let target = unit;
  if (target < d) target = d % unit === 0 ? d : Math.floor(d / unit) * unit + unit;
  if (target > d) {
    ts.endNs = ts.startNs + target;
    ts.durationIndexNs += target - d;
  }
}

// The free intervals of `*zero<dur>` units, one per unit (immutable, shared by every debit).
const zeroIntervals = new Map<number, CostInterval>();

/** A `*zero<dur>` unit balance's rate interval: free units of `unit` ns, no timing. */
function zeroRateInterval(unit: number): CostInterval {
  let ri = zeroIntervals.get(unit);
  if (!ri) {
    ri = {
      timing: null,
      rating: {
        rateId: '', connectFee: ZERO, connectFeeF: 0, roundingMethod: '', roundingDecimals: 0, maxCost: ZERO, maxCostF: 0, maxCostStrategy: '',
        rates: [{ groupIntervalStart: 0, value: ZERO, valueF: 0, rateIncrement: unit, rateUnit: unit }],
      },
      weight: 0,
    };
    if (zeroIntervals.size >= 1024) zeroIntervals.clear();
    zeroIntervals.set(unit, ri);
  }
  return ri;
}

interface FeeResult {
  ok: boolean;
  paidBy: { uuid: string; id: string; value: Money } | null;
}

/** Account.DebitConnectionFee: first active money balance able to pay; a blocker stops; else *default goes negative. */
function debitConnectionFee(ctx: AccountingCtx, acc: Account, cc: CallCost, fee: Money, money: BalanceRef[], count: boolean): FeeResult {
  if (!cc.deductConnectFee) return { ok: true, paidBy: null };
  const at = cc.anchorMs + Math.floor((cc.timespans[0]?.startNs ?? 0) / 1e6);
  for (const ref of money) {
    const b = ref.balance;
    if (!balanceActiveAt(ctx, b, at)) continue;
    if (ctx.arith.gte(b.value, fee)) {
      subtractBalanceValue(ctx, ref.account, b, fee);
      if (count) {
        countUnits(ctx, acc, new Money(1), '*event_connect', cc, b);
        countUnits(ctx, acc, fee, MONETARY, cc, b);
      }
      return { ok: true, paidBy: { uuid: b.uuid, id: b.id, value: b.value } };
    }
    if (b.blocker) return { ok: false, paidBy: null };
  }
  if (fee.gt(0)) {
    cc.negativeConnectFee = true;
    const d = getDefaultMoneyBalance(acc);
    subtractBalanceValue(ctx, acc, d, fee);
    if (count) {
      countUnits(ctx, acc, new Money(1), '*event_connect', cc, d);
      countUnits(ctx, acc, fee, MONETARY, cc, d);
    }
    return { ok: true, paidBy: { uuid: d.uuid, id: d.id, value: d.value } };
  }
  return { ok: true, paidBy: null };
}

function feeIncrement(fee: Money, paidBy: FeeResult['paidBy'], accountId: string): Increment {
  return {
    durationNs: 0, cost: fee, compressFactor: 1,
    balanceInfo: { unit: null, monetary: paidBy ? { ...paidBy, rateInterval: null } : { uuid: '', id: '', value: ZERO, rateInterval: null }, accountId },
  };
}

/** Distinct costs a stretch may hold before the per-increment path is as cheap (see payStretch). */
const STRETCH_COSTS = 8;

/**
 * Max usage (ctx.whoPaysOnly, `*exact`): a money balance pays, from increment `from` on, the longest
 * stretch of whole increments it can, at once. One by one, an increment of cost ≥ 0 is paid while the
 * balance still holds it, i.e. while the stretch's running total stays within the balance; so the
 * stretch ends before the first increment whose running total exceeds it (a binary search over totals
 * kept per distinct cost). The increment the balance pays only in part, and any negative one, are left
 * to the per-increment path. Returns the index after the last increment paid (`from` when none).
 */
function payStretch(ctx: AccountingCtx, ref: BalanceRef, ts: TimeSpan, from: number, cd: DebitDescriptor): number {
  const incs = ts.increments;
  const costs: Money[] = [];
  const which: number[] = [];
  const seen = new Map<Money, number>();
  for (let q = from; q < incs.length; q++) {
    const c = incs[q].cost;
    if (c.isNegative()) break;
    let d = seen.get(c);
    if (d === undefined) {
      if (costs.length === STRETCH_COSTS) break;
      d = costs.length;
      seen.set(c, d);
      costs.push(c);
    }
    which.push(d);
  }
  if (which.length < 2) return from;
  const totalOf = (len: number): Money => {
    const n = new Array<number>(costs.length).fill(0);
    for (let q = 0; q < len; q++) n[which[q]] += incs[from + q].compressFactor;
    let sum = ZERO;
    for (let d = 0; d < costs.length; d++) if (n[d] > 0) sum = sum.plus(costs[d].times(n[d]));
    return sum;
  };
  const b = ref.balance;
  let len = which.length;
  let paid = totalOf(len);
  if (paid.gt(b.value)) {
    let lo = 0; // totalOf(lo) ≤ value < totalOf(hi)
    let hi = len;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (totalOf(mid).lte(b.value)) lo = mid;
      else hi = mid;
    }
    len = lo;
    if (len === 0) return from;
    paid = totalOf(len);
  }
  subtractBalanceValue(ctx, ref.account, b, paid);
  cd.maxCostSoFar = ctx.arith.add(cd.maxCostSoFar, paid);
  // who paid: all max usage reads of these increments (one shared record, the balance as the stretch leaves it)
  const info: BalanceInfo = {
    unit: null, accountId: ref.account.id,
    monetary: { uuid: b.uuid, id: b.id, value: b.value, rateInterval: b.ratingSubject !== '' ? ts.rateInterval : null },
  };
  for (let q = from; q < from + len; q++) incs[q].balanceInfo = info;
  return from + len;
}

/** Balance.debit: what one balance covers of [cd.start, cd.end); null when nothing. */
async function balanceDebit(
  ctx: AccountingCtx, ref: BalanceRef, cd: DebitDescriptor, money: BalanceRef[], count: boolean, dryRun: boolean,
  debitFee: boolean, isUnitBal: boolean,
): Promise<CallCost | null> {
  const b = ref.balance;
  const ub = ref.account;
  if (!balanceActiveAt(ctx, b, startMs(cd)) || b.value.lte(0)) return null;
  const tor = isUnitBal ? cd.tor : MONETARY;
  const factor = b.factors?.[cd.extraFields.BalanceFactorID ?? ''] ?? 1;
  const scaled = (ns: number): Money =>
    factor === 1 ? new Money(ns) : ctx.arith.round(new Money(ns).times(factor), ctx.arith.decimals, '*up');

  const unit = zeroRatingUnit(tor, b.ratingSubject, ctx.balanceRatingSubject, isUnitBal);
  if (unit !== null && unit > 0) {
    const cc = createCallCost(cd);
    const ts: TimeSpan = {
      startNs: cd.startNs, endNs: cd.endNs, cost: ZERO, rateInterval: zeroRateInterval(unit), durationIndexNs: 0, increments: [],
      roundIncrement: null, matchedSubject: b.uuid, matchedPrefix: '', matchedDestId: '', ratingPlanId: '*none',
    };
    roundToDuration(ts, unit);
    const m = matchingPrefixAndDestId(ctx, b, cd.destination);
    ts.matchedPrefix = m.prefix || cd.destination;
    ts.matchedDestId = m.destId || '*any';
    const n = Math.floor(tsDuration(ts) / unit);
    cc.timespans = [ts];
    if (n === 0) return cc;
    // One compressed run for the n free units, whatever n (a *data session counts 10^7 of them): as many
    // as the balance holds are taken at once, the same as taking them one by one.
    const amount = scaled(unit);
    const k = amount.gt(0) ? Math.min(n, fits(b.value, amount)) : n;
    if (k <= 0) return null;
    const total = ctx.arith.mulInt(amount, k);
    subtractBalanceValue(ctx, ub, b, total);
    ts.increments.push({
      durationNs: unit, cost: ZERO, compressFactor: k,
      balanceInfo: {
        unit: { uuid: b.uuid, id: b.id, value: b.value, destinationId: cc.destination, consumed: amount, factor, category: cd.category, tor, rateInterval: null },
        monetary: null,
        accountId: ub.id,
      },
    });
    if (count) countUnits(ctx, ub, total, tor, cc, b);
    if (k < n) {
      const tail = ts.endNs - (ts.startNs + k * unit);
      ts.endNs = ts.startNs + k * unit;
      ts.durationIndexNs = Math.max(0, ts.durationIndexNs - tail);
    }
    return cc;
  }

  const cc = await balanceGetCost(ctx, b, cd, true);
  let fee: FeeResult = { ok: false, paidBy: null };
  if (debitFee) {
    fee = debitConnectionFee(ctx, ub, cc, cc.connectFee, money, count);
    if (!fee.ok) return null;
  }
  for (let t = 0; t < cc.timespans.length; t++) {
    const ts = cc.timespans[t];
    if (!ts.rateInterval) throw new AccurateError(`${ERR.SERVER_ERROR}: timespan with no rate interval assigned`, ERR.SERVER_ERROR);
    const ri = ts.rateInterval;
    const { maxCost, maxCostStrategy } = ri.rating;
    const feeInc = t === 0 && cc.connectFee.gt(0) && debitFee && cc.deductConnectFee && fee.ok;
    if (feeInc) ts.increments.unshift(feeIncrement(cc.connectFee, fee.paidBy, ub.id));
    for (let i = 0; i < ts.increments.length; i++) {
      if (t === 0 && i === 0 && cc.connectFee.gt(0) && cc.deductConnectFee && fee.ok) continue;
      if (ctx.whoPaysOnly && !isUnitBal && ctx.arith.mode === '*exact' && maxCostStrategy !== '*free' && maxCostStrategy !== '*disconnect') {
        const next = payStretch(ctx, ref, ts, i, cd);
        if (next > i) {
          i = next - 1;
          continue;
        }
      }
      const inc = ts.increments[i];
      const capped = maxCostStrategy === '*free' || maxCostStrategy === '*disconnect';
      // `*exact` rating already caps the whole call at a *free MaxCost; its zero-duration increment bringing a
      // call back down to the cap is charged (a credit), not made free.
      const backToCap = ctx.arith.mode === '*exact' && inc.cost.lt(0) && inc.durationNs === 0;
      if (ctx.arith.gte(cd.maxCostSoFar, maxCost) && !backToCap) {
        if (maxCostStrategy === '*free') {
          inc.cost = ZERO;
          inc.balanceInfo = {
            unit: null, accountId: ub.id,
            monetary: { uuid: b.uuid, id: b.id, value: b.value, rateInterval: b.ratingSubject !== '' || isUnitBal ? ri : null },
          };
          if (count) countUnits(ctx, ub, ZERO, MONETARY, cc, b);
          continue;
        }
        cc.maxCostDisconnect = maxCostStrategy === '*disconnect';
        if (cc.maxCostDisconnect && dryRun) {
          if (i === 0) cc.timespans = cc.timespans.slice(0, t);
          else {
            cutAtIncrement(ts, i);
            cc.timespans = cc.timespans.slice(0, t + 1);
          }
          advanceCostSoFar(cd, cc);
          return cc;
        }
      }
      let amount = new Money(inc.durationNs);
      const cost = inc.cost;
      let can = ctx.arith.gte(b.value, cost);
      let moneyRef: BalanceRef | null = null;
      // A compressed run is taken in chunks of increments that all go the same way as its first: a chunk
      // ends where MaxCostSoFar reaches MaxCost or a paying balance runs short (rule 5: no per-unit loop).
      let k = inc.compressFactor;
      if (capped && cost.gt(0) && !ctx.arith.gte(cd.maxCostSoFar, maxCost)) {
        k = addsBelow(ctx, cd.maxCostSoFar, cost, maxCost, k);
      }
      if (isUnitBal) {
        amount = scaled(inc.durationNs);
        moneyRef = money.find((m) => ctx.arith.gte(m.balance.value, cost)) ?? null;
        if (moneyRef && cost.gt(0)) k = Math.min(k, fits(moneyRef.balance.value, cost));
        if (!cost.isZero() && !moneyRef && (!dryRun || ub.allowNegative)) {
          if (!ub.allowNegative) ctx.log.warning(`<RALs> Going negative on account ${ub.id} with AllowNegative: false`);
          moneyRef = { balance: getDefaultMoneyBalance(ub), account: ub };
        }
        can = ctx.arith.gte(b.value, amount) && (moneyRef !== null || cost.isZero());
        if (can && amount.gt(0)) k = Math.min(k, fits(b.value, amount));
      } else if (can && cost.gt(0)) k = Math.min(k, fits(b.value, cost));
      if (can && k < inc.compressFactor) splitRun(ts, i, k);
      if (!can) {
        if (i === 0) cc.timespans = cc.timespans.slice(0, t);
        else {
          cutAtIncrement(ts, i);
          cc.timespans = cc.timespans.slice(0, t + 1);
        }
        advanceCostSoFar(cd, cc);
        return cc.timespans.length === 0 ? null : cc;
      }
      const units = inc.compressFactor;
      const costAll = units === 1 ? cost : ctx.arith.mulInt(cost, units);
      if (isUnitBal) {
        const amountAll = units === 1 ? amount : ctx.arith.mulInt(amount, units);
        subtractBalanceValue(ctx, ub, b, amountAll);
        inc.balanceInfo = {
          unit: { uuid: b.uuid, id: b.id, value: b.value, destinationId: cc.destination, consumed: amount, factor, category: cc.category, tor: cc.tor, rateInterval: ri },
          monetary: null,
          accountId: ub.id,
        };
        if (!cost.isZero() && moneyRef) {
          subtractBalanceValue(ctx, moneyRef.account, moneyRef.balance, costAll);
          const mb = moneyRef.balance;
          inc.balanceInfo.monetary = { uuid: mb.uuid, id: mb.id, value: mb.value, rateInterval: null };
          cd.maxCostSoFar = addTimes(ctx, cd.maxCostSoFar, cost, units);
        }
        if (count) {
          countUnits(ctx, ub, amountAll, cc.tor, cc, b);
          if (!cost.isZero() && moneyRef) countUnits(ctx, ub, costAll, MONETARY, cc, moneyRef.balance);
        }
      } else {
        subtractBalanceValue(ctx, ub, b, costAll);
        cd.maxCostSoFar = addTimes(ctx, cd.maxCostSoFar, cost, units);
        inc.balanceInfo = {
          unit: null, accountId: ub.id,
          monetary: { uuid: b.uuid, id: b.id, value: b.value, rateInterval: b.ratingSubject !== '' ? ri : null },
        };
        if (count) countUnits(ctx, ub, costAll, MONETARY, cc, b);
      }
    }
  }
  if (!isUnitBal && cc.timespans.length === 0) return null;
  cd.costSoFar = cc.costSoFar;
  return cc;
}

/**
 * `*exact`: after a piece cut short, the cost so far is the prior plus what the kept increments
 * charged (rounded values: the cumulative rounding then restarts from a rounded base).
 */
function advanceCostSoFar(cd: DebitDescriptor, cc: CallCost): void {
  cd.costSoFar = cd.costSoFar.plus(sumIncrements(cc.timespans.flatMap((ts) => ts.increments)));
}

function ccEndNs(cc: CallCost): number {
  return cc.timespans[cc.timespans.length - 1].endNs;
}

/** Account.debitCreditBalance. */
export async function debitCreditBalance(
  ctx: AccountingCtx, acc: Account, cd: DebitDescriptor, count: boolean, dryRun: boolean, goNegative: boolean,
): Promise<CallCost> {
  const at = startMs(cd);
  const units = allBalancesForPrefix(ctx, acc, cd.destination, cd.category, cd.tor, at);
  const money = allBalancesForPrefix(ctx, acc, cd.destination, cd.category, MONETARY, at);
  const cc = createCallCost(cd);

  // Balances that paid a piece covering no time (a zero-duration `*exact` rounding increment heading
  // the rest of a run) since time last advanced: a second such piece from one balance is no progress,
  // else a balance left with less than the next increment would be retried forever.
  const stalled = new Set<BalanceRef>();
  const tryBalances = async (list: BalanceRef[], isUnit: boolean): Promise<'done' | 'stop' | 'progress' | 'none'> => {
    let progress = false;
    let again = true;
    while (again) {
      again = false;
      for (const ref of list) {
        const part = await balanceDebit(ctx, ref, cd, money, count, dryRun, cc.timespans.length === 0, isUnit);
        if (part && part.timespans.length > 0) {
          const before = cd.startNs;
          cc.timespans.push(...part.timespans);
          cc.negativeConnectFee = part.negativeConnectFee;
          cd.startNs = ccEndNs(cc);
          if (durationOf(cd) <= 0) return 'done';
          if (cd.startNs > before) stalled.clear();
          if (cd.startNs > before || !stalled.has(ref)) {
            if (cd.startNs === before) stalled.add(ref);
            again = true;
            progress = true;
          }
          if (dryRun && part.maxCostDisconnect) return 'stop';
        }
        if (ref.balance.blocker) {
          if (durationOf(cd) !== 0) {
            if (!dryRun) throw new AccurateError('INSUFFICIENT_CREDIT_BALANCE_BLOCKER');
            return 'stop';
          }
          return 'done';
        }
      }
    }
    return progress ? 'progress' : 'none';
  };

  let general = true;
  while (general) {
    general = false;
    const u = await tryBalances(units, true);
    if (u === 'done' || u === 'stop') return cc;
    if (u === 'progress') general = true;
    const m = await tryBalances(money, false);
    if (m === 'done' || m === 'stop') return cc;
    if (m === 'progress') general = true;
  }

  let left: CallCost;
  try {
    left = await getCost(ctx, cd);
  } catch (e) {
    ctx.log.err(`Error getting new cost for balance subject: ${(e as Error).message}`);
    left = createCallCost(cd);
    left.cost = new Money(-1);
  }
  if ((left.cost.isZero() && left.timespans.length > 0) || (left.cost.gt(0) && goNegative)) cd.costSoFar = left.costSoFar;
  if (left.cost.isZero() && left.timespans.length > 0) {
    for (const ts of left.timespans) for (const inc of ts.increments) (inc.balanceInfo ??= emptyInfo()).accountId = acc.id;
    cc.timespans.push(...left.timespans);
  }
  if (left.cost.gt(0) && goNegative) {
    const initialLength = cc.timespans.length;
    cc.timespans.push(...left.timespans);
    let fee: FeeResult = { ok: false, paidBy: null };
    if (initialLength === 0) fee = debitConnectionFee(ctx, acc, cc, left.connectFee, money, count);
    if (left.timespans.length > 0 && !acc.allowNegative && !dryRun) {
      ctx.log.warning(`<Rater> Going negative on account ${accountKeyOf(cd)} with AllowNegative: false`);
    }
    for (let t = 0; t < left.timespans.length; t++) {
      const ts = left.timespans[t];
      const cf = left.connectFee;
      const withFee = t === 0 && cf.gt(0) && cc.deductConnectFee && fee.ok;
      if (withFee) ts.increments.unshift(feeIncrement(cf, fee.paidBy, acc.id));
      for (let i = 0; i < ts.increments.length; i++) {
        if (withFee && i === 0) continue;
        const inc = ts.increments[i];
        const d = getDefaultMoneyBalance(acc);
        const costAll = inc.compressFactor === 1 ? inc.cost : ctx.arith.mulInt(inc.cost, inc.compressFactor);
        subtractBalanceValue(ctx, acc, d, costAll);
        inc.balanceInfo = { unit: inc.balanceInfo?.unit ?? null, monetary: { uuid: d.uuid, id: d.id, value: d.value, rateInterval: null }, accountId: acc.id };
        if (count) countUnits(ctx, acc, costAll, MONETARY, { category: left.category, destination: left.destination }, newBalance({ uuid: '', value: costAll, destinationIds: { [left.destination]: true } }));
      }
    }
  }
  return cc;
}

/** CallCost.updateCost: every timespan's cost from its increments, summed (rounded to G in *cgrates mode). */
function updateCost(ctx: AccountingCtx, cc: CallCost): void {
  let cost = ZERO;
  for (const ts of cc.timespans) {
    ts.cost = calculateCost(ctx, ts);
    cost = ctx.arith.roundG(ctx.arith.add(cost, ts.cost));
  }
  cc.cost = cost;
  cc.ratedUsageNs = cc.timespans.reduce((s, ts) => s + tsDuration(ts), 0);
}

/**
 * CallCost.Round: per money-paid timespan, the tariff rounding as a correction increment (also
 * what sessions apply at terminate; pass the corrections to AccountService.refundRounding).
 */
export function roundCallCost(ctx: Pick<AccountingCtx, 'arith'>, cc: CallCost): Increment[] {
  const out: Increment[] = [];
  let total = ZERO;
  for (const ts of cc.timespans) {
    const first = ts.increments[0];
    if (!first || !first.balanceInfo?.monetary || first.cost.isZero() || !ts.rateInterval) continue;
    const cost = calculateCost(ctx, ts);
    const rounded = ctx.arith.round(cost, ts.rateInterval.rating.roundingDecimals, ts.rateInterval.rating.roundingMethod);
    const correction = ctx.arith.sub(rounded, cost);
    if (!correction.isZero()) {
      ts.roundIncrement = { durationNs: 0, cost: correction, balanceInfo: first.balanceInfo, compressFactor: 1 };
      total = ctx.arith.add(total, correction);
      ts.cost = ctx.arith.add(ts.cost, correction);
      out.push(ts.roundIncrement);
    }
  }
  cc.cost = ctx.arith.add(cc.cost, total);
  return out;
}

/**
 * The whole trailing increments lying entirely in the last `unusedNs` of what was debited
 * (EventCost.Trim): a partly used increment stays charged; the zero-duration connect fee goes back
 * only when everything is unused.
 */
export function trailingIncrements(incs: readonly Increment[], unusedNs: number): Increment[] {
  // Compressed runs stay compressed: the run the cut falls in gives its tail as one increment.
  const cf = (i: Increment): number => Math.max(1, i.compressFactor);
  const total = incs.reduce((s, i) => s + i.durationNs * cf(i), 0);
  if (unusedNs >= total) return incs.map((i) => ({ ...i, compressFactor: cf(i) }));
  const out: Increment[] = [];
  let left = unusedNs;
  for (let k = incs.length - 1; k >= 0; k--) {
    const inc = incs[k];
    if (inc.durationNs === 0) break;
    const take = Math.min(cf(inc), Math.floor(left / inc.durationNs));
    if (take === 0) break;
    left -= take * inc.durationNs;
    out.unshift({ ...inc, compressFactor: take });
    if (take < cf(inc)) break;
  }
  return out;
}

/** How many increments a list stands for (a compressed run counts its CompressFactor). */
export function incrementCount(incs: readonly Increment[]): number {
  return incs.reduce((n, i) => n + Math.max(1, i.compressFactor), 0);
}

/**
 * Drops the last `count` increments (compressed runs shrink by their factor) from debited pieces, as a
 * refund of trailingIncrements leaves them; timespans and pieces left empty go. Timespan costs follow.
 */
export function dropTrailingIncrements(pieces: CallCost[], count: number): void {
  let left = count;
  for (let p = pieces.length - 1; p >= 0 && left > 0; p--) {
    const piece = pieces[p];
    for (let t = piece.timespans.length - 1; t >= 0 && left > 0; t--) {
      const ts = piece.timespans[t];
      const incs = [...ts.increments];
      while (left > 0 && incs.length > 0) {
        const last = incs[incs.length - 1];
        const cf = Math.max(1, last.compressFactor);
        const take = Math.min(left, cf);
        if (take === cf) incs.pop();
        else incs[incs.length - 1] = { ...last, compressFactor: cf - take };
        left -= take;
      }
      ts.increments = incs;
      ts.cost = incs.reduce((sum: Money, i) => sum.plus(i.cost.times(Math.max(1, i.compressFactor))), ZERO);
      if (incs.length === 0) piece.timespans.splice(t, 1);
    }
    if (piece.timespans.length === 0) pieces.splice(p, 1);
  }
}

/** CallDescriptor.refundRounding: debits (positive) or refunds (negative) the rounding corrections. */
export function refundRounding(ctx: AccountingCtx, cd: DebitDescriptor, incs: readonly Increment[]): void {
  for (const inc of incs) {
    const acc = ctx.accounts.get(inc.balanceInfo?.accountId ?? '');
    if (!acc || !inc.balanceInfo?.monetary) continue;
    const b = (acc.balanceMap[MONETARY] ?? []).find((x) => x.uuid === inc.balanceInfo!.monetary!.uuid);
    if (!b) return;
    subtractBalanceValue(ctx, acc, b, inc.cost);
    countUnits(ctx, acc, inc.cost, MONETARY, { category: cd.category, destination: cd.destination }, b);
  }
}

/** CallDescriptor.debit: the debit itself, the cost sum and (PerformRounding) the tariff rounding. */
export async function debitCall(ctx: AccountingCtx, acc: Account, cd: DebitDescriptor, dryRun: boolean, goNegative: boolean): Promise<CallCost> {
  if (durationOf(cd) === 0) return createCallCost(cd);
  if (cd.tor === '') cd.tor = VOICE;
  const cc = await debitCreditBalance(ctx, acc, cd, !dryRun, dryRun, goNegative);
  updateCost(ctx, cc);
  if (cd.performRounding) {
    const corrections = roundCallCost(ctx, cc);
    if (corrections.length) refundRounding(ctx, cd, corrections);
  }
  return cc;
}

/** A throw-away copy of the operation's world for dry runs (the shared partners too). */
function dryContext(ctx: AccountingCtx): AccountingCtx {
  const accounts = new Map<string, Account>();
  for (const [id, a] of ctx.accounts) accounts.set(id, cloneAccount(a));
  return {
    ...ctx, accounts, groupMembers: new Map([...ctx.groupMembers].map(([k, v]) => [k, new Set(v)])), changedGroups: new Set(),
    dirtyAccounts: new Set(), dirtyBalances: new WeakSet(), executingTriggers: new Set(), cdrSink: undefined,
  };
}

/** CallDescriptor.getMaxSessionDuration: how much of the request the account can pay now; −1 = unlimited (AllowNegative). */
export async function maxSessionDuration(ctx: AccountingCtx, origAcc: Account, origCd: DebitDescriptor): Promise<number> {
  if (origAcc.allowNegative) return -1;
  if (origCd.durationIndexNs < durationOf(origCd)) origCd.durationIndexNs = durationOf(origCd);
  if (origCd.tor === '') origCd.tor = VOICE;
  const dry: AccountingCtx = { ...dryContext(ctx), whoPaysOnly: true };
  const acc = dry.accounts.get(origAcc.id) ?? cloneAccount(origAcc);
  dry.accounts.set(acc.id, acc);
  const cd = cloneCd(origCd);
  const initial = durationOf(cd);
  const def = getDefaultMoneyBalance(acc);
  let defaultLeft = def.value;
  // debitCall's dry run without what only its caller reads (costs, tariff rounding): who pays how long
  const cc = initial === 0 ? createCallCost(cd) : await debitCreditBalance(dry, acc, cd, false, true, false);
  if (cc.negativeConnectFee) return 0;
  let total = 0;
  for (const ts of cc.timespans) {
    if (cd.maxRate.gt(0) && cd.maxRateUnitNs > 0 && ts.rateInterval) {
      const groupStart = Math.max(0, ts.durationIndexNs - tsDuration(ts));
      const g = rateParams(ts.rateInterval, groupStart);
      const [rate, unitNs] = g ? [g.value, g.rateUnit || 1e9] : [ZERO, 1e9];
      if (rate.div(unitNs).gt(cd.maxRate.div(cd.maxRateUnitNs))) return Math.min(initial, total);
    }
    for (const inc of ts.increments) {
      const n = inc.compressFactor;
      if (inc.balanceInfo?.monetary && inc.balanceInfo.monetary.uuid === def.uuid) {
        const left = addTimes(ctx, defaultLeft, inc.cost.neg(), n);
        if (left.lt(0)) {
          // the increments of the run the default balance still covers, as counting them one by one
          let k = 0;
          if (inc.cost.gt(0) && ctx.arith.mode !== '*cgrates') k = Math.min(n - 1, fits(defaultLeft, inc.cost));
          else if (inc.cost.gt(0)) {
            let x = defaultLeft.toNumber();
            const c = inc.cost.toNumber();
            while (k < n - 1 && (x -= c) >= 0) k++;
          }
          return Math.min(initial, total + k * inc.durationNs);
        }
        defaultLeft = left;
      }
      total += inc.durationNs * n;
      if (total >= initial) return initial;
    }
  }
  return Math.min(initial, total);
}

/** CallDescriptor.MaxDebit (inside the account locks): debits what max usage allows. */
export async function maxDebitCall(ctx: AccountingCtx, acc: Account, cd: DebitDescriptor): Promise<CallCost> {
  let remaining: number;
  try {
    remaining = await maxSessionDuration(ctx, acc, cd);
  } catch (e) {
    if (durationOf(cd) > 0) throw e;
    remaining = 0;
  }
  if (cd.forceDuration && !acc.allowNegative && remaining < durationOf(cd)) throw new AccurateError(ERR.INSUFFICIENT_CREDIT);
  if (remaining === 0) return createCallCost(cd);
  if (remaining > 0) {
    const initial = durationOf(cd);
    cd.endNs = cd.startNs + remaining;
    cd.durationIndexNs -= initial - remaining;
  }
  return debitCall(ctx, acc, cd, false, !cd.denyNegativeAccount);
}

/** The largest CompressFactor a refund takes: a run of equal increments, never a loop bound by the caller. */
export const MAX_COMPRESS_FACTOR = 1_000_000_000;

/**
 * CallDescriptor.refundIncrements: gives every increment back to the balance that paid it, in one
 * step per compressed run (cost × CompressFactor), and only what this engine debited from that balance.
 */
export function refundIncrements(ctx: AccountingCtx, cd: DebitDescriptor): void {
  const tor = cd.tor === '' ? VOICE : cd.tor;
  for (const inc of cd.increments) {
    const info = inc.balanceInfo;
    if (!info) continue;
    const n = Math.max(1, Math.min(MAX_COMPRESS_FACTOR, Math.floor(inc.compressFactor) || 1));
    const acc = ctx.accounts.get(info.accountId);
    if (!acc) {
      ctx.log.warning(`Could not get the account to be refunded: ${info.accountId}`);
      continue;
    }
    const cc = { category: cd.category, destination: cd.destination };
    if (info.unit && info.unit.uuid !== '') {
      const b = (acc.balanceMap[tor] ?? []).find((x) => x.uuid === info.unit!.uuid);
      if (!b) {
        ctx.log.warning(`Could not get the balance: <${info.unit.uuid}> to be refunded for account: <${info.accountId}>`);
        continue;
      }
      const amount = new Money(inc.durationNs).times(info.unit.factor).times(n);
      refundBalanceValue(ctx, acc, b, amount);
      countUnits(ctx, acc, amount.neg(), tor, cc, b);
    }
    if (info.monetary && info.monetary.uuid !== '') {
      const b = (acc.balanceMap[MONETARY] ?? []).find((x) => x.uuid === info.monetary!.uuid);
      if (!b) {
        ctx.log.warning(`Could not get the balance: <${info.monetary.uuid}> to be refunded for account: <${info.accountId}>`);
        continue;
      }
      // A compressed run goes back in one step: n × what one of its increments took.
      const back = n === 1 ? inc.cost : ctx.arith.mulInt(inc.cost, n);
      {
        refundBalanceValue(ctx, acc, b, back);
        countUnits(ctx, acc, back.neg(), MONETARY, cc, b);
      }
    }
  }
}
