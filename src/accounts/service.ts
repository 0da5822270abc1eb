// AccountService: the persistence edge of accounting. Every operation locks its account (and the
// shared-group partners it may debit) in a fixed order, loads them inside one DataDB transaction,
// runs the pure rules (debit.ts, actions.ts ...) and writes back what changed with a new version:
// concurrent debits of one account are applied one after another and never lost.
//
// It is the only writer of accounts, debit ledgers and shared-group memberships, so it keeps what
// it committed in memory (write-through): a debit reads no row and parses no document it wrote.
import type { DataDB, KVTx } from '../store/types.js';
import { takeTxHook, type TxHook } from '../store/tx-hook.js';
import { loadStoredTariffPlan } from '../tariffplan/persist.js';
import { emptyTariffPlan, type ActionPlanEntry, type TariffPlan, type Timing } from '../tariffplan/model.js';
import { AccurateError, ERR, mandatoryMissing } from '../util/errors.js';
import { LruMap } from '../util/lru.js';
import { KeyedMutex } from '../util/mutex.js';
import { Money } from '../util/money.js';
import { parseTime } from '../util/time.js';
import { type RtAction, actionFromTp, runActions } from './actions.js';
import { type CostMode, makeArith } from './arith.js';
import { filterFromApi } from './balance-filter.js';
import type { AccountingCtx, CdrLogRecord, DebitLedger, LogSink, RatingSource } from './context.js';
import { initCounters } from './counters.js';
import {
  type CallCost, type DebitDescriptor, accountKeyOf, cloneCd, debitCall, maxDebitCall, maxSessionDuration, refundIncrements,
  refundRounding,
} from './debit.js';
import { accountFromStored, accountToStored } from './json.js';
import { type Account, type BalanceFilter, accountKey, newAccount } from './model.js';
import { triggersFromTp } from './triggers.js';
import { type AccountingTp, accountingTp } from './tpview.js';
import { type AccountSummary, accountSummary } from './wire.js';

export const ACCOUNTS_KIND = 'accounts';
export const GROUP_MEMBERS_KIND = 'shared_group_members';

interface AccountDoc {
  version: number;
  account: Record<string, unknown>;
}

interface GroupDoc {
  members: string[];
}

/** What AccountService needs of the scheduler (src/scheduler's Scheduler). */
export interface PlanScheduler {
  attachAccounts(planId: string, entries: readonly ActionPlanEntry[], accountIds: readonly string[], timings: (id: string) => Timing | undefined): Promise<void>;
  detachAccount(accountId: string, keep?: string): Promise<void>;
}

export interface AccountServiceOptions {
  dataDb: DataDB;
  /** The current rating service (src/rating RatingService): its index and rate options. */
  rating: () => RatingSource;
  costMode: CostMode;
  /** general.rounding_decimals */
  roundingDecimals: number;
  /** general.default_timezone */
  timezone: string;
  /** rals.balance_rating_subject */
  balanceRatingSubject: Record<string, string>;
  log: LogSink;
  /** general.default_tenant */
  defaultTenant?: string;
  /** Receives the CDRs of `*cdrlog` actions (after their account change is committed). */
  cdrSink?: (rec: CdrLogRecord) => void | Promise<void>;
  /** Writes the `*cdrlog` CDRs inside the transaction of the change they log (the engine's CDR journal). */
  cdrLogInTx?: (tx: KVTx, recs: readonly CdrLogRecord[]) => Promise<void>;
  now?: () => number;
}

/** Result of a debit: the CallCost and the account summary CGRateS attaches to it. */
export interface DebitResult {
  cc: CallCost;
  summary: AccountSummary | null;
}

export interface SetAccountArgs {
  tenant?: string;
  account: string;
  actionPlanId?: string;
  actionTriggersId?: string;
  allowNegative?: boolean;
  disabled?: boolean;
}

export interface BalanceArgs {
  tenant?: string;
  account: string;
  balanceType: string;
  value?: number | string;
  balance?: Record<string, unknown>;
  overwrite?: boolean;
  cdrlog?: boolean;
}

class RetryLocking extends Error {}

