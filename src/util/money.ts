// The one money type: exact decimals end to end, never binary floating point.
import { Decimal as DecimalBase } from 'decimal.js';

/** Decimal configured for money: 40 significant digits is far beyond any tariff, no exponent notation in output. */
export const Money = DecimalBase.clone({ precision: 40, rounding: DecimalBase.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Money = InstanceType<typeof Money>;
export type MoneyLike = Money | string | number;

export const ZERO: Money = new Money(0);

/** No amount of money, rate or balance reaches this: a bound for values read from outside. */
export const MAX_MONEY: Money = new Money('1e18');

/** CGRateS rounding methods as written in DestinationRates.csv; '' means "do not round". */
export type RoundingMethod = '*up' | '*down' | '*middle' | '';
export const ROUNDING_METHODS: readonly string[] = ['*up', '*down', '*middle'];

export function money(x: MoneyLike): Money {
  return x instanceof Money ? x : new Money(x);
}

/** Parses a decimal written in a CSV or JSON field; empty means 0 (as CGRateS). Throws on anything else. */
export function parseMoney(text: string): Money {
  const t = text.trim();
  if (t === '') return ZERO;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new Error(`"${text}" is not a decimal number`);
  const m = new Money(t);
  // Exponents make huge values short to write ("1e999999"): money (and unit balances in nanoseconds) stay below 10^18 (MAX_MONEY).
  if (!m.isFinite() || m.abs().gte(MAX_MONEY)) throw new Error(`"${text.length > 40 ? text.slice(0, 37) + '...' : text}" is out of range (|x| < 1e18)`);
  return m;
}

/** Exact rounding to `decimals` places with a tariff's method; an unknown or empty method leaves the value as is. */
export function roundMoney(x: Money, decimals: number, method: RoundingMethod | string): Money {
  switch (method) {
    case '*up':
      return x.toDecimalPlaces(decimals, Money.ROUND_CEIL);
    case '*down':
      return x.toDecimalPlaces(decimals, Money.ROUND_FLOOR);
    case '*middle':
      return x.toDecimalPlaces(decimals, Money.ROUND_HALF_UP);
    default:
      return x;
  }
}

/** Money as it travels in JSON: a number, as CGRateS clients expect (exact up to 15 significant digits). */
export function moneyToJSON(x: Money): number {
  return x.toNumber();
}

export function sumMoney(values: Iterable<Money>): Money {
  let s = ZERO;
  for (const v of values) s = s.plus(v);
  return s;
}
