// Step 8 (issue 11): one describe per rule, named after it, with the examples and our own.
import { describe, expect, test } from 'vitest';
import { MethodTable } from '../../src/api/table.js';
import { register } from '../../src/api/methods/rating.js';
import { newCallDescriptor, RatingService, buildRatingIndex, rateCall, getEventCost, wire, type CostMode } from '../../src/rating/index.js';
import { formatTimeNs, parseTime, parseTimeNs } from '../../src/util/time.js';
import { Money } from '../../src/util/money.js';
import { loadRatingTp, ratingTpFromCsv } from './fixture.js';
import { flat, incTotal, index, rate, T, S } from './helpers.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function api(tp: string, costMode: CostMode): MethodTable {
  const rating = new RatingService({ timezone: 'UTC', costMode, roundingDecimals: 5, defaultTenant: 'cgrates.org', defaultCategory: 'call' });
  rating.load(loadRatingTp(tp));
  const table = new MethodTable();
  register(table, { rating });
  return table;
}

const MODES = ['*cgrates', '*exact'] as const;

describe('rule 1: times keep their nanoseconds', () => {
  test('RFC 3339 with up to 9 fractional digits, unix seconds (with a fraction), unix nanoseconds', () => {
    expect(parseTimeNs('2024-08-18T22:21:26.000000001Z')).toBe(1724019686000000001n);
    expect(parseTimeNs('2024-08-18T22:21:26.123456789+02:00')).toBe(1724012486123456789n);
    expect(parseTimeNs('2024-08-18T22:21:26.1234567891Z')).toBe(1724019686123456789n); // past 9 digits cut, as Go
    expect(parseTimeNs('1724019686')).toBe(1724019686000000000n);
    expect(parseTimeNs('1724019686.5')).toBe(1724019686500000000n);
    expect(parseTimeNs('1724019686000000001')).toBe(1724019686000000001n);
    expect(parseTimeNs('1724019686000001')).toBe(1724019686000001000n); // microseconds
    // the ms view is the floor, as before
    expect(parseTime('2024-08-18T22:21:26.999999999Z')).toBe(1724019686999);
    expect(formatTimeNs(1724019686000000001n)).toBe('2024-08-18T22:21:26.000000001Z');
    expect(formatTimeNs(1724019686120000000n)).toBe('2024-08-18T22:21:26.12Z');
    expect(formatTimeNs(parseTimeNs('1969-12-31T23:59:59.999999999Z'))).toBe('1969-12-31T23:59:59.999999999Z');
  });

  test.each(MODES)('%s: tutorial2 data, TimeEnd one nanosecond after TimeStart, costs 1.0 (one 1024-unit increment)', async (mode) => {
    const cc = (await api('tutorial2', mode).call('Responder.GetCost', {
      Tenant: 'cgrates.org', Category: 'data', Subject: '*any', Destination: '30', ToR: '*data',
      TimeStart: '2024-08-18T22:21:26Z', TimeEnd: '2024-08-18T22:21:26.000000001Z',
    })) as Obj;
    expect(cc.Cost).toBe(1);
    expect(cc.Timespans[0].TimeStart).toBe('2024-08-18T22:21:26Z');
    expect(cc.Timespans[0].TimeEnd).toBe('2024-08-18T22:21:26.000001024Z'); // rounded up to the increment, to the ns
  });

  test('a sub-ms usage no longer hides rating errors: 1 ns to an unrated destination is UNAUTHORIZED_DESTINATION', async () => {
    await expect(api('tutorial', '*exact').call('Responder.GetCost', {
      Tenant: 'cgrates.org', Category: 'call', Subject: '1001', Destination: '9999',
      TimeStart: '2024-08-18T22:21:26.000000001Z', TimeEnd: '2024-08-18T22:21:26.000000002Z',
    })).rejects.toThrow('UNAUTHORIZED_DESTINATION');
  });

  test('unix nanoseconds in, RFC 3339 nanoseconds out; the EventCost StartTime keeps them', async () => {
    const t = api('tutorial2', '*exact');
    const cc = (await t.call('Responder.GetCost', {
      Tenant: 'cgrates.org', Category: 'data', Subject: '*any', Destination: '30', ToR: '*data',
      TimeStart: '1724019686000000007', TimeEnd: '1724019686000002055',
    })) as Obj;
    expect(cc.RatedUsage).toBe(2048);
    expect(cc.Cost).toBe(2);
    expect(cc.Timespans[0].TimeStart).toBe('2024-08-18T22:21:26.000000007Z');
    const ec = (await t.call('APIerSv1.GetCost', { Tenant: 'cgrates.org', Category: 'call', Subject: '1001', Destination: '1002',
      AnswerTime: '2019-03-18T10:00:00.123456789Z', Usage: '1s' })) as Obj;
    expect(ec.StartTime).toBe('2019-03-18T10:00:00.123456789Z');
  });
});