/** A committed account document: its JSON text as stored and the shared groups its balances use. */
interface StoredAccount {
  version: number;
  json: string;
  groups: readonly string[];
}

/** Accounts (and ledgers) kept in memory at most: the busy ones stay, a million idle ones do not. */
const CACHED_ACCOUNTS = 10_000;

/** What one transaction wrote, remembered once it commits (null: deleted). */
interface Writes {
  accounts: Map<string, StoredAccount | null>;
  ledgers: Map<string, LedgerDoc | null>;
  groups: Map<string, GroupDoc>;
}

/** DataDB kind of the debit ledger: per account, what each balance may still get back by refunds. */
const LEDGER_KIND = 'debit_ledger';
interface LedgerDoc {
  refundable: Record<string, string>;
}

export class AccountService {
  readonly arith;
  private readonly db: DataDB;
  private readonly locks = new KeyedMutex();
  private tp: AccountingTp = accountingTp(emptyTariffPlan());
  private tpLoaded = false;
  private scheduler: PlanScheduler | null = null;
  private readonly now: () => number;
  /**
   * Committed documents by account id (null: no such account / no ledger). Written only by the
   * holder of the account's lock, after its commit (or from what it read under the lock): a reader
   * without the lock uses but never fills them, so an older read cannot replace a newer commit.
   */
  private readonly accountDocs = new LruMap<string, StoredAccount | null>(CACHED_ACCOUNTS);
  private readonly ledgerDocs = new LruMap<string, LedgerDoc | null>(CACHED_ACCOUNTS);
  /**
   * Shared-group memberships as the writer connection sees them (null: read at the next
   * transaction). A transaction's changes show here when its body ends, as they show to the next
   * body of the same group commit; a commit that fails after that forgets them all.
   */
  private groupDocs: Map<string, GroupDoc> | null = null;

  constructor(private readonly opts: AccountServiceOptions) {
    this.db = opts.dataDb;
    this.arith = makeArith(opts.costMode, opts.roundingDecimals);
    this.now = opts.now ?? Date.now;
  }

  get defaultTenant(): string {
    return this.opts.defaultTenant ?? 'cgrates.org';
  }

  /** Plans attached to accounts go through this scheduler (else `*asap` runs directly, every time). */
  setScheduler(s: PlanScheduler | null): void {
    this.scheduler = s;
  }

  /** Refreshes the tariff-plan view (actions, triggers, shared groups, destinations, timings); from the DataDB when no plan is given. */
  async reloadTariffPlan(tp?: TariffPlan): Promise<void> {
    const plan = tp ?? (await loadStoredTariffPlan(this.db));
    this.tp = accountingTp(plan);
    this.tpLoaded = true;
  }

  private async ensureTp(): Promise<void> {
    if (!this.tpLoaded) await this.reloadTariffPlan();
  }

  // ---- reading -------------------------------------------------------------------------------

  async getAccount(tenant: string, account: string): Promise<Account> {
    const doc = await this.committedDoc(accountKey(tenant || this.defaultTenant, account));
    if (!doc) throw new AccurateError(ERR.NOT_FOUND);
    return accountFromStored(doc.account);
  }

  /** Stored version of an account (increments with every committed change); 0 when absent. */
  async accountVersion(id: string): Promise<number> {
    return (await this.committedDoc(id))?.version ?? 0;
  }

  /** The last committed document, without locking (from memory when there, else the DB). */
  private async committedDoc(id: string): Promise<AccountDoc | undefined> {
    const c = this.accountDocs.get(id);
    if (c === null) return undefined;
    if (c) return JSON.parse(c.json) as AccountDoc;
    return this.db.get<AccountDoc>(ACCOUNTS_KIND, id);
  }

  async getAccounts(tenant: string, ids: readonly string[] = [], offset = 0, limit = 0): Promise<Account[]> {
    const t = tenant || this.defaultTenant;
    let keys: string[];
    if (ids.length === 0) keys = [...(await this.db.list<AccountDoc>(ACCOUNTS_KIND)).keys()].filter((k) => k.startsWith(t + ':'));
    else keys = ids.filter((x) => x !== '').map((x) => accountKey(t, x));
    keys = limit > 0 ? keys.slice(offset, offset + limit) : keys.slice(offset);
    const out: Account[] = [];
    for (const k of keys) {
      const doc = await this.committedDoc(k);
      if (doc) out.push(accountFromStored(doc.account));
    }
    return out;
  }

