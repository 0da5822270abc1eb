// Session and CDR lifecycle over a real engine process with the tutorial plan (tp/) loaded:
// restarts, session TTL, forced disconnects, LastUsed reserve logic, rerating after a tariff
// change, the cdr-export CLI and the console views. No mocks; every expected number is derived
// by hand from tp/*.csv in the comment next to it.
//
// Tariffs used (AnswerTime 2014-08-04T13:00:00Z, a Monday at peak, default_timezone UTC):
// 1002-1006 are rated with the *any profile RP_RETAIL1: DST_FS (prefix 10) → RT_40CNT =
//   connect fee 0.8; 0-60 s: 0.4 per 60 s in 30 s steps (0.2 a step);
//   60 s on: 0.2 per 60 s in 10 s steps (1/30 a step), DestinationRate rounding *up 4 decimals.
// Each of them starts with 10 of money (TOPUP_RST_10).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { readFile, readdir, cp, writeFile, rm } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { startEngine, runCli, ROOT, tempDir, type RunningEngine } from './harness.js';
import { S, event, moneyPaidBy, round, type Acc, type EventCostWire, type WireCdr } from './tutorial.js';

/** UUID of the account's topped-up money balance (not *default). */
async function moneyUuid(e: RunningEngine, id: string): Promise<string> {
  return (await account(e, id)).BalanceMap['*monetary'].find((b) => b.ID !== '*default')!.Uuid;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function account(e: RunningEngine, id: string): Promise<Acc> {
  return e.call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: id });
}
/** The sum of an account's money balances (to the 12th decimal: values come back as JSON numbers). */
async function money(e: RunningEngine, id: string): Promise<number> {
  const a = await account(e, id);
  return round((a.BalanceMap['*monetary'] ?? []).reduce((s, b) => s + b.Value, 0));
}
async function cdrsOf(e: RunningEngine, originId: string): Promise<WireCdr[]> {
  return e.call<WireCdr[]>('CDRsV1.GetCDRs', { OriginIDs: [originId] }).catch((err: Error) => {
    if (/NOT_FOUND/.test(err.message)) return [];
    throw err;
  });
}
/** Polls until the CDR of `originId` is stored (the engine writes it on its own). */
async function waitForCdr(e: RunningEngine, originId: string, ms = 8_000): Promise<WireCdr[]> {
  const until = Date.now() + ms;
  for (;;) {
    const c = await cdrsOf(e, originId);
    if (c.length > 0 || Date.now() > until) return c;
    await sleep(100);
  }
}
async function load(e: RunningEngine, folder = join(ROOT, 'tp')): Promise<void> {
  expect(await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: folder })).toBe('OK');
}

