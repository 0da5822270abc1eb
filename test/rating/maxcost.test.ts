// MaxCost (rating-semantics 1.4, 4.7): *free caps the cost of a cost request, *disconnect is ignored by it.
import { describe, expect, test } from 'vitest';
import { flat, rate } from './helpers.js';

describe('MaxCost', () => {
  test.each(['*cgrates', '*exact'] as const)('%s *free: oldtutorial 1001 → 1007, 70 s at 0.01/s capped at 0.62', (mode) => {
    const cc = rate('oldtutorial', { subject: '1001', destination: '1007', start: '2014-08-04T13:00:00Z', seconds: 70 }, mode);
    expect(cc.cost.toString()).toBe('0.62');
    expect(cc.timespans[0].rateInterval?.rating.maxCostStrategy).toBe('*free');
  });

  test('*free below the cap costs the full price (50 s → 0.5)', () => {
    expect(rate('oldtutorial', { subject: '1001', destination: '1007', start: '2014-08-04T13:00:00Z', seconds: 50 }, '*cgrates').cost.toString()).toBe('0.5');
  });

  test('*cgrates keeps the increments (EventCost not capped), *exact stops charging at the cap', () => {
    const cg = rate('oldtutorial', { subject: '1001', destination: '1007', start: '2014-08-04T13:00:00Z', seconds: 70 }, '*cgrates');
    expect(cg.timespans[0].cost.toString()).toBe('0.7');
    const ex = rate('oldtutorial', { subject: '1001', destination: '1007', start: '2014-08-04T13:00:00Z', seconds: 70 }, '*exact');
    const incs = flat(ex.timespans[0].increments.filter((i) => !i.connectFee));
    expect(incs.slice(0, 62).every((i) => i.cost.toString() === '0.01')).toBe(true);
    expect(incs.slice(62).every((i) => i.cost.isZero())).toBe(true);
  });

  test.each(['*cgrates', '*exact'] as const)('%s *disconnect is ignored by a cost request: 1002 → 1007, 70 s = 0.7', (mode) => {
    expect(rate('oldtutorial', { subject: '1002', destination: '1007', start: '2014-08-04T13:00:00Z', seconds: 70 }, mode).cost.toString()).toBe('0.7');
  });

  test.each(['*cgrates', '*exact'] as const)('%s: tutorial 1001 → 1003 (RT_1CNT_PER_SEC, MaxCost 0.12 *disconnect): 60 s = 0.6, the cap is for max usage only', (mode) => {
    const cc = rate('tutorial', { subject: '1001', destination: '1003', start: '2026-01-05T10:00:00Z', seconds: 60 }, mode);
    expect(cc.cost.toString()).toBe('0.6');
    expect(cc.timespans[0].rateInterval?.rating.maxCost.toString()).toBe('0.12');
  });

  test('*cgrates returns the float64 MaxCost running total for the next piece', () => {
    const cc = rate('oldtutorial', { subject: '1002', destination: '1007', start: '2014-08-04T13:00:00Z', seconds: 70 }, '*cgrates');
    expect(cc.maxCostSoFar).toBeCloseTo(0.7, 10);
  });
});