  // ---- the locked transaction ----------------------------------------------------------------

  /**
   * Runs `fn` with `primary` (and `extra` accounts and every shared-group partner of them) locked
   * and loaded in one DataDB transaction; changed accounts and group memberships are written with
   * it. `persist: false` discards every change (dry runs, max usage).
   */
  private async locked<R>(
    primary: string, extra: readonly string[], fn: (ctx: AccountingCtx) => Promise<R>, opts: { persist?: boolean } = {},
  ): Promise<R> {
    await this.ensureTp();
    // A caller's record of this change (CDR journal, session state) commits with it (src/store/tx-hook).
    const hook = opts.persist !== false ? takeTxHook() : undefined;
    for (let attempt = 0; ; attempt++) {
      const lockSet = await this.lockSetFor([primary, ...extra]);
      try {
        const { result, cdrs } = await this.withLocks([...lockSet].sort(), () => this.lockedTx(lockSet, fn, opts.persist !== false, hook));
        for (const r of cdrs) await this.opts.cdrSink?.(r);
        return result;
      } catch (e) {
        if (!(e instanceof RetryLocking)) throw e;
        if (attempt >= 5) throw new AccurateError(`${ERR.SERVER_ERROR}: shared groups of ${primary} kept changing while locking`, ERR.SERVER_ERROR);
      }
    }
  }

  /** One transaction with `lockSet` locked; what it wrote is remembered once it commits (still under the locks). */
  private async lockedTx<R>(lockSet: Set<string>, fn: (ctx: AccountingCtx) => Promise<R>, persist: boolean, hook: TxHook | undefined): Promise<{ result: R; cdrs: CdrLogRecord[] }> {
    // Nothing to write (max usage, dry runs): no transaction, no wait for a commit. Under the locks
    // the last commit of these accounts is what a plain read sees.
    if (!persist) return this.inTx(this.db, lockSet, fn, false);
    let groupsShown = false;
    try {
      const r = await this.db.transaction(async (tx) => {
        const r = await this.inTx(tx, lockSet, fn, persist);
        if (hook) await hook(r.result, tx);
        // Last, after anything that can throw: the next body of this group commit sees these groups.
        if (r.writes.groups.size > 0 && this.groupDocs) {
          for (const [g, doc] of r.writes.groups) this.groupDocs.set(g, doc);
          groupsShown = true;
        }
        return r;
      });
      for (const [id, a] of r.writes.accounts) this.accountDocs.set(id, a);
      for (const [id, l] of r.writes.ledgers) this.ledgerDocs.set(id, l);
      return r;
    } catch (e) {
      // The commit failed after the body showed its groups, or failed in a way that leaves doubt: read again.
      if (groupsShown) this.groupDocs = null;
      for (const id of lockSet) {
        this.accountDocs.delete(id);
        this.ledgerDocs.delete(id);
      }
      throw e;
    }
  }

  private withLocks<R>(ids: readonly string[], fn: () => Promise<R>): Promise<R> {
    if (ids.length === 0) return fn();
    return this.locks.run(ids[0], () => this.withLocks(ids.slice(1), fn));
  }

  /** The accounts to lock: the given ones and, transitively, the members of every shared group their balances use. */
  private async lockSetFor(ids: readonly string[]): Promise<Set<string>> {
    const set = new Set(ids.filter((x) => x !== ''));
    // Unlocked reads: a guess, checked again under the locks (RetryLocking).
    const groups = this.groupDocs ?? (await this.db.list<GroupDoc>(GROUP_MEMBERS_KIND));
    const queue = [...set];
    while (queue.length > 0) {
      const id = queue.shift()!;
      const cached = this.accountDocs.get(id);
      let used: readonly string[];
      if (cached !== undefined) used = cached?.groups ?? [];
      else {
        const doc = await this.db.get<AccountDoc>(ACCOUNTS_KIND, id);
        used = doc ? groupsUsed(accountFromStored(doc.account)) : [];
      }
      for (const m of membersOfGroups(used, groups)) {
        if (!set.has(m)) {
          set.add(m);
          queue.push(m);
        }
      }
    }
    return set;
  }

