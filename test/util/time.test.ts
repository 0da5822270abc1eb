import { describe, it, expect } from 'vitest';
import { parseTime, formatTime, wallClock, fromWallClock, GO_ZERO_TIME, isZeroTime } from '../../src/util/time.js';

const T = Date.UTC(2014, 7, 4, 13, 0, 0);

describe('time parsing as CGRateS', () => {
  it('parses RFC3339 with zone, fraction and offset', () => {
    expect(parseTime('2014-08-04T13:00:00Z')).toBe(T);
    expect(parseTime('2014-08-04T13:00:00.250Z')).toBe(T + 250);
    expect(parseTime('2014-08-04T15:00:00+02:00')).toBe(T);
  });
  it('parses the SQL layout in the default time zone', () => {
    expect(parseTime('2014-08-04 13:00:00', 'UTC')).toBe(T);
    expect(parseTime('2014-08-04 15:00:00', 'Europe/Berlin')).toBe(T);
  });
  it('parses unix seconds, milliseconds and nanoseconds', () => {
    expect(parseTime('1407157200')).toBe(T);
    expect(parseTime('1407157200000')).toBe(T);
    expect(parseTime('1407157200000000000')).toBe(T);
  });
  it('parses *now and relative times', () => {
    expect(parseTime('*now', 'UTC', T)).toBe(T);
    expect(parseTime('+1h', 'UTC', T)).toBe(T + 3_600_000);
    expect(parseTime('-30m', 'UTC', T)).toBe(T - 1_800_000);
  });
  it('parses expiry keywords relative to now', () => {
    expect(parseTime('*daily', 'UTC', T)).toBe(Date.UTC(2014, 7, 5, 13));
    expect(parseTime('*monthly', 'UTC', T)).toBe(Date.UTC(2014, 8, 4, 13));
    expect(parseTime('*yearly', 'UTC', T)).toBe(Date.UTC(2015, 7, 4, 13));
    expect(parseTime('*month_end', 'UTC', T)).toBe(Date.UTC(2014, 7, 31, 23, 59, 59));
    expect(parseTime('*monthly_estimated', 'UTC', Date.UTC(2014, 0, 31, 10))).toBe(Date.UTC(2014, 1, 28, 10));
  });
  it('reads empty as the zero time', () => {
    expect(parseTime('')).toBe(GO_ZERO_TIME);
    expect(isZeroTime(parseTime(''))).toBe(true);
    expect(formatTime(GO_ZERO_TIME)).toBe('0001-01-01T00:00:00Z');
  });
  it('rejects what is not a time, naming it', () => {
    expect(() => parseTime('yesterday')).toThrow(/"yesterday" is not a time/);
    expect(() => parseTime('2014-13-04 13:00:00')).toThrow(/not a valid date/);
  });
  it('formats RFC3339 as Go', () => {
    expect(formatTime(T)).toBe('2014-08-04T13:00:00Z');
    expect(formatTime(T + 5)).toBe('2014-08-04T13:00:00.005Z');
  });
  it('gives wall-clock fields in a zone, weekday 0 = Sunday', () => {
    const w = wallClock(Date.UTC(2019, 2, 17, 23, 30), 'Europe/Berlin');
    expect([w.year, w.month, w.day, w.hour, w.minute, w.weekday]).toEqual([2019, 3, 18, 0, 30, 1]);
    expect(fromWallClock(2019, 3, 18, 0, 30, 0, 0, 'Europe/Berlin')).toBe(Date.UTC(2019, 2, 17, 23, 30));
  });
});
