// Reading the CGRateS fields a session needs out of a flat event map.
import { parseDuration } from '../util/duration.js';
import { parseTime, isZeroTime } from '../util/time.js';
import { AccurateError } from '../util/errors.js';
import type { EventMap } from './types.js';

export function str(ev: EventMap, key: string): string {
  const v = ev[key];
  return v === undefined || v === null ? '' : String(v);
}

/** A duration field: Go syntax, or a number of nanoseconds as CGRateS sends on the wire; undefined when absent. */
export function durationField(ev: EventMap, key: string): number | undefined {
  const v = ev[key];
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return parseDuration(v as string | number);
  } catch (e) {
    throw new AccurateError(`SERVER_ERROR: field ${key}: ${(e as Error).message}`);
  }
}

/** A time field, epoch ms; undefined when absent or the zero time. */
export function timeField(ev: EventMap, key: string, tz: string): number | undefined {
  const v = ev[key];
  if (v === undefined || v === null || v === '') return undefined;
  let t: number;
  try {
    t = parseTime(v as string | number, tz);
  } catch (e) {
    throw new AccurateError(`SERVER_ERROR: field ${key}: ${(e as Error).message}`);
  }
  return isZeroTime(t) ? undefined : t;
}

/** Where charging of a run starts: AnswerTime, else SetupTime, else now. */
export function chargeStart(ev: EventMap, tz: string, now: number): number {
  return timeField(ev, 'AnswerTime', tz) ?? timeField(ev, 'SetupTime', tz) ?? now;
}