  /** An account as committed, read under its lock (and remembered: nobody else can change it meanwhile). */
  private async lockedAccount(tx: KVTx, id: string): Promise<StoredAccount | null> {
    const c = this.accountDocs.get(id);
    if (c !== undefined) return c;
    const doc = await tx.get<AccountDoc>(ACCOUNTS_KIND, id);
    const s = doc ? { version: doc.version, json: JSON.stringify(doc), groups: groupsUsed(accountFromStored(doc.account)) } : null;
    this.accountDocs.set(id, s);
    return s;
  }

  private async lockedLedger(tx: KVTx, id: string): Promise<LedgerDoc | null> {
    const c = this.ledgerDocs.get(id);
    if (c !== undefined) return c;
    const doc = (await tx.get<LedgerDoc>(LEDGER_KIND, id)) ?? null;
    this.ledgerDocs.set(id, doc);
    return doc;
  }

  /**
   * Group memberships as a transaction sees them (read once, then kept up to date by every body).
   * Outside a transaction (`tx` is the DB) a read sees commits only, not the bodies of the group
   * commit under way: it is used but not kept.
   */
  private async groupsIn(tx: KVTx): Promise<Map<string, GroupDoc>> {
    if (this.groupDocs) return this.groupDocs;
    const read = await tx.list<GroupDoc>(GROUP_MEMBERS_KIND);
    if (tx !== this.db) this.groupDocs = read;
    return read;
  }

  private async inTx<R>(tx: KVTx, lockSet: Set<string>, fn: (ctx: AccountingCtx) => Promise<R>, persist: boolean): Promise<{ result: R; cdrs: CdrLogRecord[]; writes: Writes }> {
    const groupDocs = await this.groupsIn(tx);
    const accounts = new Map<string, Account>();
    const versions = new Map<string, number>();
    for (const id of lockSet) {
      const stored = await this.lockedAccount(tx, id);
      if (!stored) continue;
      for (const m of membersOfGroups(stored.groups, groupDocs)) if (!lockSet.has(m)) throw new RetryLocking();
      accounts.set(id, accountFromStored((JSON.parse(stored.json) as AccountDoc).account));
      versions.set(id, stored.version);
    }
    // What this engine debited per balance and may give back (refunds are checked against it).
    const ledger: DebitLedger = { byAccount: new Map(), changed: new Set() };
    for (const id of accounts.keys()) {
      const doc = await this.lockedLedger(tx, id);
      if (doc) ledger.byAccount.set(id, new Map(Object.entries(doc.refundable).map(([u, v]) => [u, new Money(v)])));
    }
    const cdrs: CdrLogRecord[] = [];
    const ctx: AccountingCtx = {
      ledger,
      tp: this.tp, arith: this.arith, rating: this.opts.rating(), now: this.now, timezone: this.opts.timezone,
      balanceRatingSubject: this.opts.balanceRatingSubject, log: this.opts.log, accounts,
      groupMembers: new Map([...groupDocs].map(([k, v]) => [k, new Set(v.members)])), changedGroups: new Set(),
      dirtyAccounts: new Set(), dirtyBalances: new WeakSet(), executingTriggers: new Set(),
      cdrSink: this.opts.cdrSink ? (r) => cdrs.push(r) : undefined,
    };
    const result = await fn(ctx);
    const writes: Writes = { accounts: new Map(), ledgers: new Map(), groups: new Map() };
    if (persist) {
      const now = this.now();
      for (const id of ctx.dirtyAccounts) {
        const acc = ctx.accounts.get(id);
        if (!acc) continue;
        acc.updateTime = now;
        const version = (versions.get(id) ?? 0) + 1;
        const json = JSON.stringify({ version, account: accountToStored(acc) } satisfies AccountDoc);
        await tx.putJson(ACCOUNTS_KIND, id, json);
        writes.accounts.set(id, { version, json, groups: groupsUsed(acc) });
      }
      for (const id of ledger.changed) {
        const m = ledger.byAccount.get(id);
        if (!m || m.size === 0) {
          await tx.delete(LEDGER_KIND, id);
          writes.ledgers.set(id, null);
        } else {
          const doc: LedgerDoc = { refundable: Object.fromEntries([...m].map(([u, v]) => [u, v.toFixed()])) };
          await tx.put(LEDGER_KIND, id, doc);
          writes.ledgers.set(id, doc);
        }
      }
      for (const g of ctx.changedGroups) {
        const doc: GroupDoc = { members: [...(ctx.groupMembers.get(g) ?? [])].sort() };
        await tx.put(GROUP_MEMBERS_KIND, g, doc);
        writes.groups.set(g, doc);
      }
      if (cdrs.length > 0) await this.opts.cdrLogInTx?.(tx, cdrs);
    }
    return { result, cdrs: persist ? cdrs : [], writes };
  }

