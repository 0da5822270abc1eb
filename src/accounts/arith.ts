// Arithmetic of balances and debit sums per cost mode. `*exact` keeps exact decimals and never
// rounds on its own; `*cgrates` reproduces CGRateS's float64 arithmetic and its
// Round(x, G, *middle) after every balance change, digit for digit (JS numbers are float64).
import { roundCgrates } from '../rating/float.js';
import { Money, roundMoney, ZERO } from '../util/money.js';

export type CostMode = '*exact' | '*cgrates';

export interface Arith {
  readonly mode: CostMode;
  /** general.rounding_decimals (G) */
  readonly decimals: number;
  add(a: Money, b: Money): Money;
  sub(a: Money, b: Money): Money;
  mulInt(a: Money, n: number): Money;
  /** What a balance holds after SetValue (CGRateS rounds to G *middle). */
  settle(x: Money): Money;
  /** Sum of increment costs as Increments.GetTotalCost. */
  sum(xs: readonly Money[]): Money;
  /** Tariff rounding (DestinationRates method/decimals). */
  round(x: Money, decimals: number, method: string): Money;
  /** Rounding to G *middle in *cgrates mode; identity in *exact mode. */
  roundG(x: Money): Money;
  /** a >= b */
  gte(a: Money, b: Money): boolean;
}

/** A float64 as the decimal that prints it (shortest round-trip form). */
export function fromFloat(n: number): Money {
  return new Money(Object.is(n, -0) ? 0 : n);
}

export function makeArith(mode: CostMode, decimals: number): Arith {
  if (mode === '*cgrates') {
    const f = (x: Money) => x.toNumber();
    return {
      mode,
      decimals,
      add: (a, b) => fromFloat(f(a) + f(b)),
      sub: (a, b) => fromFloat(f(a) - f(b)),
      mulInt: (a, n) => fromFloat(f(a) * n),
      // CGRateS floors negative values (Round(-0.00501, 5) = -0.00502), so a negative balance would
      // drift from the sum of its debits; rounding the magnitude keeps the debits adding up.
      settle: (x) => {
        const v = f(x);
        return fromFloat(v < 0 ? -roundCgrates(-v, decimals, '*middle') : roundCgrates(v, decimals, '*middle'));
      },
      sum: (xs) => {
        let s = 0;
        for (const x of xs) s += f(x);
        return fromFloat(roundCgrates(s, decimals, '*middle'));
      },
      round: (x, d, m) => fromFloat(roundCgrates(f(x), d, m)),
      roundG: (x) => fromFloat(roundCgrates(f(x), decimals, '*middle')),
      gte: (a, b) => f(a) >= f(b),
    };
  }
  return {
    mode,
    decimals,
    add: (a, b) => a.plus(b),
    sub: (a, b) => a.minus(b),
    mulInt: (a, n) => a.times(n),
    settle: (x) => x,
    sum: (xs) => xs.reduce((s: Money, x) => s.plus(x), ZERO),
    round: (x, d, m) => roundMoney(x, d, m),
    roundG: (x) => x,
    gte: (a, b) => a.gte(b),
  };
}
