// Costs asserted by CGRateS's own tests, reproduced digit for digit in *cgrates mode (with the G that
// test ran with) and given exactly in *exact mode.
import { describe, expect, test } from 'vitest';
import { RatingService } from '../../src/rating/index.js';
import { loadRatingTp } from './fixture.js';
import { rate, S } from './helpers.js';

describe('tutorial plan through APIerSv1.GetCost (apier/v1/costs_it_test, general_tests/tutorial_it_test; G = 5)', () => {
  const svc = (mode: '*cgrates' | '*exact') => {
    const s = new RatingService({ timezone: 'UTC', costMode: mode, roundingDecimals: 5 });
    s.load(loadRatingTp('tutorial'));
    return s;
  };
  const q = (usageNs: number) => ({ tenant: 'cgrates.org', category: 'call', subject: '1001', destination: '1002', answerTime: Date.now(), usageNs });
  test('2m at RT_20CNT: 0.7002 (60 × 0.00167 after the first minute)', () => {
    expect(svc('*cgrates').getEventCost(q(120 * S)).cost.toString()).toBe('0.7002');
  });
  test('2m10s at RT_20CNT: 0.7169 (70 × 0.00167)', () => {
    expect(svc('*cgrates').getEventCost(q(130 * S)).cost.toString()).toBe('0.7169');
  });
  test('*exact: 2m = 0.7, 2m10s = 0.716666… → *up 4 = 0.7167', () => {
    expect(svc('*exact').getEventCost(q(120 * S)).cost.toString()).toBe('0.7');
    expect(svc('*exact').getEventCost(q(130 * S)).cost.toString()).toBe('0.7167');
  });
});

describe('oldtutorial plan, Responder.GetCost (general_tests/oldtutorial_it_test; G = 5)', () => {
  const cases: [string, string, string, number, string, string][] = [
    // subject, destination, start, seconds, *cgrates, *exact
    ['1001', '1002', '2014-08-04T13:00:00Z', 20, '0.6', '0.6'],
    ['1001', '1002', '2014-08-04T13:00:00Z', 85, '0.6418', '0.6417'],
    ['1001', '1003', '2014-08-04T13:00:00Z', 20, '1', '1'],
    ['1001', '1003', '2014-08-04T13:00:00Z', 85, '1.3', '1.3'],
    ['1001', '1004', '2014-08-04T13:00:00Z', 20, '1', '1'],
    ['1001', '1004', '2014-08-04T13:00:00Z', 85, '1.3', '1.3'],
    ['1001', '1004', '2016-01-06T19:00:00Z', 90, '0.3249', '0.325'],
    ['1001', '1004', '2016-01-06T18:31:05Z', 90, '1.3', '1.3'],
    ['1001', '1002', '2014-12-07T08:42:26Z', 120, '0.3498', '0.35'],
  ];
  test.each(cases)('%s → %s at %s for %d s: %s (*exact %s)', (subject, destination, start, seconds, cg, ex) => {
    expect(rate('oldtutorial', { subject, destination, start, seconds }, '*cgrates').cost.toString()).toBe(cg);
    expect(rate('oldtutorial', { subject, destination, start, seconds }, '*exact').cost.toString()).toBe(ex);
  });
});

describe('engine unit-test plan (engine/calldesc_test.go; G = 6)', () => {
  const r = (tenant: string, category: string, subject: string, destination: string, start: string, seconds: number, extra: { loopIndex?: number; durationIndex?: number } = {}) =>
    (['*cgrates', '*exact'] as const).map((m) => rate('engine_loader_csv_test', { tenant, category, subject, destination, start, seconds, ...extra }, m, 6).cost.toString());
  test('TestGetCost: 1 h peak/off-peak = 2701 with connect fee 1', () => {
    expect(r('vdf', '0', 'rif', '0256', '2012-02-02T17:30:00Z', 3600)).toEqual(['2701', '2701']);
  });
  test('TestGetCostNoConnectFee: LoopIndex 1 → 2700', () => {
    expect(r('vdf', '0', 'rif', '0256', '2012-02-02T17:30:00Z', 3600, { loopIndex: 1 })).toEqual(['2700', '2700']);
  });
  test('TestGetCostRounding: 180 × 0.001667 = 0.30006 → *middle 4 = 0.3001 (*exact 0.3)', () => {
    expect(r('cgrates.org', 'call', 'round', '49', '2017-02-02T17:30:00Z', 180)).toEqual(['0.3001', '0.3']);
  });
  test('TestGetCostTimespans / TestGetCostRateGroups: 85 and 132', () => {
    expect(r('test', '0', 'trp', '0256', '2013-10-08T09:23:02Z', 85, { durationIndex: 85 * S })).toEqual(['85', '85']);
    expect(r('test', '0', 'trp', '0256', '2013-10-07T14:50:00Z', 132, { durationIndex: 132 * S })).toEqual(['132', '132']);
  });
  test('TestFullDestNotFound / TestSubjectNotFound / TestMultipleRatingPlans: 2701', () => {
    expect(r('vdf', '0', 'rif', '0256308200', '2012-02-02T17:30:00Z', 3600)).toEqual(['2701', '2701']);
    expect(r('vdf', '0', 'not_exiting', '025740532', '2013-02-01T17:30:00Z', 3600)).toEqual(['2701', '2701']);
    expect(r('vdf', '0', 'rif', '0257308200', '2012-02-08T17:30:00Z', 3600)).toEqual(['2701', '2701']);
  });
  test('TestSpansMultipleRatingPlans: 23:50 → 00:30 = 2100 with connect fee 0', () => {
    expect(r('vdf', '0', 'rif', '0257308200', '2012-02-07T23:50:00Z', 2400)).toEqual(['2100', '2100']);
  });
  test('TestLessThanAMinute 15, TestUniquePrice 1810.5, TestMinutesCost 55', () => {
    expect(r('vdf', '0', 'rif', '0257308200', '2012-02-08T23:50:00Z', 30)).toEqual(['15', '15']);
    expect(r('vdf', '0', 'rif', '0723045326', '2012-02-08T22:50:00Z', 3621)).toEqual(['1810.5', '1810.5']);
    expect(r('vdf', '0', 'rif', '0723', '2012-02-08T22:50:00Z', 110)).toEqual(['55', '55']);
  });
});