  // ---- the rater (Responder.*) ---------------------------------------------------------------

  private debitAccount(ctx: AccountingCtx, cd: DebitDescriptor): Account {
    const acc = ctx.accounts.get(accountKeyOf(cd));
    if (acc?.disabled) throw new AccurateError(ERR.ACCOUNT_DISABLED);
    if (!acc) throw new AccurateError(ERR.ACCOUNT_NOT_FOUND);
    return acc;
  }

  /** Keeps the call's running totals on the caller's descriptor (sessions carry them between debits). */
  private static carry(from: DebitDescriptor, to: DebitDescriptor): void {
    to.maxCostSoFar = from.maxCostSoFar;
    to.costSoFar = from.costSoFar;
    to.tor = from.tor;
  }

  /** Responder.Debit: charges the whole call (the account may go negative unless DenyNegativeAccount). */
  async debit(cd: DebitDescriptor): Promise<DebitResult> {
    this.defaults(cd);
    return this.locked(accountKeyOf(cd), [], async (ctx) => {
      const acc = this.debitAccount(ctx, cd);
      const initial = accountSummary(acc);
      const work = cloneCd(cd);
      const cc = await debitCall(ctx, acc, work, work.dryRun, !work.denyNegativeAccount);
      AccountService.carry(work, cd);
      return { cc, summary: accountSummary(acc, initial) };
    }, { persist: !cd.dryRun });
  }

  /** Responder.MaxDebit: charges as much of the call as the account can pay (ForceDuration: all or INSUFFICIENT_CREDIT). */
  async maxDebit(cd: DebitDescriptor): Promise<DebitResult> {
    this.defaults(cd);
    return this.locked(accountKeyOf(cd), [], async (ctx) => {
      const acc = this.debitAccount(ctx, cd);
      const initial = accountSummary(acc);
      const work = cloneCd(cd);
      const cc = await maxDebitCall(ctx, acc, work);
      AccountService.carry(work, cd);
      return { cc, summary: accountSummary(acc, initial) };
    });
  }

  /** Responder.GetMaxSessionTime: nanoseconds the account can pay of the request now; −1 = unlimited. */
  async getMaxSessionTime(cd: DebitDescriptor): Promise<number> {
    this.defaults(cd);
    return this.locked(accountKeyOf(cd), [], async (ctx) => maxSessionDuration(ctx, this.debitAccount(ctx, cd), cloneCd(cd)), { persist: false });
  }

  /** Responder.RefundIncrements: every increment back to the balance (and account) that paid it. */
  async refundIncrements(cd: DebitDescriptor): Promise<Account | null> {
    this.defaults(cd);
    const ids = new Set<string>();
    for (const inc of cd.increments) if (inc.balanceInfo && (inc.balanceInfo.monetary || inc.balanceInfo.unit)) ids.add(inc.balanceInfo.accountId);
    if (ids.size === 0) return null;
    const own = accountKeyOf(cd);
    return this.locked([...ids][0], [...ids], async (ctx) => {
      refundIncrements(ctx, cd);
      return ctx.accounts.get(own) ?? null;
    });
  }

