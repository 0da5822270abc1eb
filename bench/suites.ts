// The benchmarks. Each starts what it measures for real (engine, sockets, SQLite) on loopback.
import { join } from 'node:path';
import type { BenchContext, BenchResult } from './index.js';
import { defaultConfig } from '../src/config/index.js';
import { startEngine } from '../src/engine/index.js';
import { RpcClient } from '../src/api/index.js';
import { openSqliteDataDB } from '../src/store/index.js';
import { silentLogger } from '../src/util/logger.js';

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

async function engineOn(dir: string) {
  const cfg = defaultConfig();
  cfg.listen.rpc_json = '127.0.0.1:0';
  cfg.listen.http = '127.0.0.1:0';
  cfg.data_db.db_path = join(dir, 'data');
  cfg.stor_db.db_path = join(dir, 'data');
  cfg.history.history_dir = join(dir, 'history');
  return startEngine(cfg, silentLogger);
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
