// Destination matching inside a rating plan (rating-semantics 3.2).
import { describe, expect, test } from 'vitest';
import { newCallDescriptor, buildRatingIndex, rateCall, type RatingIndex } from '../../src/rating/index.js';
import { ratingTpFromCsv } from './fixture.js';
import { rate, T, S } from './helpers.js';

const plan = (destinations: string, ratingPlans: string, timings = ''): RatingIndex => buildRatingIndex(ratingTpFromCsv({
  'Destinations.csv': destinations,
  'Timings.csv': timings,
  'Rates.csv': 'RT_1,0,1,1s,1s,0\nRT_2,0,2,1s,1s,0\nRT_3,0,3,1s,1s,0',
  'DestinationRates.csv': 'DR_A_1,DST_A,RT_1,*up,4,0,\nDR_B_2,DST_B,RT_2,*up,4,0,\nDR_ANY_3,*any,RT_3,*up,4,0,',
  'RatingPlans.csv': ratingPlans,
  'RatingProfiles.csv': 'cgrates.org,call,*any,2010-01-01T00:00:00Z,RP,',
}), { timezone: 'UTC' });

const costOf = (idx: RatingIndex, destination: string, start = '2024-01-03T10:00:00Z') =>
  rateCall(idx, newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: 'x', account: 'x', destination, anchorMs: T(start), endNs: 10 * S }),
    { mode: '*exact', roundingDecimals: 5 });

describe('destination matching', () => {
  test('the longest prefix of the number wins, even over a higher weight', () => {
    const idx = plan('DST_A,49\nDST_B,4915', 'RP,DR_A_1,*any,20\nRP,DR_B_2,*any,10');
    const cc = costOf(idx, '491511');
    expect(cc.timespans[0].matchedPrefix).toBe('4915');
    expect(cc.timespans[0].matchedDestId).toBe('DST_B');
    expect(cc.cost.toString()).toBe('20');
    expect(costOf(idx, '4920').cost.toString()).toBe('10');
  });

  test('two destinations holding the same prefix: the higher weight wins', () => {
    const idx = plan('DST_A,49\nDST_B,49', 'RP,DR_A_1,*any,10\nRP,DR_B_2,*any,20');
    expect(costOf(idx, '4930').timespans[0].matchedDestId).toBe('DST_B');
  });

  test('a destination whose intervals are all inactive at the call start is skipped (→ *any rates)', () => {
    const idx = plan('DST_A,49\nDST_B,777', 'RP,DR_A_1,WEEKDAYS,10\nRP,DR_ANY_3,*any,10', 'WEEKDAYS,*any,*any,*any,1;2;3;4;5,00:00:00');
    expect(costOf(idx, '4930', '2024-01-03T10:00:00Z').timespans[0].matchedDestId).toBe('DST_A'); // Wednesday
    const sat = costOf(idx, '4930', '2024-01-06T10:00:00Z');
    expect(sat.timespans[0].matchedDestId).toBe('*any');
    expect(sat.timespans[0].matchedPrefix).toBe('*any');
    expect(sat.cost.toString()).toBe('30');
  });

  test('no prefix matches: the plan\'s *any destination rates apply', () => {
    const idx = plan('DST_A,49\nDST_B,777', 'RP,DR_A_1,*any,10\nRP,DR_ANY_3,*any,10');
    expect(costOf(idx, '33123').timespans[0].matchedDestId).toBe('*any');
  });

  test('an empty destination is rated as *any', () => {
    const idx = plan('DST_A,49\nDST_B,777', 'RP,DR_A_1,*any,10\nRP,DR_ANY_3,*any,10');
    const cc = costOf(idx, '');
    expect(cc.destination).toBe('*any');
    expect(cc.cost.toString()).toBe('30');
  });

  test('unknown destination → UNAUTHORIZED_DESTINATION', () => {
    expect(() => rate('tutorial', { subject: '1001', destination: '9999', start: '2026-01-05T10:00:00Z', seconds: 60 }, '*exact'))
      .toThrow('UNAUTHORIZED_DESTINATION');
  });

  test('prefix lookup is by the number\'s own prefixes: 20,000 destinations, the right one found', () => {
    const dests = Array.from({ length: 20000 }, (_, i) => `D${i},${4900000 + i}`).join('\n');
    const idx = plan(`${dests}\nDST_A,49\nDST_B,4912345`, 'RP,DR_A_1,*any,10\nRP,DR_B_2,*any,10');
    expect(idx.destinations.ids('4912345')).toEqual(['D12345', 'DST_B']);
    expect(costOf(idx, '491234567').timespans[0].matchedDestId).toBe('DST_B');
    expect(costOf(idx, '4999').timespans[0].matchedDestId).toBe('DST_A');
  });

  test.each(['*cgrates', '*exact'] as const)('%s: tp_destination_with_any (general_tests/destination_combined): 1002 → 0.01, 1003 via *any → 0.3', (mode) => {
    expect(rate('tp_destination_with_any', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 60 }, mode).cost.toString()).toBe('0.01');
    const any = rate('tp_destination_with_any', { subject: '1001', destination: '1003', start: '2026-01-05T10:00:00Z', seconds: 60 }, mode);
    expect(any.timespans[0].matchedDestId).toBe('*any');
    expect(any.cost.toString()).toBe('0.3');
  });
});
