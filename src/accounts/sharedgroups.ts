// Shared groups (rating-semantics 6.5): a shared balance stands for the matching balances of
// every member, ordered by the group's strategy; `*mine_*` puts the caller's own balance first.
import type { SharedGroup } from '../tariffplan/model.js';
import type { BalanceRef } from './selection.js';

export type SharingStrategy = '*highest' | '*lowest' | '*random' | '*mine_highest' | '*mine_lowest' | '*mine_random';

/** Sharing parameters of an account: its own row (keyed by account id) else the `*any` row. */
export function strategyFor(sg: SharedGroup, accountId: string): SharingStrategy {
  const own = sg.members.find((m) => m.account === accountId);
  const any = sg.members.find((m) => m.account === '*any');
  const s = (own ?? any)?.strategy ?? '';
  switch (s) {
    case '*highest': case '*lowest': case '*random': case '*mine_highest': case '*mine_lowest': case '*mine_random':
      return s;
    default:
      return '*mine_random';
  }
}

function shuffle<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** SharedGroup.SortBalancesByStrategy. */
export function sortByStrategy(sg: SharedGroup, mine: BalanceRef, refs: BalanceRef[]): BalanceRef[] {
  const strategy = strategyFor(sg, mine.account.id);
  let out: BalanceRef[];
  if (strategy.endsWith('lowest')) out = [...refs].sort((a, b) => a.balance.value.comparedTo(b.balance.value));
  else if (strategy.endsWith('highest')) out = [...refs].sort((a, b) => b.balance.value.comparedTo(a.balance.value));
  else out = shuffle(refs);
  if (strategy.startsWith('*mine_') && out.length > 0) {
    const i = Math.max(0, out.findIndex((r) => r.balance.uuid === mine.balance.uuid));
    [out[0], out[i]] = [out[i], out[0]];
  }
  return out;
}
