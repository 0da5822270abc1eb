// The rating JSON-RPC methods through the method table, as a client sees them.
import { describe, expect, test } from 'vitest';
import { MethodTable } from '../../src/api/table.js';
import { register } from '../../src/api/methods/rating.js';
import { RatingService, type CostMode } from '../../src/rating/index.js';
import { loadRatingTp } from './fixture.js';

function api(costMode: CostMode = '*cgrates'): MethodTable {
  const rating = new RatingService({ timezone: 'UTC', costMode, roundingDecimals: 5, defaultTenant: 'cgrates.org', defaultCategory: 'call' });
  rating.load(loadRatingTp('tutorial'));
  const table = new MethodTable();
  register(table, { rating });
  return table;
}
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('APIerSv1.GetCost', () => {
  test('Usage as ns string and Go duration, AnswerTime *now: 0.7002 and 0.7169', async () => {
    const t = api();
    const a = (await t.call('APIerSv1.GetCost', { Tenant: 'cgrates.org', Category: 'call', Subject: '1001', AnswerTime: '*now', Destination: '1002', Usage: '120000000000' })) as Obj;
    expect(a.Cost).toBe(0.7002);
    expect(a.Usage).toBe(120e9);
    const b = (await t.call('APIerSv1.GetCost', { Tenant: 'cgrates.org', Category: 'call', Subject: '1001', AnswerTime: '*now', Destination: '1002', Usage: '2m10s' })) as Obj;
    expect(b.Cost).toBe(0.7169);
  });
  test('the legacy ApierV1 name answers too; *exact mode gives 0.7', async () => {
    const r = (await api('*exact').call('ApierV1.GetCost', { Category: 'call', Subject: '1001', AnswerTime: '2014-08-04 13:00:00', Destination: '1002', Usage: '2m' })) as Obj;
    expect(r.Cost).toBe(0.7);
    expect(r.StartTime).toBe('2014-08-04T13:00:00Z');
  });
  test('an unknown destination → SERVER_ERROR: UNAUTHORIZED_DESTINATION', async () => {
    await expect(api().call('APIerSv1.GetCost', { Category: 'call', Subject: '1001', AnswerTime: '*now', Destination: '9999', Usage: '1m' }))
      .rejects.toThrow('SERVER_ERROR: UNAUTHORIZED_DESTINATION');
  });
  test('a bad Usage names the field', async () => {
    await expect(api().call('APIerSv1.GetCost', { Category: 'call', Subject: '1001', AnswerTime: '*now', Destination: '1002', Usage: 'abc' }))
      .rejects.toThrow(/^SERVER_ERROR: Usage: /);
  });
});

describe('Responder.GetCost', () => {
  test('CallDescriptor with RFC3339 times → tariff-rounded CallCost 0.8422 (W1)', async () => {
    const r = (await api().call('Responder.GetCost', { Category: 'call', Tenant: 'cgrates.org', Subject: '1001', Account: '1001', Destination: '1002',
      TimeStart: '2014-08-04T13:00:00Z', TimeEnd: '2014-08-04T13:03:25Z', LoopIndex: 0, DurationIndex: 0 })) as Obj;
    expect(r.Cost).toBe(0.8422);
    expect(r.Timespans).toHaveLength(2);
    expect(r.ToR).toBe('*voice');
  });
  test('Subject defaults to Account and Category to the default; errors are bare CGRateS codes', async () => {
    const r = (await api().call('Responder.GetCost', { Account: '1001', Destination: '1002', TimeStart: '2014-08-04T13:00:00Z', TimeEnd: '2014-08-04T13:01:00Z' })) as Obj;
    expect(r).toMatchObject({ Subject: '1001', Category: 'call', Tenant: 'cgrates.org', Cost: 0.6 });
    await expect(api().call('Responder.GetCost', { Account: '1001', Destination: '9999', TimeStart: '2014-08-04T13:00:00Z', TimeEnd: '2014-08-04T13:01:00Z' }))
      .rejects.toThrow(/^UNAUTHORIZED_DESTINATION$/);
  });
});

describe('RALsV1.GetRatingPlansCost (apier/v1/apier2_it_test)', () => {
  test.each([
    ['1002', 'RP_1001', 6.5118],
    ['1003', 'RP_1001', 36],
    ['1001', 'RP_1002', 6.5118],
  ])('1 h to %s → %s, %d', async (dst, plan, cost) => {
    const r = (await api().call('RALsV1.GetRatingPlansCost', { Destination: dst, RatingPlanIDs: ['RP_1001', 'RP_1002'], SetupTime: '*now', Usage: '1h' })) as Obj;
    expect(r.RatingPlanID).toBe(plan);
    expect(r.EventCost.Cost).toBe(cost);
    expect(r.EventCost.Usage).toBe(3600e9);
  });
  test('missing fields → MANDATORY_IE_MISSING naming them', async () => {
    await expect(api().call('RALsV1.GetRatingPlansCost', {})).rejects.toThrow('MANDATORY_IE_MISSING: [RatingPlanIDs Destination SetupTime Usage]');
  });
});

describe('rating objects', () => {
  test('APIerSv1.GetDestination by id string or {ID}', async () => {
    expect(await api().call('APIerSv1.GetDestination', 'DST_1002')).toEqual({ Id: 'DST_1002', Prefixes: ['1002'] });
    expect(await api().call('APIerSv1.GetDestination', { ID: 'DST_FS' })).toEqual({ Id: 'DST_FS', Prefixes: ['10'] });
    await expect(api().call('APIerSv1.GetDestination', 'NOPE')).rejects.toThrow('NOT_FOUND');
  });
  test('APIerSv1.GetRatingProfile', async () => {
    const r = (await api().call('APIerSv1.GetRatingProfile', { Tenant: 'cgrates.org', Category: 'call', Subject: '1001' })) as Obj;
    expect(r.Id).toBe('*out:cgrates.org:call:1001');
    expect(r.RatingPlanActivations.map((a: Obj) => [a.ActivationTime, a.RatingPlanId])).toEqual([
      ['2010-01-14T00:00:00Z', 'RP_1002'], ['2014-01-14T00:00:00Z', 'RP_1001']]);
    await expect(api().call('APIerSv1.GetRatingProfile', { Tenant: 'cgrates.org' })).rejects.toThrow('MANDATORY_IE_MISSING: [Category Subject]');
    await expect(api().call('APIerSv1.GetRatingProfile', { Category: 'call', Subject: 'nobody' })).rejects.toThrow('NOT_FOUND');
  });
  test('APIerSv1.GetRatingPlan', async () => {
    const r = (await api().call('APIerSv1.GetRatingPlan', 'RP_1001')) as Obj;
    expect(r.Id).toBe('RP_1001');
    expect(Object.keys(r.DestinationRates).sort()).toEqual(['DST_1002', 'DST_1003']);
    const b = r.DestinationRates.DST_1003[0];
    expect(r.Ratings[b.Rating]).toMatchObject({ MaxCost: 0.12, MaxCostStrategy: '*disconnect', ConnectFee: 0 });
    expect(r.Timings[b.Timing]).toMatchObject({ ID: '*any', StartTime: '00:00:00' });
    await expect(api().call('APIerSv1.GetRatingPlan', 'NOPE')).rejects.toThrow('NOT_FOUND');
  });
});
