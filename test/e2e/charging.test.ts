// Step 4 acceptance: live charging over the real JSON-RPC API of a real engine with tp/ loaded.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { readFile, readdir } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { startEngine, ROOT, tempDir, type RunningEngine } from './harness.js';
import { S, event, moneyPaidBy, type Acc, type Bal, type EventCostWire, type WireCdr } from './tutorial.js';

let e: RunningEngine;
let exportDir: string;

async function account(id: string): Promise<Acc> {
  return e.call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: id });
}
function money(a: Acc, pick: (b: Bal) => boolean = () => true): number[] {
  return (a.BalanceMap['*monetary'] ?? []).filter(pick).map((b) => b.Value);
}
async function cdrsOf(originId: string): Promise<WireCdr[]> {
  return e.call<WireCdr[]>('CDRsV1.GetCDRs', { OriginIDs: [originId] });
}

beforeAll(async () => {
  exportDir = await tempDir('accurate-export-');
  e = await startEngine({
    configs: {
      '10-charging.json': {
        sessions: { debit_interval: '5s' },
        ees: { exporters: [{ id: 'billing', export_path: exportDir }] },
      },
    },
  });
  expect(await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') })).toBe('OK');
});
afterAll(async () => e?.cleanup());

describe('SessionS and the CDR server with the tutorial plan', () => {
  it('a prepaid call 1001→1002 of 65 s (debit_interval 5s) uses the 90 s bundle, then money; one *default CDR with that cost', async () => {
    const ev = event('prepaid-65', { RequestType: '*prepaid', Account: '1001', Destination: '1002', Usage: '65s' });
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev })).toEqual({ MaxUsage: -1 });
    // The first 5 s slice is rated with the bundle's subject SPECIAL_1002 (RT_1CNT, one 60 s increment for 0.01).
    let a = await account('1001');
    expect(a.BalanceMap['*voice'].find((b) => b.DestinationIDs.DST_1002)!.Value).toBe(30 * S);
    expect(money(a, (b) => b.Weight === 20)).toEqual([4.99]);
    const active = await e.call<{ OriginID: string; RunID: string }[]>('SessionSv1.GetActiveSessions', {});
    expect(active.map((s) => [s.OriginID, s.RunID])).toContainEqual(['prepaid-65', '*default']);
    expect(await e.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev })).toBe('OK');
    expect(await e.call('SessionSv1.ProcessCDR', ev)).toBe('OK');
    // 60..65 s: 30 s left in the bundle cannot pay a 60 s increment → RT_20CNT's per-second slot:
    // 5 × 0.1/60 = 0.008333… → *up 4 = 0.0084; with the bundle's 0.01 the call costs 0.0184.
    a = await account('1001');
    expect(money(a, (b) => b.Weight === 20)).toEqual([4.9816]);
    expect(money(a, (b) => Boolean(b.SharedGroups.SHARED_A))).toEqual([5]);
    const cdrs = await cdrsOf('prepaid-65');
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0]).toMatchObject({ RunID: '*default', RequestType: '*prepaid', Usage: 65 * S, Cost: 0.0184, CostSource: '*sessions' });
    // Its CostDetails is an EventCost: the bundle paid one 60 s unit increment with 0.01 of the
    // weight-20 money taken alongside (ExtraChargeID), that money alone the last 5 s (0.0084).
    const ec = cdrs[0].CostDetails as EventCostWire;
    expect(ec).toMatchObject({ CGRID: cdrs[0].CGRID, RunID: '*default', Cost: 0.0184, AccountSummary: { AccountID: '1001' } });
    const bundle = a.BalanceMap['*voice'].find((b) => b.DestinationIDs.DST_1002)!.Uuid;
    const money20 = a.BalanceMap['*monetary'].find((b) => b.Weight === 20)!.Uuid;
    const entries = ec.Charges.flatMap((c) => c.Increments.map((i) => ec.Accounting[i.AccountingID]));
    expect(entries.every((b) => b.AccountID === 'cgrates.org:1001')).toBe(true);
    const unit = entries.find((b) => b.BalanceUUID === bundle)!;
    expect(unit).toMatchObject({ Units: 60 * S });
    expect(ec.Accounting[unit.ExtraChargeID]).toMatchObject({ BalanceUUID: money20, Units: 0.01, ExtraChargeID: '' });
    expect(moneyPaidBy(ec)).toEqual({ [money20]: 0.0184 });
  });

  it('a duplicate CDR submission is not charged twice', async () => {
    const ev = event('prepaid-65', { RequestType: '*prepaid', Account: '1001', Destination: '1002', Usage: '65s' });
    expect(await e.call('CDRsV1.ProcessEvent', ev)).toBe('OK');
    expect(money(await account('1001'), (b) => b.Weight === 20)).toEqual([4.9816]);
    expect(await cdrsOf('prepaid-65')).toHaveLength(1);
  });

  it('a postpaid call is debited from its CDR and may take the balance negative', async () => {
    // 1002 rates with the *any profile (RP_RETAIL1, DST_FS): RT_40CNT 0.8 + 0.4 + 59 × 0.2 = 13 for one hour.
    const ev = event('postpaid-1h', { RequestType: '*postpaid', Account: '1002', Destination: '1003', Usage: '1h' });
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev })).toEqual({ MaxUsage: 3600 * S });
    expect(money(await account('1002'))).toEqual([10]);
    await e.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev });
    await e.call('SessionSv1.ProcessCDR', ev);
    // The topped-up balance pays down to 0; the rest goes to the *default balance, created negative (CGRateS).
    const a = await account('1002');
    expect(money(a, (b) => b.ID !== '*default')).toEqual([0]);
    expect(money(a, (b) => b.ID === '*default')).toEqual([-3]);
    const [cdr] = await cdrsOf('postpaid-1h');
    expect(cdr).toMatchObject({ RequestType: '*postpaid', Cost: 13, Usage: 3600 * S, CostSource: '*cdrs' });
    // The EventCost's Accounting says who paid what: 10 from the topped-up balance, 3 from *default.
    const ec = cdr.CostDetails as EventCostWire;
    expect(ec).toMatchObject({ CGRID: cdr.CGRID, RunID: '*default', Cost: 13, Usage: 3600 * S });
    const uuid = (pick: (b: Bal) => boolean) => a.BalanceMap['*monetary'].find(pick)!.Uuid;
    expect(moneyPaidBy(ec)).toEqual({ [uuid((b) => b.ID !== '*default')]: 10, [uuid((b) => b.ID === '*default')]: 3 });
  });

  it('a pseudoprepaid call is authorized by balance but debited only when its CDR arrives', async () => {
    const ev = event('pseudo-2m', { RequestType: '*pseudoprepaid', Account: '1003', Destination: '1002', Usage: '2m' });
    expect(await e.call('SessionSv1.AuthorizeEvent', { GetMaxUsage: true, ...ev })).toEqual({ MaxUsage: 120 * S });
    await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev });
    await e.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev });
    expect(money(await account('1003'))).toEqual([10]);
    await e.call('SessionSv1.ProcessCDR', ev);
    // RP_RETAIL1 DST_FS peak: 0.8 + 0.4 + 0.2 = 1.4
    expect(money(await account('1003'))).toEqual([8.6]);
    expect((await cdrsOf('pseudo-2m'))[0]).toMatchObject({ Cost: 1.4, RequestType: '*pseudoprepaid' });
  });

  it('a rated call is priced but leaves balances untouched', async () => {
    const ev = event('rated-3m25', { RequestType: '*rated', Account: '1004', Destination: '1002', Usage: '3m25s' });
    await e.call('CDRsV1.ProcessEvent', ev);
    expect(money(await account('1004'))).toEqual([10]);
    // RP_RETAIL1 DST_FS peak RT_40CNT: 0.8 + 0.4 + 0.2 × 2 + 30 s at 0.2/60 in 10 s steps (0.1) → 1.7
    const [cdr] = await cdrsOf('rated-3m25');
    expect(cdr).toMatchObject({ Cost: 1.7, Usage: 205 * S, RequestType: '*rated' });
    // Rated, not debited: an EventCost whose increments name no balance.
    const ec = cdr.CostDetails as EventCostWire;
    expect(ec.Charges.length).toBeGreaterThan(0);
    expect(ec.Accounting).toEqual({});
  });

  it('1006 is rated with 1001\'s tariff (RP_RETAIL2) and pays from its own balance', async () => {
    const ev = event('as-1001', { RequestType: '*postpaid', Account: '1006', Destination: '1002', Usage: '5m' });
    await e.call('CDRsV1.ProcessEvent', ev);
    // RT_20CNT: 0.4 + 0.2 + 4 × 0.1 = 1.0, where 1006's own *any tariff would charge 2.0 (RT_40CNT)
    const [cdr] = await cdrsOf('as-1001');
    expect(cdr).toMatchObject({ Account: '1006', Subject: '1001', Cost: 1 });
    expect(money(await account('1006'))).toEqual([9]);
  });

  it('a prepaid call that runs out of credit is disconnected at the last covered second', async () => {
    expect(await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: '3001' })).toBe('OK');
    // 3 s of free voice toward DST_1003 and no money at all.
    expect(await e.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: '3001', BalanceType: '*voice', Value: 3 * S, Balance: { ID: 'free3s', DestinationIDs: 'DST_1003', Weight: 10 } })).toBe('OK');
    const ev = event('runs-out', { RequestType: '*prepaid', Account: '3001', Destination: '1003' });
    expect(await e.call('SessionSv1.AuthorizeEvent', { GetMaxUsage: true, ...ev, Event: { ...ev.Event, Usage: '1m' } })).toEqual({ MaxUsage: 3 * S });
    const started = Date.now();
    await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev, APIOpts: { '*sessionsDebitInterval': 1 * S } });
    let cdrs: WireCdr[] = [];
    while (Date.now() - started < 15_000) {
      cdrs = await e.call<WireCdr[]>('CDRsV1.GetCDRs', { OriginIDs: ['runs-out'] }).catch(() => []);
      if (cdrs.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(cdrs).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900); // not before the credit was used
    expect(cdrs[0]).toMatchObject({ Usage: 3 * S, Cost: 0 });
    expect((await account('3001')).BalanceMap['*voice'][0].Value).toBe(0);
    await expect(e.call('SessionSv1.GetActiveSessions', { Filters: ['*string:~*req.OriginID:runs-out'] })).rejects.toThrow('NOT_FOUND');
  });

  it('a prepaid call with no credit at all is refused', async () => {
    await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: '3002' });
    const ev = event('no-credit', { RequestType: '*prepaid', Account: '3002', Destination: '1003', Usage: '1m' });
    await expect(e.call('SessionSv1.AuthorizeEvent', { GetMaxUsage: true, ...ev })).rejects.toThrow(/INSUFFICIENT_CREDIT/);
    await expect(e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev })).rejects.toThrow(/INSUFFICIENT_CREDIT/);
  });

  it('bad session input gets an error and leaves the engine running', async () => {
    await expect(e.call('SessionSv1.InitiateSession', { InitSession: true, Tenant: 'cgrates.org' })).rejects.toThrow(/MANDATORY_IE_MISSING: \[Event\]/);
    await expect(e.call('SessionSv1.InitiateSession', { InitSession: true, ...event('bad-usage', { RequestType: '*prepaid', Account: '1001', Destination: '1002', Usage: 'ten seconds' }) })).rejects.toThrow(/Usage/);
    expect(await e.call('CoreSv1.Ping')).toBe('Pong');
  });

  it('the exported CSV of those calls matches the stored CDRs field by field', async () => {
    const stored = await e.call<WireCdr[]>('CDRsV1.GetCDRs', {});
    const reply = await e.call<Record<string, { FileName: string; ExportedCDRs: number }>>('APIerSv1.ExportCDRs', { ExporterIDs: ['billing'] });
    expect(reply.billing.ExportedCDRs).toBe(stored.length);
    expect((await readdir(exportDir)).filter((f) => f.endsWith('.csv'))).toHaveLength(1);
    const rows: string[][] = parse(await readFile(reply.billing.FileName, 'utf8'));
    expect(rows).toHaveLength(stored.length);
    const byKey = new Map(rows.map((r) => [`${r[0]}/${r[1]}`, r]));
    for (const c of stored) {
      const r = byKey.get(`${c.CGRID}/${c.RunID}`)!;
      expect(r).toBeDefined();
      // *default template: CGRID, RunID, ToR, OriginID, RequestType, Tenant, Category, Account, Subject, Destination, SetupTime, AnswerTime, Usage, Cost
      expect(r.slice(0, 10)).toEqual([c.CGRID, c.RunID, c.ToR, c.OriginID, c.RequestType, c.Tenant, c.Category, c.Account, c.Subject, c.Destination].map(String));
      expect(r[10]).toBe(c.SetupTime);
      expect(r[11]).toBe(c.AnswerTime);
      expect(Number(r[13])).toBe(c.Cost);
    }
  });
});

describe('a CDR sent while its session is still terminating', () => {
  it('waits for the terminate and carries the session cost: the call is charged once', async () => {
    expect(await e.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: 'race1', BalanceType: '*monetary', Value: 100, Balance: { ID: 'MAIN' } })).toBe('OK');
    const total = async () => money(await account('race1')).reduce((a, b) => a + b, 0);
    const ev = event('race-1', { RequestType: '*prepaid', Account: 'race1', Subject: 'race1', Destination: '1002', Usage: '2m' });
    await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev });
    // Terminate and CDR on two connections at once, the CDR not waiting for the terminate's answer.
    const other = await e.client();
    try {
      await Promise.all([
        e.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev }),
        other.call('SessionSv1.ProcessCDR', ev),
      ]);
    } finally {
      other.close();
    }
    const cdrs = await cdrsOf('race-1');
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0].Cost).toBeGreaterThan(0);
    expect(100 - (await total())).toBeCloseTo(cdrs[0].Cost, 10);
  });
});
