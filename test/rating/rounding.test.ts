// Rounding (rating-semantics 4.1, 4.2, 4.6): CGRateS's float64 Round, per-increment rounding at G in
// *cgrates, tariff rounding once with the longest rounding of the call.
import { describe, expect, test } from 'vitest';
import { Money, roundMoney } from '../../src/util/money.js';
import { newCallDescriptor, buildRatingIndex, rateCall, roundCgrates, type CostMode, type RatingIndex } from '../../src/rating/index.js';
import { ratingTpFromCsv } from './fixture.js';
import { flat, T, S } from './helpers.js';

describe('roundCgrates (Go float64 Round)', () => {
  test('*middle decides on the binary product: 0.033335 → 0.03333 (exact half-up would give 0.03334)', () => {
    expect(roundCgrates(0.033335, 5, '*middle')).toBe(0.03333);
    expect(roundMoney(new Money('0.033335'), 5, '*middle').toString()).toBe('0.03334');
  });
  test('*up ignores float noise below 10^-max(7,d): 0.30000000000000004 → 0.3, 0.30006 → 0.3001', () => {
    expect(roundCgrates(0.1 + 0.2, 4, '*up')).toBe(0.3);
    expect(roundCgrates(0.30006, 4, '*up')).toBe(0.3001);
  });
  test('*down floors, *middle rounds half up: 0.00083325 → 0.00083; 0.0016667 → 0.00167', () => {
    expect(roundCgrates(0.00083325, 5, '*down')).toBe(0.00083);
    expect(roundCgrates(0.0016667, 5, '*middle')).toBe(0.00167);
  });
  test('an unknown or empty method leaves the value (x × 10^d ÷ 10^d)', () => {
    expect(roundCgrates(0.123456, 2, '')).toBe(0.123456);
  });
});

function idx(drs: string, timings = '', rates = 'RT_A,0,0.2,60s,10s,0\nRT_B,0,0.1,60s,1s,0'): RatingIndex {
  return buildRatingIndex(ratingTpFromCsv({
    'Destinations.csv': 'DST_49,49', 'Timings.csv': timings, 'Rates.csv': rates, 'DestinationRates.csv': drs,
    'RatingPlans.csv': timings ? 'RP,DR_A,DAY,10\nRP,DR_B,NIGHT,10' : 'RP,DR_A,*any,10',
    'RatingProfiles.csv': 'cgrates.org,call,*any,2020-01-01T00:00:00Z,RP,',
  }), { timezone: 'UTC' });
}
const call = (i: RatingIndex, start: string, seconds: number, mode: CostMode) => rateCall(i, newCallDescriptor({ tenant: 'cgrates.org', category: 'call',
  subject: 'x', account: 'x', destination: '4930', anchorMs: T(start), endNs: seconds * S }), { mode, roundingDecimals: 5 });

describe('per-increment rounding in *cgrates', () => {
  test('20 s at 0.2/60 s in 10 s increments: span 0.06667, increments 0.03333 each, timespan 0.06666', () => {
    const cc = call(idx('DR_A,DST_49,RT_A,*up,4,0,'), '2024-01-03T10:00:00Z', 20, '*cgrates');
    expect(flat(cc.timespans[0].increments.filter((i) => !i.connectFee)).map((i) => i.cost.toString())).toEqual(['0.03333', '0.03333']);
    expect(cc.timespans[0].cost.toString()).toBe('0.06666');
    expect(cc.cost.toString()).toBe('0.0667');
  });
  test('*exact keeps the span exact: 0.0666… → *up 4 = 0.0667, increments 0.0334 + 0.0333', () => {
    const cc = call(idx('DR_A,DST_49,RT_A,*up,4,0,'), '2024-01-03T10:00:00Z', 20, '*exact');
    expect(flat(cc.timespans[0].increments.filter((i) => !i.connectFee)).map((i) => i.cost.toString())).toEqual(['0.0334', '0.0333']);
    expect(cc.cost.toString()).toBe('0.0667');
  });
});

describe('tariff rounding uses the longest rounding of the call', () => {
  const timings = 'DAY,*any,*any,*any,*any,08:00:00\nNIGHT,*any,*any,*any,*any,00:00:00';
  const drs = 'DR_A,DST_49,RT_A,*up,2,0,\nDR_B,DST_49,RT_B,*down,4,0,';
  test.each(['*cgrates', '*exact'] as const)('%s: a call over a 2-decimal *up band and a 4-decimal *down band rounds *down to 4', (mode) => {
    // 07:59:50 + 70 s: 10 s night (RT_B, 10 × 0.1/60) then 60 s day (RT_A, 6 × 10 s)
    const cc = call(idx(drs, timings), '2024-01-03T07:59:50Z', 70, mode);
    expect(cc.timespans.map((t) => t.rateInterval?.rating.rateId)).toEqual(['RT_B', 'RT_A']);
    // *cgrates 10 × 0.00167 + 6 × 0.03333 = 0.21668, *exact 0.21666…; both → *down 4
    expect(cc.cost.toString()).toBe('0.2166');
  });
  test.each(['*cgrates', '*exact'] as const)('%s: all bands with 0 decimals → no rounding at all', (mode) => {
    const cc = call(idx('DR_A,DST_49,RT_B,*up,0,0,'), '2024-01-03T10:00:00Z', 7, mode);
    // *cgrates: span 0.01167, increment Round(0.01167 / 7) = 0.00167, 7 × 0.00167 = 0.01169, left unrounded
    expect(cc.cost.toString()).toBe(mode === '*cgrates' ? '0.01169' : new Money('0.1').times(7).div(60).toString());
  });
});