describe('rule 2: the connect fee inside a compressed timespan', () => {
  // tutorial2 1001 → 1002 (RT_60C: 0.1 connect fee, 0.01/s) from 23:59:59 to 00:00:01: two equal 1 s halves.
  const q = { Tenant: 'cgrates.org', Category: 'call', Subject: '1001', Destination: '1002', TimeStart: '2019-03-18T23:59:59Z', TimeEnd: '2019-03-19T00:00:01Z' };

  test('*cgrates: CGRateS compresses the halves and multiplies the head, connect fee included: (0.1 + 0.01) × 2 = 0.22', async () => {
    const cc = (await api('tutorial2', '*cgrates').call('Responder.GetCost', q)) as Obj;
    expect(cc.Cost).toBe(0.22);
    expect(cc.Timespans).toHaveLength(1);
    expect(cc.Timespans[0].CompressFactor).toBe(2);
    expect(cc.Timespans[0].Cost).toBe(0.22);
    expect(cc.Timespans[0].Increments.map((i: Obj) => [i.Duration, i.Cost, i.CompressFactor])).toEqual([[0, 0.1, 1], [1e9, 0.01, 1]]);
    const ec = (await api('tutorial2', '*cgrates').call('APIerSv1.GetCost', { ...q, AnswerTime: q.TimeStart, Usage: '2s' })) as Obj;
    expect(ec.Cost).toBe(0.22);
    expect(ec.Usage).toBe(2e9);
    expect(ec.Charges).toHaveLength(1);
    expect(ec.Charges[0].CompressFactor).toBe(2);
  });

  test('*exact keeps the sensible 0.12: one connect fee, and the EventCost agrees', async () => {
    const cc = (await api('tutorial2', '*exact').call('Responder.GetCost', q)) as Obj;
    expect(cc.Cost).toBe(0.12);
    expect(cc.Timespans).toHaveLength(2); // not compressible: only the first carries the fee
    const ec = (await api('tutorial2', '*exact').call('APIerSv1.GetCost', { ...q, AnswerTime: q.TimeStart, Usage: '2s' })) as Obj;
    expect(ec.Cost).toBe(0.12);
  });

  test('*cgrates: 2 s either side of midnight pay (0.1 + 0.02) × 2 = 0.24; a later loop pays no fee (0.04)', () => {
    const cc = rate('tutorial2', { subject: '1001', destination: '1002', start: '2019-03-18T23:59:58Z', seconds: 4 }, '*cgrates');
    expect(cc.timespans).toHaveLength(2);
    expect(cc.cost.toString()).toBe('0.24');
    expect(cc.timespans.map((t) => t.increments.filter((i) => i.connectFee).length)).toEqual([1, 1]);
    const later = rate('tutorial2', { subject: '1001', destination: '1002', start: '2019-03-18T23:59:58Z', seconds: 4, loopIndex: 1 }, '*cgrates');
    expect(later.cost.toString()).toBe('0.04');
    expect(rate('tutorial2', { subject: '1001', destination: '1002', start: '2019-03-18T23:59:58Z', seconds: 4 }, '*exact').cost.toString()).toBe('0.14');
  });

  test('*cgrates: unequal halves do not compress, the fee is paid once', () => {
    const cc = rate('tutorial2', { subject: '1001', destination: '1002', start: '2019-03-18T23:59:59Z', seconds: 3 }, '*cgrates');
    expect(cc.cost.toString()).toBe('0.13');
  });
});

