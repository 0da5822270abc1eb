// The one CallDescriptor as rating reads it: a period [startNs, endNs) of ns offsets from an anchor,
// and CGRateS's MaxCostSoFar carried as the float64 it holds.
import { describe, expect, test } from 'vitest';
import { moneyFromFloat, newCallDescriptor, rateCall } from '../../src/rating/index.js';
import { S, T, index } from './helpers.js';

const OPTS = { mode: '*cgrates', roundingDecimals: 5 } as const;
const call = { tenant: 'cgrates.org', category: 'call', subject: '1001', account: '1001', destination: '1002' };

describe('CallDescriptor', () => {
  test('rateCall rates [startNs, endNs) of the descriptor and its timespans count from the anchor', () => {
    const t0 = T('2026-01-05T10:00:00Z');
    const later = rateCall(index('tutorial'), newCallDescriptor({ ...call, anchorMs: t0, startNs: 30 * S, endNs: 150 * S, loopIndex: 1 }), OPTS);
    const moved = rateCall(index('tutorial'), newCallDescriptor({ ...call, anchorMs: t0 + 30_000, endNs: 120 * S, loopIndex: 1 }), OPTS);
    expect(later.anchorMs).toBe(t0);
    expect(later.timespans.map((ts) => [ts.startNs - 30 * S, ts.endNs - 30 * S, ts.cost.toString()]))
      .toEqual(moved.timespans.map((ts) => [ts.startNs, ts.endNs, ts.cost.toString()]));
    expect(later.cost.toString()).toBe(moved.cost.toString());
  });

  test('MaxCostSoFar continues the *cgrates float64 running total exactly', () => {
    const q = { ...call, subject: '1002', account: '1002', destination: '1007' };
    const t0 = T('2014-08-04T13:00:00Z');
    const whole = rateCall(index('oldtutorial'), newCallDescriptor({ ...q, anchorMs: t0, endNs: 70 * S }), OPTS);
    const first = rateCall(index('oldtutorial'), newCallDescriptor({ ...q, anchorMs: t0, endNs: 30 * S }), OPTS);
    const rest = rateCall(index('oldtutorial'), newCallDescriptor({
      ...q, anchorMs: t0, startNs: 30 * S, endNs: 70 * S, loopIndex: 1, maxCostSoFar: moneyFromFloat(first.maxCostSoFar),
    }), OPTS);
    expect(rest.maxCostSoFar).toBe(whole.maxCostSoFar);
  });
});
