// Timings and weights choose the rate interval of each timespan (rating-semantics 1.2, 3.3, 3.4).
import { describe, expect, test } from 'vitest';
import { newCallDescriptor, buildRatingIndex, isActiveAt, rateCall, toRITiming } from '../../src/rating/index.js';
import { loadRatingTp, ratingTpFromCsv } from './fixture.js';
import { rate, shape, costs } from './helpers.js';

const t2 = (destination: string, start: string, seconds: number, mode: '*exact' | '*cgrates' = '*exact') =>
  rate('tutorial2', { subject: '1002', destination, start, seconds }, mode);

describe('peak and off-peak', () => {
  test('weekday 10:00 is PEAK (RT_120C: 0.2 + 1.2)', () => {
    const cc = t2('1003', '2019-03-18T10:00:00Z', 60);
    expect(shape(cc)).toEqual(['RT_120C@PEAK:60']);
    expect(cc.cost.toString()).toBe('1.4');
  });
  test('weekday 20:00 is OFFPEAK_EVENING (RT_60C: 0.1 + 0.6)', () => {
    const cc = t2('1003', '2019-03-18T20:00:00Z', 60);
    expect(shape(cc)).toEqual(['RT_60C@OFFPEAK_EVENING:60']);
    expect(cc.cost.toString()).toBe('0.7');
  });
  test('PEAK beats OFFPEAK_MORNING at 09:00: the closest start at or before the call wins', () => {
    expect(shape(t2('1003', '2019-03-18T09:00:00Z', 60))).toEqual(['RT_120C@PEAK:60']);
  });
  test('Saturday and Sunday (CSV weekday 7) are OFFPEAK_WEEKEND', () => {
    expect(shape(t2('1003', '2019-03-23T10:00:00Z', 60))).toEqual(['RT_60C@OFFPEAK_WEEKEND:60']);
    expect(shape(t2('1003', '2019-03-24T10:00:00Z', 60))).toEqual(['RT_60C@OFFPEAK_WEEKEND:60']);
  });
});

describe('crossing boundaries', () => {
  test('a call across a band start is split at it and the tail rounded up to its increment (07:59:30 + 60 s)', () => {
    // no rate group starts inside (0, 60 s): the split is at 08:00; the 30 s peak tail becomes a 60 s block
    const cc = t2('1003', '2019-03-18T07:59:30Z', 60);
    expect(shape(cc)).toEqual(['RT_60C@OFFPEAK_MORNING:30', 'RT_120C@PEAK:60']);
    expect(cc.ratedUsageNs).toBe(90e9);
    expect(cc.cost.toString()).toBe('1.6'); // 0.1 + 0.3 + 1.2
  });
  test('a call across midnight is split at 00:00 and each day rated on its own (Monday → Tuesday)', () => {
    const cc = t2('1003', '2019-03-18T23:59:30Z', 60);
    expect(shape(cc)).toEqual(['RT_60C@OFFPEAK_EVENING:30', 'RT_60C@OFFPEAK_MORNING:30']);
    expect(costs(cc)).toEqual(['0.4', '0.3']);
    expect(cc.cost.toString()).toBe('0.7');
  });
  test('Friday night into Saturday switches to OFFPEAK_WEEKEND at midnight', () => {
    expect(shape(t2('1003', '2019-03-22T23:59:00Z', 120))).toEqual(['RT_60C@OFFPEAK_EVENING:60', 'RT_60C@OFFPEAK_WEEKEND:60']);
  });
  test('a call ending exactly at midnight stays on its day (end tested as 23:59:59)', () => {
    expect(shape(t2('1003', '2019-03-18T23:59:00Z', 60))).toEqual(['RT_60C@OFFPEAK_EVENING:60']);
  });
});

test('a period no timing covers is not free: a weekday-only plan called from Friday 23:59:30 into Saturday → UNAUTHORIZED_DESTINATION', () => {
  const idx = buildRatingIndex(ratingTpFromCsv({
    'Destinations.csv': 'DST,49', 'Timings.csv': 'WEEKDAYS,*any,*any,*any,1;2;3;4;5,00:00:00', 'Rates.csv': 'RT,0,1,1s,1s,0',
    'DestinationRates.csv': 'DR,DST,RT,*up,4,0,', 'RatingPlans.csv': 'RP,DR,WEEKDAYS,10', 'RatingProfiles.csv': 'cgrates.org,call,*any,2010-01-01T00:00:00Z,RP,',
  }), { timezone: 'UTC' });
  const call = (start: string) => rateCall(idx, newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: 'x', account: 'x', destination: '49',
    anchorMs: Date.parse(start), endNs: 60e9 }), { mode: '*exact', roundingDecimals: 5 });
  expect(call('2024-01-05T23:58:00Z').cost.toString()).toBe('60');
  expect(() => call('2024-01-05T23:59:30Z')).toThrow('UNAUTHORIZED_DESTINATION');
});

describe('weights', () => {
  test('NEW_YEAR (weight 20) makes DST_20 win on January 1st; other days DST_2030 (weight 10) rates prefix 20', () => {
    const jan1 = t2('2001', '2020-01-01T10:00:00Z', 60);
    expect(jan1.timespans[0].matchedDestId).toBe('DST_20');
    expect(shape(jan1)).toEqual(['RT_60C@NEW_YEAR:60']);
    const jan2 = t2('2001', '2020-01-02T10:00:00Z', 60);
    expect(jan2.timespans[0].matchedDestId).toBe('DST_2030');
    expect(shape(jan2)).toEqual(['RT_120C@*any:60']);
  });
});

describe('rating time zone', () => {
  test('timings are read on the wall clock of the configured zone (W3a in Europe/Berlin = 17:58:47 UTC)', () => {
      const berlin = buildRatingIndex(loadRatingTp('tutorial2'), { timezone: 'Europe/Berlin' });
    const cc = rateCall(berlin, newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: '1002', account: '1002', destination: '1003',
      anchorMs: Date.parse('2019-03-18T17:58:47Z'), endNs: 133e9 }), { mode: '*exact', roundingDecimals: 5 });
    expect(shape(cc)).toEqual(['RT_120C@PEAK:60', 'RT_120C@PEAK:13', 'RT_60C@OFFPEAK_EVENING:60']);
    expect(cc.cost.toString()).toBe('2.26');
  });
  test('a weekday before 1970 is still computed right (1969-12-28 was a Sunday)', () => {
    const sunday = toRITiming({ id: 'SUN', years: [], months: [], monthDays: [], weekDays: [7], startTime: '00:00:00', endTime: '' });
    expect(isActiveAt(sunday, Date.parse('1969-12-28T10:00:00Z'), 'UTC')).toBe(true);
    expect(isActiveAt(sunday, Date.parse('1969-12-29T10:00:00Z'), 'UTC')).toBe(false);
  });
});
