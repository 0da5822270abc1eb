// Live sessions moved from the StorDB to the DataDB (beside the accounts, so a debit and the session
// state commit together). A data folder written by an older AccuRate keeps them in the StorDB:
// the engine must move them over at start, resume them and end them with their exact cost.
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { startEngine, ROOT, type RunningEngine } from '../e2e/harness.js';
import { event } from '../e2e/tutorial.js';

let e: RunningEngine | undefined;
afterAll(async () => e?.cleanup());

function sql(file: string, statement: string): Promise<void> {
  return new Promise((res, rej) => {
    const db = new sqlite3.Database(file, (err) => {
      if (err) return rej(err);
      db.exec(statement, (err2) => db.close(() => (err2 ? rej(err2) : res())));
    });
  });
}

describe('sessions persisted by an older version in the StorDB', () => {
  it('are moved to the DataDB at start, resumed, and end charged once', async () => {
    e = await startEngine();
    expect(await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') })).toBe('OK');
    await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'legacy' });
    await e.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: 'legacy', BalanceType: '*monetary', Value: 100, Balance: { ID: 'main' } });
    const ev = event('legacy-1', { RequestType: '*prepaid', Account: 'legacy', Destination: '1002', Usage: '60s' });
    await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev });
    expect(await e.stop()).toBe(0);
    // Make the folder look like an older version's: the session document in the StorDB only.
    const data = join(e.dir, 'data');
    await sql(join(data, 'stordb.sqlite'), `ATTACH '${join(data, 'datadb.sqlite')}' AS d; INSERT INTO kv SELECT * FROM d.kv WHERE kind = 'sessions'; DELETE FROM d.kv WHERE kind = 'sessions'; DETACH d;`);
    e = await startEngine({ dir: e.dir });
    const active = await e.call<{ OriginID: string }[]>('SessionSv1.GetActiveSessions', {});
    expect(active.map((s) => s.OriginID)).toEqual(['legacy-1']);
    await e.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev });
    await e.call('SessionSv1.ProcessCDR', ev);
    const cdrs = await e.call<{ Cost: number; CostSource: string }[]>('CDRsV1.GetCDRs', { Accounts: ['legacy'] });
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0].CostSource).toBe('*sessions');
    const acc = await e.call<{ BalanceMap: Record<string, { Value: number }[]> }>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: 'legacy' });
    expect(acc.BalanceMap['*monetary'][0].Value).toBeCloseTo(100 - cdrs[0].Cost, 9);
    // Moved, not copied: a second restart finds it once, ended.
    e = await (async () => (await e!.stop(), startEngine({ dir: e!.dir })))();
    expect(await e.call('SessionSv1.GetActiveSessionsCount', {})).toBe(0);
  }, 120_000);

  it('a closed session written by an older version (its cost a decimal string) still gives its CDR that cost', async () => {
    await e?.cleanup();
    e = await startEngine();
    expect(await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') })).toBe('OK');
    await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'legacy2' });
    await e.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: 'legacy2', BalanceType: '*monetary', Value: 100, Balance: { ID: 'main' } });
    const ev = event('legacy-2', { RequestType: '*prepaid', Account: 'legacy2', Destination: '1002', Usage: '75s' });
    await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev });
    await e.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev });
    expect(await e.stop()).toBe(0);
    // The closed record as an older version wrote it: the cost a plain decimal string, not a codec value.
    const data = join(e.dir, 'data');
    await sql(join(data, 'datadb.sqlite'), `UPDATE kv SET value = json_set(value, '$.runs[0].cost.cost', json_extract(value, '$.runs[0].cost.cost."$m"')) WHERE kind = 'closed_sessions'`);
    e = await startEngine({ dir: e.dir });
    await e.call('SessionSv1.ProcessCDR', ev);
    const cdrs = await e.call<{ Cost: number; CostSource: string }[]>('CDRsV1.GetCDRs', { Accounts: ['legacy2'] });
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0].CostSource).toBe('*sessions');
    const acc = await e.call<{ BalanceMap: Record<string, { Value: number }[]> }>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: 'legacy2' });
    expect(cdrs[0].Cost).toBeGreaterThan(0);
    expect(acc.BalanceMap['*monetary'][0].Value).toBeCloseTo(100 - cdrs[0].Cost, 9);
  }, 120_000);
});
