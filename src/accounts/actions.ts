// Actions (rating-semantics 6.2) applied to an in-memory account: topups, debits, resets,
// balance set/remove, flags, trigger resets, log and cdrlog. An action set runs in descending
// weight; an action that fails aborts the rest (the caller then does not save the account).
import { createHash, randomUUID } from 'node:crypto';
import type { Action as TpAction } from '../tariffplan/model.js';
import { AccurateError, ERR } from '../util/errors.js';
import { Money, ZERO } from '../util/money.js';
import { parseDuration } from '../util/duration.js';
import { GO_ZERO_TIME, formatTime, parseTime } from '../util/time.js';
import { cloneFilter, createBalance, matchFilter, modifyBalance } from './balance-filter.js';
import type { AccountingCtx, CdrLogRecord } from './context.js';
import { initCounters, resetCounters } from './counters.js';
import {
  type Account, type Balance, type BalanceFilter, DEFAULT_BALANCE_ID, VOICE, isExpiredAt, newBalance, parseStringMap, splitAccountKey,
  stringMapEqual,
} from './model.js';
import { executeActionTriggers, resetActionTriggers } from './triggers.js';
import { accountToJSON } from './json.js';

/** An action ready to run: the Actions.csv row with its balance filter built. */
export interface RtAction {
  id: string;
  type: string;
  extraParameters: string;
  filter: string;
  expirationString: string;
  balance: BalanceFilter;
  weight: number;
}

export const ACTION_TYPES = [
  '*topup_reset', '*topup', '*debit', '*debit_reset', '*reset_account', '*set_balance', '*remove_balance', '*log',
  '*disable_account', '*enable_account', '*allow_negative', '*deny_negative', '*reset_triggers', '*set_recurrent',
  '*unset_recurrent', '*reset_counters', '*cdrlog',
] as const;

const set = (v: string) => v !== '' && v !== '*any';

/** Units of an action: a duration for *voice (bare number = ns), a decimal otherwise. */
export function parseUnits(balanceType: string, units: string): Money {
  const u = units.trim();
  if (balanceType === VOICE) return new Money(parseDuration(u));
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(u)) throw new Error(`units "${units}" is not a number`);
  return new Money(u);
}

/** The loader's conversion of an Actions.csv row (TpReader.LoadActions). */
export function actionFromTp(a: TpAction): RtAction {
  const f: BalanceFilter = {};
  if (set(a.balanceId)) f.id = a.balanceId;
  if (set(a.balanceType)) f.type = a.balanceType;
  if (set(a.units)) f.value = parseUnits(a.balanceType, a.units);
  if (a.balanceWeight !== null) f.weight = a.balanceWeight;
  if (set(a.ratingSubject)) f.ratingSubject = a.ratingSubject;
  const list = (xs: string[]) => xs.filter((x) => x !== '').join(';');
  if (set(list(a.categories))) f.categories = parseStringMap(a.categories);
  if (set(list(a.destinationIds))) f.destinationIds = parseStringMap(a.destinationIds);
  if (set(list(a.sharedGroups))) f.sharedGroups = parseStringMap(a.sharedGroups);
  if (set(list(a.timingIds))) f.timingIds = parseStringMap(a.timingIds);
  if (a.balanceBlocker !== null) f.blocker = a.balanceBlocker;
  if (a.balanceDisabled !== null) f.disabled = a.balanceDisabled;
  return {
    id: a.actionsId, type: a.action, extraParameters: a.extraParameters, filter: a.filter,
    expirationString: a.expiryTime, balance: f, weight: a.weight,
  };
}

function joinSharedGroups(ctx: AccountingCtx, acc: Account, b: Balance): void {
  for (const sgId of Object.keys(b.sharedGroups)) {
    if (!ctx.tp.sharedGroup(sgId)) {
      ctx.log.warning(`Could not get shared group: ${sgId}`);
      continue;
    }
    const members = ctx.groupMembers.get(sgId) ?? new Set<string>();
    if (!members.has(acc.id)) {
      members.add(acc.id);
      ctx.groupMembers.set(sgId, members);
      ctx.changedGroups.add(sgId);
    }
  }
}

function touch(ctx: AccountingCtx, acc: Account, b: Balance): void {
  ctx.dirtyBalances.add(b);
  ctx.dirtyAccounts.add(acc.id);
}

