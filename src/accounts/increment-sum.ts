// The sum of a list of increments, costing a few decimal operations however long the list: rating
// shares one Money per distinct cost (a cumulatively rounded run alternates two), so the costs are
// counted per distinct Money and multiplied once each. Exact, hence the same as adding one by one.
import { type Money, ZERO } from '../util/money.js';

export function sumIncrements(incs: readonly { cost: Money; compressFactor?: number }[]): Money {
  const counts = new Map<Money, number>();
  for (const inc of incs) counts.set(inc.cost, (counts.get(inc.cost) ?? 0) + (inc.compressFactor ?? 1));
  let sum = ZERO;
  for (const [cost, n] of counts) sum = sum.plus(n === 1 ? cost : cost.times(n));
  return sum;
}
