// Action triggers (rating-semantics 6.4), evaluated after every balance change: balance
// thresholds look at changed balances only, counter thresholds at unit counters. A fired trigger
// stays executed until reset, unless recurrent (then MinSleep spaces its runs).
import { type Money } from '../util/money.js';
import { isZeroTime } from '../util/time.js';
import { type RtAction, runActionList } from './actions.js';
import { createBalance, filterEqual, hardMatchFilter, matchFilter } from './balance-filter.js';
import type { AccountingCtx } from './context.js';
import { addUnits, type CountedCall } from './counters.js';
import { type Account, type AccountTrigger, type Balance, isExpiredAt } from './model.js';
import type { ActionTrigger as TpTrigger } from '../tariffplan/model.js';
import { Money as M } from '../util/money.js';
import { parseTime } from '../util/time.js';
import { parseStringMap } from './model.js';
import { randomUUID } from 'node:crypto';

export const THRESHOLD_TYPES = [
  '*min_balance', '*max_balance', '*balance_expired', '*min_event_counter', '*max_event_counter',
  '*min_balance_counter', '*max_balance_counter',
] as const;

/** Account triggers from an ActionTriggers.csv set (times evaluated now, as the loader does). */
export function triggersFromTp(rows: readonly TpTrigger[], tz: string, now: number): AccountTrigger[] {
  return rows.map((r) => {
    const balance: AccountTrigger['balance'] = {};
    const set = (v: string) => v !== '' && v !== '*any';
    if (set(r.balanceTag)) balance.id = r.balanceTag;
    if (set(r.balanceType)) balance.type = r.balanceType;
    if (r.balanceWeight !== null) balance.weight = r.balanceWeight;
    if (set(r.balanceExpiryTime) && r.expiryTime !== '*unlimited') balance.expirationDate = parseTime(r.balanceExpiryTime, tz, now);
    if (set(r.balanceRatingSubject)) balance.ratingSubject = r.balanceRatingSubject;
    const list = (xs: string[]) => xs.filter((x) => x !== '' && x !== '*any');
    if (list(r.balanceCategories).length) balance.categories = parseStringMap(r.balanceCategories);
    if (list(r.balanceDestinationIds).length) balance.destinationIds = parseStringMap(r.balanceDestinationIds);
    if (list(r.balanceSharedGroups).length) balance.sharedGroups = parseStringMap(r.balanceSharedGroups);
    if (list(r.balanceTimingIds).length) balance.timingIds = parseStringMap(r.balanceTimingIds);
    if (r.balanceBlocker !== null) balance.blocker = r.balanceBlocker;
    if (r.balanceDisabled !== null) balance.disabled = r.balanceDisabled;
    return {
      id: r.tag,
      uniqueId: r.uniqueId || randomUUID(),
      thresholdType: r.thresholdType,
      thresholdValue: new M(r.thresholdValue || '0'),
      recurrent: r.recurrent,
      minSleepNs: r.minSleep,
      expirationDate: parseTime(r.expiryTime, tz, now),
      activationDate: parseTime(r.activationTime, tz, now),
      balance,
      weight: r.weight,
      actionsId: r.actionsId,
      executed: false,
      lastExecutionTime: parseTime('', tz, now),
    };
  });
}

function triggerActive(at: AccountTrigger, now: number): boolean {
  const expired = !isZeroTime(at.expirationDate) && now > at.expirationDate;
  const active = isZeroTime(at.activationDate) || now > at.activationDate;
  return !expired && active;
}

/** ActionTrigger.Match: does an action (e.g. *reset_triggers) address this trigger? */
export function triggerMatches(at: AccountTrigger, a: RtAction | null): boolean {
  if (!a) return true;
  if (a.balance.type && a.balance.type !== at.balance.type) return false;
  let thresholdOk = true;
  if (a.extraParameters !== '') {
    let t: { GroupID?: string; UniqueID?: string; ThresholdType?: string } = {};
    try {
      t = JSON.parse(a.extraParameters) as typeof t;
    } catch {
      /* CGRateS ignores unparsable parameters here */
    }
    if (t.GroupID) return at.id === t.GroupID;
    if (t.UniqueID) return at.uniqueId === t.UniqueID;
    thresholdOk = !t.ThresholdType || at.thresholdType === t.ThresholdType;
  }
  return thresholdOk && matchFilter(createBalance(at.balance), a.balance, '', false, false);
}

