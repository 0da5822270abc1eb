// Durable paths (issue 12): postpaid CDRs acknowledged per second and whole prepaid calls per
// second, against the engine as its own process over real sockets; judged against the same-run
// SQLite baselines (bench/baselines.ts).
import { join } from 'node:path';
import type { RpcClient } from '../src/api/index.js';
import { baselines } from './baselines.js';
import { spawnEngine, loadTutorial, drive } from './engine-process.js';
import { percentile, result, type Scenario, type ScenarioModule } from './types.js';

const ACCOUNTS = Array.from({ length: 64 }, (_, i) => `bench${i}`);
const T0 = '2014-08-04T13:00:00Z';

function ev(id: string, i: number, fields: Record<string, unknown>) {
  return { Tenant: 'cgrates.org', Event: { OriginID: id, OriginHost: 'bench', ToR: '*voice', Category: 'call', Account: ACCOUNTS[i % ACCOUNTS.length], Destination: '1002', SetupTime: T0, AnswerTime: T0, ...fields } };
}

async function clients(e: { client(): Promise<RpcClient> }, n: number): Promise<RpcClient[]> {
  return Promise.all(Array.from({ length: n }, () => e.client()));
}

export const scenarios: Scenario[] = [
  {
    name: 'durable: postpaid SessionSv1.ProcessCDR acknowledged (8 connections, 256 in flight, 64 accounts)',
    async run(ctx) {
      const base = await baselines(ctx);
      const e = await spawnEngine(join(ctx.dir, 'postpaid'), { profileDir: ctx.profileDir });
      try {
        await loadTutorial(e, ACCOUNTS);
        const cs = await clients(e, 8);
        const total = ctx.quick ? 3_000 : 40_000;
        const cpu0 = await e.cpuMs();
        const r = await drive(cs, total, 256, (c, i) => c.call('SessionSv1.ProcessCDR', ev(`pp${i}`, i, { RequestType: '*postpaid', Usage: '60s' })));
        const cpu = ((await e.cpuMs()) - cpu0) / total;
        const rss = await e.rssMb();
        cs.forEach((c) => c.close());
        const value = total / (r.ms / 1000);
        const target = Math.max(0.5 * base.batchedRowsPerSec, 0);
        return result({
          name: this.name, metric: 'cdrs_per_sec', value: Math.round(value), unit: 'CDR/s', target: Math.round(target), met: value >= target,
          baseline: Math.round(base.batchedRowsPerSec), ratio: round3(value / base.batchedRowsPerSec),
          p50_ms: percentile(r.lat, 50), p99_ms: percentile(r.lat, 99), rss_mb: rss,
          note: `target 0.5× the batched-insert baseline (≥ 10,000/s idle); one-row fsync'd tx baseline ${Math.round(base.oneRowTxPerSec)}/s; engine CPU ${cpu.toFixed(3)} ms/CDR`,
        });
      } finally {
        await e.stop();
      }
    },
  },
  {
    name: 'durable: whole prepaid calls (authorize, initiate, update, terminate, CDR; 32 in flight)',
    async run(ctx) {
      const base = await baselines(ctx);
      const e = await spawnEngine(join(ctx.dir, 'prepaid'), { profileDir: ctx.profileDir });
      try {
        await loadTutorial(e, ACCOUNTS);
        const cs = await clients(e, 4);
        const total = ctx.quick ? 500 : 8_000;
        const call = async (c: RpcClient, i: number) => {
          const id = `call${i}`;
          await c.call('SessionSv1.AuthorizeEvent', { GetMaxUsage: true, ...ev(id, i, { RequestType: '*prepaid', Usage: '90s' }) });
          await c.call('SessionSv1.InitiateSession', { InitSession: true, ...ev(id, i, { RequestType: '*prepaid', Usage: '30s' }) });
          await c.call('SessionSv1.UpdateSession', { UpdateSession: true, ...ev(id, i, { RequestType: '*prepaid', Usage: '30s' }) });
          await c.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev(id, i, { RequestType: '*prepaid', Usage: '75s' }) });
          await c.call('SessionSv1.ProcessCDR', ev(id, i, { RequestType: '*prepaid', Usage: '75s' }));
        };
        const cpu0 = await e.cpuMs();
        const r = await drive(cs, total, 32, call);
        const cpu = ((await e.cpuMs()) - cpu0) / total;
        const rss = await e.rssMb();
        const value = total / (r.ms / 1000);
        // The same calls offered at half that rate (open loop): the latency a switch sees below saturation.
        const half = await paced(cs, Math.max(1, value / 2), ctx.quick ? 3000 : 15000, (c, i) => call(c, total + i));
        cs.forEach((c) => c.close());
        const target = 0.13 * base.batchedRowsPerSec;
        return [
          result({
            name: this.name, metric: 'calls_per_sec', value: Math.round(value), unit: 'calls/s', target: Math.round(target), met: value >= target,
            baseline: Math.round(base.batchedRowsPerSec), ratio: round3(value / base.batchedRowsPerSec),
            p50_ms: percentile(r.lat, 50), p99_ms: percentile(r.lat, 99), rss_mb: rss,
            note: `target 0.13× the batched-insert baseline (≥ 2,500/s idle); latency is per whole call (5 RPCs); engine CPU ${cpu.toFixed(3)} ms/call`,
          }),
          result({
            name: `durable: whole prepaid calls at half that rate (${Math.round(value / 2)}/s offered), p99 per call`, metric: 'p99_ms', value: percentile(half, 99) ?? 0, unit: 'ms',
            target: 10, met: (percentile(half, 99) ?? Infinity) < 10, p50_ms: percentile(half, 50), p99_ms: percentile(half, 99), rss_mb: await e.rssMb(),
            note: `${half.length} calls, one every ${(2000 / value).toFixed(1)} ms`,
          }),
        ];
      } finally {
        await e.stop();
      }
    },
  },
  {
    name: 'memory: RSS per live prepaid session',
    async run(ctx) {
      const e = await spawnEngine(join(ctx.dir, 'memory'), { profileDir: ctx.profileDir });
      try {
        await loadTutorial(e, ACCOUNTS);
        const cs = await clients(e, 4);
        const n = ctx.quick ? 5_000 : 100_000;
        const before = await e.rssMb();
        // In chunks, stopping at 2 GB: the machine is shared, and the per-session figure is known by then.
        for (let done = 0; done < n && (await e.rssMb()) < 2048; done += 5000) {
          await drive(cs, Math.min(5000, n - done), 64, (c, i) => c.call('SessionSv1.InitiateSession', { InitSession: true, ...ev(`live${done + i}`, done + i, { RequestType: '*prepaid', Usage: '3600s' }) }));
        }
        const count = await cs[0].call<number>('SessionSv1.GetActiveSessionsCount', {});
        const after = await e.rssMb();
        cs.forEach((c) => c.close());
        const kb = ((after - before) * 1024) / count;
        return result({
          name: `${this.name} (${count.toLocaleString('en-US')} sessions)`, metric: 'kb_per_session', value: round3(kb), unit: 'KB', target: 2, met: kb <= 2,
          baseline: before, ratio: round3(kb / 2), rss_mb: after, note: 'baseline: RSS (MB) of the engine with the plan loaded and no session',
        });
      } finally {
        await e.stop();
      }
    },
  },
];

/** Starts one op every 1/rate s for `ms` (open loop, not waiting for answers); latencies sorted. */
async function paced(cs: RpcClient[], rate: number, ms: number, op: (c: RpcClient, i: number) => Promise<unknown>): Promise<number[]> {
  const lat: number[] = [];
  const pending: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < ms; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const s = performance.now();
    pending.push(op(cs[i % cs.length], i).then(() => lat.push(performance.now() - s)));
  }
  await Promise.all(pending);
  return lat.sort((a, b) => a - b);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export default { scenarios } satisfies ScenarioModule;