describe('sessions survive an engine restart', () => {
  let e1: RunningEngine | undefined;
  let e2: RunningEngine | undefined;
  afterAll(async () => {
    await e1?.stop();
    await e2?.cleanup();
  });

  it('prepaid sessions started before a SIGTERM are listed after the restart and end with the exact cost, charged once', async () => {
    e1 = await startEngine();
    await load(e1);
    // Debited once at initiate (debit_interval 0): 2m = 0.8 + 0.4 + 6 × 10 s at 0.2/60 (0.2) = 1.4 → 8.6.
    const once = event('restart-once', { RequestType: '*prepaid', Account: '1002', Destination: '1003' });
    expect(await e1.call('SessionSv1.InitiateSession', { InitSession: true, ...once, Event: { ...once.Event, Usage: '2m' } })).toEqual({ MaxUsage: 120 * S });
    expect(await money(e1, '1002')).toBe(8.6);
    // A 30 s debit loop: the first slice is charged at once: 0.8 connect fee + one 30 s step 0.2 = 1.0 → 9.
    const loop = event('restart-loop', { RequestType: '*prepaid', Account: '1003', Destination: '1002' });
    expect(await e1.call('SessionSv1.InitiateSession', { InitSession: true, ...loop, APIOpts: { '*sessionsDebitInterval': 30 * S } })).toEqual({ MaxUsage: -1 });
    expect(await money(e1, '1003')).toBe(9);
    expect(await e1.stop()).toBe(0);

    e2 = await startEngine({ dir: e1.dir });
    const active = await e2.call<{ OriginID: string; RunID: string; DebitInterval: number; Usage: number }[]>('SessionSv1.GetActiveSessions', {});
    expect(active.map((s) => [s.OriginID, s.RunID, s.DebitInterval]).sort()).toEqual([
      ['restart-loop', '*default', 30 * S],
      ['restart-once', '*default', 0],
    ]);
    // The resumed loop charges the next slice (30-60 s: the second 0.2 step, no second connect fee) → 8.8.
    const until = Date.now() + 5_000;
    while ((await money(e2, '1003')) !== 8.8 && Date.now() < until) await sleep(50);
    expect(await money(e2, '1003')).toBe(8.8);
    expect(await money(e2, '1002')).toBe(8.6);

    // restart-once really lasted 90 s: the last 30 s (3 whole 10 s increments charged before the
    // restart) come back: 0.8 + 0.4 + 3 × 10 s at 0.2/60 (0.1) = 1.3 → 8.7.
    const endOnce = { ...once, Event: { ...once.Event, Usage: '90s' } };
    expect(await e2.call('SessionSv1.TerminateSession', { TerminateSession: true, ...endOnce })).toBe('OK');
    expect(await e2.call('SessionSv1.ProcessCDR', endOnce)).toBe('OK');
    expect(await money(e2, '1002')).toBe(8.7);
    // restart-loop lasted 90 s too: 60 s were charged, 60-90 s are debited at terminate (0.1): 1.3 → 8.7.
    const endLoop = { ...loop, Event: { ...loop.Event, Usage: '90s' } };
    expect(await e2.call('SessionSv1.TerminateSession', { TerminateSession: true, ...endLoop })).toBe('OK');
    expect(await e2.call('SessionSv1.ProcessCDR', endLoop)).toBe('OK');
    expect(await money(e2, '1003')).toBe(8.7);

    for (const id of ['restart-once', 'restart-loop']) {
      const cdrs = await cdrsOf(e2, id);
      expect(cdrs).toHaveLength(1);
      expect(cdrs[0]).toMatchObject({ RunID: '*default', Usage: 90 * S, Cost: 1.3, CostSource: '*sessions' });
    }
    await expect(e2.call('SessionSv1.GetActiveSessions', {})).rejects.toThrow('NOT_FOUND');
  }, 90_000);

  it('a session terminated before the restart is not resumed by it', async () => {
    // After the test above the sessions table is empty: a second restart lists nothing and charges nothing.
    expect(await e2!.stop()).toBe(0);
    e2 = await startEngine({ dir: e1!.dir });
    await expect(e2.call('SessionSv1.GetActiveSessions', {})).rejects.toThrow('NOT_FOUND');
    await sleep(300);
    expect(await money(e2, '1002')).toBe(8.7);
    expect(await money(e2, '1003')).toBe(8.7);
    expect(await e2.call('CDRsV1.GetCDRsCount', {})).toBe(2);
  }, 60_000);
});