/** ActionTrigger.Execute on an account. */
function fire(ctx: AccountingCtx, acc: Account, at: AccountTrigger): void {
  const now = ctx.now();
  if (at.recurrent && !isZeroTime(at.lastExecutionTime) && (now - at.lastExecutionTime) * 1e6 < at.minSleepNs) return;
  at.lastExecutionTime = now;
  ctx.dirtyAccounts.add(acc.id);
  if (acc.disabled) {
    ctx.log.warning(`User ${acc.id} is disabled and there are triggers in action!`);
    return;
  }
  const set = ctx.tp.actions(at.actionsId);
  if (!set) {
    ctx.log.err(`Failed to get actions: ${at.actionsId}: NOT_FOUND`);
    return;
  }
  at.executed = true;
  try {
    runActionList(ctx, acc, set.actions, ctx.timezone);
  } catch (e) {
    ctx.log.err(`Error executing action of trigger ${at.id}: ${(e as Error).message}`);
  }
  if (at.recurrent) at.executed = false;
}

function compare(kind: string, v: Money, threshold: Money): boolean {
  return kind.startsWith('*max') ? v.gte(threshold) : v.lte(threshold);
}

/** Account.ExecuteActionTriggers. */
export function executeActionTriggers(ctx: AccountingCtx, acc: Account, a: RtAction | null): void {
  if (ctx.executingTriggers.has(acc.id)) return;
  ctx.executingTriggers.add(acc.id);
  try {
    const now = ctx.now();
    const ordered = [...acc.actionTriggers].sort((x, y) => y.weight - x.weight);
    acc.actionTriggers.splice(0, acc.actionTriggers.length, ...ordered);
    for (const at of ordered) {
      if (!triggerActive(at, now)) continue;
      const tt = at.thresholdType;
      if (!tt.includes('counter') && !tt.includes('balance') && !tt.includes('connect')) continue;
      if (at.executed || !triggerMatches(at, a)) continue;
      if (tt.includes('counter') || tt.includes('connect')) {
        const key = { ...at.balance };
        if (!key.id && at.uniqueId) key.id = at.uniqueId;
        for (const ucs of Object.values(acc.unitCounters)) {
          for (const uc of ucs) {
            if (!tt.includes(uc.counterType.slice(1))) continue;
            for (const c of uc.counters) {
              if (filterEqual(c.filter, key) && compare(tt, c.value, at.thresholdValue)) fire(ctx, acc, at);
            }
          }
        }
      } else {
        for (const b of acc.balanceMap[at.balance.type ?? ''] ?? []) {
          if (!ctx.dirtyBalances.has(b) && tt !== '*balance_expired') continue;
          if (!hardMatchFilter(b, at.balance)) continue;
          if (tt === '*max_balance' && b.value.gte(at.thresholdValue)) fire(ctx, acc, at);
          else if (tt === '*min_balance' && b.value.lte(at.thresholdValue)) fire(ctx, acc, at);
          else if (tt === '*balance_expired' && isExpiredAt(b, now)) fire(ctx, acc, at);
        }
      }
    }
    cleanExpired(ctx, acc, now);
  } finally {
    ctx.executingTriggers.delete(acc.id);
  }
}

/** Account.CleanExpiredStuff with rals.remove_expired on (the default): drops expired balances and triggers. */
function cleanExpired(ctx: AccountingCtx, acc: Account, now: number): void {
  for (const [type, bs] of Object.entries(acc.balanceMap)) {
    const kept = bs.filter((b) => !isExpiredAt(b, now));
    if (kept.length !== bs.length) {
      acc.balanceMap[type] = kept;
      ctx.dirtyAccounts.add(acc.id);
    }
  }
  const kept = acc.actionTriggers.filter((t) => isZeroTime(t.expirationDate) || now <= t.expirationDate);
  if (kept.length !== acc.actionTriggers.length) acc.actionTriggers = kept;
}

/** Account.ResetActionTriggers: marks matching triggers not executed, then evaluates them. */
export function resetActionTriggers(ctx: AccountingCtx, acc: Account, a: RtAction | null): void {
  for (const at of acc.actionTriggers) if (triggerMatches(at, a)) at.executed = false;
  executeActionTriggers(ctx, acc, a);
}

/** Account.countUnits: counters, then triggers. */
export function countUnits(ctx: AccountingCtx, acc: Account, amount: Money, kind: string, cc: CountedCall | null, b: Balance | null): void {
  addUnits(ctx, acc, amount, kind, cc, b);
  executeActionTriggers(ctx, acc, null);
}
