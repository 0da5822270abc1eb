// The in-memory world of one accounting operation: the accounts it may touch (the account and its
// shared-group partners, already locked and loaded by the service), the tariff-plan view, the cost
// mode and the clock. Pure modules mutate accounts here; the service persists what is marked dirty.
import type { Money } from '../util/money.js';
import { AccurateError, ERR } from '../util/errors.js';
import type { Arith } from './arith.js';
import type { Account, Balance } from './model.js';
import type { RateOptions, RatingIndex } from '../rating/index.js';
import type { AccountingTp } from './tpview.js';
import type { WireCDR } from '../cdrs/model.js';

export interface LogSink {
  warning(msg: string): void;
  info(msg: string): void;
  err(msg: string): void;
}

/** The CDR a `*cdrlog` action produces, in the CDR's wire form (the CDR server stores it; the engine wires it). */
export type CdrLogRecord = Pick<
  WireCDR,
  'CGRID' | 'RunID' | 'OrderID' | 'OriginHost' | 'Source' | 'OriginID' | 'ToR' | 'RequestType' | 'Tenant' | 'Category' | 'Account'
  | 'Subject' | 'Destination' | 'SetupTime' | 'AnswerTime' | 'Usage' | 'ExtraFields' | 'Cost' | 'PreRated' | 'CostSource'
>;

/** What accounts rate with: src/rating's RatingService (or anything with its index and options). */
export interface RatingSource {
  index: RatingIndex;
  rateOptions: RateOptions;
}

export interface AccountingCtx {
  tp: AccountingTp;
  arith: Arith;
  /** the rating index this operation rates with (one for the whole operation) */
  rating: RatingSource;
  now: () => number;
  timezone: string;
  /** rals.balance_rating_subject: ToR → `*zero<dur>` used when a unit balance has no RatingSubject. */
  balanceRatingSubject: Record<string, string>;
  log: LogSink;
  /** Accounts of this operation by id (mutated in place). */
  accounts: Map<string, Account>;
  /** Shared group id → member account ids, as persisted (actions may add members). */
  groupMembers: Map<string, Set<string>>;
  /** Groups whose membership changed (to persist). */
  changedGroups: Set<string>;
  /** Accounts changed by the operation (to persist). */
  dirtyAccounts: Set<string>;
  /** Balances changed since load: action triggers look only at these (CGRateS's `dirty`). */
  dirtyBalances: WeakSet<Balance>;
  /** Accounts whose triggers are being executed (no re-entry). */
  executingTriggers: Set<string>;
  cdrSink?: (rec: CdrLogRecord) => void;
  /**
   * What this engine debited from each balance and did not refund yet (account id → balance uuid →
   * amount): a refund may give back only that, so a made-up increment cannot mint money. Absent in
   * pure tests that do no refunds.
   */
  ledger?: DebitLedger;
  /**
   * A max-usage dry run (getMaxSessionDuration): only how long the balances pay and who pays each
   * increment matter, so money balances pay long runs of increments in bulk, without a balance
   * snapshot per increment, and costs are not summed.
   */
  whoPaysOnly?: boolean;
}

/** Refundable amounts per account and balance uuid; `changed` names the accounts to persist. */
export interface DebitLedger {
  byAccount: Map<string, Map<string, Money>>;
  changed: Set<string>;
}

/** Notes a debit (positive) or a give-back (negative) of `v` on a balance in the ledger. */
export function noteDebit(ctx: AccountingCtx, owner: Account, b: Balance, v: Money): void {
  const l = ctx.ledger;
  if (!l || b.uuid === '' || v.isZero()) return;
  let m = l.byAccount.get(owner.id);
  if (!m) l.byAccount.set(owner.id, (m = new Map()));
  const next = (m.get(b.uuid) ?? v.minus(v)).plus(v);
  if (next.lte(0)) m.delete(b.uuid);
  else m.set(b.uuid, next);
  l.changed.add(owner.id);
}

const LEDGER_TOLERANCE = 1e-9;

/** Refunds `v` to a balance if this engine debited at least that much from it and has not refunded it yet. */
export function refundBalanceValue(ctx: AccountingCtx, owner: Account, b: Balance, v: Money): void {
  if (v.isNegative()) throw new AccurateError(`${ERR.SERVER_ERROR}: a refund of ${v.toFixed()} is negative`, ERR.SERVER_ERROR);
  if (ctx.ledger) {
    const have = ctx.ledger.byAccount.get(owner.id)?.get(b.uuid);
    // *cgrates sums in float64: a run refunded as n × cost may differ from its debits in the 16th digit.
    if (!v.isZero() && (!have || have.plus(LEDGER_TOLERANCE).lt(v))) {
      throw new AccurateError(
        `${ERR.SERVER_ERROR}: refund of ${v.toFixed()} to balance ${b.uuid} of ${owner.id} exceeds what this engine debited from it (${have ? have.toFixed() : '0'})`,
        ERR.SERVER_ERROR,
      );
    }
    noteDebit(ctx, owner, b, v.neg());
  }
  setBalanceValue(ctx, owner, b, ctx.arith.add(b.value, v));
}

/** Balance.SetValue: the value as the cost mode settles it, balance and owner marked changed. */
export function setBalanceValue(ctx: AccountingCtx, owner: Account, b: Balance, v: Money): void {
  b.value = ctx.arith.settle(v);
  ctx.dirtyBalances.add(b);
  ctx.dirtyAccounts.add(owner.id);
}

export function subtractBalanceValue(ctx: AccountingCtx, owner: Account, b: Balance, v: Money): void {
  // A negative debit (a rounding correction) gives money back: only what was debited before.
  if (v.isNegative() && ctx.ledger) return refundBalanceValue(ctx, owner, b, v.neg());
  noteDebit(ctx, owner, b, v);
  setBalanceValue(ctx, owner, b, ctx.arith.sub(b.value, v));
}

export function addBalanceValue(ctx: AccountingCtx, owner: Account, b: Balance, v: Money): void {
  setBalanceValue(ctx, owner, b, ctx.arith.add(b.value, v));
}