describe('rule 3: exact increments stay compact', () => {
  // testtp data/datar → 222242260: 0.1 per 1048576 units in increments of 10240 (0.0009765625 each, *up 5)
  const call = (mode: CostMode, seconds: number) => rateCall(index('testtp'), newCallDescriptor({
    tenant: 'cgrates.org', category: 'data', subject: 'datar', account: 'datar', destination: '222242260',
    anchorMs: T('2016-06-01T10:00:00Z'), endNs: seconds * S, tor: '*data',
  }), { mode, roundingDecimals: 5 });

  test('10 s of data (976,563 increments): one rounding increment plus one compressed run, adding up to the cost', () => {
    const cc = call('*exact', 10);
    const incs = cc.timespans[0].increments.filter((i) => !i.connectFee);
    expect(incs.map((i) => [i.durationNs, i.cost.toString(), i.compressFactor ?? 1, !!i.rounding]))
      .toEqual([[0, '0.0000053125', 1, true], [10240, '0.0009765625', 976563, false]]);
    expect(incTotal(incs).toString()).toBe(cc.cost.toString());
    expect(cc.cost.toString()).toBe('953.67481'); // 976563 × 0.0009765625 = 953.6748046875 → *up 5
    const reply = JSON.stringify(wire.callCostToWire(cc));
    expect(reply.length).toBeLessThan(2000);
    const ec = wire.eventCostToWire(getEventCost(index('testtp'), newCallDescriptor({
      tenant: 'cgrates.org', category: 'data', subject: 'datar', account: 'datar', destination: '222242260',
      anchorMs: T('2016-06-01T10:00:00Z'), endNs: 10 * S, durationIndexNs: 10 * S, tor: '*data',
    }), { mode: '*exact', roundingDecimals: 5 })) as Obj;
    expect(ec.Cost).toBe(953.67481);
    expect(ec.Charges[0].Increments.map((i: Obj) => i.CompressFactor)).toEqual([1, 1, 976563]); // connect fee 0, rounding, run
    expect(JSON.stringify(ec).length).toBeLessThan(2000);
  });

  test('a unit cost that does not terminate (0.1 per 60 s in 1 s increments, 10,740 of them) is cut to 15 digits; the total stays exact', () => {
    const cc = rate('tutorial', { subject: '1001', destination: '1002', start: '2026-01-05T10:00:00Z', seconds: 3 * 3600 }, '*exact');
    const run = cc.timespans[1].increments;
    expect(run.length).toBeLessThanOrEqual(2);
    expect(incTotal(run).toString()).toBe(cc.timespans[1].cost.toString());
    expect(cc.cost.toString()).toBe('18.5'); // 0.4 + 0.2 + 10740 × 0.1/60
    // every amount survives a float64 (JSON) exactly
    for (const inc of run) expect(new Money(String(inc.cost.toNumber())).eq(inc.cost)).toBe(true);
  });

  test('short runs keep per-increment cumulative rounding (W6 refunds leave exactly the rounded cost)', () => {
    const small = rateCall(index('testtp'), newCallDescriptor({
      tenant: 'cgrates.org', category: 'data', subject: 'datar', account: 'datar', destination: '222242260',
      anchorMs: T('2016-06-01T10:00:00Z'), endNs: 10240 * 10, tor: '*data',
    }), { mode: '*exact', roundingDecimals: 5 });
    expect(flat(small.timespans[0].increments.filter((i) => !i.connectFee)).map((i) => i.cost.toString())).toEqual(
      ['0.00098', '0.00098', '0.00097', '0.00098', '0.00098', '0.00097', '0.00098', '0.00098', '0.00097', '0.00098']);
  });
});

describe('rule 4: rating cost does not grow with the increment count', () => {
  test.each(MODES)('%s: 10^6 increments are one compressed increment; the cost is nb × the per-increment cost', (mode) => {
    // testtp data → *any (RT_DATA_2c: 0.002 per 10 units in increments of 10): 10^6 increments
    const cc = rateCall(index('testtp'), newCallDescriptor({
      tenant: 'cgrates.org', category: 'data', subject: 'x', account: 'x', destination: '49', anchorMs: T('2016-06-01T10:00:00Z'),
      endNs: 10e6, tor: '*data',
    }), { mode, roundingDecimals: 5 });
    const runs = cc.timespans[0].increments.filter((i) => i.durationNs > 0);
    expect(runs).toHaveLength(1);
    expect(runs[0].compressFactor).toBe(1e6);
    expect(cc.cost.toString()).toBe('2000');
  });

  test('*cgrates keeps its per-increment rounding: 10^6 increments of Round(spanCost/nb, 5)', () => {
    // testtp datar: 10 s → spanCost Round(0.1/1048576 × 10^10 ... ), incCost = Round(spanCost / 976563, 5) = 0.00098
    const cc = rateCall(index('testtp'), newCallDescriptor({
      tenant: 'cgrates.org', category: 'data', subject: 'datar', account: 'datar', destination: '222242260',
      anchorMs: T('2016-06-01T10:00:00Z'), endNs: 10 * S, tor: '*data',
    }), { mode: '*cgrates', roundingDecimals: 5 });
    const run = cc.timespans[0].increments.filter((i) => !i.connectFee);
    expect(run.map((i) => [i.cost.toString(), i.compressFactor])).toEqual([['0.00098', 976563]]);
    expect(cc.timespans[0].cost.toString()).toBe(String(Math.round(976563 * 0.00098 * 1e5) / 1e5));
  });
});

