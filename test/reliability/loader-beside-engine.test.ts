// Issue 8 item 12: `accurate loader` importing a big plan into the data folder of a live engine
// holds SQLite's write lock for a while; live debits (postpaid CDRs) streaming meanwhile must all
// succeed — they wait for the lock, never fail with SQLITE_BUSY — and the engine then rates with
// the new plan after the loader's reload.
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { startEngine, runCli, ROOT, tempDir, type RunningEngine } from '../e2e/harness.js';
import { event } from '../e2e/tutorial.js';

let e: RunningEngine | undefined;
const dirs: string[] = [];
afterAll(async () => {
  await e?.cleanup();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The tutorial plan plus 60,000 generated destinations and destination-rate rows (a few seconds of write lock). */
async function bigPlan(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { readdir, copyFile } = await import('node:fs/promises');
  for (const f of await readdir(join(ROOT, 'tp'))) await copyFile(join(ROOT, 'tp', f), join(dir, f));
  const n = 60_000;
  const { appendFile } = await import('node:fs/promises');
  await appendFile(join(dir, 'Destinations.csv'), Array.from({ length: n }, (_, i) => `GEN_${i},${5000000 + i}`).join('\n') + '\n');
  await appendFile(join(dir, 'DestinationRates.csv'), Array.from({ length: n }, (_, i) => `DR_GEN,GEN_${i},RT_10CNT,*up,4,0,`).join('\n') + '\n');
  await appendFile(join(dir, 'RatingPlans.csv'), 'RP_GEN,DR_GEN,*any,10\n');
}

describe('accurate loader beside a live engine', () => {
  it('every live debit streamed during a big import succeeds', async () => {
    e = await startEngine();
    expect(await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') })).toBe('OK');
    await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'busy' });
    await e.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: 'busy', BalanceType: '*monetary', Value: 1e6, Balance: { ID: 'main' } });
    const deck = await tempDir('accurate-bigplan-');
    dirs.push(deck);
    await bigPlan(deck);
    await writeFile(join(e.configDir, '20-loader.json'), '{}');

    let loading = true;
    const failures: string[] = [];
    let ok = 0;
    const c = await e.client();
    const stream = (async () => {
      for (let i = 0; loading || i < 20; i++) {
        const ev = event(`busy-${i}`, { RequestType: '*postpaid', Account: 'busy', Destination: '1002', Usage: '60s' });
        await Promise.all(
          Array.from({ length: 4 }, (_, k) =>
            c.call('SessionSv1.ProcessCDR', { ...ev, Event: { ...ev.Event, OriginID: `busy-${i}-${k}` } }).then(
              () => ok++,
              (err: Error) => failures.push(err.message),
            ),
          ),
        );
      }
    })();
    const r = await runCli(['loader', '-path', deck, '-config_path', e.configDir], { timeoutMs: 240_000 });
    loading = false;
    await stream;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThanOrEqual(80);
    const cdrs = await e.call<{ Cost: number }[]>('CDRsV1.GetCDRs', { Accounts: ['busy'] });
    expect(cdrs).toHaveLength(ok);
    expect(cdrs.every((x) => x.Cost > 0)).toBe(true);
  }, 300_000);

  it('a process holding the DataDB write lock for 12 s (beyond busy_timeout) delays live debits; none fails', async () => {
    e ??= await startEngine();
    await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') });
    await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'held' });
    await e.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: 'held', BalanceType: '*monetary', Value: 1e6, Balance: { ID: 'main' } });
    // What a long import does to the file: BEGIN IMMEDIATE, write, hold, COMMIT — in another process.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const s = require(${JSON.stringify(join(ROOT, 'node_modules/sqlite3'))});
         const db = new s.Database(${JSON.stringify(join(e.dataDir, 'datadb.sqlite'))});
         db.exec("PRAGMA busy_timeout = 30000; BEGIN IMMEDIATE; INSERT INTO kv (kind, id, value, updated_at) VALUES ('lock', 'x', '{}', 0)", (err) => {
           if (err) { console.error(err.message); process.exit(2); }
           console.log('locked');
           setTimeout(() => db.exec('COMMIT', () => db.close(() => process.exit(0))), 12000);
         });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((res) => holder.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && res()));
    const ev = (i: number) => event(`held-${i}`, { RequestType: '*postpaid', Account: 'held', Destination: '1002', Usage: '60s' });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => e!.call('SessionSv1.ProcessCDR', ev(i))));
    const code = await new Promise<number | null>((res) => (holder.exitCode !== null ? res(holder.exitCode) : holder.on('exit', res)));
    expect(code).toBe(0);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const cdrs = await e.call<{ Cost: number }[]>('CDRsV1.GetCDRs', { Accounts: ['held'] });
    expect(cdrs).toHaveLength(10);
    expect(cdrs.every((x) => x.Cost > 0)).toBe(true);
  }, 120_000);
});
