// Go-like value handling for the filter/template language: how a value prints (IfaceAsString),
// how a string is typed for comparison (StringToInterface) and how two typed values compare.
import { Money, type Money as MoneyT } from '../util/money.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { parseTime } from '../util/time.js';
import { formatGoTime, RFC3339 } from './gotime.js';

/** An instant carried in an event (Go's time.Time): prints as RFC3339 in its zone. */
export class GoTime {
  constructor(
    readonly ms: number,
    readonly tz = 'UTC',
    /** nanoseconds past the millisecond (Go keeps them) */
    readonly subNs = 0,
  ) {}
}

/** A duration carried in an event (Go's time.Duration): prints as `1m30s`, compares as nanoseconds. */
export class GoDuration {
  constructor(readonly ns: number) {}
}

export function isMoney(v: unknown): v is MoneyT {
  return v instanceof Money || (typeof v === 'object' && v !== null && Money.isDecimal(v));
}

/** Go's strconv.FormatFloat(x, 'f', -1, 64): shortest form, never an exponent. */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  return new Money(x).toFixed();
}

/** The printable form of any event value, as CGRateS's IfaceAsString. */
export function ifaceAsString(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : formatGoFloat(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoTime) return formatGoTime(v.ms, RFC3339, v.tz, v.subNs);
  if (v instanceof GoDuration) return v.ns === -1 ? '-1' : formatDuration(v.ns);
  if (isMoney(v)) return v.toFixed();
  if (v instanceof Date) return formatGoTime(v.getTime(), RFC3339, 'UTC');
  return JSON.stringify(v);
}

/** A value typed for comparison: numbers (ints, floats, durations in ns) compare as exact decimals. */
export type Typed =
  | { k: 'num'; v: MoneyT }
  | { k: 'time'; v: number }
  | { k: 'bool'; v: boolean }
  | { k: 'str'; v: string };

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GO_DURATION_RE = /^[+-]?((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const BOOLS: Record<string, boolean> = { t: true, T: true, TRUE: true, true: true, True: true, f: false, F: false, FALSE: false, false: false, False: false };

/** CGRateS's StringToInterface: int, bool, float, time, duration, else string (in that order). */
export function stringToTyped(s: string, tz = 'Local', now = Date.now()): Typed {
  if (s === '') return { k: 'str', v: s };
  if (INT_RE.test(s)) return { k: 'num', v: new Money(s) };
  if (s in BOOLS) return { k: 'bool', v: BOOLS[s] };
  if (FLOAT_RE.test(s)) return { k: 'num', v: new Money(s) };
  if (/^[+-]?(inf|infinity)$/i.test(s)) return { k: 'num', v: new Money(s.startsWith('-') ? -Infinity : Infinity) };
  if (looksLikeTime(s)) {
    try {
      return { k: 'time', v: parseTime(s, tz, now) };
    } catch {
      /* not a time */
    }
  }
  if (GO_DURATION_RE.test(s)) return { k: 'num', v: new Money(parseDuration(s)) };
  return { k: 'str', v: s };
}

// Go tries times before durations, so `+1h` is "now + 1h"; plain words (e.g. `dan`) never reach the time parser.
function looksLikeTime(s: string): boolean {
  return /^\d/.test(s) || s.startsWith('*') || s.startsWith('+');
}

/** Types an event value directly (numbers stay numbers, GoTime stays a time). */
export function typedOf(v: unknown, tz = 'Local', now = Date.now()): Typed {
  if (typeof v === 'number') return { k: 'num', v: new Money(v) };
  if (typeof v === 'boolean') return { k: 'bool', v };
  if (v instanceof GoTime) return { k: 'time', v: v.ms };
  if (v instanceof GoDuration) return { k: 'num', v: new Money(v.ns) };
  if (isMoney(v)) return { k: 'num', v };
  return stringToTyped(ifaceAsString(v), tz, now);
}

export class IncomparableError extends Error {}

function describe(t: Typed): string {
  return t.k === 'num' ? t.v.toFixed() : t.k === 'time' ? new Date(t.v).toISOString() : String(t.v);
}

/** CGRateS's GreaterThan: a > b (or >= when orEqual); numbers and times only. */
export function greaterThan(a: Typed, b: Typed, orEqual: boolean): boolean {
  if (a.k !== b.k) throw new IncomparableError(`incomparable: <${describe(a)}> with <${describe(b)}>`);
  if (a.k === 'num' && b.k === 'num') return orEqual ? a.v.gte(b.v) : a.v.gt(b.v);
  if (a.k === 'time' && b.k === 'time') return orEqual ? a.v >= b.v : a.v > b.v;
  throw new IncomparableError(`unsupported comparison type: ${a.k === 'str' ? 'string' : 'bool'}`);
}

/** CGRateS's EqualTo: numbers, times and strings. */
export function equalTo(a: Typed, b: Typed): boolean {
  if (a.k !== b.k) throw new IncomparableError(`incomparable: <${describe(a)}> with <${describe(b)}>`);
  if (a.k === 'num' && b.k === 'num') return a.v.eq(b.v);
  if (a.k === 'time' && b.k === 'time') return a.v === b.v;
  if (a.k === 'str' && b.k === 'str') return a.v === b.v;
  throw new IncomparableError('unsupported comparison type: bool');
}

/** CGRateS's IfaceAsDuration: numbers are nanoseconds, strings parse as durations (bare = ns). */
export function valueAsDuration(v: unknown): number {
  if (v instanceof GoDuration) return v.ns;
  if (typeof v === 'number') return Math.trunc(v);
  if (isMoney(v)) return v.trunc().toNumber();
  const s = ifaceAsString(v);
  if (FLOAT_RE.test(s.trim()) && !INT_RE.test(s.trim())) return Math.trunc(Number(s)); // float string = ns
  return parseDuration(s);
}

/** CGRateS's IfaceAsFloat64, but exact. */
export function valueAsDecimal(v: unknown): MoneyT {
  if (isMoney(v)) return v;
  if (typeof v === 'number') return new Money(v);
  if (v instanceof GoDuration) return new Money(v.ns);
  const s = ifaceAsString(v).trim();
  if (!FLOAT_RE.test(s)) throw new Error(`cannot convert "${s}" to a number`);
  return new Money(s);
}
