// Increments are the debit units: they add up to the cost, the connect fee is the zero-duration head,
// and trimming whole trailing increments leaves the cost of what was used (rating-semantics 4.1, 7.2, W6).
import { describe, expect, test } from 'vitest';
import { Money, ZERO } from '../../src/util/money.js';
import { newCallDescriptor, getEventCost, rateCall, type CallCost } from '../../src/rating/index.js';
import { flat, incTotal, index, rate, T, S } from './helpers.js';

const sumIncrements = (cc: CallCost): Money => incTotal(cc.timespans.flatMap((t) => t.increments));

describe('increments add up', () => {
  const calls = [
    { tp: 'tutorial', subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 205 },
    { tp: 'tutorial', subject: '1003', destination: '1001', start: '2026-01-05T10:00:00Z', seconds: 100 },
    { tp: 'tutorial2', subject: '1002', destination: '1003', start: '2019-03-18T18:58:47Z', seconds: 133 },
    { tp: 'oldtutorial', subject: '1001', destination: '1004', start: '2016-01-06T19:00:00Z', seconds: 90 },
  ];
  test.each(calls)('*exact: each timespan\'s increments sum to its cost and the call\'s to the rounded cost ($tp $subject → $destination, $seconds s)', (c) => {
    const cc = rate(c.tp, c, '*exact');
    for (const ts of cc.timespans) expect(incTotal(ts.increments).toString()).toBe(ts.cost.toString());
    expect(sumIncrements(cc).toString()).toBe(cc.cost.toString());
    expect(cc.cost.decimalPlaces()).toBeLessThanOrEqual(4); // tariff rounding *up 4, applied once
  });
  test.each(calls)('*cgrates: the increments sum to the EventCost; CallCost is that sum tariff-rounded ($tp $subject → $destination)', (c) => {
    const cc = rate(c.tp, c, '*cgrates');
    const ec = getEventCost(index(c.tp), newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: c.subject, account: '', destination: c.destination,
      anchorMs: T(c.start), endNs: c.seconds * S }), { mode: '*cgrates', roundingDecimals: 5 });
    expect(sumIncrements(cc).toDecimalPlaces(5).toString()).toBe(ec.cost.toString());
    expect(ec.cost.toDecimalPlaces(4, Money.ROUND_CEIL).toString()).toBe(cc.cost.toString());
  });
});

test('the connect fee is the zero-duration first increment of the first timespan, flagged, only on loop 0', () => {
  const first = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 120 }, '*exact');
  expect(first.timespans[0].increments[0]).toMatchObject({ durationNs: 0, connectFee: true });
  expect(first.timespans[0].increments[0].cost.toString()).toBe('0.4');
  expect(first.timespans.slice(1).flatMap((t) => t.increments).some((i) => i.connectFee)).toBe(false);
  const later = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 120, loopIndex: 1 }, '*exact');
  expect(later.timespans.flatMap((t) => t.increments).some((i) => i.connectFee)).toBe(false);
  expect(later.cost.toString()).toBe('0.3');
});

describe('session pieces and trailing refunds (W6: tutorial 1001 → 1002, debits of 30 s, call of 100 s)', () => {
  // One debit piece [fromS, toS) of the call, as sessions ask for it (DurationIndex = elapsed at its end).
  const piece = (mode: '*exact' | '*cgrates', fromS: number, toS: number, costSoFar: Money = ZERO): CallCost =>
    rateCall(index('tutorial'), newCallDescriptor({
      tenant: 'cgrates.org', category: 'call', subject: '1001', account: '1001', destination: '1002',
      anchorMs: T('2026-01-05T10:00:00Z') + fromS * 1000, endNs: (toS - fromS) * S, durationIndexNs: toS * S,
      loopIndex: fromS === 0 ? 0 : 1, costSoFar,
    }), { mode, roundingDecimals: 5 });

  test('*exact: debits 0.6 (30 s rounded up to the first minute), 0.05, 0.05; refunding the last 20 increments leaves 0.6667', () => {
    const p1 = piece('*exact', 0, 30);
    expect(p1.cost.toString()).toBe('0.6');
    expect(p1.ratedUsageNs).toBe(60 * S);
    const p2 = piece('*exact', 60, 90, p1.costSoFar);
    expect(p2.cost.toString()).toBe('0.05');
    const p3 = piece('*exact', 90, 120, p2.costSoFar);
    expect(p3.cost.toString()).toBe('0.05');
    const kept = incTotal(flat(p3.timespans[0].increments).slice(0, 10));
    expect(p1.cost.plus(p2.cost).plus(kept).toString()).toBe('0.6667');
  });

  test('*cgrates: debits 0.6, 0.0501, 0.0501; refunding 20 × 0.00167 = 0.0334 leaves 0.6668', () => {
    expect(piece('*cgrates', 0, 30).cost.toString()).toBe('0.6');
    const p2 = piece('*cgrates', 60, 90);
    expect(p2.cost.toString()).toBe('0.0501');
    const p3 = piece('*cgrates', 90, 120);
    const refund = incTotal(flat(p3.timespans[0].increments).slice(10));
    expect(refund.toString()).toBe('0.0334');
    expect(new Money('0.6').plus(p2.cost).plus(p3.cost).minus(refund).toString()).toBe('0.6668');
  });
});
