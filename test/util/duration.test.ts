import { describe, it, expect } from 'vitest';
import { parseDuration, formatDuration, SECOND, MINUTE, HOUR } from '../../src/util/duration.js';

describe('durations', () => {
  it('parses Go duration syntax', () => {
    expect(parseDuration('60s')).toBe(60 * SECOND);
    expect(parseDuration('1m30s')).toBe(90 * SECOND);
    expect(parseDuration('1h')).toBe(HOUR);
    expect(parseDuration('1.5h')).toBe(90 * MINUTE);
    expect(parseDuration('300ms')).toBe(300_000_000);
    expect(parseDuration('-2m')).toBe(-2 * MINUTE);
    expect(parseDuration('10µs')).toBe(10_000);
  });
  it('reads a bare integer as nanoseconds, as CGRateS', () => {
    expect(parseDuration('100')).toBe(100);
    expect(parseDuration('1048576')).toBe(1048576);
  });
  it('reads a bare integer as seconds when asked', () => {
    expect(parseDuration('30', { bare: 's' })).toBe(30 * SECOND);
  });
  it('reads empty as zero and *unlimited as -1', () => {
    expect(parseDuration('')).toBe(0);
    expect(parseDuration('*unlimited')).toBe(-1);
  });
  it('rejects what is not a duration, naming it', () => {
    expect(() => parseDuration('1x')).toThrow(/"1x" is not a duration/);
    expect(() => parseDuration('1.5')).toThrow(/not a duration/);
  });
  it('formats as Go does', () => {
    expect(formatDuration(90 * SECOND)).toBe('1m30s');
    expect(formatDuration(HOUR)).toBe('1h0m0s');
    expect(formatDuration(1.5 * SECOND)).toBe('1.5s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(500_000_000)).toBe('500ms');
    expect(formatDuration(-20 * SECOND)).toBe('-20s');
  });
});
