// Timing checks of rate intervals on the wall clock of the rating time zone (CGRateS RITiming).
// UTC (the common server setting) is computed arithmetically; other zones go through util/time.
import { fromWallClock, wallClock } from '../util/time.js';
import type { RITiming, RateInterval } from './types.js';

const DAY = 86_400_000;
const MAX_DATE_MS = 8.64e15;

const isUtc = (tz: string): boolean => tz === 'UTC' || tz === '';

function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** Start of the timing on the day of `ms` (CGRateS getLeftMargin). */
export function leftMargin(t: RITiming, ms: number, tz: string): number {
  if (isUtc(tz)) return utcDayStart(ms) + ((t.hour * 60 + t.minute) * 60 + t.second) * 1000;
  const w = wallClock(ms, tz);
  return fromWallClock(w.year, w.month, w.day, t.hour, t.minute, t.second, 0, tz);
}

/** 23:59:59 + 1 s of the day of `ms`: a rating timing runs to the end of its day (EndTime is never used). */
export function endOfDay(ms: number, tz: string): number {
  if (isUtc(tz)) return utcDayStart(ms) + DAY;
  const w = wallClock(ms, tz);
  return fromWallClock(w.year, w.month, w.day, 23, 59, 59, 0, tz) + 1000;
}

/** 00:00:00 of the day after `ms`. */
export function nextMidnight(ms: number, tz: string): number {
  if (isUtc(tz)) return utcDayStart(ms) + DAY;
  const w = wallClock(ms, tz);
  return fromWallClock(w.year, w.month, w.day + 1, 0, 0, 0, 0, tz);
}

/** Hour, minute and second all zero (sub-second part ignored, as Go's TimeIs0h). */
export function is0h(ms: number, tz: string): boolean {
  if (isUtc(tz)) return ms - utcDayStart(ms) < 1000;
  const w = wallClock(ms, tz);
  return w.hour === 0 && w.minute === 0 && w.second === 0;
}

/** Same day of the month (only the day number, as CGRateS's SplitByDay compares it). */
export function sameDayOfMonth(a: number, b: number, tz: string): boolean {
  if (isUtc(tz)) {
    // Same UTC day (within the valid, non-negative Date range, where Date's truncation keeps the day): same date.
    if (a >= 0 && b >= 0 && a <= MAX_DATE_MS && b <= MAX_DATE_MS && utcDayStart(a) === utcDayStart(b)) return true;
    return new Date(a).getUTCDate() === new Date(b).getUTCDate();
  }
  return wallClock(a, tz).day === wallClock(b, tz).day;
}

export function isActiveAt(t: RITiming, ms: number, tz: string): boolean {
  if (isUtc(tz)) {
    const dayStart = utcDayStart(ms);
    if (t.weekDays.length > 0 && !t.weekDays.includes((((dayStart / DAY + 4) % 7) + 7) % 7)) return false; // 1970-01-01 was a Thursday
    if (t.years.length > 0 || t.months.length > 0 || t.monthDays.length > 0) {
      const d = new Date(ms);
      if (t.years.length > 0 && !t.years.includes(d.getUTCFullYear())) return false;
      if (t.months.length > 0 && !t.months.includes(d.getUTCMonth() + 1)) return false;
      if (t.monthDays.length > 0 && !t.monthDays.includes(d.getUTCDate())) return false;
    }
    return ms >= dayStart + ((t.hour * 60 + t.minute) * 60 + t.second) * 1000;
  }
  const w = wallClock(ms, tz);
  if (t.years.length > 0 && !t.years.includes(w.year)) return false;
  if (t.months.length > 0 && !t.months.includes(w.month)) return false;
  if (t.monthDays.length > 0 && !t.monthDays.includes(w.day)) return false;
  if (t.weekDays.length > 0 && !t.weekDays.includes(w.weekday)) return false;
  const lm = fromWallClock(w.year, w.month, w.day, t.hour, t.minute, t.second, 0, tz);
  if (ms < lm) return false;
  return ms <= fromWallClock(w.year, w.month, w.day, 23, 59, 59, 0, tz) + 1000;
}

/** RateInterval.Contains: an end instant exactly at 00:00:00 is tested as 23:59:59 of the day before. */
export function intervalContains(ri: RateInterval, ms: number, isEnd: boolean, tz: string): boolean {
  if (isEnd && is0h(ms, tz)) ms -= 1000;
  return isActiveAt(ri.timing, ms, tz);
}

/** CGRateS CopyHour(src, dest): src when it is 00:00:00, else src's clock time on dest's date. */
export function copyHour(src: number, dest: number, tz: string): number {
  if (isUtc(tz)) {
    const tod = src - utcDayStart(src);
    return tod < 1000 ? src : utcDayStart(dest) + tod;
  }
  const s = wallClock(src, tz);
  if (s.hour === 0 && s.minute === 0 && s.second === 0) return src;
  const d = wallClock(dest, tz);
  return fromWallClock(d.year, d.month, d.day, s.hour, s.minute, s.second, s.ms, tz);
}
