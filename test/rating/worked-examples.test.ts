// rating-semantics.md section 10: worked examples W1, W2, W3a, W3b in both cost modes.
import { describe, expect, test } from 'vitest';
import { newCallDescriptor, getEventCost } from '../../src/rating/index.js';
import { index, rate, shape, costs, T, S } from './helpers.js';

describe('W1 tutorial 1001 → 1002, 3m25s', () => {
  const call = { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 205, durationIndex: 205 * S };
  test('split at the 60 s rate-group start: first-minute block then per second', () => {
    expect(shape(rate('tutorial', call, '*cgrates'))).toEqual(['RT_20CNT@*any:60', 'RT_20CNT@*any:145']);
  });
  test('*cgrates: CallCost 0.8422 (tariff-rounded), timespans 0.6 (CF included) and 0.24215', () => {
    const cc = rate('tutorial', call, '*cgrates');
    expect(cc.cost.toString()).toBe('0.8422');
    expect(costs(cc)).toEqual(['0.6', '0.24215']);
    expect(cc.timespans[1].increments[0].cost.toString()).toBe('0.00167');
  });
  test('*cgrates: EventCost (APIerSv1.GetCost) 0.84215, not tariff-rounded', () => {
    const ec = getEventCost(index('tutorial'), newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: '1001', account: '', destination: '1002',
      anchorMs: T(call.start), endNs: 205 * S, durationIndexNs: 205 * S }), { mode: '*cgrates', roundingDecimals: 5 });
    expect(ec.cost.toString()).toBe('0.84215');
    expect(ec.usage).toBe(205 * S);
  });
  test('*exact: 0.841666… → *up 4 = 0.8417', () => {
    expect(rate('tutorial', call, '*exact').cost.toString()).toBe('0.8417');
  });
});

describe('W2 tutorial 1003 → 1001, 1m40s: per-increment truncation', () => {
  const call = { subject: '1003', destination: '1001', start: '2026-01-05T10:00:00Z', seconds: 100 };
  test('*cgrates: 0.3332 (increment 0.00083)', () => {
    const cc = rate('tutorial', call, '*cgrates');
    expect(cc.cost.toString()).toBe('0.3332');
    expect(cc.timespans[1].increments[0].cost.toString()).toBe('0.00083');
    expect(cc.timespans[1].cost.toString()).toBe('0.0332');
  });
  test('*exact: 0.333333… → *up 4 = 0.3334', () => {
    expect(rate('tutorial', call, '*exact').cost.toString()).toBe('0.3334');
  });
});

describe('W3a tutorial2 Monday 18:58:47 + 2m13s across the 19:00 peak/off-peak boundary', () => {
  const call = { subject: '1002', destination: '1003', start: '2019-03-18T18:58:47Z', seconds: 133 };
  test('three timespans: PEAK first minute, PEAK 13 s per second, OFFPEAK_EVENING 60 s', () => {
    expect(shape(rate('tutorial2', call, '*cgrates'))).toEqual(['RT_120C@PEAK:60', 'RT_120C@PEAK:13', 'RT_60C@OFFPEAK_EVENING:60']);
  });
  test.each(['*cgrates', '*exact'] as const)('%s: 0.2 + 1.2 + 0.26 + 0.6 = 2.26', (mode) => {
    const cc = rate('tutorial2', call, mode);
    expect(cc.cost.toString()).toBe('2.26');
    expect(costs(cc)).toEqual(['1.4', '0.26', '0.6']);
  });
});

describe('W3b tutorial2 Monday 07:59:10 + 2m: the band boundary is displaced to the rate-group start', () => {
  const call = { subject: '1002', destination: '1003', start: '2019-03-18T07:59:10Z', seconds: 120 };
  test('split at 08:00:10 (60 s elapsed), not at 08:00:00', () => {
    const cc = rate('tutorial2', call, '*cgrates');
    expect(shape(cc)).toEqual(['RT_60C@OFFPEAK_MORNING:60', 'RT_120C@PEAK:60']);
    expect(cc.anchorMs + cc.timespans[1].startNs / 1e6).toBe(T('2019-03-18T08:00:10Z'));
  });
  test.each(['*cgrates', '*exact'] as const)('%s: 0.1 + 0.6 + 1.2 = 1.9', (mode) => {
    expect(rate('tutorial2', call, mode).cost.toString()).toBe('1.9');
  });
});