  /** CallDescriptor.RefundRounding: applies tariff-rounding increments (positive debits more, negative gives back). */
  async refundRounding(cd: DebitDescriptor): Promise<Account | null> {
    this.defaults(cd);
    const ids = [...new Set(cd.increments.map((i) => i.balanceInfo?.accountId ?? '').filter((x) => x !== ''))];
    if (ids.length === 0) return null;
    return this.locked(ids[0], ids, async (ctx) => {
      refundRounding(ctx, cd, cd.increments);
      return ctx.accounts.get(accountKeyOf(cd)) ?? null;
    });
  }

  private defaults(cd: DebitDescriptor): void {
    if (cd.tenant === '') cd.tenant = this.defaultTenant;
    if (cd.subject === '') cd.subject = cd.account;
  }

  // ---- accounts and balances (APIerSv1.*) -----------------------------------------------------

  /** APIerSv1.SetAccount: creates or updates the account, attaches plan and triggers, sets flags. */
  async setAccount(a: SetAccountArgs): Promise<void> {
    if (!a.account) throw mandatoryMissing(['Account']);
    await this.ensureTp();
    const id = accountKey(a.tenant || this.defaultTenant, a.account);
    const plan = a.actionPlanId ? this.tp.actionPlan(a.actionPlanId) : undefined;
    if (a.actionPlanId && !plan) throw new AccurateError(`${ERR.SERVER_ERROR}: ${ERR.NOT_FOUND}`, ERR.SERVER_ERROR);
    const trig = a.actionTriggersId ? this.tp.actionTriggers(a.actionTriggersId) : undefined;
    if (a.actionTriggersId && !trig) throw new AccurateError(`${ERR.SERVER_ERROR}: ${ERR.NOT_FOUND}`, ERR.SERVER_ERROR);
    await this.locked(id, [], async (ctx) => {
      const acc = ctx.accounts.get(id) ?? newAccount(id);
      ctx.accounts.set(id, acc);
      if (trig) {
        acc.actionTriggers = triggersFromTp(trig.triggers, this.opts.timezone, this.now());
        initCounters(acc);
      }
      if (a.allowNegative !== undefined) acc.allowNegative = a.allowNegative;
      if (a.disabled !== undefined) acc.disabled = a.disabled;
      ctx.dirtyAccounts.add(id);
    });
    if (plan) await this.attachPlan(plan.id, plan.entries, [id], true);
  }

  /** APIerSv1.RemoveAccount: deletes the account and its plan and group memberships. */
  async removeAccount(tenant: string, account: string): Promise<void> {
    if (!account) throw mandatoryMissing(['Account']);
    const id = accountKey(tenant || this.defaultTenant, account);
    await this.ensureTp();
    await this.withLocks([id], async () => {
      let groupsShown = false;
      try {
        await this.db.transaction(async (tx) => {
          if (!(await this.lockedAccount(tx, id))) throw new AccurateError(ERR.NOT_FOUND);
          await tx.delete(ACCOUNTS_KIND, id);
          const changed = new Map<string, GroupDoc>();
          for (const [g, doc] of await this.groupsIn(tx)) {
            if (!doc.members.includes(id)) continue;
            const d = { members: doc.members.filter((m) => m !== id) };
            await tx.put(GROUP_MEMBERS_KIND, g, d);
            changed.set(g, d);
          }
          for (const [g, d] of changed) this.groupDocs?.set(g, d);
          groupsShown = changed.size > 0;
        });
        this.accountDocs.set(id, null);
      } catch (e) {
        if (groupsShown) this.groupDocs = null;
        this.accountDocs.delete(id);
        throw e;
      }
    });
    await this.scheduler?.detachAccount(id);
  }

  private balanceFilter(b: BalanceArgs, requireValue: boolean): BalanceFilter {
    let f: BalanceFilter;
    try {
      f = filterFromApi(b.balance, (v) => parseTime(v, this.opts.timezone, this.now()));
    } catch (e) {
      throw new AccurateError(`${ERR.SERVER_ERROR}: ${(e as Error).message}`, ERR.SERVER_ERROR);
    }
    f.type = b.balanceType;
    const v = b.value === undefined || b.value === null || b.value === '' ? undefined : new Money(String(b.value));
    if (requireValue && v === undefined) throw mandatoryMissing(['Value']);
    if (v !== undefined && !v.isZero()) f.value = v.abs();
    return f;
  }

