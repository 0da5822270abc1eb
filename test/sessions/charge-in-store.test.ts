// A live session's charge state (every debited increment, tens of KB for an hour reserved) lives
// in its DataDB document between operations, not in the engine's memory: read back when the
// session is next debited, refunded or ended.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/index.js';
import { startEngine, type Engine } from '../../src/engine/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { event, round, type Acc, type WireCdr } from '../e2e/tutorial.js';

const ROOT = join(import.meta.dirname, '..', '..');

let engine: Engine | undefined;
let dir = '';
afterAll(async () => {
  await engine?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('live session charge state', () => {
  it('is kept in the DataDB between operations, not in memory, and the terminate refunds from it exactly', async () => {
    dir = await mkdtemp(join(tmpdir(), 'charge-store-'));
    const cfg = defaultConfig();
    cfg.general.default_timezone = 'UTC';
    cfg.listen.rpc_json = '127.0.0.1:0';
    cfg.listen.http = '';
    cfg.listen.birpc_json = '';
    cfg.data_db.db_path = join(dir, 'data');
    cfg.stor_db.db_path = join(dir, 'data');
    cfg.history.enabled = false;
    cfg.history.history_dir = join(dir, 'history');
    engine = await startEngine(cfg, silentLogger);
    const call = <T>(m: string, p: unknown) => engine!.table.call(m, p) as Promise<T>;
    await call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') });
    for (const a of ['held', 'exact']) {
      await call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: a });
      await call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: a, BalanceType: '*monetary', Value: 100, Balance: { ID: 'main' } });
    }
    // An hour reserved and 75 s used, against 75 s reserved and used: the same cost and balance.
    const held = event('held-1', { RequestType: '*prepaid', Account: 'held', Destination: '1002', Usage: '1h' });
    const exact = event('exact-1', { RequestType: '*prepaid', Account: 'exact', Destination: '1002', Usage: '75s' });
    await call('SessionSv1.InitiateSession', { InitSession: true, ...held });
    await call('SessionSv1.InitiateSession', { InitSession: true, ...exact });

    const live = engine.services.sessions.list().find((s) => s.originId === 'held-1')!;
    expect(live.runs[0].debited).toBe(3600e9);
    // Nothing of the increments in memory; all of them in the session's document.
    expect(typeof live.runs[0].charge).not.toBe('object');
    const doc = await engine.services.dataDb.get<{ runs: { charge: { pieces: { timespans: { increments: unknown[] }[] }[] } }[] }>('sessions', live.cgrid);
    expect(doc!.runs[0].charge.pieces.flatMap((p) => p.timespans.flatMap((t) => t.increments)).length).toBeGreaterThan(100);

    await call('SessionSv1.TerminateSession', { TerminateSession: true, ...held, Event: { ...held.Event, Usage: '75s' } });
    await call('SessionSv1.TerminateSession', { TerminateSession: true, ...exact });
    await call('SessionSv1.ProcessCDR', { ...held, Event: { ...held.Event, Usage: '75s' } });
    await call('SessionSv1.ProcessCDR', exact);
    const cost = async (a: string) => (await call<WireCdr[]>('CDRsV1.GetCDRs', { Accounts: [a] }))[0].Cost;
    const balance = async (a: string) => (await call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: a })).BalanceMap['*monetary'][0].Value;
    expect(await cost('held')).toBe(await cost('exact'));
    expect(await cost('held')).toBeGreaterThan(0);
    expect(round(await balance('held'))).toBe(round(100 - (await cost('held'))));
    expect(await balance('held')).toBe(await balance('exact'));
  }, 60_000);
});
