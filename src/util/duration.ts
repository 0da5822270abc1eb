// The one duration parser. Durations are integer nanoseconds (JS numbers, exact up to ~104 days),
// as CGRateS keeps them; a bare integer is nanoseconds, as CGRateS's ParseDurationWithNanosecs.

export const NS = 1;
export const US = 1_000;
export const MS = 1_000_000;
export const SECOND = 1_000_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

const UNITS: Record<string, number> = { ns: NS, us: US, 'µs': US, 'μs': US, ms: MS, s: SECOND, m: MINUTE, h: HOUR };

export class DurationError extends Error {}

/**
 * Parses Go duration syntax (`60s`, `1m30s`, `1.5h`, `-2m`, `300ms`), a bare integer (nanoseconds,
 * or seconds when `bare: 's'`), '' (0) and `*unlimited` (-1, CGRateS's "no limit").
 */
export function parseDuration(input: string | number, opts: { bare?: 'ns' | 's' } = {}): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new DurationError(`${input} is not a duration`);
    return Math.round(opts.bare === 's' ? input * SECOND : input);
  }
  const s = input.trim();
  if (s === '') return 0;
  if (s === '*unlimited') return -1;
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    const v = opts.bare === 's' ? n * SECOND : n;
    if (!Number.isSafeInteger(v)) throw new DurationError(`duration "${input}" is too large`);
    return v;
  }
  if (opts.bare === 's' && /^[+-]?\d*\.\d+$/.test(s)) return Math.round(Number(s) * SECOND);
  const m = /^([+-]?)((?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m) throw new DurationError(`"${input}" is not a duration (examples: 60s, 1m30s, 1h, 500ms, or an integer of nanoseconds)`);
  const sign = s.startsWith('-') ? -1 : 1;
  let total = 0;
  const re = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
  let part: RegExpExecArray | null;
  while ((part = re.exec(s)) !== null) {
    total += Number(part[1]) * UNITS[part[2]];
  }
  total = Math.round(total);
  if (!Number.isSafeInteger(total)) throw new DurationError(`duration "${input}" is too large`);
  return sign * total;
}

/** Go's time.Duration.String(): 90s → "1m30s", 1h → "1h0m0s", 1.5s → "1.5s", 0 → "0s". */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < SECOND) {
    if (u < US) out = `${u}ns`;
    else if (u < MS) out = `${trimFrac(u / US)}µs`;
    else out = `${trimFrac(u / MS)}ms`;
  } else {
    const h = Math.floor(u / HOUR);
    u -= h * HOUR;
    const m = Math.floor(u / MINUTE);
    u -= m * MINUTE;
    const sec = trimFrac(u / SECOND);
    out = h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFrac(x: number): string {
  return String(Number(x.toFixed(9)));
}

export function seconds(ns: number): number {
  return ns / SECOND;
}
