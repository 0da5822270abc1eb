// The one time parser. Instants are epoch milliseconds (JS numbers); CGRateS's zero time
// (0001-01-01T00:00:00Z, "not set") is ZERO_TIME. Layouts follow CGRateS's ParseTimeDetectLayout.
// Go keeps nanoseconds, a float64 epoch-ms cannot (its resolution is ~0.24 µs today), so the exact
// instant is parseTimeNs (epoch ns, bigint); parseTime is its millisecond floor.
import { parseDuration, DurationError } from './duration.js';

// Date.UTC maps years 0-99 to 1900-1999, so build year 1 explicitly.
const zero = new Date(0);
zero.setUTCFullYear(1, 0, 1);
zero.setUTCHours(0, 0, 0, 0);
export const GO_ZERO_TIME: number = zero.getTime();

export function isZeroTime(ms: number | undefined | null): boolean {
  return ms === undefined || ms === null || ms === GO_ZERO_TIME || Number.isNaN(ms);
}

export class TimeError extends Error {}

/** Wall-clock fields of an instant in a zone ('UTC', 'Local' or an IANA name). */
export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  weekday: number; // 0 = Sunday, as Go's time.Weekday
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Throws for a zone name the runtime does not know. */
export function checkTimezone(tz: string): void {
  if (tz === '' || tz === 'UTC' || tz === 'Local') return;
  try {
    formatter(tz);
  } catch {
    throw new TimeError(`unknown time zone "${tz}" (use UTC, Local or an IANA name such as Europe/Berlin)`);
  }
}

export function wallClock(ms: number, tz = 'UTC'): WallClock {
  const d = new Date(ms);
  if (tz === 'UTC' || tz === '') {
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(),
      hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), ms: d.getUTCMilliseconds(),
    };
  }
  if (tz === 'Local') {
    return {
      year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), weekday: d.getDay(),
      hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(), ms: d.getMilliseconds(),
    };
  }
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(d)) parts[p.type] = p.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), weekday: WEEKDAYS[parts.weekday],
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), ms: d.getUTCMilliseconds(),
  };
}

/** The instant at which the given wall-clock time occurs in `tz` (first occurrence on DST overlaps). */
export function fromWallClock(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, msec = 0, tz = 'UTC'): number {
  const asUtc = utcMs(year, month, day, hour, minute, second, msec);
  if (tz === 'UTC' || tz === '') return asUtc;
  if (tz === 'Local') {
    const d = new Date(0);
    d.setFullYear(year, month - 1, day);
    d.setHours(hour, minute, second, msec);
    return d.getTime();
  }
  // Iterate on the zone offset: two rounds settle it except in DST gaps.
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const w = wallClock(guess, tz);
    const off = utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second, w.ms) - guess;
    const next = asUtc - off;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, msec: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, msec);
  return d.getTime();
}

/** Adds calendar months as Go's AddDate does (overflowing days roll into the next month). */
export function addMonths(ms: number, months: number, tz = 'UTC'): number {
  const w = wallClock(ms, tz);
  return fromWallClock(w.year, w.month + months, w.day, w.hour, w.minute, w.second, w.ms, tz);
}

export function addDays(ms: number, days: number, tz = 'UTC'): number {
  const w = wallClock(ms, tz);
  return fromWallClock(w.year, w.month, w.day + days, w.hour, w.minute, w.second, w.ms, tz);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** A fraction of a second as whole ms and the ns below them; digits past the 9th are cut, as Go does. */
function fracParts(frac: string | undefined): { ms: number; subNs: number } {
  if (!frac) return { ms: 0, subNs: 0 };
  const ns = Number((frac + '000000000').slice(0, 9));
  return { ms: Math.floor(ns / 1e6), subNs: ns % 1e6 };
}

/** An instant split exactly: whole epoch ms and the nanoseconds (0..999999) past them. */
export interface TimeParts {
  ms: number;
  subNs: number;
}

const NS_PER_MS = 1_000_000n;

/** Epoch ns of an instant given as whole ms (+ ns past them). */
export function msToNs(ms: number, subNs = 0): bigint {
  const whole = Math.floor(ms);
  // a fractional ms (sub-ms offsets computed in float) keeps what float can hold
  const frac = subNs + Math.round((ms - whole) * 1e6);
  return BigInt(whole) * NS_PER_MS + BigInt(frac);
}

/** Whole ms and the ns past them of an epoch-ns instant (floor, also before 1970). */
export function nsToParts(ns: bigint): TimeParts {
  let q = ns / NS_PER_MS;
  let r = ns % NS_PER_MS;
  if (r < 0n) {
    q -= 1n;
    r += NS_PER_MS;
  }
  return { ms: Number(q), subNs: Number(r) };
}

/**
 * Parses a time as CGRateS does: RFC3339 (`2014-08-04T13:00:00Z`, with fraction or offset),
 * SQL `2014-08-04 13:00:00` (in `tz`), Go's `2006-01-02 15:04:05 -0700 MST`, `20140804130000`,
 * unix seconds (10 digits), milliseconds (13), microseconds (16), nanoseconds (19), `*now`,
 * `+1h` / `-30m` (relative to now), `*daily`, `*monthly`, `*monthly_estimated`, `*month_end[+dur]`,
 * `*mo…[+dur]` (one month later), `*yearly`, and '' (zero time, "not set").
 */
export function parseTime(input: string | number, tz = 'UTC', now: number = Date.now()): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new TimeError(`${input} is not a time`);
    return input > 1e11 ? input : input * 1000; // seconds or milliseconds
  }
  return parseTimeParts(input, tz, now).ms;
}

