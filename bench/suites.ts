// The benchmarks. Each starts what it measures for real (engine, sockets, SQLite) on loopback.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTariffPlan } from '../src/tariffplan/index.js';
import { newDebitDescriptor } from '../src/accounts/index.js';
import { newCallDescriptor } from '../src/rating/index.js';
import type { BenchContext, BenchResult } from './types.js';
import { defaultConfig } from '../src/config/index.js';
import { startEngine, type Engine } from '../src/engine/index.js';
import { RpcClient } from '../src/api/index.js';
import { openSqliteDataDB } from '../src/store/index.js';
import { silentLogger } from '../src/util/logger.js';
import { ratingScaleBenches } from './rating-scale.js';

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

/** An engine config on free loopback ports with its databases and history under `dir`. */
function benchConfig(dir: string) {
  const cfg = defaultConfig();
  cfg.listen.rpc_json = '127.0.0.1:0';
  cfg.listen.http = '127.0.0.1:0';
  cfg.data_db.db_path = join(dir, 'data');
  cfg.stor_db.db_path = join(dir, 'data');
  cfg.history.history_dir = join(dir, 'history');
  return cfg;
}

async function engineOn(dir: string) {
  return startEngine(benchConfig(dir), silentLogger);
}

export const benches: Bench[] = [
  {
    name: 'JSON-RPC TCP CoreSv1.Ping, 64 in flight',
    async run({ quick, dir }) {
      const eng = await engineOn(join(dir, 'ping'));
      const client = await RpcClient.connect(eng.services.listeners.rpc_json);
      const total = quick ? 5_000 : 50_000;
      const t0 = performance.now();
      let sent = 0;
      const worker = async () => {
        while (sent < total) {
          sent++;
          await client.call('CoreSv1.Ping', {});
        }
      };
      await Promise.all(Array.from({ length: 64 }, worker));
      const ms = performance.now() - t0;
      client.close();
      await eng.stop();
      return { name: this.name, ops: total, ms };
    },
  },
  {
    name: 'SQLite DataDB read-modify-write transactions',
    async run({ quick, dir }) {
      const db = await openSqliteDataDB(join(dir, 'tx'));
      await db.put('accounts', 'a', { v: 0 });
      const total = quick ? 500 : 5_000;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: total }, () =>
          db.transaction(async (tx) => {
            const cur = (await tx.get<{ v: number }>('accounts', 'a'))!;
            await tx.put('accounts', 'a', { v: cur.v + 1 });
          }),
        ),
      );
      const ms = performance.now() - t0;
      await db.close();
      return { name: this.name, ops: total, ms, note: 'synchronous=FULL, WAL' };
    },
  },
];

// Diameter: prepaid sessions and two protocol-stack baselines (bench/diameter.ts).
import { diameterBenches } from './diameter.js';
benches.push(...diameterBenches);

/** An in-process engine with the tutorial plan loaded (rating and accounts benches). */
async function tutorialEngine(dir: string, costMode: '*exact' | '*cgrates') {
  const cfg = benchConfig(dir);
  cfg.listen.http = '';
  cfg.general.default_timezone = 'UTC';
  cfg.rals.cost_mode = costMode;
  cfg.history.enabled = false;
  const eng = await startEngine(cfg, silentLogger);
  await importTariffPlan(eng.services.dataDb, TP_DIR, { timezone: 'UTC' });
  await eng.services.reloadTariffPlan();
  return eng;
}

/** Account `bench` with money for every run; the tutorial accounts carry a *max_balance trigger that disables them above 100. */
async function benchAccount(eng: Engine): Promise<void> {
  await eng.services.accounts.setAccount({ tenant: 'cgrates.org', account: 'bench' });
  await eng.services.accounts.setBalance({ tenant: 'cgrates.org', account: 'bench', balanceType: '*monetary', value: 1e9, balance: { ID: 'bench' } });
}

const TP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tp');
const T0 = Date.UTC(2014, 7, 4, 13, 0, 0);

for (const mode of ['*exact', '*cgrates'] as const) {
  benches.push({
    name: `rating: 2m10s call 1001→1002 across a rate group (${mode})`,
    async run({ quick, dir }) {
      const eng = await tutorialEngine(join(dir, `rate${mode}`), mode);
      const total = quick ? 20_000 : 200_000;
      const cost = (i: number) =>
        eng.services.rating.getCost(newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: '1001', account: '1001', destination: '1002', anchorMs: T0 + (i % 3600) * 1000, endNs: 130e9, durationIndexNs: 130e9 }));
      // Steady state, not JIT warm-up: the mode measured first would otherwise pay for both.
      for (let i = 0; i < total / 4; i++) cost(i);
      const t0 = performance.now();
      for (let i = 0; i < total; i++) cost(i);
      const ms = performance.now() - t0;
      await eng.stop();
      return { name: this.name, ops: total, ms };
    },
  });
}

benches.push({
  name: 'accounts: Responder.Debit of a 2m call, one account (DB commit each)',
  async run({ quick, dir }) {
    const eng = await tutorialEngine(join(dir, 'debit'), '*exact');
    await benchAccount(eng);
    const total = quick ? 300 : 3_000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        eng.services.accounts.debit(newDebitDescriptor({ tenant: 'cgrates.org', category: 'call', subject: 'bench', account: 'bench', destination: '1003', tor: '*voice', anchorMs: T0 + i * 1000, endNs: 120e9, durationIndexNs: 120e9 })),
      ),
    );
    const ms = performance.now() - t0;
    await eng.stop();
    return { name: this.name, ops: total, ms, note: 'synchronous=FULL, WAL' };
  },
});

benches.push({
  name: 'sessions: prepaid initiate+terminate+CDR over TCP JSON-RPC, 16 in flight',
  async run({ quick, dir }) {
    const eng = await tutorialEngine(join(dir, 'sess'), '*exact');
    await benchAccount(eng);
    const client = await RpcClient.connect(eng.services.listeners.rpc_json, { timeoutMs: 60_000 });
    const total = quick ? 200 : 2_000;
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const ev = { Tenant: 'cgrates.org', Event: { OriginID: `b${i}`, OriginHost: 'bench', RequestType: '*prepaid', Account: 'bench', Destination: '1002', AnswerTime: '2014-08-04T13:00:00Z', Usage: '90s' } };
        await client.call('SessionSv1.InitiateSession', { InitSession: true, ...ev });
        await client.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev });
        await client.call('SessionSv1.ProcessCDR', ev);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const ms = performance.now() - t0;
    client.close();
    await eng.stop();
    return { name: this.name, ops: total, ms, note: 'calls/s; each call = 3 RPCs, 2 debits, 1 CDR' };
  },
});

// Step 8: rating and debits independent of the number of increments and units (bench/rating-scale.ts).
benches.push(...ratingScaleBenches);

// Max usage of a 3 h request against the same request for 1 minute (bench/max-usage.ts).
import { maxUsageBenches } from './max-usage.js';
benches.push(...maxUsageBenches);