describe('rule 6: MaxCost in *exact mode', () => {
  // engine_loader_csv_test max → 072389629: MX_DISC (*disconnect, MaxCost 10) until 18:00, then MX_FREE (*free, 10), 1 per second
  const call = (mode: CostMode) => rate('engine_loader_csv_test', {
    subject: 'max', destination: '072389629', start: '2013-10-21T16:32:34Z', seconds: (18 * 3600 + 23 * 60 + 15) - (16 * 3600 + 32 * 60 + 34),
  }, mode, 6);

  test('*cgrates follows CGRateS\'s running total: 10', () => {
    expect(call('*cgrates').cost.toString()).toBe('10');
  });

  test('*exact caps the whole call at the *free MaxCost once that rate applies: 10, and the EventCost agrees', () => {
    const cc = call('*exact');
    expect(cc.cost.toString()).toBe('10');
    expect(cc.timespans[0].cost.toString()).toBe('5246'); // 16:32:34 → 18:00 under *disconnect, charged as the tariff says
    const free = cc.timespans[1];
    expect(free.increments[0]).toMatchObject({ durationNs: 0, rounding: true });
    expect(free.increments[0].cost.toString()).toBe('-5236'); // the call back to its cap
    expect(incTotal(free.increments.slice(1)).toString()).toBe('0');
    const ec = getEventCost(index('engine_loader_csv_test'), newCallDescriptor({
      tenant: 'cgrates.org', category: 'call', subject: 'max', account: 'max', destination: '072389629',
      anchorMs: T('2013-10-21T16:32:34Z'), endNs: 6641 * S, durationIndexNs: 6641 * S,
    }), { mode: '*exact', roundingDecimals: 6 });
    expect(ec.cost.toString()).toBe('10');
  });

  test('*exact inside one *free period: the crossing increment pays up to the cap, the rest is free (oldtutorial 1001 → 1007, 0.62)', () => {
    const cc = rate('oldtutorial', { subject: '1001', destination: '1007', start: '2014-08-04T13:00:00Z', seconds: 70 }, '*exact');
    expect(cc.cost.toString()).toBe('0.62');
    expect(incTotal(cc.timespans.flatMap((t) => t.increments)).toString()).toBe('0.62');
  });

  test('two periods costing 6 and 3 under a *free MaxCost of 10: *exact 9 (below the cap), *cgrates 10 (its running total adds 6 + 9)', () => {
    const idx = buildRatingIndex(ratingTpFromCsv({
      'Destinations.csv': 'DST_49,49',
      'Timings.csv': 'DAY,*any,*any,*any,*any,08:00:00\nNIGHT,*any,*any,*any,*any,00:00:00',
      'Rates.csv': 'RT_1,0,1,1s,1s,0s',
      'DestinationRates.csv': 'DR_N,DST_49,RT_1,*up,4,10,*free\nDR_D,DST_49,RT_1,*up,4,10,*free',
      'RatingPlans.csv': 'RP,DR_N,NIGHT,10\nRP,DR_D,DAY,10',
      'RatingProfiles.csv': 'cgrates.org,call,*any,2020-01-01T00:00:00Z,RP,',
    }), { timezone: 'UTC' });
    const cost = (mode: CostMode) => rateCall(idx, newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: 'x', account: 'x', destination: '4930',
      anchorMs: T('2024-01-03T07:59:54Z'), endNs: 9 * S }), { mode, roundingDecimals: 5 });
    expect(cost('*exact').timespans.map((t) => t.cost.toString())).toEqual(['6', '3']);
    expect(cost('*exact').cost.toString()).toBe('9');
    expect(cost('*cgrates').cost.toString()).toBe('10');
  });

  test('*exact starting inside the *free period below the cap costs the full price', () => {
    const cc = rate('engine_loader_csv_test', { subject: 'max', destination: '072389629', start: '2013-10-21T18:00:00Z', seconds: 9 }, '*exact', 6);
    expect(cc.cost.toString()).toBe('9');
  });
});