describe('session_ttl', () => {
  let e: RunningEngine;
  beforeAll(async () => {
    e = await startEngine({ configs: { '10-ttl.json': { sessions: { session_ttl: '1s' } } } });
    await load(e);
  });
  afterAll(async () => e?.cleanup());

  it('a session with no update or terminate is ended by the engine after session_ttl, its CDR written and its cost what the balance paid', async () => {
    const ev = event('ttl-1', { RequestType: '*prepaid', Account: '1005', Destination: '1003', Usage: '50s' });
    // debit_interval 0: the 50 s asked are charged at once as two 30 s steps: 0.8 + 0.4 = 1.2,
    // covering 60 s (10 s of reserve).
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev })).toEqual({ MaxUsage: 50 * S });
    expect(await money(e, '1005')).toBe(8.8);
    const started = Date.now();
    const cdrs = await waitForCdr(e, 'ttl-1');
    expect(cdrs).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await expect(e.call('SessionSv1.GetActiveSessions', {})).rejects.toThrow('NOT_FOUND');
    // CGRateS ends a timed-out session as if it ran session_ttl more than it reported: 50 s + 1 s,
    // the extra second taken from the 10 s reserve → usage 51 s, nothing more charged: cost 1.2.
    expect(cdrs[0]).toMatchObject({ RunID: '*default', Usage: 51 * S, Cost: 1.2, CostSource: '*sessions' });
    expect(await money(e, '1005')).toBe(round(10 - cdrs[0].Cost));
  });

  it('session_ttl: the extra session_ttl of use beyond what was charged is debited at the end', async () => {
    const ev = event('ttl-2', { RequestType: '*prepaid', Account: '1004', Destination: '1003', Usage: '60s' });
    // 60 s exactly: 0.8 + 0.4 = 1.2, no reserve.
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev })).toEqual({ MaxUsage: 60 * S });
    expect(await money(e, '1004')).toBe(8.8);
    const [cdr] = await waitForCdr(e, 'ttl-2');
    expect(cdr).toBeDefined();
    // 60 s + 1 s of TTL: the 61st second takes a whole 10 s step at 0.2/60 = 0.0333…, which the
    // rate's *up 4 decimals rounding makes 0.0334 → 1.2334, and the balance pays exactly that.
    expect(cdr).toMatchObject({ Usage: 61 * S, Cost: 1.2334, CostSource: '*sessions' });
    expect(await money(e, '1004')).toBe(8.7666);
  });

  it('session_ttl restarts at every UpdateSession: an updated session outlives the TTL, then ends with usage reported + session_ttl', async () => {
    const ev = event('ttl-3', { RequestType: '*prepaid', Account: '1003', Destination: '1002' });
    // 60 s charged at initiate as two 30 s steps: 0.8 + 0.4 = 1.2 → 8.8.
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev, Event: { ...ev.Event, Usage: '60s' } })).toEqual({ MaxUsage: 60 * S });
    const started = Date.now();
    // Four updates 300 ms apart (1.2 s > session_ttl): each reports 1 s used of the last slice and asks 1 s,
    // which the reserve covers: nothing new is charged.
    for (let i = 0; i < 4; i++) {
      await sleep(300);
      expect(await e.call('SessionSv1.UpdateSession', { UpdateSession: true, ...ev, Event: { ...ev.Event, Usage: '1s', LastUsed: '1s' } })).toEqual({ MaxUsage: 1 * S });
    }
    expect(Date.now() - started).toBeGreaterThan(1_000);
    expect((await e.call<{ OriginID: string }[]>('SessionSv1.GetActiveSessions', {})).map((x) => x.OriginID)).toContain('ttl-3');
    expect(await money(e, '1003')).toBe(8.8);
    const [cdr] = await waitForCdr(e, 'ttl-3');
    // Used: 1 s of the first slice + 3 × 1 s + the 1 s slice asked last = 5 s, plus session_ttl 1 s = 6 s.
    // 6 s lies in the first 30 s step; the second 30 s step is refunded: 0.8 + 0.2 = 1.0 → 9.
    expect(cdr).toMatchObject({ Usage: 6 * S, Cost: 1, CostSource: '*sessions' });
    expect(await money(e, '1003')).toBe(9);
  });
});

