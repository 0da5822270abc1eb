// The engine as its own process for the benchmarks: `bin/accurate engine` on free loopback ports
// with a fresh data folder, reached only over its sockets. RSS from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile, readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { RpcClient } from '../src/api/index.js';

/** The source tree (dist/bench/x.js → ../..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'accurate');
export const TP_DIR = join(ROOT, 'tp');

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface BenchEngine {
  rpc: string;
  dataDir: string;
  proc: ChildProcess;
  rssMb(): Promise<number>;
  /** CPU time (user + system) the engine process has used, ms: per-op cost that a busy machine blurs less than wall time. */
  cpuMs(): Promise<number>;
  client(timeoutMs?: number): Promise<RpcClient>;
  stop(): Promise<void>;
}

export async function spawnEngine(dir: string, opts: { configs?: Record<string, unknown>; profileDir?: string; dataDir?: string } = {}): Promise<BenchEngine> {
  const etc = join(dir, 'etc');
  const dataDir = opts.dataDir ?? join(dir, 'data');
  await mkdir(etc, { recursive: true });
  const rpc = `127.0.0.1:${await freePort()}`;
  await writeFile(
    join(etc, '00-bench.json'),
    JSON.stringify({
      general: { node_id: 'bench', default_timezone: 'UTC', log_level: 3 },
      listen: { rpc_json: rpc, http: '', birpc_json: '' },
      data_db: { db_path: dataDir },
      stor_db: { db_path: dataDir },
      history: { history_dir: join(dir, 'history'), enabled: false },
    }),
  );
  for (const [name, cfg] of Object.entries(opts.configs ?? {})) await writeFile(join(etc, name), JSON.stringify(cfg));
  const nodeArgs = opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] : [];
  const proc = spawn(process.execPath, [...nodeArgs, BIN, 'engine', '-config_path', etc, '-logger=*stdout'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out = (out + d).slice(-4000)));
  proc.stderr!.on('data', (d) => (out = (out + d).slice(-4000)));
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`engine exited (${proc.exitCode}): ${out}`);
    try {
      const c = await RpcClient.connect(rpc, { timeoutMs: 2000 });
      await c.call('CoreSv1.Ping', {});
      c.close();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`engine did not answer in 60 s: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    rpc,
    dataDir,
    proc,
    rssMb: async () => {
      const status = await readFile(`/proc/${proc.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round((kb / 1024) * 10) / 10;
    },
    cpuMs: async () => {
      const stat = await readFile(`/proc/${proc.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;
    },
    client: (timeoutMs = 120_000) => RpcClient.connect(rpc, { timeoutMs }),
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** The tutorial plan and account `bench` funded with 1e9 (its *any rating profile rates it). */
export async function loadTutorial(e: BenchEngine, accounts: string[] = ['bench']): Promise<void> {
  const c = await e.client();
  await c.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: TP_DIR });
  for (const a of accounts) {
    await c.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: a });
    await c.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: a, BalanceType: '*monetary', Value: 1e9, Balance: { ID: 'bench' } });
  }
  c.close();
}

/**
 * Runs `total` operations with `inFlight` concurrent workers spread over `clients`; returns the
 * wall time and every operation's latency (ms, sorted).
 */
export async function drive(clients: RpcClient[], total: number, inFlight: number, op: (c: RpcClient, i: number) => Promise<unknown>): Promise<{ ms: number; lat: number[] }> {
  let next = 0;
  const lat: number[] = [];
  const t0 = performance.now();
  const worker = async (c: RpcClient) => {
    while (next < total) {
      const i = next++;
      const s = performance.now();
      await op(c, i);
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, k) => worker(clients[k % clients.length])));
  const ms = performance.now() - t0;
  lat.sort((a, b) => a - b);
  return { ms, lat };
}
