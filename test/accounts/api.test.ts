// The accounts JSON-RPC methods: CGRateS names, parameters and reply shapes.
import { afterEach, describe, expect, it } from 'vitest';
import { MethodTable } from '../../src/api/table.js';
import { register } from '../../src/api/methods/accounts.js';
import { world, type World } from './helpers.js';

let w: World | undefined;
let t: MethodTable;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function setup(tp = 'tutorial') {
  w = await world(tp);
  t = new MethodTable();
  register(t, {
    accounts: w.accounts, scheduler: w.scheduler,
    config: { general: { default_tenant: 'cgrates.org', default_category: 'call', default_request_type: '*rated', default_timezone: 'UTC' } },
  });
}

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('accounts API', () => {
  it('APIerSv1.GetAccount / APIerSv2.GetAccount return the account as CGRateS (BalanceMap, maps of ids, RFC3339 times)', async () => {
    await setup();
    const a = (await t.call('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: '1001' })) as J;
    expect(a.ID).toBe('cgrates.org:1001');
    expect(a.BalanceMap['*monetary'][0]).toMatchObject({ ID: 'test', Value: 10, Weight: 10, DestinationIDs: {}, ExpirationDate: '0001-01-01T00:00:00Z', Blocker: false, Disabled: false });
    expect(typeof a.BalanceMap['*monetary'][0].Uuid).toBe('string');
    expect(a.ActionTriggers).toHaveLength(2);
    expect(a).toMatchObject({ AllowNegative: false, Disabled: false });
    expect(await t.call('ApierV1.GetAccount', { Account: '1001' })).toEqual(a);
    await expect(t.call('APIerSv1.GetAccount', { Tenant: 'cgrates.org', Account: 'nobody' })).rejects.toThrow('NOT_FOUND');
    await expect(t.call('APIerSv1.GetAccount', { Tenant: 'cgrates.org' })).rejects.toThrow('MANDATORY_IE_MISSING: [Account]');
  });

  it('SetAccount / SetBalance / AddBalance / DebitBalance / RemoveBalances / ExecuteAction reply "OK"', async () => {
    await setup();
    expect(await t.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: '2001', ActionPlanID: 'AP_PACKAGE_10', ActionTriggersID: 'STANDARD_TRIGGERS', AllowNegative: true })).toBe('OK');
    let a = (await t.call('APIerSv1.GetAccount', { Account: '2001' })) as J;
    expect(a.AllowNegative).toBe(true);
    expect(a.BalanceMap['*monetary'][0].Value).toBe(10); // the plan's *asap topup ran
    expect(await t.call('APIerSv1.SetBalance', { Account: '2001', BalanceType: '*voice', Value: 60e9, Balance: { ID: 'MIN', Weight: 5, DestinationIDs: 'DST_1002' } })).toBe('OK');
    expect(await t.call('APIerSv1.AddBalance', { Account: '2001', BalanceType: '*monetary', Value: 5, Balance: { ID: 'test' } })).toBe('OK');
    expect(await t.call('APIerSv1.DebitBalance', { Account: '2001', BalanceType: '*monetary', Value: 1, Balance: { ID: 'test' } })).toBe('OK');
    a = (await t.call('APIerSv1.GetAccount', { Account: '2001' })) as J;
    expect(a.BalanceMap['*monetary'][0].Value).toBe(14);
    expect(a.BalanceMap['*voice'][0]).toMatchObject({ ID: 'MIN', Value: 60e9, Weight: 5, DestinationIDs: { DST_1002: true } });
    expect(await t.call('APIerSv1.RemoveBalances', { Account: '2001', BalanceType: '*voice', Balance: { ID: 'MIN' } })).toBe('OK');
    expect(await t.call('APIerSv1.ExecuteAction', { Account: '2001', ActionsId: 'ACT_TOPUP_RST_10' })).toBe('OK');
    a = (await t.call('APIerSv1.GetAccount', { Account: '2001' })) as J;
    expect(a.BalanceMap['*voice']).toEqual([]);
    expect(a.BalanceMap['*monetary'][0].Value).toBe(10);
    const list = (await t.call('APIerSv1.GetAccounts', { Tenant: 'cgrates.org', AccountIDs: [], Offset: 0, Limit: 2 })) as J[];
    expect(list.map((x) => x.ID)).toEqual(['cgrates.org:1001', 'cgrates.org:1002']);
    expect(await t.call('APIerSv1.RemoveAccount', { Account: '2001' })).toBe('OK');
    await expect(t.call('APIerSv1.GetAccount', { Account: '2001' })).rejects.toThrow('NOT_FOUND');
  });

  it('Responder.Debit takes a CallDescriptor and replies a CallCost with compressed increments and BalanceInfo', async () => {
    await setup();
    const cc = (await t.call('Responder.Debit', {
      Tenant: 'cgrates.org', Category: 'call', Subject: '1001', Account: '1001', Destination: '1002',
      TimeStart: '2024-03-18T10:00:00Z', TimeEnd: '2024-03-18T10:02:10Z',
    })) as J;
    expect(cc.Cost).toBe(0.7169);
    expect(cc.RatedUsage).toBe(130e9);
    expect(cc.Timespans).toHaveLength(2);
    const [ts1, ts2] = cc.Timespans;
    expect(ts1.Increments[0]).toMatchObject({ Duration: 0, Cost: 0.4, CompressFactor: 1 });
    expect(ts1.Increments[0].BalanceInfo.Monetary).toMatchObject({ ID: 'test', Value: 9.6 });
    expect(ts2.Increments).toHaveLength(1);
    expect(ts2.Increments[0]).toMatchObject({ Duration: 1e9, Cost: 0.00167, CompressFactor: 70 });
    expect(ts2.Increments[0].BalanceInfo).toMatchObject({ AccountID: 'cgrates.org:1001', Monetary: { ID: 'test', Value: 9.2831 } });
    expect(ts2.RateInterval.Rating).toMatchObject({ ConnectFee: 0.4, RoundingMethod: '*up', RoundingDecimals: 4 });
    expect(cc.AccountSummary.BalanceSummaries[0]).toMatchObject({ ID: 'test', Type: '*monetary', Initial: 10, Value: 9.2831 });

    // refund it all through Responder.RefundIncrements (compressed increments are expanded)
    const incs = [...ts1.Increments, ...ts2.Increments];
    const acc = (await t.call('Responder.RefundIncrements', { Tenant: 'cgrates.org', Account: '1001', ToR: '*voice', Increments: incs })) as J;
    expect(acc.BalanceMap['*monetary'][0].Value).toBe(10);
  });

  it('Responder.MaxDebit, Responder.GetMaxSessionTime (ns), APIerSv1.GetMaxUsage (ns), ApierV1.GetMaxSessionTime (s)', async () => {
    await setup();
    const q = { Tenant: 'cgrates.org', Category: 'call', Account: '1001', Destination: '1003', TimeStart: '2024-03-18T10:00:00Z', TimeEnd: '2024-03-18T10:01:00Z' };
    expect(await t.call('Responder.GetMaxSessionTime', q)).toBe(13e9); // W5
    expect(await t.call('APIerSv1.GetMaxUsage', { Account: '1001', Destination: '1002', SetupTime: '2024-03-18T10:00:00Z', Usage: '10m' })).toBe(600e9);
    expect(await t.call('ApierV1.GetMaxSessionTime', { ReqType: '*prepaid', Account: '1001', Destination: '1002', SetupTime: '2024-03-18T10:00:00Z', Usage: '600' })).toBe(600);
    expect(await t.call('ApierV1.GetMaxSessionTime', { ReqType: '*postpaid', Account: '1001', Destination: '1002' })).toBe(-1);
    const cc = (await t.call('Responder.MaxDebit', q)) as J;
    expect(cc.RatedUsage).toBe(13e9);
  });

  it('APIerSv1.GetScheduledActions lists the timed entries, NOT_FOUND when none', async () => {
    await setup('tutorial');
    await expect(t.call('APIerSv1.GetScheduledActions', {})).rejects.toThrow('NOT_FOUND');
    await w!.close();
    await setup('tutorial2');
    const rows = (await t.call('APIerSv1.GetScheduledActions', { Account: '1001' })) as J[];
    expect(rows[0]).toMatchObject({ ActionPlanID: 'STANDARD_PLAN', ActionsID: 'TOPUP_RST_1024_DATA', Accounts: 3 });
  });
});
