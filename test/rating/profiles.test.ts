// Rating-profile selection (rating-semantics 3.1, 3.2): activation times, *any subject, RatesFallbackSubject.
import { describe, expect, test } from 'vitest';
import { newCallDescriptor, buildRatingIndex, rateCall, rateWithSubject, type RatingIndex } from '../../src/rating/index.js';
import { ratingTpFromCsv } from './fixture.js';
import { flat, index, rate, shape, T, S } from './helpers.js';

describe('activation times', () => {
  test('the last activation at or before the call start applies (tutorial 1001: RP_1002 from 2010, RP_1001 from 2014)', () => {
    const in2012 = rate('tutorial', { subject: '1001', destination: '1001', start: '2012-06-01T10:00:00Z', seconds: 60 }, '*exact');
    expect(in2012.timespans[0].ratingPlanId).toBe('RP_1002');
    expect(in2012.cost.toString()).toBe('0.6');
    expect(() => rate('tutorial', { subject: '1001', destination: '1001', start: '2026-06-01T10:00:00Z', seconds: 60 }, '*exact'))
      .toThrow('UNAUTHORIZED_DESTINATION');
    expect(rate('tutorial', { subject: '1001', destination: '1002', start: '2026-06-01T10:00:00Z', seconds: 60 }, '*exact').timespans[0].ratingPlanId)
      .toBe('RP_1001');
  });

  const twoPlans = (): RatingIndex => buildRatingIndex(ratingTpFromCsv({
    'Destinations.csv': 'DST_49,49',
    'Rates.csv': 'RT_1,0,1,1s,1s,0\nRT_2,0,2,1s,1s,0',
    'DestinationRates.csv': 'DR_1,DST_49,RT_1,*up,4,0,\nDR_2,DST_49,RT_2,*up,4,0,',
    'RatingPlans.csv': 'RP_A,DR_1,*any,10\nRP_B,DR_2,*any,10',
    'RatingProfiles.csv': 'cgrates.org,call,x,2024-01-01T00:00:00Z,RP_A,\ncgrates.org,call,x,2024-01-03T10:00:30Z,RP_B,\n' +
      'cgrates.org,call,late,2024-01-03T10:00:30Z,RP_B,\ncgrates.org,call,*any,2020-01-01T00:00:00Z,RP_A,',
  }), { timezone: 'UTC' });
  const call = (subject: string) => rateCall(twoPlans(), newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject, account: subject, destination: '4930',
    anchorMs: T('2024-01-03T10:00:00Z'), endNs: 60 * S }), { mode: '*exact', roundingDecimals: 5 });

  test('a call across an activation time is split there; the tail keeps the head\'s rating (CGRateS copies it on the split)', () => {
    const cc = call('x');
    expect(cc.timespans.map((t) => [(t.endNs - t.startNs) / S, t.ratingPlanId])).toEqual([[30, 'RP_A'], [30, 'RP_A']]);
    expect(cc.cost.toString()).toBe('60');
  });

  test('a profile activated after the call start leaves the head to the *any subject', () => {
    const cc = call('late');
    expect(cc.timespans[0].matchedSubject).toBe('*out:cgrates.org:call:*any');
    expect(cc.timespans[0].ratingPlanId).toBe('RP_A');
  });
});

describe('subject fallbacks', () => {
  test('a subject without profile uses the *any profile (tutorial2 1002 → RP_STANDARD)', () => {
    const cc = rate('tutorial2', { subject: '1002', destination: '1003', start: '2019-03-18T10:00:00Z', seconds: 60 }, '*exact');
    expect(cc.timespans[0].matchedSubject).toBe('*out:cgrates.org:call:*any');
    expect(cc.timespans[0].ratingPlanId).toBe('RP_STANDARD');
  });

  test('1001\'s special deal: tutorial2 RP_1001 rates 1002 with RT_60C (0.1 + 60 × 0.01)', () => {
    const cc = rate('tutorial2', { subject: '1001', destination: '1002', start: '2019-03-18T10:00:00Z', seconds: 60 }, '*exact');
    expect(cc.timespans[0].ratingPlanId).toBe('RP_1001');
    expect(cc.cost.toString()).toBe('0.7');
  });

  test('RatesFallbackSubject: tutorial2 1001 → 1003 falls back to *any → RP_STANDARD peak (0.2 + 1.2)', () => {
    const cc = rate('tutorial2', { subject: '1001', destination: '1003', start: '2019-03-18T10:00:00Z', seconds: 60 }, '*cgrates');
    expect(cc.timespans[0].matchedSubject).toBe('*out:cgrates.org:call:*any');
    expect(cc.timespans[0].ratingPlanId).toBe('RP_STANDARD');
    expect(shape(cc)).toEqual(['RT_120C@PEAK:60']);
    expect(cc.cost.toString()).toBe('1.4');
  });

  test('a subject whose profile has no rate and no fallback is not rated with *any → UNAUTHORIZED_DESTINATION', () => {
    expect(() => rate('tutorial', { subject: '1002', destination: '1003', start: '2026-01-05T10:00:00Z', seconds: 60 }, '*exact'))
      .toThrow('UNAUTHORIZED_DESTINATION');
  });

  test('neither subject nor *any profile → RATING_PLAN_NOT_FOUND', () => {
    expect(() => rate('tutorial', { tenant: 'nobody.org', subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 60 }, '*exact'))
      .toThrow('RATING_PLAN_NOT_FOUND');
  });

  test('RatesFallbackSubject of another profile (engine plan: fall → PREMIUM has no 0256 → rif → EVENING, 2701)', () => {
    const cc = rate('engine_loader_csv_test', { tenant: 'vdf', category: '0', subject: 'fall', destination: '0256', start: '2013-02-01T17:30:00Z', seconds: 3600 }, '*cgrates', 6);
    expect(cc.timespans[0].matchedSubject).toBe('*out:vdf:0:rif');
    expect(cc.timespans[0].ratingPlanId).toBe('EVENING');
    expect(cc.cost.toString()).toBe('2701');
  });

  test('rateWithSubject rates the span as a balance RatingSubject would (W4: RPF_SPECIAL_BLC → RT_10C_CN, 0.1 for 440 s)', () => {
    const cc = rateWithSubject(index('tutorial2'), newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: '1001', account: '1001', destination: '1003',
      anchorMs: T('2019-03-18T10:00:00Z'), endNs: 440 * S }), 'RPF_SPECIAL_BLC', { mode: '*exact', roundingDecimals: 5 });
    expect(cc.timespans[0].ratingPlanId).toBe('RP_SPECIAL_BLC');
    expect(flat(cc.timespans[0].increments.filter((i) => !i.connectFee))).toHaveLength(440);
    expect(cc.cost.toString()).toBe('0.1');
  });
});
