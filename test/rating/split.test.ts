// Splitting a call into timespans (rating-semantics 3.4): rate-group starts, rounding up to the
// increment (and swallowing what the extension overlaps), calendar days, non-voice ToRs.
import { describe, expect, test } from 'vitest';
import { newCallDescriptor, buildRatingIndex, rateCall, splitForRating, wire } from '../../src/rating/index.js';
import { ratingTpFromCsv } from './fixture.js';
import { flat, index, rate, shape, T, S } from './helpers.js';

describe('rate groups', () => {
  test('first-minute group then per second: RT_20CNT 2m10s → 60 s block + 70 × 1 s', () => {
    const cc = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 130 }, '*exact');
    expect(shape(cc)).toEqual(['RT_20CNT@*any:60', 'RT_20CNT@*any:70']);
    expect(cc.timespans[0].increments.filter((i) => !i.connectFee).map((i) => i.durationNs)).toEqual([60 * S]);
    expect(flat(cc.timespans[1].increments).filter((i) => i.durationNs > 0)).toHaveLength(70);
    expect(cc.timespans.map((t) => t.durationIndexNs)).toEqual([60 * S, 130 * S]);
  });

  test('a later piece of a session is rated in the group of its elapsed time (DurationIndex)', () => {
    const cc = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:01:00Z', seconds: 30, durationIndex: 90 * S, loopIndex: 1 }, '*cgrates');
    expect(flat(cc.timespans[0].increments)).toHaveLength(30);
    expect(cc.cost.toString()).toBe('0.0501'); // W6: Round(0.1/60 × 30) = 0.05 → 30 × 0.00167
  });
});

describe('rounding up to the increment', () => {
  test('20 s at RT_20CNT is rated as a full 60 s block', () => {
    const cc = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 20 }, '*exact');
    expect(shape(cc)).toEqual(['RT_20CNT@*any:60']);
    expect(cc.ratedUsageNs).toBe(60 * S);
    expect(cc.cost.toString()).toBe('0.6');
  });

  test('an extended timespan swallows the next one (Monday 18:59:50 + 30 s: one 60 s peak block)', () => {
    const cc = rate('tutorial2', { subject: '1002', destination: '1003', start: '2019-03-18T18:59:50Z', seconds: 30 }, '*exact');
    expect(shape(cc)).toEqual(['RT_120C@PEAK:60']);
    expect(cc.cost.toString()).toBe('1.4');
  });

  test('TestSplitSpansRoundToIncrements: 2m12s → 2 timespans, 132 s in total', () => {
    const cc = rate('engine_loader_csv_test', { tenant: 'test', category: '0', subject: 'trp', destination: '0256', start: '2013-10-07T14:50:00Z', seconds: 132, durationIndex: 132 * S }, '*cgrates', 6);
    expect(cc.timespans).toHaveLength(2);
    expect(cc.ratedUsageNs).toBe(132 * S);
  });
});

test('a later group with a longer increment extends the call past its end (engine TestTimespanSplitGroupedRatesIncrements: 60 + 60)', () => {
  const idx = buildRatingIndex(ratingTpFromCsv({
    'Destinations.csv': 'DST,49', 'Rates.csv': 'RT,0,2,1s,1s,0\nRT,0,1,1s,1m,30s', 'DestinationRates.csv': 'DR,DST,RT,*up,4,0,',
    'RatingPlans.csv': 'RP,DR,*any,10', 'RatingProfiles.csv': 'cgrates.org,call,*any,2010-01-01T00:00:00Z,RP,',
  }), { timezone: 'UTC' });
  const cc = rateCall(idx, newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: 'x', account: 'x', destination: '49', anchorMs: T('2012-02-03T17:30:00Z'),
    endNs: 60 * S }), { mode: '*cgrates', roundingDecimals: 6 });
  expect(cc.timespans.map((t) => [(t.endNs - t.startNs) / S, t.cost.toString()])).toEqual([[30, '60'], [60, '60']]);
  expect(cc.anchorMs + cc.timespans[1].endNs / 1e6).toBe(T('2012-02-03T17:31:30Z'));
  expect(cc.ratedUsageNs).toBe(90 * S);
});

describe('days and bands over long calls (engine TestGetCostRatingPlansAndRatingIntervals*)', () => {
  const long = (start: string, end: string) => {
    const seconds = (T(end) - T(start)) / 1000;
    return rate('engine_loader_csv_test', { tenant: 'CUSTOMER_1', category: '0', subject: 'rif:from:tm', destination: '49178', start, seconds, durationIndex: seconds * S }, '*cgrates', 6);
  };
  const contiguous = (tss: { startNs: number; endNs: number }[]) => tss.every((t, i) => i === 0 || tss[i - 1].endNs === t.startNs);
  test.each([
    ['2012-02-27T23:50:00Z', '2012-02-28T18:10:00Z', 3],
    ['2012-02-27T09:50:00Z', '2012-02-28T18:10:00Z', 4],
    ['2012-02-20T09:50:00Z', '2012-02-23T18:10:00Z', 8],
  ])('%s → %s: %d contiguous timespans', (a, b, n) => {
    const cc = long(a, b);
    expect(cc.timespans).toHaveLength(n);
    expect(contiguous(cc.timespans)).toBe(true);
  });
  test('over a weekend the two equal weekend days are one timespan with CompressFactor 2 on the wire (5)', () => {
    const cc = long('2012-02-24T09:50:00Z', '2012-02-27T18:10:00Z');
    const tss = wire.callCostToWire(cc).Timespans as { CompressFactor: number }[];
    expect(tss).toHaveLength(5);
    expect(tss.map((t) => t.CompressFactor)).toEqual([1, 1, 2, 1, 1]);
    expect(contiguous(cc.timespans)).toBe(true);
  });
});

describe('non-voice ToRs', () => {
  test('*data: units are nanoseconds; RT_1024_1 charges 1 per 1024 units, no time-of-day split', () => {
    const cc = rate('tutorial2', { category: 'data', subject: '1001', destination: '*any', start: '2019-03-18T23:59:59Z', seconds: 4096e-9, tor: '*data' }, '*exact');
    expect(cc.timespans).toHaveLength(1);
    expect(cc.cost.toString()).toBe('4');
    expect(cc.tor).toBe('*data');
  });
  test('*sms: one unit at RT_SMS costs 0.01', () => {
    const cc = rate('tutorial', { category: 'sms', subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 1e-9, tor: '*sms' }, '*cgrates');
    expect(cc.cost.toString()).toBe('0.01');
  });
});

test('splitForRating gives the pieces of a call before costing', () => {
  const { spans, resolved } = splitForRating(index('tutorial2'), newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: '1002', account: '1002',
    destination: '1003', anchorMs: T('2019-03-18T18:58:47Z'), endNs: 133 * S }));
  expect(resolved.infos[0].ratingPlanId).toBe('RP_STANDARD');
  expect(spans.map((s) => [s.s / S, s.e / S, s.ri?.timing.id])).toEqual([[0, 60, 'PEAK'], [60, 73, 'PEAK'], [73, 133, 'OFFPEAK_EVENING']]);
});
