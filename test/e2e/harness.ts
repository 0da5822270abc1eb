// Starts a real `accurate engine` process on free loopback ports with a temporary data folder,
// and talks to it over its real protocols. No mocks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import dgram from 'node:dgram';
import { RpcClient } from '../../src/api/client.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/accurate');
export { SHARED_DIR as SHARED, REFERENCE_TP } from '../reference.js';

/** `n` distinct free loopback ports: all are held open until every one is known, so no two are equal. */
/**
 * Ports free for both TCP and UDP (the agents listen on UDP, the JSON-RPC on TCP). Chosen at random
 * below Linux's ephemeral range (32768+), where the kernel hands out the source ports of every UDP
 * and TCP client socket on the machine (MI clients, sipp, OpenSIPS's event sender): a port taken
 * from that range can be grabbed by such a socket between our check and the engine's bind.
 */
export async function freePorts(n: number): Promise<number[]> {
  const held: { tcp: net.Server; udp: dgram.Socket }[] = [];
  const taken = new Set<number>();
  try {
    for (let tries = 0; held.length < n; tries++) {
      if (tries > 2000) throw new Error(`no ${n} free TCP+UDP ports found below 32768`);
      const port = 20000 + Math.floor(Math.random() * 12000);
      if (taken.has(port)) continue;
      const tcp = await new Promise<net.Server | undefined>((res) => {
        const s = net.createServer();
        s.once('error', () => res(undefined));
        s.listen(port, '127.0.0.1', () => res(s));
      });
      if (!tcp) continue;
      const udp = await new Promise<dgram.Socket | undefined>((res) => {
        const u = dgram.createSocket('udp4');
        u.once('error', () => { u.close(); res(undefined); });
        u.bind(port, '127.0.0.1', () => res(u));
      });
      if (!udp) {
        await new Promise((r) => tcp.close(r));
        continue;
      }
      taken.add(port);
      held.push({ tcp, udp });
    }
    return held.map((h) => (h.tcp.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(held.map((h) => new Promise<void>((r) => { h.udp.close(); h.tcp.close(() => r()); })));
  }
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}

export async function tempDir(prefix = 'accurate-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Runs the CLI to completion and returns its exit code and output. */
export function runCli(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

export interface RunningEngine {
  dir: string;
  configDir: string;
  dataDir: string;
  rpcAddress: string;
  httpAddress: string;
  proc: ChildProcess;
  output(): string;
  client(): Promise<RpcClient>;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stop and remove the temporary folder. */
  cleanup(): Promise<void>;
}

export interface EngineSetup {
  /** Extra config files (name → object), merged after the generated listen/db file. */
  configs?: Record<string, unknown>;
  /** Reuse a folder (restart tests). */
  dir?: string;
  extraArgs?: string[];
  /** The log line that counts as started (default: the `running:` line). */
  readyWhen?: RegExp;
}

export async function startEngine(setup: EngineSetup = {}): Promise<RunningEngine> {
  const dir = setup.dir ?? (await tempDir());
  const configDir = join(dir, 'etc');
  const dataDir = join(dir, 'data');
  await mkdir(configDir, { recursive: true });
  const [rpcPort, httpPort, birpcPort] = await freePorts(3);
  const rpcAddress = `127.0.0.1:${rpcPort}`;
  const httpAddress = `127.0.0.1:${httpPort}`;
  const birpc = `127.0.0.1:${birpcPort}`;
  await writeFile(
    join(configDir, '00-test.json'),
    JSON.stringify(
      {
        general: { log_level: 7, node_id: 'e2e', default_timezone: 'UTC' },
        listen: { rpc_json: rpcAddress, http: httpAddress, birpc_json: birpc },
        data_db: { db_path: dataDir },
        stor_db: { db_path: dataDir },
        history: { history_dir: join(dir, 'history') },
      },
      null,
      2,
    ),
  );
  for (const [name, cfg] of Object.entries(setup.configs ?? {})) {
    await writeFile(join(configDir, name), typeof cfg === 'string' ? cfg : JSON.stringify(cfg, null, 2));
  }
  const proc = spawn(process.execPath, [BIN, 'engine', '-config_path', configDir, '-logger=*stdout', ...(setup.extraArgs ?? [])], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  await new Promise<void>((res, rej) => {
    const deadline = Date.now() + 20_000;
    const tick = () => {
      if ((setup.readyWhen ?? /running: /).test(out)) return res();
      if (proc.exitCode !== null) return rej(new Error(`engine exited with ${proc.exitCode}:\n${out}`));
      if (Date.now() > deadline) return rej(new Error(`engine did not start in 20 s:\n${out}`));
      setTimeout(tick, 50);
    };
    tick();
  });
  const clients: RpcClient[] = [];
  let shared: RpcClient | undefined;
  const engine: RunningEngine = {
    dir,
    configDir,
    dataDir,
    rpcAddress,
    httpAddress,
    proc,
    output: () => out,
    client: async () => {
      const c = await RpcClient.connect(rpcAddress, { timeoutMs: 30_000 });
      clients.push(c);
      return c;
    },
    call: async (method, params = {}) => {
      shared ??= await engine.client();
      return shared.call(method, params);
    },
    stop: async (signal = 'SIGTERM') => {
      for (const c of clients) c.close();
      clients.length = 0;
      shared = undefined;
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
    cleanup: async () => {
      await engine.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return engine;
}

/** One JSON-RPC call over HTTP POST /jsonrpc. */
export async function httpCall(address: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`http://${address}/jsonrpc`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, json: await res.json() };
}
