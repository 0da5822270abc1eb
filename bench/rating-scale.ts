// Step 8 scale benchmarks: a call's rating and a session's debits must not grow with the number of
// increments or units (compressed runs in closed form). Each scenario is its own function.
import { parseTariffPlanFiles } from '../src/tariffplan/index.js';
import { RatingService, wire, newCallDescriptor, type CallDescriptor, type CostMode } from '../src/rating/index.js';
import { join } from 'node:path';
import { RpcClient } from '../src/api/index.js';
import { defaultConfig } from '../src/config/index.js';
import { startEngine } from '../src/engine/index.js';
import { silentLogger } from '../src/util/logger.js';

// Kept local so this file plugs into any bench runner: what a scenario gets and gives back.
export interface ScaleContext {
  quick: boolean;
  /** a temporary folder; each scenario uses a subfolder */
  dir: string;
}

export interface ScaleResult {
  name: string;
  ops: number;
  ms: number;
  note?: string;
}

/** Voice as the tutorial's RT_20CNT (a first-minute block, then seconds) and data at 0.1 per MiB in 10 KiB increments. */
const PLAN: Record<string, string> = {
  'Destinations.csv': 'DST_1002,1002\nDST_DATA,222',
  'Rates.csv': 'RT_VOICE,0.4,0.2,60s,60s,0s\nRT_VOICE,0,0.1,60s,1s,60s\nRT_DATA,0,0.1,1048576,10240,0',
  'DestinationRates.csv': 'DR_VOICE,DST_1002,RT_VOICE,*up,4,0,\nDR_DATA,DST_DATA,RT_DATA,*up,5,0,',
  'RatingPlans.csv': 'RP_VOICE,DR_VOICE,*any,10\nRP_DATA,DR_DATA,*any,10',
  'RatingProfiles.csv': 'cgrates.org,call,*any,2014-01-01T00:00:00Z,RP_VOICE,\ncgrates.org,data,*any,2014-01-01T00:00:00Z,RP_DATA,',
};

const T0 = Date.UTC(2014, 7, 4, 13, 0, 0);
const DATA_INCREMENTS = 1_000_000;

function ratingService(mode: CostMode): RatingService {
  const svc = new RatingService({ timezone: 'UTC', costMode: mode, roundingDecimals: 5 });
  svc.load(parseTariffPlanFiles(PLAN, { timezone: 'UTC' }).tp);
  return svc;
}

const voiceCall = (i: number): CallDescriptor => newCallDescriptor({
  tenant: 'cgrates.org', category: 'call', subject: '1001', account: '1001', destination: '1002',
  anchorMs: T0 + (i % 3600) * 1000, endNs: 120e9, durationIndexNs: 120e9,
});

const dataCall = (i: number): CallDescriptor => newCallDescriptor({
  tenant: 'cgrates.org', category: 'data', subject: 'x', account: 'x', destination: '222242260', tor: '*data',
  anchorMs: T0 + (i % 3600) * 1000, endNs: DATA_INCREMENTS * 10240, durationIndexNs: DATA_INCREMENTS * 10240,
});

function timeGetCost(svc: RatingService, make: (i: number) => CallDescriptor, total: number): { ms: number; replyBytes: number } {
  let replyBytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const cc = svc.getCost(make(i));
    if (i === 0) replyBytes = JSON.stringify(wire.callCostToWire(cc)).length;
  }
  return { ms: performance.now() - t0, replyBytes };
}

/** Responder.GetCost of a 10^6-increment data call next to a 2-minute voice call, in one cost mode. */
export async function getCostDataVsVoice(mode: CostMode, { quick }: ScaleContext): Promise<ScaleResult> {
  const svc = ratingService(mode);
  const total = quick ? 500 : 5_000;
  timeGetCost(svc, voiceCall, 200); // warm up both paths
  timeGetCost(svc, dataCall, 200);
  const voice = timeGetCost(svc, voiceCall, total);
  const data = timeGetCost(svc, dataCall, total);
  const ratio = data.ms / voice.ms;
  return {
    name: `rating scale: GetCost of a 10^6-increment *data call (${mode})`,
    ops: total,
    ms: data.ms,
    note: `${ratio.toFixed(2)}× the 2 m voice call (${(voice.ms * 1000 / total).toFixed(1)} µs vs ${(data.ms * 1000 / total).toFixed(1)} µs each); reply ${data.replyBytes} B`,
  };
}

