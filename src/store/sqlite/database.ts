// A promise wrapper over one sqlite3 connection. Every statement and transaction goes through one
// FIFO mutex, so a transaction never interleaves with another caller's statements (no dirty reads,
// no lost updates) and every multi-row write is one BEGIN IMMEDIATE ... COMMIT.
import sqlite3 from 'sqlite3';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Mutex } from '../../util/mutex.js';
import type { Migration, SqlRunner } from '../types.js';

type Params = unknown[] | undefined;

export class StoreError extends Error {}

export class SqliteDatabase implements SqlRunner {
  private readonly mutex = new Mutex();
  private readonly raw: SqlRunner;
  private closed = false;

  private constructor(
    private readonly db: sqlite3.Database,
    readonly file: string,
  ) {
    const run = (sql: string, params?: Params) =>
      new Promise<{ changes: number; lastID: number }>((resolve, reject) => {
        this.db.run(sql, params ?? [], function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(wrap(err, sql));
          else resolve({ changes: this.changes, lastID: this.lastID });
        });
      });
    const all = <T>(sql: string, params?: Params) =>
      new Promise<T[]>((resolve, reject) => {
        this.db.all(sql, params ?? [], (err: Error | null, rows: T[]) => (err ? reject(wrap(err, sql)) : resolve(rows)));
      });
    const get = <T>(sql: string, params?: Params) =>
      new Promise<T | undefined>((resolve, reject) => {
        this.db.get(sql, params ?? [], (err: Error | null, row: T | undefined) => (err ? reject(wrap(err, sql)) : resolve(row)));
      });
    // Inside a transaction a nested transaction() simply joins the outer one.
    const raw: SqlRunner = { run, all, get, transaction: (fn) => fn(raw) };
    this.raw = raw;
  }

  static async open(file: string): Promise<SqliteDatabase> {
    await mkdir(dirname(file), { recursive: true });
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, (err) => (err ? reject(new StoreError(`cannot open database ${file}: ${err.message}`)) : resolve(d)));
    });
    const s = new SqliteDatabase(db, file);
    await s.exec('PRAGMA journal_mode = WAL');
    // FULL: a committed debit or CDR survives a power cut, not just a crash of the process.
    await s.exec('PRAGMA synchronous = FULL');
    await s.exec('PRAGMA busy_timeout = 5000');
    await s.exec('PRAGMA foreign_keys = ON');
    return s;
  }

  private exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(wrap(err, sql)) : resolve())));
  }

  run(sql: string, params?: unknown[]) {
    return this.mutex.run(() => this.raw.run(sql, params));
  }

  all<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    return this.mutex.run(() => this.raw.all<T>(sql, params));
  }

  get<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    return this.mutex.run(() => this.raw.get<T>(sql, params));
  }

  transaction<R>(fn: (sql: SqlRunner) => Promise<R>): Promise<R> {
    return this.mutex.run(async () => {
      await this.raw.run('BEGIN IMMEDIATE');
      try {
        const r = await fn(this.raw);
        await this.raw.run('COMMIT');
        return r;
      } catch (err) {
        await this.raw.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Applies, in order and each in its own transaction, the migrations newer than the stored schema version. */
  async migrate(migrations: readonly Migration[]): Promise<number> {
    await this.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const row = await this.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
    const current = row?.v ?? 0;
    const newest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
    if (current > newest) {
      throw new StoreError(`${this.file} has schema version ${current}, newer than this AccuRate knows (${newest}); upgrade AccuRate`);
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      await this.transaction(async (tx) => {
        for (const stmt of splitStatements(m.sql)) await tx.run(stmt);
        await tx.run('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)', [m.version, m.description, new Date().toISOString()]);
      });
    }
    return Math.max(current, newest);
  }

  async schemaVersion(): Promise<number> {
    const row = await this.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
    return row?.v ?? 0;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return this.mutex.run(
      () =>
        new Promise<void>((resolve, reject) => {
          // Checkpoint so the main file holds everything and the WAL is small on the next start.
          this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)', () => this.db.close((err) => (err ? reject(err) : resolve())));
        }),
    );
  }
}

function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function wrap(err: Error, sql: string): StoreError {
  const e = new StoreError(`${err.message} (in: ${sql.slice(0, 120)})`);
  (e as StoreError & { cause?: unknown }).cause = err;
  return e;
}