describe('live sessions and CDRs on one engine', () => {
  let e: RunningEngine;
  beforeAll(async () => {
    e = await startEngine();
    await load(e);
  });
  afterAll(async () => e?.cleanup());

  it('SessionSv1.ForceDisconnect by filter or by OriginID ends the live session and writes its CDR; an unknown session is NOT_FOUND', async () => {
    const a = event('force-1', { RequestType: '*prepaid', Account: '1002', Destination: '1003', Usage: '2m' });
    const b = event('force-2', { RequestType: '*prepaid', Account: '1002', Destination: '1004', Usage: '30s' });
    // 2m: 0.8 + 0.4 + 6 × 10 s at 0.2/60 (0.2) = 1.4; 30 s: 0.8 + 0.2 = 1.0 → 10 − 2.4 = 7.6.
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...a })).toEqual({ MaxUsage: 120 * S });
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...b })).toEqual({ MaxUsage: 30 * S });
    expect(await money(e, '1002')).toBe(7.6);

    expect(await e.call('SessionSv1.ForceDisconnect', { Filters: ['*string:~*req.OriginID:force-1'] })).toBe('OK');
    const ca = await cdrsOf(e, 'force-1');
    expect(ca).toHaveLength(1);
    // Ended with what was charged (CGRateS forceSTerminate with no extra usage): 120 s, 1.4.
    expect(ca[0]).toMatchObject({ Usage: 120 * S, Cost: 1.4, CostSource: '*sessions' });
    // force-2 is still live.
    const live = await e.call<{ OriginID: string }[]>('SessionSv1.GetActiveSessions', {});
    expect(live.map((s) => s.OriginID)).toEqual(['force-2']);

    expect(await e.call('SessionSv1.ForceDisconnect', { OriginID: 'force-2' })).toBe('OK');
    expect((await cdrsOf(e, 'force-2'))[0]).toMatchObject({ Usage: 30 * S, Cost: 1, CostSource: '*sessions' });
    await expect(e.call('SessionSv1.GetActiveSessions', {})).rejects.toThrow('NOT_FOUND');
    expect(await money(e, '1002')).toBe(7.6);

    await expect(e.call('SessionSv1.ForceDisconnect', { Filters: ['*string:~*req.OriginID:no-such-call'] })).rejects.toThrow('NOT_FOUND');
    await expect(e.call('SessionSv1.ForceDisconnect', { OriginID: 'force-1' })).rejects.toThrow('NOT_FOUND');
    // Nothing was charged or written twice.
    expect(await cdrsOf(e, 'force-1')).toHaveLength(1);
    expect(await money(e, '1002')).toBe(7.6);
  });

  it('a force-disconnected postpaid session is billed for the time it ran here, not from a long-past AnswerTime', async () => {
    // AnswerTime is 2014 (for the peak tariff) but the session runs about 1 s on this engine.
    const ev = event('force-postpaid', { RequestType: '*postpaid', Account: '1005', Destination: '1003', Usage: '2m' });
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev })).toEqual({ MaxUsage: 120 * S });
    await sleep(1_100);
    expect(await e.call('SessionSv1.ForceDisconnect', { OriginID: 'force-postpaid' })).toBe('OK');
    const [cdr] = await cdrsOf(e, 'force-postpaid');
    expect(cdr.Usage).toBeGreaterThanOrEqual(1 * S);
    expect(cdr.Usage).toBeLessThan(30 * S);
    // Any usage in (0, 30 s]: 0.8 connect fee + one 30 s step 0.2 = 1.0, debited from the CDR → 9.
    expect(cdr).toMatchObject({ RequestType: '*postpaid', Cost: 1, CostSource: '*cdrs' });
    expect(await money(e, '1005')).toBe(9);
  });

  it('UpdateSession with LastUsed keeps the unused part of the last slice as reserve; terminate charges exactly the real total usage (rating-semantics 7.2)', async () => {
    const ev = event('lastused-1', { RequestType: '*prepaid', Account: '1003', Destination: '1002' });
    // Initiate 2m: 0.8 + 0.4 + 6 × 10 s at 0.2/60 (0.2) = 1.4 → 8.6.
    expect(await e.call('SessionSv1.InitiateSession', { InitSession: true, ...ev, Event: { ...ev.Event, Usage: '2m' } })).toEqual({ MaxUsage: 120 * S });
    expect(await money(e, '1003')).toBe(8.6);
    // LastUsed 1m30s of the 2m slice: 30 s go back to the reserve; the next 2m need only 90 s new:
    // 120-210 s = 9 × 10 s at 0.2/60 = 0.3 → 8.3.
    expect(await e.call('SessionSv1.UpdateSession', { UpdateSession: true, ...ev, Event: { ...ev.Event, Usage: '2m', LastUsed: '1m30s' } })).toEqual({ MaxUsage: 120 * S });
    expect(await money(e, '1003')).toBe(8.3);
    // The call really lasted 1m30s + 1m30s = 3m: 210 s were charged, the last 30 s (3 whole
    // 10 s increments) are refunded. 3m costs 0.8 + 0.4 + 12 × 10 s at 0.2/60 (0.4) = 1.6 → 8.4.
    const end = { ...ev, Event: { ...ev.Event, Usage: '3m' } };
    expect(await e.call('SessionSv1.TerminateSession', { TerminateSession: true, ...end })).toBe('OK');
    expect(await money(e, '1003')).toBe(8.4);
    expect(await e.call('SessionSv1.ProcessCDR', end)).toBe('OK');
    const [cdr] = await cdrsOf(e, 'lastused-1');
    expect(cdr).toMatchObject({ Usage: 180 * S, Cost: 1.6, CostSource: '*sessions' });
    expect(await money(e, '1003')).toBe(8.4);
  });

  it('console: `account` piped prints the account as JSON with its BalanceMap', async () => {
    const r = await runCli(['console', 'account', 'Tenant=cgrates.org', 'Account=1001', '-server', e.rpcAddress]);
    expect(r.code).toBe(0);
    const acc = JSON.parse(r.stdout) as Acc & { ID: string };
    expect(acc.ID).toBe('cgrates.org:1001');
    // TOPUP_RST_5 (5, weight 20) and TOPUP_RST_SHARED_5 (5 in SHARED_A, weight 10); 90 s to DST_1002, 120 s to DST_1003.
    expect(acc.BalanceMap['*monetary'].map((b) => [b.Value, b.Weight]).sort()).toEqual([[5, 10], [5, 20]]);
    expect(acc.BalanceMap['*voice'].map((b) => b.Value).sort()).toEqual([120 * S, 90 * S]);
  });

  it('console: `sessions` with no live session says so and exits 0 (an empty list is an answer)', async () => {
    const r = await runCli(['console', 'sessions', '-server', e.rpcAddress]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('no active sessions');
  });

  it('console: `cdrs Accounts=1001` prints the stored CDRs of that account as JSON', async () => {
    // A *rated 1001→1002 minute: RP_RETAIL2 DR_1002_20CNT → 0.4 + 0.2 = 0.6, balances untouched.
    expect(await e.call('CDRsV1.ProcessEvent', event('console-1001', { RequestType: '*rated', Account: '1001', Destination: '1002', Usage: '1m' }))).toBe('OK');
    const r = await runCli(['console', 'cdrs', 'Accounts=1001', '-server', e.rpcAddress]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ Account: '1001', Destination: '1002', RequestType: '*rated' });
    expect(Number(list[0].Cost)).toBe(0.6);
  });

  it('`accurate cdr-export --only-new` exports each stored CDR once and marks it; a second run has nothing to export; --dry-run only counts', async () => {
    const out = await tempDir('accurate-cdrexport-');
    try {
      const stored = await e.call<WireCdr[]>('CDRsV1.GetCDRs', {});
      expect(stored.length).toBe(5); // force-1, force-2, force-postpaid, lastused-1, console-1001
      const total = round(stored.reduce((s, c) => s + c.Cost, 0)); // 1.4 + 1.0 + 1.0 + 1.6 + 0.6 = 5.6
      expect(total).toBe(5.6);

      const dry = await runCli(['cdr-export', '-config_path', e.configDir, '--export-path', out, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`dry run: 5 CDRs would be exported with template *default, total cost 5.6`);
      expect(await readdir(out)).toEqual([]);

      const first = await runCli(['cdr-export', '-config_path', e.configDir, '--export-path', out, '--only-new']);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^exported 5 CDRs, total cost 5\.6, to /);
      const files = await readdir(out);
      expect(files).toHaveLength(1);
      const rows: string[][] = parse(await readFile(join(out, files[0]), 'utf8'));
      expect(rows).toHaveLength(5);
      const byKey = new Map(rows.map((r) => [`${r[0]}/${r[1]}`, r]));
      for (const c of stored) {
        const r = byKey.get(`${c.CGRID}/${c.RunID}`)!;
        expect(r).toBeDefined();
        // *default template: CGRID, RunID, ToR, OriginID, RequestType, Tenant, Category, Account, Subject, Destination, SetupTime, AnswerTime, Usage, Cost
        expect(r.slice(0, 10)).toEqual([c.CGRID, c.RunID, c.ToR, c.OriginID, c.RequestType, c.Tenant, c.Category, c.Account, c.Subject, c.Destination].map(String));
        expect(Number(r[13])).toBe(c.Cost);
      }

      const second = await runCli(['cdr-export', '-config_path', e.configDir, '--export-path', out, '--only-new']);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/no CDRs to export/);
      expect(await readdir(out)).toHaveLength(1);

      // A new CDR after the export is the only new one.
      expect(await e.call('CDRsV1.ProcessEvent', event('after-export', { RequestType: '*rated', Account: '1001', Destination: '1002', Usage: '1m' }))).toBe('OK');
      const third = await runCli(['cdr-export', '-config_path', e.configDir, '--export-path', out, '--only-new', '--dry-run']);
      expect(third.stdout).toContain('dry run: 1 CDR would be exported with template *default, total cost 0.6');
      expect(await readdir(out)).toHaveLength(1);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 90_000);

  it('CDRsV1.RateCDRs after a tariff change stores the new cost and refunds the old debit exactly', async () => {
    // A postpaid 2m call of 1004 → 1002: 0.8 + 0.4 + 0.2 = 1.4 → 8.6.
    const ev = event('rerate-1', { RequestType: '*postpaid', Account: '1004', Destination: '1002', Usage: '2m' });
    expect(await e.call('CDRsV1.ProcessEvent', ev)).toBe('OK');
    expect((await cdrsOf(e, 'rerate-1'))[0]).toMatchObject({ Cost: 1.4, CostSource: '*cdrs' });
    expect(await money(e, '1004')).toBe(8.6);
    // The stored EventCost names the balance that paid: the refund below is rebuilt from it.
    const paid = await moneyUuid(e, '1004');
    expect(moneyPaidBy((await cdrsOf(e, 'rerate-1'))[0].CostDetails as EventCostWire)).toEqual({ [paid]: 1.4 });

    // RT_40CNT after the first minute goes from 0.2 to 0.5 per 60 s (10 s steps of 1/12).
    const changed = await tempDir('accurate-tp-');
    try {
      await cp(join(ROOT, 'tp'), changed, { recursive: true });
      const rates = await readFile(join(changed, 'Rates.csv'), 'utf8');
      const edited = rates.replace('RT_40CNT,0,0.2,60s,10s,60s', 'RT_40CNT,0,0.5,60s,10s,60s');
      expect(edited).not.toBe(rates);
      await writeFile(join(changed, 'Rates.csv'), edited);
      await load(e, changed);
    } finally {
      await rm(changed, { recursive: true, force: true });
    }
    // The reload does not top the accounts up again.
    expect(await money(e, '1004')).toBe(8.6);

    expect(await e.call('CDRsV1.RateCDRs', { OriginIDs: ['rerate-1'] })).toBe('OK');
    // New cost: 0.8 + 0.4 + 6 × 10 s at 0.5/60 (0.5) = 1.7; the account gets 1.4 back and pays 1.7 → 8.3.
    const cdrs = await cdrsOf(e, 'rerate-1');
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0]).toMatchObject({ Cost: 1.7, Usage: 120 * S, RequestType: '*postpaid' });
    expect(cdrs[0].CostDetails).toMatchObject({ Cost: 1.7, CGRID: cdrs[0].CGRID, RunID: cdrs[0].RunID });
    expect(moneyPaidBy(cdrs[0].CostDetails as EventCostWire)).toEqual({ [paid]: 1.7 });
    expect(await money(e, '1004')).toBe(8.3);
    // Other CDRs were not touched.
    expect((await cdrsOf(e, 'lastused-1'))[0].Cost).toBe(1.6);
    expect(await money(e, '1003')).toBe(8.4);
  });

  it('CDRsV1.RateCDRs of a prepaid session CDR refunds what the session charged and debits the new tariff', async () => {
    // lastused-1 (1003, 3m) cost 1.6 under the old tariff and left 8.4. With 0.5/60 after the first
    // minute: 0.8 + 0.4 + 12 × 10 s at 0.5/60 (1.0) = 2.2 → 8.4 + 1.6 − 2.2 = 7.8.
    // The session stored an EventCost too: the refund is rebuilt from its Accounting.
    const [before] = await cdrsOf(e, 'lastused-1');
    const paid = await moneyUuid(e, '1003');
    expect(before).toMatchObject({ CostSource: '*sessions', CostDetails: { Cost: 1.6, CGRID: before.CGRID, RunID: before.RunID } });
    expect(moneyPaidBy(before.CostDetails as EventCostWire)).toEqual({ [paid]: 1.6 });
    expect(await e.call('CDRsV1.RateCDRs', { OriginIDs: ['lastused-1'] })).toBe('OK');
    const [cdr] = await cdrsOf(e, 'lastused-1');
    expect(cdr).toMatchObject({ Cost: 2.2, Usage: 180 * S, RequestType: '*prepaid', CostSource: '*cdrs' });
    expect(moneyPaidBy(cdr.CostDetails as EventCostWire)).toEqual({ [paid]: 2.2 });
    expect(await money(e, '1003')).toBe(7.8);
    // Rerating again with the same tariff changes nothing.
    expect(await e.call('CDRsV1.RateCDRs', { OriginIDs: ['lastused-1', 'rerate-1'] })).toBe('OK');
    expect(await money(e, '1003')).toBe(7.8);
    expect(await money(e, '1004')).toBe(8.3);
    expect((await cdrsOf(e, 'rerate-1'))[0].Cost).toBe(1.7);
  });
});