/**
 * The exact instant, epoch nanoseconds: RFC 3339 keeps up to 9 fractional digits, unix seconds may
 * carry a fraction, 19-digit unix nanoseconds are exact. A JSON number is unix seconds (≤ 1e11),
 * else ms, as parseTime; a bigint is taken as epoch ns.
 */
export function parseTimeNs(input: string | number | bigint, tz = 'UTC', now: number = Date.now()): bigint {
  if (typeof input === 'bigint') return input;
  if (typeof input === 'number') return msToNs(parseTime(input, tz, now));
  const p = parseTimeParts(input, tz, now);
  return BigInt(p.ms) * NS_PER_MS + BigInt(p.subNs);
}

/** parseTime's string layouts, split into whole ms and the ns past them. */
export function parseTimeParts(input: string, tz = 'UTC', now: number = Date.now()): TimeParts {
  const at = (ms: number, subNs = 0): TimeParts => ({ ms, subNs });
  const s = input.trim();
  if (s === '' || s === '0001-01-01T00:00:00Z') return at(GO_ZERO_TIME);
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s))) {
    const [, y, mo, d, h, mi, se, frac, zone] = m;
    const f = fracParts(frac);
    if (!validYMDHMS(+y, +mo, +d, +h, +mi, +se)) throw new TimeError(`"${input}" is not a valid date and time`);
    if (zone) {
      const base = utcMs(+y, +mo, +d, +h, +mi, +se, f.ms);
      return at(base - zoneOffsetMs(zone), f.subNs);
    }
    return at(fromWallClock(+y, +mo, +d, +h, +mi, +se, f.ms, tz), f.subNs);
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? ([+-]\d{4})(?: \w+.*)?$/.exec(s))) {
    const [, y, mo, d, h, mi, se, frac, zone] = m;
    const f = fracParts(frac);
    return at(utcMs(+y, +mo, +d, +h, +mi, +se, f.ms) - zoneOffsetMs(zone), f.subNs);
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) {
    return at(fromWallClock(+m[1], +m[2], +m[3], 0, 0, 0, 0, tz));
  }
  if (/^\d{14}$/.test(s)) {
    return at(fromWallClock(+s.slice(0, 4), +s.slice(4, 6), +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14), 0, tz));
  }
  if (/^\d{10}$/.test(s)) return at(Number(s) * 1000);
  if (/^\d{13}$/.test(s)) return at(Number(s));
  if (/^\d{16}$/.test(s)) return nsToParts(BigInt(s) * 1000n);
  if (/^\d{19}$/.test(s)) return nsToParts(BigInt(s));
  if ((m = /^(\d{10})\.(\d+)$/.exec(s))) {
    const f = fracParts(m[2]);
    return at(Number(m[1]) * 1000 + f.ms, f.subNs);
  }
  const rel = (dur: string, base: number): TimeParts => {
    try {
      return nsToParts(BigInt(base) * NS_PER_MS + BigInt(parseDuration(dur)));
    } catch (e) {
      throw new TimeError(`"${input}" is not a time: ${(e as DurationError).message}`);
    }
  };
  if (s === '*now') return at(now);
  if (s.startsWith('+') || s.startsWith('-')) return rel(s, now);
  if (s === '*daily') return at(addDays(now, 1, tz));
  if (s === '*yearly') return at(addMonths(now, 12, tz));
  if (s === '*monthly') return at(addMonths(now, 1, tz));
  if (s === '*monthly_estimated') {
    const w = wallClock(now, tz);
    const target = addMonths(now, 1, tz);
    const tw = wallClock(target, tz);
    const expectMonth = (w.month % 12) + 1;
    if (tw.month !== expectMonth) {
      // Jan 31 + 1 month would roll into March: clamp to the last day of the next month.
      const y = w.month === 12 ? w.year + 1 : w.year;
      return at(fromWallClock(y, expectMonth, daysIn(y, expectMonth), w.hour, w.minute, w.second, w.ms, tz));
    }
    return at(target);
  }
  if (s.startsWith('*month_end')) {
    const w = wallClock(now, tz);
    const end = fromWallClock(w.year, w.month, daysIn(w.year, w.month), 23, 59, 59, 0, tz);
    const extra = s.slice('*month_end'.length);
    return extra.startsWith('+') ? rel(extra, end) : at(end);
  }
  if (s.startsWith('*mo')) {
    const plus = s.indexOf('+');
    const base = addMonths(now, 1, tz);
    return plus >= 0 ? rel(s.slice(plus), base) : at(base);
  }
  throw new TimeError(`"${input}" is not a time (examples: 2014-08-04T13:00:00Z, 2014-08-04 13:00:00, 1407157200, *now, +1h)`);
}

export function daysIn(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function validYMDHMS(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && s <= 60;
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const v = (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  return m[1] === '-' ? -v : v;
}

/** RFC3339 as Go prints it (`2014-08-04T13:00:00Z`, fraction only when non-zero); zero time as Go's. */
export function formatTime(ms: number): string {
  if (isZeroTime(ms)) return '0001-01-01T00:00:00Z';
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

/** Go's RFC3339Nano in UTC (time.Time's JSON): up to 9 fractional digits, trailing zeros trimmed. */
export function formatTimeNs(ns: bigint): string {
  const { ms, subNs } = nsToParts(ns);
  if (isZeroTime(ms)) return '0001-01-01T00:00:00Z';
  const iso = new Date(ms).toISOString();
  const frac = (ms - Math.floor(ms / 1000) * 1000) * 1e6 + subNs;
  const head = iso.slice(0, 19);
  return frac === 0 ? `${head}Z` : `${head}.${String(frac).padStart(9, '0').replace(/0+$/, '')}Z`;
}
