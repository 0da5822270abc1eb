// Wire shapes (CGRateS JSON): EventCost and CallCost with Go field names, ns durations, RFC3339 times.
import { describe, expect, test } from 'vitest';
import { newCallDescriptor, eventCostOf, getEventCost, wire } from '../../src/rating/index.js';
import { index, rate, T, S } from './helpers.js';

describe('EventCost on the wire (APIerSv1.GetCost)', () => {
  const ec = getEventCost(index('tutorial'), newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: '1001', account: '', destination: '1002',
    anchorMs: T('2026-01-05T10:00:00Z'), endNs: 120 * S, durationIndexNs: 120 * S }), { mode: '*cgrates', roundingDecimals: 5 });
  const w = wire.eventCostToWire(ec) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  test('top-level fields, cost, usage in ns, start time RFC3339', () => {
    expect(Object.keys(w)).toEqual(['CGRID', 'RunID', 'StartTime', 'Usage', 'Cost', 'Charges', 'AccountSummary', 'Rating', 'Accounting', 'RatingFilters', 'Rates', 'Timings']);
    expect(w.Cost).toBe(0.7002);
    expect(w.Usage).toBe(120_000_000_000);
    expect(w.StartTime).toBe('2026-01-05T10:00:00Z');
  });

  test('charges: connect fee and first minute, then 60 compressed 1 s increments of 0.00167', () => {
    expect(w.Charges.map((c: any) => c.Increments)).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      [{ Usage: 0, Cost: 0.4, AccountingID: '', CompressFactor: 1 }, { Usage: 60 * S, Cost: 0.2, AccountingID: '', CompressFactor: 1 }],
      [{ Usage: S, Cost: 0.00167, AccountingID: '', CompressFactor: 60 }],
    ]);
  });

  test('rating, rates, timings and rating filters are referenced by ID', () => {
    const ru = w.Rating[w.Charges[0].RatingID];
    expect(ru).toMatchObject({ ConnectFee: 0.4, RoundingMethod: '*up', RoundingDecimals: 4, MaxCost: 0, MaxCostStrategy: '' });
    expect(w.Rates[ru.RatesID]).toEqual([
      { GroupIntervalStart: 0, Value: 0.2, RateIncrement: 60 * S, RateUnit: 60 * S },
      { GroupIntervalStart: 60 * S, Value: 0.1, RateIncrement: S, RateUnit: 60 * S },
    ]);
    expect(w.Timings[ru.TimingID]).toEqual({ Years: [], Months: [], MonthDays: [], WeekDays: [], StartTime: '00:00:00' });
    expect(w.RatingFilters[ru.RatingFiltersID]).toEqual({ DestinationID: 'DST_1002', DestinationPrefix: '1002', RatingPlanID: 'RP_1001', Subject: '*out:cgrates.org:call:1001' });
    expect(w.Charges[1].RatingID).toBe(w.Charges[0].RatingID);
  });
});

describe('CallCost on the wire (Responder.GetCost)', () => {
  const cc = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 205 }, '*cgrates');
  const w = wire.callCostToWire(cc) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  test('Go field names, tariff-rounded Cost, RatedUsage in ns', () => {
    expect(Object.keys(w)).toEqual(['Category', 'Tenant', 'Subject', 'Account', 'Destination', 'ToR', 'Cost', 'Timespans', 'RatedUsage', 'AccountSummary']);
    expect(w).toMatchObject({ Category: 'call', Tenant: 'cgrates.org', Subject: '1001', Destination: '1002', ToR: '*voice', Cost: 0.8422, RatedUsage: 205 * S });
  });
  test('timespans with times, DurationIndex, rate interval and compressed increments', () => {
    const ts = w.Timespans[1];
    expect(ts).toMatchObject({ TimeStart: '2026-01-05T10:01:00Z', TimeEnd: '2026-01-05T10:03:25Z', Cost: 0.24215, DurationIndex: 205 * S,
      MatchedSubject: '*out:cgrates.org:call:1001', MatchedPrefix: '1002', MatchedDestId: 'DST_1002', RatingPlanId: 'RP_1001', CompressFactor: 1 });
    expect(ts.Increments).toEqual([{ Duration: S, Cost: 0.00167, BalanceInfo: { Unit: null, Monetary: null, AccountID: '' }, CompressFactor: 145 }]);
    expect(ts.RateInterval.Timing).toMatchObject({ ID: '*any', StartTime: '00:00:00' });
    expect(ts.RateInterval.Rating).toMatchObject({ ConnectFee: 0.4, RoundingMethod: '*up', RoundingDecimals: 4 });
    expect(ts.RateInterval.Weight).toBe(10);
  });
});

test('times keep sub-second parts the way Go prints them (trailing zeros trimmed), zero time as Go\'s', () => {
  expect(wire.formatGoTime(T('2014-08-04T13:00:00Z') + 500)).toBe('2014-08-04T13:00:00.5Z');
  expect(wire.formatGoTime(T('2014-08-04T13:00:00Z') + 123)).toBe('2014-08-04T13:00:00.123Z');
  expect(wire.formatGoTime(T('0001-01-01T00:00:00Z'))).toBe('0001-01-01T00:00:00Z');
});

test('equal consecutive charges are compressed (two weekend days → one charge with CompressFactor 2), usage kept', () => {
  const cc = rate('engine_loader_csv_test', { tenant: 'CUSTOMER_1', category: '0', subject: 'rif:from:tm', destination: '49178',
    start: '2012-02-24T09:50:00Z', seconds: 289200, durationIndex: 289200 * S }, '*cgrates', 6);
  const ec = eventCostOf(cc, { mode: '*cgrates', roundingDecimals: 6 });
  expect(ec.charges.map((c) => c.compressFactor)).toEqual([1, 1, 2, 1, 1]);
  expect(ec.usage).toBe(289200 * S);
  expect(ec.cost.toString()).toBe(cc.cost.toString());
});
