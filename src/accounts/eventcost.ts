// CostDetails of debited calls: accounts' CallCost as CGRateS's EventCost (NewEventCostFromCallCost,
// built by rating's EventCost builder) with its Accounting map saying which balance paid each
// increment, and the way back (EventCost.AsRefundIncrements) to refund what a stored CDR debited.
import { AccurateError, ERR } from '../util/errors.js';
import { Money, ZERO } from '../util/money.js';
import { parseDuration } from '../util/duration.js';
import { eventCostOf, type CostMode, type EventCost } from '../rating/index.js';
import type { BalanceInfo, CallCost, Increment } from './debit.js';
import { MONETARY } from './model.js';
import { type AccountSummary, incrementsFromWire } from './wire.js';

type J = Record<string, unknown>;

export interface CallCostEventCostOptions {
  cgrId?: string;
  runId?: string;
  mode: CostMode;
  roundingDecimals: number;
  accountSummary?: AccountSummary | null;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const moneyOf = (v: unknown): Money => new Money(v === undefined || v === null || v === '' ? 0 : String(v));
const asObj = (v: unknown): J | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : null);

/**
 * CGRateS NewEventCostFromCallCost for a debit's CallCost. Accounting entries: a money-paid
 * increment → {AccountID, BalanceUUID, Units = its cost, RatingID of the balance's rating subject
 * ('' for the call's own rating)}; a unit-paid one → {BalanceUUID of the unit balance, Units =
 * units consumed, ExtraChargeID = '*none' or the entry of the money paid with it}; the tariff
 * rounding increment → RatingID '*rounding'.
 *
 * Cost is the CallCost's cost, i.e. the CDR's Cost. CGRateS stores cc.Cost as the CDR Cost and
 * recomputes CostDetails.Cost as Round(Σ charges, G, *middle) (rounding every charge first); both
 * are the sum of the same increments (tariff rounding increments included), so they differ at
 * most in float64 digits below G in `*cgrates` mode and never in `*exact` mode: we keep one value.
 */
export function callCostToEventCost(cc: CallCost, opts: CallCostEventCostOptions): EventCost {
  const ec = eventCostOf(cc, {
    cgrId: opts.cgrId, runId: opts.runId, mode: opts.mode, roundingDecimals: opts.roundingDecimals, accountSummary: opts.accountSummary ?? null,
  });
  ec.cost = cc.cost;
  return ec;
}

/**
 * AccountSummary.UpdateInitialValue: the newest summary keeps the Initial values of the first one
 * (a session's debits and refunds), balances gone since are listed with Initial and Value 0.
 */
export function updateInitialValue(current: AccountSummary, old: AccountSummary | null | undefined): AccountSummary {
  if (!old?.BalanceSummaries) return current;
  const list = (current.BalanceSummaries ?? []).map((b) => ({ ...b }));
  for (const first of old.BalanceSummaries) {
    const now = list.find((b) => b.UUID === first.UUID);
    if (now) now.Initial = first.Initial;
    else list.push({ ...first, Initial: 0, Value: 0 });
  }
  return { ...current, BalanceSummaries: list.length > 0 ? list : null };
}

function fail(where: string, what: string): never {
  throw new AccurateError(`${ERR.SERVER_ERROR}: CostDetails ${where}: ${what}`, ERR.SERVER_ERROR);
}

function balanceCharge(accounting: J, id: string, where: string): J {
  const bc = asObj(accounting[id]);
  if (!bc) fail(where, `AccountingID ${id} not in Accounting`);
  return bc;
}

/**
 * The balance that paid an increment (CGRateS EventCost.AsRefundIncrements): a `*monetary` balance
 * gets the money back, any other balance the units, with the money paid alongside (ExtraChargeID)
 * going to its money balance. The type comes from the AccountSummary; a balance it does not list
 * (a shared-group partner's) is a unit balance exactly when its entry has an ExtraChargeID, which
 * CGRateS always sets for unit-paid increments.
 */
