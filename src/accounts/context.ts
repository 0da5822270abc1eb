// The in-memory world of one accounting operation: the accounts it may touch (the account and its
// shared-group partners, already locked and loaded by the service), the tariff-plan view, the cost
// mode and the clock. Pure modules mutate accounts here; the service persists what is marked dirty.
import type { Money } from '../util/money.js';
import type { Arith } from './arith.js';
import type { Account, Balance } from './model.js';
import type { RateFn } from './rating-adapter.js';
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

export interface AccountingCtx {
  tp: AccountingTp;
  arith: Arith;
  rate: RateFn;
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
   * A max-usage dry run (getMaxSessionDuration): only how long the balances pay and who pays each
   * increment matter, so money balances pay long runs of increments in bulk, without a balance
   * snapshot per increment, and costs are not summed.
   */
  whoPaysOnly?: boolean;
}

/** Balance.SetValue: the value as the cost mode settles it, balance and owner marked changed. */
export function setBalanceValue(ctx: AccountingCtx, owner: Account, b: Balance, v: Money): void {
  b.value = ctx.arith.settle(v);
  ctx.dirtyBalances.add(b);
  ctx.dirtyAccounts.add(owner.id);
}

export function subtractBalanceValue(ctx: AccountingCtx, owner: Account, b: Balance, v: Money): void {
  setBalanceValue(ctx, owner, b, ctx.arith.sub(b.value, v));
}

export function addBalanceValue(ctx: AccountingCtx, owner: Account, b: Balance, v: Money): void {
  setBalanceValue(ctx, owner, b, ctx.arith.add(b.value, v));
}