/** Account.debitBalanceAction: subtract units (after an optional reset) from every matching balance, else create one. */
export function debitBalanceAction(ctx: AccountingCtx, acc: Account, a: RtAction, reset: boolean): void {
  const amount = a.balance.value ?? ZERO;
  const type = a.balance.type ?? '';
  const now = ctx.now();
  let found = false;
  for (const b of acc.balanceMap[type] ?? []) {
    if (isExpiredAt(b, now)) continue;
    if (!matchFilter(b, a.balance, '', false, false)) continue;
    if (reset) b.value = ZERO;
    b.value = ctx.arith.settle(ctx.arith.sub(b.value, amount));
    touch(ctx, acc, b);
    found = true;
  }
  if (!found) {
    let nb: Balance;
    if (a.balance.id === DEFAULT_BALANCE_ID) {
      nb = newBalance({ id: DEFAULT_BALANCE_ID, value: amount.neg() });
    } else {
      nb = createBalance({ ...cloneFilter(a.balance), uuid: undefined });
      nb.value = amount.isZero() ? amount : amount.neg();
      if (a.extraParameters !== '') {
        try {
          nb.factors = JSON.parse(a.extraParameters) as Record<string, number>;
        } catch {
          ctx.log.warning(`Could load value factors from actions: extra parametrs: ${a.extraParameters}`);
        }
      }
    }
    nb.uuid = randomUUID();
    (acc.balanceMap[type] ??= []).push(nb);
    touch(ctx, acc, nb);
    joinSharedGroups(ctx, acc, nb);
  }
  initCounters(acc);
  executeActionTriggers(ctx, acc, null);
}

/** Account.setBalanceAction (APIerSv1.SetBalance, *set_balance): set every given field of one balance, found by uuid or id, else created. */
export function setBalanceAction(ctx: AccountingCtx, acc: Account, f: BalanceFilter): void {
  const now = ctx.now();
  let target: Balance | undefined;
  let previousGroups: Balance['sharedGroups'] | undefined;
  if (f.uuid) {
    for (const bs of Object.values(acc.balanceMap)) {
      target = bs.find((b) => b.uuid === f.uuid && !isExpiredAt(b, now));
      if (target) break;
    }
    if (!target) throw new AccurateError(`cannot find balance with uuid: <${f.uuid}>`, ERR.SERVER_ERROR);
  } else {
    for (const [type, bs] of Object.entries(acc.balanceMap)) {
      if (f.type && f.type !== type) continue;
      target = f.id !== undefined ? bs.find((b) => b.id === f.id && !isExpiredAt(b, now)) : undefined;
      if (target) break;
    }
  }
  const found = target !== undefined;
  if (target) previousGroups = { ...target.sharedGroups };
  else {
    if (!f.type) throw new AccurateError('missing balance type', ERR.SERVER_ERROR);
    target = newBalance();
    (acc.balanceMap[f.type] ??= []).push(target);
  }
  if (f.id === DEFAULT_BALANCE_ID) {
    if (f.value !== undefined) {
      target.id = DEFAULT_BALANCE_ID;
      target.value = f.value;
    }
  } else {
    modifyBalance(target, f);
  }
  target.value = ctx.arith.settle(target.value);
  touch(ctx, acc, target);
  if (!found || !stringMapEqual(previousGroups ?? {}, target.sharedGroups)) joinSharedGroups(ctx, acc, target);
  initCounters(acc);
  executeActionTriggers(ctx, acc, null);
}

/** *remove_balance: drops every matching balance; NOT_FOUND when none matched. */
export function removeBalanceAction(ctx: AccountingCtx, acc: Account, f: BalanceFilter): Balance[] {
  const removed: Balance[] = [];
  for (const [type, bs] of Object.entries(acc.balanceMap)) {
    const kept = bs.filter((b) => {
      const hit = matchFilter(b, f, type, false, false);
      if (hit) removed.push(b);
      return !hit;
    });
    acc.balanceMap[type] = kept;
  }
  if (removed.length === 0) throw new AccurateError(ERR.NOT_FOUND);
  ctx.dirtyAccounts.add(acc.id);
  return removed;
}

function resetAccount(ctx: AccountingCtx, acc: Account): void {
  for (const type of Object.keys(acc.balanceMap)) acc.balanceMap[type] = [newBalance({ uuid: '', value: ZERO })];
  initCounters(acc);
  resetActionTriggers(ctx, acc, null);
}

const CDRLOG_ACTIONS = new Set(['*debit', '*debit_reset', '*topup', '*topup_reset', '*set_balance', '*remove_balance']);