  /** Runs actions on one account as ActionTiming.Execute: the account is created when missing; a failing action changes nothing (PARTIALLY_EXECUTED). */
  private async runOn(id: string, acts: readonly RtAction[], mustExist = false): Promise<void> {
    await this.locked(id, [], async (ctx) => {
      let acc = ctx.accounts.get(id);
      if (!acc) {
        if (mustExist) throw new AccurateError(ERR.NOT_FOUND);
        acc = newAccount(id);
        ctx.accounts.set(id, acc);
        ctx.dirtyAccounts.add(id);
      }
      try {
        runActions(ctx, acc, acts, this.opts.timezone);
      } catch (e) {
        this.opts.log.err(`Error executing action on ${id}: ${(e as Error).message}`);
        throw new AccurateError('PARTIALLY_EXECUTED');
      }
    });
  }

  private static action(type: string, balance: BalanceFilter, extra = ''): RtAction {
    return { id: '', type, extraParameters: extra, filter: '', expirationString: '', balance, weight: 0 };
  }

  /** APIerSv1.SetBalance: sets the fields given on the balance found by ID (or UUID), else creates it. */
  async setBalance(b: BalanceArgs): Promise<void> {
    if (!b.account || !b.balanceType) throw mandatoryMissing([...(!b.account ? ['Account'] : []), ...(!b.balanceType ? ['BalanceType'] : [])]);
    const f = this.balanceFilter(b, false);
    if (!f.id && !f.uuid) throw mandatoryMissing(['BalanceID', 'or', 'BalanceUUID']);
    const acts = [AccountService.action('*set_balance', f)];
    if (b.cdrlog) acts.push(AccountService.action('*cdrlog', {}));
    await this.runOn(accountKey(b.tenant || this.defaultTenant, b.account), acts);
  }

  /** APIerSv1.AddBalance (*topup, *topup_reset with Overwrite). */
  async addBalance(b: BalanceArgs): Promise<void> {
    await this.modifyBalance('*topup', b);
  }

  /** APIerSv1.DebitBalance (*debit, *debit_reset with Overwrite). */
  async debitBalance(b: BalanceArgs): Promise<void> {
    await this.modifyBalance('*debit', b);
  }

  private async modifyBalance(type: string, b: BalanceArgs): Promise<void> {
    const missing = [...(!b.account ? ['Account'] : []), ...(!b.balanceType ? ['BalanceType'] : [])];
    if (missing.length) throw mandatoryMissing(missing);
    const f = this.balanceFilter(b, true);
    const acts = [AccountService.action(b.overwrite ? `${type}_reset` : type, f)];
    if (b.cdrlog) acts.push(AccountService.action('*cdrlog', {}));
    await this.runOn(accountKey(b.tenant || this.defaultTenant, b.account), acts);
  }

  /** APIerSv1.RemoveBalances: removes every balance matching the filter (NOT_FOUND for an unknown account). */
  async removeBalances(b: BalanceArgs): Promise<void> {
    if (!b.account || !b.balanceType) throw mandatoryMissing([...(!b.account ? ['Account'] : []), ...(!b.balanceType ? ['BalanceType'] : [])]);
    const f = this.balanceFilter(b, false);
    delete f.value;
    await this.runOn(accountKey(b.tenant || this.defaultTenant, b.account), [AccountService.action('*remove_balance', f)], true);
  }

  /** APIerSv1.ExecuteAction / scheduler tasks: runs a tariff-plan action set on an account. */
  async executeAction(tenant: string, account: string, actionsId: string): Promise<void> {
    await this.executeActionsOn(accountKey(tenant || this.defaultTenant, account), actionsId);
  }

  async executeActionsOn(accountId: string, actionsId: string): Promise<void> {
    await this.ensureTp();
    const set = this.tp.actions(actionsId);
    if (!set) throw new AccurateError(ERR.NOT_FOUND);
    const acts = set.actions.map(actionFromTp).sort((x, y) => y.weight - x.weight);
    await this.runOn(accountId, acts);
  }

