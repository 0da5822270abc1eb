// Action-plan timings as CGRateS schedules them: built-in ids (`*daily`, `*monthly` ...) are
// anchored to the wall-clock time of the load, and a timing is a cron expression
// (sec min hour monthday month weekday year) whose next occurrence strictly after a reference
// time is when the plan runs again.
import type { Timing } from '../tariffplan/model.js';
import { daysIn, fromWallClock, wallClock } from '../util/time.js';

export const ASAP = '*asap';

/** The timing of an ActionPlans.csv row; built-ins resolved against `loadTime` (CGRateS checkDefaultTiming). */
export function resolveTiming(timingId: string, lookup: (id: string) => Timing | undefined, loadTime: number, tz: string): Timing | undefined {
  const found = lookup(timingId);
  if (found) return found;
  const w = wallClock(loadTime, tz);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const hms = `${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
  const base = { id: timingId, years: [] as number[], months: [] as number[], monthDays: [] as number[], weekDays: [] as number[], endTime: '' };
  switch (timingId) {
    case ASAP:
      return { ...base, startTime: ASAP };
    case '*every_minute':
      return { ...base, startTime: `*:*:${w.second}` };
    case '*hourly':
      return { ...base, startTime: `*:${w.minute}:${w.second}` };
    case '*daily':
      return { ...base, startTime: hms };
    case '*weekly':
      return { ...base, weekDays: [w.weekday], startTime: hms };
    case '*monthly':
    case '*monthly_estimated':
      return { ...base, monthDays: [w.day], startTime: hms };
    case '*month_end':
      return { ...base, monthDays: [-1], startTime: hms };
    case '*yearly':
      return { ...base, months: [w.month], monthDays: [w.day], startTime: hms };
    default:
      return undefined;
  }
}

type Field = number[] | null; // null = any

function clockFields(startTime: string): { h: Field; m: Field; s: Field } {
  if (startTime === '' ) return { h: null, m: null, s: null };
  if (startTime === '*every_minute') return { h: null, m: null, s: [0] };
  if (startTime === '*hourly') return { h: null, m: [0], s: [0] };
  const parts = startTime.split(':');
  if (parts.length !== 3) return { h: null, m: null, s: null };
  const f = (x: string): Field => (x === '*' ? null : [Number(x)]);
  return { h: f(parts[0]), m: f(parts[1]), s: f(parts[2]) };
}

const within = (f: Field, v: number) => f === null || f.includes(v);

/**
 * Next run strictly after `after` (epoch ms), or null when the timing never runs again
 * (`*asap`, or a past year list). Years without months mean January, months without days the 1st
 * (CGRateS normalisation); day-of-month and weekday lists both restricted match either, as cron.
 */
export function nextRunTime(t: Timing, after: number, tz: string): number | null {
  if (t.startTime === ASAP || t.startTime.startsWith('+')) return null;
  const months = t.years.length && !t.months.length ? [1] : t.months;
  const monthDays = months.length && !t.monthDays.length ? [1] : t.monthDays;
  const { h, m, s } = clockFields(t.startTime);
  const w0 = wallClock(after, tz);
  const dayMatches = (y: number, mo: number, d: number, wd: number): boolean => {
    if (t.years.length && !t.years.includes(y)) return false;
    if (months.length && !months.includes(mo)) return false;
    const last = daysIn(y, mo);
    const mdOk = monthDays.some((x) => x === d || (x === -1 && d === last));
    const wdOk = t.weekDays.includes(wd);
    if (monthDays.length && t.weekDays.length) return mdOk || wdOk;
    if (monthDays.length) return mdOk;
    if (t.weekDays.length) return wdOk;
    return true;
  };
  if (t.years.length && Math.max(...t.years) < w0.year) return null;
  // Walk day by day (bounded: 8 years covers leap-day and year lists).
  for (let i = 0; i < 366 * 8; i++) {
    const dayStart = fromWallClock(w0.year, w0.month, w0.day + i, 0, 0, 0, 0, tz);
    const d = wallClock(dayStart, tz);
    if (!dayMatches(d.year, d.month, d.day, d.weekday)) continue;
    for (let hh = 0; hh < 24; hh++) {
      if (!within(h, hh)) continue;
      for (let mm = 0; mm < 60; mm++) {
        if (!within(m, mm)) continue;
        for (let ss = 0; ss < 60; ss++) {
          if (!within(s, ss)) continue;
          const at = fromWallClock(d.year, d.month, d.day, hh, mm, ss, 0, tz);
          if (at > after) return at;
        }
      }
    }
  }
  return null;
}
