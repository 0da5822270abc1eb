// Connect fee (rating-semantics 4.5): once per call, on loop 0 only, the first timespan's rate's.
import { describe, expect, test } from 'vitest';
import { rate } from './helpers.js';

describe('connect fee', () => {
  test.each(['*cgrates', '*exact'] as const)('%s: charged once, in the first timespan (tutorial RT_20CNT: 0.4 + 0.2 + 0.1)', (mode) => {
    const cc = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 120 }, mode);
    expect(cc.timespans.flatMap((t) => t.increments).filter((i) => i.connectFee)).toHaveLength(1);
    expect(cc.cost.toString()).toBe(mode === '*cgrates' ? '0.7002' : '0.7');
  });

  test('only the first timespan\'s fee: W3b pays RT_60C\'s 0.1, not RT_120C\'s 0.2', () => {
    const cc = rate('tutorial2', { subject: '1002', destination: '1003', start: '2019-03-18T07:59:10Z', seconds: 120 }, '*exact');
    expect(cc.timespans[0].increments[0].cost.toString()).toBe('0.1');
    expect(cc.timespans[1].increments.some((i) => i.connectFee)).toBe(false);
  });

  test('a later band\'s fee is never charged (engine TestSpansMultipleRatingPlans: 2100, no fee)', () => {
    const cc = rate('engine_loader_csv_test', { tenant: 'vdf', category: '0', subject: 'rif', destination: '0257308200', start: '2012-02-07T23:50:00Z', seconds: 2400 }, '*cgrates', 6);
    expect(cc.cost.toString()).toBe('2100');
    expect(cc.timespans[0].increments[0].cost.toString()).toBe('0');
  });

  test('LoopIndex > 0 (a later debit of the session) pays no fee (engine TestGetCostNoConnectFee: 2700)', () => {
    const cc = rate('engine_loader_csv_test', { tenant: 'vdf', category: '0', subject: 'rif', destination: '0256', start: '2012-02-02T17:30:00Z', seconds: 3600, loopIndex: 1 }, '*cgrates', 6);
    expect(cc.cost.toString()).toBe('2700');
  });

  test('a rate with 0 price and 0 unit costs only its fee (tutorial2 RT_10C_CN: 0.1 whatever the duration)', () => {
    for (const seconds of [1, 440]) {
      const cc = rate('tutorial2', { subject: 'RPF_SPECIAL_BLC', destination: '1003', start: '2019-03-18T10:00:00Z', seconds }, '*exact');
      expect(cc.cost.toString()).toBe('0.1');
    }
  });
});

describe('zero usage', () => {
  test.each(['*cgrates', '*exact'] as const)('%s: cost 0, no fee, one timespan with the matched rating but no rate', (mode) => {
    const cc = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 0 }, mode);
    expect(cc.cost.toString()).toBe('0');
    expect(cc.timespans).toHaveLength(1);
    expect(cc.timespans[0]).toMatchObject({ rateInterval: null, increments: [], ratingPlanId: 'RP_1001', matchedDestId: 'DST_1002', matchedPrefix: '1002' });
  });
  test('an unratable zero usage is not an error (cost 0, no timespan)', () => {
    const cc = rate('tutorial', { subject: '1001', destination: '9999', start: '2026-01-05T10:00:00Z', seconds: 0 }, '*exact');
    expect(cc.cost.toString()).toBe('0');
    expect(cc.timespans).toHaveLength(0);
  });
});