  /** Runs given actions (already built) on an account, e.g. API-composed ones. */
  async executeActions(accountId: string, acts: readonly RtAction[]): Promise<void> {
    await this.runOn(accountId, acts);
  }

  // ---- tariff-plan load ------------------------------------------------------------------------

  /**
   * AccountActions of a loaded tariff plan: creates the accounts, attaches trigger sets (fresh, not
   * executed) and flags, then attaches the action plans (running `*asap` entries once per account
   * and registering timed ones with the scheduler). Unknown plan or trigger ids fail before any change.
   */
  async applyTariffPlanAccounts(tp: TariffPlan): Promise<{ accounts: number }> {
    const rows = Object.values(tp.accountActions).sort((a, b) => accountKey(a.tenant, a.account).localeCompare(accountKey(b.tenant, b.account)));
    const problems: string[] = [];
    for (const aa of rows) {
      const where = `AccountActions ${aa.tenant}:${aa.account}`;
      if (aa.actionPlanId && !tp.actionPlans[aa.actionPlanId]) problems.push(`${where}: unknown ActionPlanId ${aa.actionPlanId}`);
      if (aa.actionTriggersId && !tp.actionTriggers[aa.actionTriggersId]) problems.push(`${where}: unknown ActionTriggersId ${aa.actionTriggersId}`);
    }
    for (const plan of Object.values(tp.actionPlans)) {
      for (const e of plan.entries) if (!tp.actions[e.actionsId]) problems.push(`ActionPlans ${plan.id}: unknown ActionsId ${e.actionsId}`);
    }
    if (problems.length) throw new AccurateError(`${ERR.SERVER_ERROR}: ${problems.join('; ')}`, ERR.SERVER_ERROR);
    await this.reloadTariffPlan(tp);
    const byPlan = new Map<string, string[]>();
    for (const aa of rows) {
      const id = accountKey(aa.tenant, aa.account);
      await this.locked(id, [], async (ctx) => {
        const acc = ctx.accounts.get(id) ?? newAccount(id);
        ctx.accounts.set(id, acc);
        if (aa.actionTriggersId) {
          acc.actionTriggers = triggersFromTp(tp.actionTriggers[aa.actionTriggersId].triggers, this.opts.timezone, this.now());
          initCounters(acc);
        }
        acc.allowNegative = aa.allowNegative;
        acc.disabled = aa.disabled;
        ctx.dirtyAccounts.add(id);
      });
      if (aa.actionPlanId) byPlan.set(aa.actionPlanId, [...(byPlan.get(aa.actionPlanId) ?? []), id]);
    }
    for (const [planId, ids] of byPlan) await this.attachPlan(planId, tp.actionPlans[planId].entries, ids, false);
    return { accounts: rows.length };
  }

  private async attachPlan(planId: string, entries: readonly ActionPlanEntry[], ids: string[], detachOthers: boolean): Promise<void> {
    if (this.scheduler) {
      if (detachOthers) for (const id of ids) await this.scheduler.detachAccount(id, planId);
      await this.scheduler.attachAccounts(planId, entries, ids, (t) => this.tp.timing(t));
      return;
    }
    // Without a scheduler: run the *asap entries now (timed entries need the scheduler).
    for (const id of ids) {
      for (const e of [...entries].filter((x) => x.timingId === '*asap').sort((x, y) => y.weight - x.weight)) {
        try {
          await this.executeActionsOn(id, e.actionsId);
        } catch (err) {
          this.opts.log.err(`*asap ${e.actionsId} on ${id}: ${(err as Error).message}`);
        }
      }
    }
  }
}

/** The shared groups the account's balances belong to. */
function groupsUsed(acc: Account): string[] {
  const out = new Set<string>();
  for (const bs of Object.values(acc.balanceMap)) for (const b of bs) for (const g of Object.keys(b.sharedGroups)) out.add(g);
  return [...out];
}

/** Members of every one of these shared groups. */
function membersOfGroups(used: readonly string[], groups: Map<string, GroupDoc>): string[] {
  const out = new Set<string>();
  for (const g of used) for (const m of groups.get(g)?.members ?? []) out.add(m);
  return [...out];
}
