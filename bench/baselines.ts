// Same-run baselines: what the disk and the project's own sqlite3 driver allow, measured with the
// engine's settings (WAL, synchronous=FULL) in the bench's folder. Each scenario's ratio is against
// these, so it holds on a noisy machine. Measured once per run and shared.
import sqlite3 from 'sqlite3';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from './types.js';

export interface Baselines {
  /** One-row transactions committed per second (each its own fsync). */
  oneRowTxPerSec: number;
  /** CDR-sized rows per second, 100 per transaction. */
  batchedRowsPerSec: number;
}

let cached: Promise<Baselines> | undefined;

export function baselines(ctx: BenchContext): Promise<Baselines> {
  cached ??= measure(ctx);
  return cached;
}

function open(file: string): Promise<sqlite3.Database> {
  return new Promise((res, rej) => {
    const db = new sqlite3.Database(file, (e) => (e ? rej(e) : res(db)));
  });
}
const run = (db: sqlite3.Database, sql: string, p: unknown[] = []) => new Promise<void>((res, rej) => db.run(sql, p, (e) => (e ? rej(e) : res())));

/** A CDR row as the engine stores it, with a CostDetails of typical size. */
function cdrRow(i: number): unknown[] {
  const details = JSON.stringify({ CGRID: `cg${i}`, RunID: '*default', Cost: 0.4, Charges: [{ RatingID: 'abc', Increments: [{ Usage: 60e9, Cost: 0.4, AccountingID: 'x', CompressFactor: 1 }], CompressFactor: 1 }], AccountSummary: { Tenant: 'cgrates.org', ID: 'bench', BalanceSummaries: [{ UUID: 'u'.repeat(36), ID: 'bench', Type: '*monetary', Value: 123.4 }] }, Rating: { abc: { ConnectFee: 0.4, RoundingMethod: '*up', RoundingDecimals: 4 } }, Rates: { r: [{ GroupIntervalStart: 0, Value: 0.4, RateIncrement: 60e9, RateUnit: 60e9 }] } });
  return [`cgrid-${i}-${'x'.repeat(24)}`, '*default', '127.0.0.1', `origin-${i}`, '*voice', '*postpaid', 'cgrates.org', 'call', 'bench', 'bench', '1002', Date.now(), Date.now(), 60e9, '0.4', '*cdrs', '{}', details];
}
const CDR_TABLE = `CREATE TABLE IF NOT EXISTS cdrs (id INTEGER PRIMARY KEY AUTOINCREMENT, cgrid TEXT, run_id TEXT, origin_host TEXT, origin_id TEXT, tor TEXT,
  request_type TEXT, tenant TEXT, category TEXT, account TEXT, subject TEXT, destination TEXT, setup_time INTEGER, answer_time INTEGER, usage INTEGER,
  cost TEXT, cost_source TEXT, extra_fields TEXT, cost_details TEXT, UNIQUE (cgrid, run_id))`;
const INSERT = 'INSERT INTO cdrs (cgrid, run_id, origin_host, origin_id, tor, request_type, tenant, category, account, subject, destination, setup_time, answer_time, usage, cost, cost_source, extra_fields, cost_details) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)';

async function measure(ctx: BenchContext): Promise<Baselines> {
  const dir = join(ctx.dir, 'baseline');
  await mkdir(dir, { recursive: true });
  const db = await open(join(dir, 'b.sqlite'));
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'PRAGMA synchronous = FULL');
  await run(db, CDR_TABLE);
  const window = ctx.quick ? 1500 : 5000;

  let n = 0;
  let t0 = performance.now();
  while (performance.now() - t0 < window) {
    await run(db, 'BEGIN IMMEDIATE');
    await run(db, INSERT, cdrRow(n++));
    await run(db, 'COMMIT');
  }
  const oneRowTxPerSec = n / ((performance.now() - t0) / 1000);

  let rows = 0;
  t0 = performance.now();
  while (performance.now() - t0 < window) {
    await run(db, 'BEGIN IMMEDIATE');
    const stmt = db.prepare(INSERT);
    await Promise.all(Array.from({ length: 100 }, () => new Promise<void>((res, rej) => stmt.run(cdrRow(n++), (e: Error | null) => (e ? rej(e) : res())))));
    await new Promise<void>((res) => stmt.finalize(() => res()));
    await run(db, 'COMMIT');
    rows += 100;
  }
  const batchedRowsPerSec = rows / ((performance.now() - t0) / 1000);
  await new Promise<void>((res) => db.close(() => res()));
  return { oneRowTxPerSec, batchedRowsPerSec };
}