function cdrLog(ctx: AccountingCtx, acc: Account, a: RtAction, all: readonly RtAction[], removed: Map<RtAction, Balance[]>): void {
  if (!ctx.cdrSink) throw new AccurateError('No connection with CDR Server', ERR.SERVER_ERROR);
  let template: Record<string, string> = {};
  if (a.extraParameters !== '') template = JSON.parse(a.extraParameters) as Record<string, string>;
  const { tenant, account } = splitAccountKey(acc.id);
  const now = formatTime(ctx.now());
  for (const act of all) {
    if (!CDRLOG_ACTIONS.has(act.type)) continue;
    const value = act.balance.value ?? ZERO;
    const base = (): CdrLogRecord => {
      const originId = randomUUID();
      return {
        CGRID: createHash('sha1').update(originId + '127.0.0.1').digest('hex'),
        RunID: act.type, OrderID: 0, OriginHost: '127.0.0.1', Source: '*cdrLog', OriginID: originId,
        ToR: act.balance.type ?? '', RequestType: '*none', Tenant: tenant, Category: '', Account: account, Subject: account,
        Destination: '', SetupTime: now, AnswerTime: now, Usage: 1, ExtraFields: {}, Cost: value.toNumber(), PreRated: true,
        CostSource: '',
      };
    };
    const apply = (r: CdrLogRecord) => {
      for (const [field, val] of Object.entries(template)) {
        const v = val.startsWith('^') ? val.slice(1) : val;
        if (field in r && field !== 'ExtraFields') (r as unknown as Record<string, unknown>)[field] = typeof r[field as keyof CdrLogRecord] === 'number' ? Number(v) : v;
        else r.ExtraFields[field] = v;
      }
      return r;
    };
    const rem = removed.get(act);
    if (act.type === '*remove_balance' && rem) {
      for (const b of rem) {
        const r = apply(base());
        r.Cost = b.value.toNumber();
        r.ExtraFields.BalanceID = b.id;
        ctx.cdrSink(r);
      }
      continue;
    }
    ctx.cdrSink(apply(base()));
  }
}

/** Runs one action on an account (the action's ExpiryTime already resolved into its filter). */
function runAction(
  ctx: AccountingCtx, acc: Account, a: RtAction, all: readonly RtAction[], removed: Map<RtAction, Balance[]>, original: RtAction,
): void {
  switch (a.type) {
    case '*topup_reset':
      return debitBalanceAction(ctx, acc, negated(a), true);
    case '*topup':
      return debitBalanceAction(ctx, acc, negated(a), false);
    case '*debit_reset':
      return debitBalanceAction(ctx, acc, a, true);
    case '*debit':
      return debitBalanceAction(ctx, acc, a, false);
    case '*reset_account':
      return resetAccount(ctx, acc);
    case '*set_balance':
      return setBalanceAction(ctx, acc, a.balance);
    case '*remove_balance':
      removed.set(original, removeBalanceAction(ctx, acc, a.balance));
      return;
    case '*log':
      ctx.log.info(`LOG Account: ${JSON.stringify(accountToJSON(acc))}`);
      return;
    case '*disable_account':
      acc.disabled = true;
      break;
    case '*enable_account':
      acc.disabled = false;
      break;
    case '*allow_negative':
      acc.allowNegative = true;
      break;
    case '*deny_negative':
      acc.allowNegative = false;
      break;
    case '*reset_triggers':
      resetActionTriggers(ctx, acc, a);
      break;
    case '*set_recurrent':
    case '*unset_recurrent':
      for (const at of acc.actionTriggers) if (triggerMatchesForRecurrent(at, a)) at.recurrent = a.type === '*set_recurrent';
      break;
    case '*reset_counters':
      resetCounters(acc, a.balance);
      break;
    case '*cdrlog':
      cdrLog(ctx, acc, a, all, removed);
      return;
    default:
      throw new AccurateError(`Function type ${a.type} not available, aborting execution!`, ERR.SERVER_ERROR);
  }
  ctx.dirtyAccounts.add(acc.id);
}

function triggerMatchesForRecurrent(at: Account['actionTriggers'][number], a: RtAction): boolean {
  return !a.balance.type || a.balance.type === at.balance.type;
}

/** genericMakeNegative on a clone: topups are debits of negative units. */
function negated(a: RtAction): RtAction {
  const v = a.balance.value;
  return v && v.gt(0) ? { ...a, balance: { ...a.balance, value: v.neg() } } : a;
}

/**
 * Runs an action set (tp rows) on an account in descending weight. Throws on the first failing
 * action: callers must not persist the account then.
 */
export function runActionList(ctx: AccountingCtx, acc: Account, rows: readonly TpAction[], tz: string): void {
  const acts = [...rows].map(actionFromTp).sort((x, y) => y.weight - x.weight);
  runActions(ctx, acc, acts, tz);
}

export function runActions(ctx: AccountingCtx, acc: Account, acts: readonly RtAction[], tz: string): void {
  const removed = new Map<RtAction, Balance[]>();
  for (const original of acts) {
    if (original.filter !== '') ctx.log.warning(`action ${original.id}: filters on actions are not evaluated (${original.filter})`);
    let a = original;
    if (a.expirationString !== '') {
      const exp = a.expirationString === '*unlimited' ? GO_ZERO_TIME : tryTime(a.expirationString, tz, ctx.now());
      if (exp !== null) a = { ...a, balance: { ...a.balance, expirationDate: exp } };
    }
    runAction(ctx, acc, a, acts, removed, original);
  }
}

function tryTime(s: string, tz: string, now: number): number | null {
  try {
    return parseTime(s, tz, now);
  } catch {
    return null;
  }
}