/**
 * A prepaid *data session of 10^7 units over TCP JSON-RPC: AuthorizeEvent, InitiateSession, UpdateSession,
 * TerminateSession (with a partial refund), then ProcessCDR; the account pays from a free *data balance.
 */
export async function dataSession10M({ quick, dir }: ScaleContext): Promise<ScaleResult> {
  const cfg = defaultConfig();
  cfg.listen.rpc_json = '127.0.0.1:0';
  cfg.listen.http = '';
  cfg.data_db.db_path = join(dir, 'data-session', 'data');
  cfg.stor_db.db_path = join(dir, 'data-session', 'data');
  cfg.history.enabled = false;
  cfg.general.default_timezone = 'UTC';
  const eng = await startEngine(cfg, silentLogger);
  try {
    return await dataSession(eng, quick);
  } finally {
    await eng.stop();
  }
}

async function dataSession(eng: Awaited<ReturnType<typeof startEngine>>, quick: boolean): Promise<ScaleResult> {
  const units = 10_000_000;
  await eng.services.accounts.setAccount({ tenant: 'cgrates.org', account: 'bulkdata' });
  await eng.services.accounts.setBalance({ tenant: 'cgrates.org', account: 'bulkdata', balanceType: '*data', value: 1e12, balance: { ID: 'DATA' } });
  const client = await RpcClient.connect(eng.services.listeners.rpc_json, { timeoutMs: 120_000 });
  const rounds = quick ? 3 : 10;
  const heap0 = process.memoryUsage().heapUsed;
  let peakHeap = heap0;
  let peakRss = process.memoryUsage().rss;
  const note = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    const ev = (usage: number) => ({
      Tenant: 'cgrates.org',
      Event: { OriginID: `data${i}`, OriginHost: 'bench', RequestType: '*prepaid', ToR: '*data', Category: 'data', Account: 'bulkdata', Destination: '1002',
        AnswerTime: '2014-08-04T13:00:00Z', Usage: String(usage) },
    });
    await client.call('SessionSv1.AuthorizeEvent', { GetMaxUsage: true, ...ev(units) });
    note();
    await client.call('SessionSv1.InitiateSession', { InitSession: true, ...ev(units) });
    note();
    await client.call('SessionSv1.UpdateSession', { UpdateSession: true, ...ev(units) });
    note();
    await client.call('SessionSv1.TerminateSession', { TerminateSession: true, ...ev(Math.floor(units * 1.5)) });
    note();
    await client.call('SessionSv1.ProcessCDR', ev(Math.floor(units * 1.5)));
    note();
  }
  const ms = performance.now() - t0;
  client.close();
  // what the sessions really took: 1.5 × 10^7 units each (initiate + update, the rest refunded)
  const acc = await eng.services.accounts.getAccount('cgrates.org', 'bulkdata');
  const used = 1e12 - Number(acc.balanceMap['*data']?.[0]?.value.toString() ?? 1e12);
  return {
    name: 'rating scale: prepaid 10^7-unit *data session (authorize, initiate, update, terminate, CDR)',
    ops: rounds,
    ms,
    note: `${(ms / rounds).toFixed(1)} ms per session; heap peak +${((peakHeap - heap0) / 2 ** 20).toFixed(1)} MiB, RSS peak ${(peakRss / 2 ** 20).toFixed(0)} MiB (engine and bench in one process); ${used / rounds} units debited per session`,
  };
}

/** The scenarios, for a bench runner's list. */
export const ratingScaleBenches: { name: string; run(ctx: ScaleContext): Promise<ScaleResult> }[] = [
  { name: 'rating scale: GetCost of a 10^6-increment *data call (*exact)', run: (ctx) => getCostDataVsVoice('*exact', ctx) },
  { name: 'rating scale: GetCost of a 10^6-increment *data call (*cgrates)', run: (ctx) => getCostDataVsVoice('*cgrates', ctx) },
  { name: 'rating scale: prepaid 10^7-unit *data session', run: (ctx) => dataSession10M(ctx) },
];