function debitInfoFor(accounting: J, types: Map<string, string>, id: string, where: string): BalanceInfo | null {
  if (id === '') return null;
  const bc = balanceCharge(accounting, id, where);
  const uuid = str(bc.BalanceUUID);
  const extra = str(bc.ExtraChargeID);
  const type = types.get(uuid) ?? (extra !== '' ? '' : MONETARY);
  const info: BalanceInfo = { unit: null, monetary: null, accountId: str(bc.AccountID) };
  if (type === MONETARY) {
    info.monetary = { uuid, id: '', value: ZERO, rateInterval: null };
    return info;
  }
  const factor = bc.BalanceFactor === undefined || bc.BalanceFactor === null || Number(bc.BalanceFactor) === 0 ? 1 : Number(bc.BalanceFactor);
  info.unit = { uuid, id: '', value: ZERO, destinationId: '', consumed: moneyOf(bc.Units), factor, category: '', tor: type, rateInterval: null };
  if (extra !== '' && extra !== '*none') {
    info.monetary = { uuid: str(balanceCharge(accounting, extra, `${where} ExtraChargeID`).BalanceUUID), id: '', value: ZERO, rateInterval: null };
  }
  return info;
}

function usageOf(v: unknown, where: string): number {
  try {
    return v === undefined || v === null || v === '' ? 0 : parseDuration(v as string | number);
  } catch (e) {
    return fail(where, (e as Error).message);
  }
}

/**
 * Every increment a stored EventCost charged, with the balance that paid it, in order: the charges
 * and their increments expanded by the charges' CompressFactor (the increments keep theirs), the
 * connect fee and tariff-rounding increments included, so a refund gives back all that was debited.
 */
export function eventCostRefundIncrements(costDetails: unknown): Increment[] {
  const ec = asObj(costDetails);
  if (!ec) fail('', 'not an EventCost object');
  const charges = ec.Charges ?? [];
  if (!Array.isArray(charges)) fail('Charges', 'not a list');
  const accounting = asObj(ec.Accounting) ?? {};
  const types = new Map<string, string>();
  const summaries = asObj(ec.AccountSummary)?.BalanceSummaries;
  if (Array.isArray(summaries)) for (const s of summaries as J[]) types.set(str(s.UUID), str(s.Type));
  const out: Increment[] = [];
  charges.forEach((rawCharge, c) => {
    const ch = asObj(rawCharge);
    if (!ch) fail(`Charges[${c}]`, 'not an object');
    const list = ch.Increments ?? [];
    if (!Array.isArray(list)) fail(`Charges[${c}].Increments`, 'not a list');
    const incs: Increment[] = list.map((raw, k) => {
      const where = `Charges[${c}].Increments[${k}]`;
      const i = asObj(raw);
      if (!i) fail(where, 'not an object');
      return {
        durationNs: usageOf(i.Usage, `${where}.Usage`), cost: moneyOf(i.Cost), compressFactor: Math.max(1, Number(i.CompressFactor ?? 1)),
        balanceInfo: debitInfoFor(accounting, types, str(i.AccountingID), where),
      };
    });
    for (let r = 0; r < Math.max(1, Number(ch.CompressFactor ?? 1)); r++) out.push(...incs.map((x) => ({ ...x })));
  });
  return out;
}

/**
 * What to refund of a stored CostDetails: an EventCost (Charges), or the CallCost form CDRs stored
 * before EventCosts were kept for debits (Timespans[].Increments and RoundIncrement with their
 * BalanceInfo, as CGRateS's migration to EventCost keeps them).
 */
export function costDetailsRefundIncrements(costDetails: unknown): Increment[] {
  const cd = asObj(costDetails);
  if (!cd) return [];
  if ('Charges' in cd || !('Timespans' in cd)) return eventCostRefundIncrements(cd);
  const ts = Array.isArray(cd.Timespans) ? (cd.Timespans as J[]) : [];
  return ts.flatMap((t) => incrementsFromWire([...(Array.isArray(t.Increments) ? t.Increments : []), ...(t.RoundIncrement ? [t.RoundIncrement] : [])]));
}
