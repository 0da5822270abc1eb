// Unit counters (CGRateS units_counter.go): per balance type, `*event` counters add up what
// matching calls consumed, `*balance` counters what matching balances paid. They exist only for
// counter triggers and are rebuilt (keeping values) whenever triggers or balances change.
import { ZERO, type Money } from '../util/money.js';
import type { AccountingCtx } from './context.js';
import { cloneFilter, filterEqual, matchFilter } from './balance-filter.js';
import type { Account, Balance, BalanceFilter, UnitCounter } from './model.js';
import { prefixesOf } from './tpview.js';

/** The call a counter looks at (CallCost.MatchCCFilter needs only these). */
export interface CountedCall {
  category: string;
  destination: string;
}

/** Account.InitCounters. */
export function initCounters(acc: Account): void {
  const old = acc.unitCounters;
  const fresh: Record<string, UnitCounter[]> = {};
  const byKey = new Map<string, UnitCounter>();
  for (const at of acc.actionTriggers) {
    if (!at.thresholdType.includes('counter') && !at.thresholdType.includes('connect')) continue;
    const ct: UnitCounter['counterType'] = at.thresholdType.includes('balance') ? '*balance' : '*event';
    const type = at.balance.type ?? '';
    let uc = byKey.get(type + ct);
    if (!uc) {
      uc = { counterType: ct, counters: [] };
      byKey.set(type + ct, uc);
      (fresh[type] ??= []).push(uc);
    }
    const filter = cloneFilter(at.balance);
    if (!filter.id && at.uniqueId) filter.id = at.uniqueId;
    if (!uc.counters.some((c) => filterEqual(c.filter, filter))) uc.counters.push({ value: ZERO, filter });
  }
  for (const [type, ucs] of Object.entries(fresh)) {
    const olds = old[type];
    if (!olds) continue;
    for (const uc of ucs) {
      for (const o of olds) {
        if (o.counterType !== uc.counterType) continue;
        for (const c of uc.counters) {
          const prev = o.counters.find((oc) => filterEqual(oc.filter, c.filter));
          if (prev) c.value = prev.value;
        }
        break;
      }
    }
  }
  acc.unitCounters = fresh;
}

export function callMatchesFilter(ctx: AccountingCtx, cc: CountedCall, f: BalanceFilter): boolean {
  if (f.categories && cc.category !== '' && !f.categories[cc.category]) return false;
  if (f.destinationIds && cc.destination !== '') {
    for (const p of prefixesOf(cc.destination)) {
      if (ctx.tp.destinationIdsForPrefix(p).some((id) => id in f.destinationIds!)) return true;
    }
    return false;
  }
  return true;
}

/** UnitCounters.addUnits. */
export function addUnits(ctx: AccountingCtx, acc: Account, amount: Money, kind: string, cc: CountedCall | null, b: Balance | null): void {
  for (const uc of acc.unitCounters[kind] ?? []) {
    for (const c of uc.counters) {
      if (uc.counterType === '*event' && cc && callMatchesFilter(ctx, cc, c.filter)) {
        c.value = ctx.arith.add(c.value, amount);
      } else if (uc.counterType === '*balance' && b && matchFilter(b, c.filter, '', true, false)) {
        c.value = ctx.arith.add(c.value, amount);
      }
    }
  }
}

/** UnitCounters.resetCounters: every counter (or those equal to the action's filter of its type). */
export function resetCounters(acc: Account, f: BalanceFilter | null): void {
  for (const [type, ucs] of Object.entries(acc.unitCounters)) {
    if (f?.type && f.type !== type) continue;
    for (const uc of ucs) for (const c of uc.counters) if (!f || filterEqual(c.filter, f)) c.value = ZERO;
  }
}
