// Which balances may pay for a call, in which order (rating-semantics 5.2): not disabled, not
// expired, value > 0 or blocker or shared, category and destination match; longer matched
// prefix first, then higher weight. Shared balances are replaced by the group's balances.
import type { AccountingCtx } from './context.js';
import { type Account, type Balance, GENERIC, MONETARY, isExpiredAt } from './model.js';
import { sortByStrategy } from './sharedgroups.js';
import { prefixesOf, timingActiveAt } from './tpview.js';

/** A balance with the account that owns it (shared balances live in other accounts). */
export interface BalanceRef {
  balance: Balance;
  account: Account;
}

export function matchCategory(b: Balance, category: string): boolean {
  return Object.keys(b.categories).length === 0 || b.categories[category] === true;
}

/** Balance.IsActiveAt: enabled and, when it has timings, inside an included one and no negated one. */
export function balanceActiveAt(ctx: AccountingCtx, b: Balance, ms: number): boolean {
  if (b.disabled) return false;
  const ids = Object.keys(b.timingIds);
  if (ids.length === 0) return true;
  let exists = false;
  let active = false;
  for (const id of ids) {
    const t = ctx.tp.timing(id);
    if (!t) continue;
    const on = timingActiveAt(t, ms, ctx.timezone);
    if (b.timingIds[id]) {
      exists = true;
      if (on) active = true;
    } else if (on) return false;
  }
  return exists ? active : true;
}

function hasDestinations(b: Balance): boolean {
  const keys = Object.keys(b.destinationIds);
  return keys.length > 0 && !b.destinationIds['*any'];
}

/**
 * Destination precision of a balance for a number: 0 = no restriction, >0 = matched prefix length,
 * null = excluded (a `!ID` hit, or no listed destination matches).
 */
export function destinationPrecision(ctx: AccountingCtx, b: Balance, number: string): number | null {
  if (!hasDestinations(b)) return 0;
  const allExclude = Object.values(b.destinationIds).every((v) => !v);
  for (const p of prefixesOf(number)) {
    const ids = ctx.tp.destinationIdsForPrefix(p);
    if (ids.length === 0) continue;
    let found = false;
    let allInclude = true;
    for (const id of ids) {
      if (id in b.destinationIds) {
        found = true;
        allInclude = allInclude && b.destinationIds[id];
      }
    }
    if (found || allExclude) return allInclude ? p.length : null;
  }
  return null;
}

/** Balance.getMatchingPrefixAndDestID (reported in unit debit info). */
export function matchingPrefixAndDestId(ctx: AccountingCtx, b: Balance, number: string): { prefix: string; destId: string } {
  if (hasDestinations(b)) {
    for (const p of prefixesOf(number)) {
      for (const id of ctx.tp.destinationIdsForPrefix(p)) if (b.destinationIds[id]) return { prefix: p, destId: id };
    }
  }
  return { prefix: '', destId: '' };
}

/** Account.getBalancesForPrefix. */
export function balancesForPrefix(
  ctx: AccountingCtx, acc: Account, destination: string, category: string, tor: string, sharedGroup: string, at: number,
): BalanceRef[] {
  const pool = [...(acc.balanceMap[tor] ?? [])];
  if (tor !== MONETARY && tor !== GENERIC) pool.push(...(acc.balanceMap[GENERIC] ?? []));
  const useful: { ref: BalanceRef; precision: number }[] = [];
  for (const b of pool) {
    if (b.disabled) continue;
    const shared = Object.keys(b.sharedGroups).length > 0;
    if (isExpiredAt(b, at) || (!shared && b.value.lte(0) && !b.blocker)) continue;
    if (sharedGroup !== '' && !b.sharedGroups[sharedGroup]) continue;
    if (!matchCategory(b, category)) continue;
    const precision = destinationPrecision(ctx, b, destination);
    if (precision === null) continue;
    useful.push({ ref: { balance: b, account: acc }, precision });
  }
  // Stable sort: longer prefix first, then higher weight.
  useful.sort((x, y) => y.precision - x.precision || y.ref.balance.weight - x.ref.balance.weight);
  return useful.map((u) => u.ref);
}

/** Account.getAlldBalancesForPrefix: like balancesForPrefix with shared balances expanded. */
export function allBalancesForPrefix(
  ctx: AccountingCtx, acc: Account, destination: string, category: string, tor: string, at: number,
): BalanceRef[] {
  const out: BalanceRef[] = [];
  for (const ref of balancesForPrefix(ctx, acc, destination, category, tor, '', at)) {
    const groups = Object.keys(ref.balance.sharedGroups);
    if (groups.length === 0) {
      out.push(ref);
      continue;
    }
    for (const sgId of groups) {
      const sg = ctx.tp.sharedGroup(sgId);
      if (!sg) {
        ctx.log.warning(`Could not get shared group: ${sgId}`);
        continue;
      }
      out.push(...sortByStrategy(sg, ref, groupBalances(ctx, sgId, acc, destination, category, tor, at)));
    }
  }
  return out;
}

/** SharedGroup.GetBalances: the matching balances of every member (disabled members skipped). */
export function groupBalances(
  ctx: AccountingCtx, sgId: string, acc: Account, destination: string, category: string, tor: string, at: number,
): BalanceRef[] {
  const out: BalanceRef[] = [];
  for (const memberId of ctx.groupMembers.get(sgId) ?? []) {
    const m = memberId === acc.id ? acc : ctx.accounts.get(memberId);
    if (!m || (m !== acc && m.disabled)) continue;
    out.push(...balancesForPrefix(ctx, m, destination, category, tor, sgId, at));
  }
  return out;
}

/** Account.GetUniqueSharedGroupMembers: accounts to lock with this one for a call. */
export function sharedGroupIdsFor(ctx: AccountingCtx, acc: Account, destination: string, category: string, tor: string, at: number): string[] {
  const ids = new Set<string>();
  for (const t of [MONETARY, tor]) {
    for (const ref of balancesForPrefix(ctx, acc, destination, category, t, '', at)) {
      for (const sg of Object.keys(ref.balance.sharedGroups)) ids.add(sg);
    }
  }
  return [...ids];
}
