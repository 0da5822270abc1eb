// The loader on a generated deck (destinations, rates, destination rates, a rating plan) from CSV
// to a committed DataDB, through the real `accurate loader` process; then the RSS of an engine
// holding that plan. Baseline: the same number of rows inserted raw, batched, same driver and disk.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { BIN, spawnEngine } from './engine-process.js';
import { result, type Scenario, type ScenarioModule, type BenchContext } from './types.js';

async function writeLines(file: string, header: string, n: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  out.write(header + '\n');
  for (let i = 0; i < n; i++) {
    if (!out.write(line(i) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

/** A deck of about `rows` rows: half destinations (one prefix each), half destination-rate rows. */
async function deck(dir: string, rows: number): Promise<number> {
  await mkdir(dir, { recursive: true });
  const rates = 1000;
  const dests = Math.floor((rows - rates - 2) / 2);
  await writeLines(join(dir, 'Rates.csv'), '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart', rates, (i) => `RT_${i},0,${(0.01 + i / 10000).toFixed(4)},60s,1s,0s`);
  await writeLines(join(dir, 'Destinations.csv'), '#Id,Prefix', dests, (i) => `D${i},${1000000 + i * 7}`);
  await writeLines(join(dir, 'DestinationRates.csv'), '#Id,DestinationId,RatesTag,RoundingMethod,RoundingDecimals,MaxCost,MaxCostStrategy', dests, (i) => `DR_BIG,D${i},RT_${i % rates},*up,4,0,`);
  await writeFile(join(dir, 'RatingPlans.csv'), '#Id,DestinationRatesId,TimingTag,Weight\nRP_BIG,DR_BIG,*any,10\n');
  await writeFile(join(dir, 'RatingProfiles.csv'), '#Tenant,Category,Subject,ActivationTime,RatingPlanId,RatesFallbackSubject\ncgrates.org,call,*any,2014-01-01T00:00:00Z,RP_BIG,\n');
  return dests;
}

function runLoader(args: string[]): Promise<{ code: number | null; out: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((res) => {
    const p = spawn(process.execPath, [BIN, 'loader', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out = (out + d).slice(-4000)));
    p.stderr.on('data', (d) => (out = (out + d).slice(-4000)));
    p.on('close', (code) => res({ code, out, ms: performance.now() - t0 }));
  });
}

/** Raw batched insert of `rows` KV-like rows in one transaction: the disk and driver's own speed. */
async function rawInsertMs(file: string, rows: number): Promise<number> {
  const db = await new Promise<sqlite3.Database>((res, rej) => {
    const d = new sqlite3.Database(file, (e) => (e ? rej(e) : res(d)));
  });
  const run = (sql: string, p: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, p, (e) => (e ? rej(e) : res())));
  await run('PRAGMA journal_mode = WAL');
  await run('PRAGMA synchronous = FULL');
  await run('CREATE TABLE kv (kind TEXT NOT NULL, id TEXT NOT NULL, value TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID');
  const t0 = performance.now();
  await run('BEGIN IMMEDIATE');
  for (let i = 0; i < rows; i += 200) {
    const n = Math.min(200, rows - i);
    const params: unknown[] = [];
    for (let k = 0; k < n; k++) params.push('destinations', `D${i + k}`, JSON.stringify({ id: `D${i + k}`, prefixes: [String(1000000 + (i + k) * 7)] }), 0);
    await run(`INSERT INTO kv VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?)').join(', ')}`, params);
  }
  await run('COMMIT');
  const ms = performance.now() - t0;
  await new Promise<void>((r) => db.close(() => r()));
  return ms;
}

export const scenarios: Scenario[] = [
  {
    name: 'loader: generated deck, CSV to a committed DataDB (accurate loader)',
    async run(ctx: BenchContext) {
      const rows = ctx.quick ? 100_000 : 1_000_000;
      const base = join(ctx.dir, 'loader');
      const dests = await deck(join(base, 'deck'), rows);
      const etc = join(base, 'etc');
      await mkdir(etc, { recursive: true });
      const data = join(base, 'data');
      await writeFile(join(etc, 'a.json'), JSON.stringify({ listen: { rpc_json: '127.0.0.1:1' }, data_db: { db_path: data }, stor_db: { db_path: data }, history: { enabled: false } }));
      const r = await runLoader(['-path', join(base, 'deck'), '-config_path', etc]);
      if (r.code !== 0) throw new Error(`loader failed (${r.code}): ${r.out}`);
      const rawMs = await rawInsertMs(join(base, 'raw.sqlite'), rows);
      const secs = r.ms / 1000;
      const target = (20 * rows) / 1_000_000;
      const out = [
        result({
          name: `${this.name} (${rows.toLocaleString('en-US')} rows)`, metric: 'seconds', value: Math.round(secs * 100) / 100, unit: 's', target, met: secs <= target,
          baseline: Math.round(rawMs / 10) / 100, ratio: Math.round((secs / (rawMs / 1000)) * 100) / 100,
          note: 'target 20 s per 1M rows; baseline: the same rows inserted raw in 200-row statements, one transaction (s)',
        }),
      ];
      // The engine holding that plan: memory for its destinations.
      const e = await spawnEngine(join(base, 'engine'), { dataDir: data });
      try {
        const rss = await e.rssMb();
        const target1m = (500 * dests) / 1_000_000;
        out.push(
          result({
            name: `memory: engine RSS with ${dests.toLocaleString('en-US')} destinations loaded`, metric: 'rss_mb', value: rss, unit: 'MB', target: Math.round(target1m), met: rss <= target1m,
            rss_mb: rss, note: 'target 500 MB per 1M destinations (scaled to this deck)',
          }),
        );
      } finally {
        await e.stop();
      }
      return out;
    },
  },
];

export default { scenarios } satisfies ScenarioModule;
