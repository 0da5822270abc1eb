// A promise wrapper over two sqlite3 connections to one file: a writer with group commit, and a
// reader for statements outside transactions (WAL lets it read the last commit while the writer
// works, so reads never queue behind a batch or its fsync).
//
// Every transaction body runs alone on the connection (no two bodies interleave: no dirty reads,
// no lost updates), but bodies that arrive while a COMMIT is in flight are run together inside the
// next BEGIN IMMEDIATE ... COMMIT, each in its own SAVEPOINT so one failing body rolls back only
// itself. A body's promise resolves only after the COMMIT (and with synchronous=FULL, the fsync)
// that covers it: many requests share one fsync, none is answered before it is durable.
import sqlite3 from 'sqlite3';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Migration, SqlRunner } from '../types.js';
import { LruMap } from '../../util/lru.js';

type Params = unknown[] | undefined;

export class StoreError extends Error {}

interface Item {
  /** Reads run between transactions without opening one; writes join the current batch. */
  write: boolean;
  fn: (sql: SqlRunner) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Bodies per COMMIT at most: a steady stream still commits (and answers) regularly. */
const MAX_BATCH = 512;
/**
 * How long a write waits for another process's write lock (e.g. `accurate loader` importing a big
 * plan) before it gives up. SQLite's busy_timeout covers one wait; BEGIN is retried until this,
 * so a live debit waits for the loader instead of failing with SQLITE_BUSY.
 */
const WRITE_LOCK_PATIENCE_MS = 120_000;

export class SqliteDatabase implements SqlRunner {
  private readonly raw: SqlRunner;
  private reader?: { db: sqlite3.Database; raw: SqlRunner };
  private readonly queue: Item[] = [];
  private pumping = false;
  private patienceMs = WRITE_LOCK_PATIENCE_MS;
  private busyTimeoutMs = 10_000;
  private closed = false;
  /** Commits done and bodies they covered (bench and tests read the batching from these). */
  readonly stats = { commits: 0, bodies: 0 };

  private constructor(
    private readonly db: sqlite3.Database,
    readonly file: string,
  ) {
    this.raw = runner(db);
  }

  /**
   * `busyTimeoutMs`: one wait for another process's lock; `writeLockPatienceMs`: how long BEGIN is
   * retried past that before the waiting writes fail (tests shorten both).
   */
  static async open(file: string, opts: { busyTimeoutMs?: number; writeLockPatienceMs?: number } = {}): Promise<SqliteDatabase> {
    await mkdir(dirname(file), { recursive: true });
    // An empty file is what a truncation or a botched copy leaves: starting on it would look like a
    // fresh install and answer NOT_FOUND for every account. A new database is created, never found empty.
    const st = await stat(file).catch(() => undefined);
    if (st && st.isFile() && st.size === 0) {
      throw new StoreError(`${file} is empty (0 bytes): refusing to start on it as if it were a new database; restore it from a backup, or delete it to start afresh`);
    }
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(file, (err) => (err ? reject(new StoreError(`cannot open database ${file}: ${err.message}`)) : resolve(d)));
    });
    const s = new SqliteDatabase(db, file);
    s.patienceMs = opts.writeLockPatienceMs ?? WRITE_LOCK_PATIENCE_MS;
    s.busyTimeoutMs = Math.max(0, Math.floor(opts.busyTimeoutMs ?? 10_000));
    try {
      // A generous busy_timeout: another process (the loader) may hold the write lock for a while.
      await s.exec(`PRAGMA busy_timeout = ${s.busyTimeoutMs}`);
      await s.exec('PRAGMA journal_mode = WAL');
      // FULL: a committed debit or CDR survives a power cut, not just a crash of the process.
      await s.exec('PRAGMA synchronous = FULL');
      await s.exec('PRAGMA foreign_keys = ON');
      // Reading the schema proves the file is a database; a corrupt one fails here, named.
      await s.raw.get('SELECT COUNT(*) AS n FROM sqlite_master');
    } catch (e) {
      await finalizers.get(s.raw)?.();
      await new Promise<void>((r) => db.close(() => r()));
      throw new StoreError(`database ${file} is unreadable (corrupt or not an SQLite database): ${(e as Error).message}`);
    }
    const rdb = await openReadOnly(file, s.busyTimeoutMs);
    s.reader = { db: rdb, raw: runner(rdb) };
    return s;
  }

  private exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(wrap(err, sql)) : resolve())));
  }

  private enqueue<R>(write: boolean, fn: (sql: SqlRunner) => Promise<R>): Promise<R> {
    if (this.closed) return Promise.reject(new StoreError(`database ${this.file} is closed`));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ write, fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.pumping) void this.pump();
    });
  }

  run(sql: string, params?: unknown[]) {
    return this.enqueue(true, (r) => r.run(sql, params));
  }

  /** Reads outside a transaction see the last commit (never a batch in progress). */
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    if (this.closed) return Promise.reject(new StoreError(`database ${this.file} is closed`));
    return this.reader ? this.reader.raw.all<T>(sql, params) : this.enqueue(false, (r) => r.all<T>(sql, params));
  }

  get<T = Record<string, unknown>>(sql: string, params?: unknown[]) {
    if (this.closed) return Promise.reject(new StoreError(`database ${this.file} is closed`));
    return this.reader ? this.reader.raw.get<T>(sql, params) : this.enqueue(false, (r) => r.get<T>(sql, params));
  }

  /**
   * Reads that must see one commit (a big kind read page by page): on a private read-only
   * connection in a read transaction, so neither writers nor the shared reader wait for it.
   */
  async snapshot<R>(fn: (sql: SqlRunner) => Promise<R>): Promise<R> {
    if (this.closed) throw new StoreError(`database ${this.file} is closed`);
    const db = await openReadOnly(this.file, this.busyTimeoutMs);
    const r = runner(db);
    try {
      await new Promise<void>((resolve, reject) => db.exec('BEGIN', (err) => (err ? reject(wrap(err, 'BEGIN')) : resolve())));
      try {
        return await fn(r);
      } finally {
        await new Promise<void>((resolve) => db.exec('COMMIT', () => resolve()));
      }
    } finally {
      await finalizers.get(r)?.();
      await new Promise<void>((resolve) => db.close(() => resolve()));
    }
  }

  /** Runs `fn` atomically; resolves after the commit that makes it durable (shared with concurrent ones). */
  transaction<R>(fn: (sql: SqlRunner) => Promise<R>): Promise<R> {
    return this.enqueue(true, fn);
  }

  /** Drains the queue: reads one by one, writes in batches of one transaction each. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        if (!this.queue[0].write) {
          const it = this.queue.shift()!;
          await it.fn(this.raw).then(it.resolve, it.reject);
          continue;
        }
        try {
          await this.begin();
        } catch (e) {
          // No transaction can be opened (lock held past patience, disk error): the writes waiting
          // get the error, named; the engine goes on and the next write tries again.
          await this.raw.run('ROLLBACK').catch(() => undefined);
          const waiting = this.queue.splice(0, Math.min(this.queue.length, MAX_BATCH));
          for (const it of waiting) if (it.write) it.reject(e);
          this.queue.unshift(...waiting.filter((it) => !it.write));
          continue;
        }
        const done: { it: Item; value: unknown }[] = [];
        let aborted = false;
        // Each body runs inside the savepoint `body`, opened with BEGIN and renewed between bodies
        // in one round trip: a failing body rolls back to it, alone.
        let clean = true;
        // The batch is what waited while the last commit ran; later arrivals wait for the next
        // commit, so a steady stream cannot keep one batch (and its first caller) open.
        let budget = Math.min(this.queue.length, MAX_BATCH);
        while (this.queue.length > 0 && budget-- > 0) {
          const it = this.queue.shift()!;
          if (!it.write) {
            await it.fn(this.raw).then(it.resolve, it.reject);
            continue;
          }
          try {
            if (!clean) await this.exec('RELEASE body; SAVEPOINT body');
            clean = false;
            const value = await it.fn(this.raw);
            done.push({ it, value });
          } catch (e) {
            try {
              await this.raw.run('ROLLBACK TO body');
              clean = true;
            } catch {
              // The connection refused to roll back: fail the batch rather than commit half a body.
              await this.failBatch(done, e);
              it.reject(e);
              aborted = true;
              break;
            }
            it.reject(e);
          }
        }
        if (aborted) continue;
        try {
          await this.raw.run('COMMIT');
          this.stats.commits++;
          this.stats.bodies += done.length;
          for (const d of done) d.it.resolve(d.value);
        } catch (e) {
          await this.failBatch(done, e);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async failBatch(done: { it: Item }[], err: unknown): Promise<void> {
    await this.raw.run('ROLLBACK').catch(() => undefined);
    for (const d of done) d.it.reject(err);
  }

  /** BEGIN IMMEDIATE, waiting (not failing) while another process holds the write lock. */
  private async begin(): Promise<void> {
    const until = Date.now() + this.patienceMs;
    for (;;) {
      try {
        await this.exec('BEGIN IMMEDIATE; SAVEPOINT body');
        return;
      } catch (e) {
        if (!isBusy(e) || Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
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

  async close(): Promise<void> {
    if (this.closed) return;
    // Let queued work finish (it was accepted), then refuse more.
    await this.enqueue(false, async () => undefined);
    this.closed = true;
    await finalizers.get(this.raw)?.();
    if (this.reader) {
      await finalizers.get(this.reader.raw)?.();
      await new Promise<void>((resolve) => this.reader!.db.close(() => resolve()));
    }
    await new Promise<void>((resolve, reject) => {
      // Checkpoint so the main file holds everything and the WAL is small on the next start.
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)', () => this.db.close((err) => (err ? reject(err) : resolve())));
    });
  }
}

/** A read-only connection that waits up to `busyTimeoutMs` for a lock (the shared reader, snapshots). */
async function openReadOnly(file: string, busyTimeoutMs: number): Promise<sqlite3.Database> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(new StoreError(`cannot open database ${file}: ${err.message}`)) : resolve(d)));
  });
  try {
    await new Promise<void>((resolve, reject) => db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`, (err) => (err ? reject(err) : resolve())));
  } catch (e) {
    await new Promise<void>((r) => db.close(() => r()));
    throw e;
  }
  return db;
}

/** Prepared statements kept per connection (preparing each call was a fifth of the CPU). */
const STATEMENT_CACHE = 256;

/** Finalizes a connection's cached statements (before close). */
const finalizers = new WeakMap<SqlRunner, () => Promise<void>>();

function runner(db: sqlite3.Database): SqlRunner {
  // Least recently used out: statements whose text varies (multi-row, IN lists) must not crowd
  // out the hot ones for good. An evicted statement is finalized after the calls queued on it.
  const cache = new LruMap<string, sqlite3.Statement>(STATEMENT_CACHE, (_sql, old) => old.finalize());
  const prepared = (sql: string): sqlite3.Statement => {
    const c = cache.get(sql);
    if (c) return c;
    const st = db.prepare(sql);
    cache.set(sql, st);
    return st;
  };
  // A statement that failed may have failed to prepare (e.g. its table did not exist yet): forget it,
  // finalized (queued after any call still waiting on it), so the next call prepares afresh.
  const done = (sql: string, st: sqlite3.Statement, err: Error | null) => {
    if (err && cache.get(sql) === st) {
      cache.delete(sql);
      st.finalize();
    }
  };
  const run = (sql: string, params?: Params) =>
    new Promise<{ changes: number; lastID: number }>((resolve, reject) => {
      const st = prepared(sql);
      // A statement that fails to prepare never calls back: it emits 'error' (unhandled, it kills the process).
      const onPrepareError = (err: Error) => {
        done(sql, st, err);
        reject(wrap(err, sql));
      };
      st.once('error', onPrepareError);
      st.run(params ?? [], function (this: sqlite3.RunResult, err: Error | null) {
        st.off('error', onPrepareError);
        done(sql, st, err);
        if (err) reject(wrap(err, sql));
        else resolve({ changes: this.changes, lastID: this.lastID });
      });
    });
  // Always run to completion (all, never a half-stepped get): a statement left on a row would hold
  // the connection's read snapshot open.
  const all = <T>(sql: string, params?: Params) =>
    new Promise<T[]>((resolve, reject) => {
      const st = prepared(sql);
      const onPrepareError = (err: Error) => {
        done(sql, st, err);
        reject(wrap(err, sql));
      };
      st.once('error', onPrepareError);
      st.all(params ?? [], (err: Error | null, rows: T[]) => {
        st.off('error', onPrepareError);
        done(sql, st, err);
        if (err) reject(wrap(err, sql));
        else resolve(rows);
      });
    });
  const get = async <T>(sql: string, params?: Params) => (await all<T>(sql, params))[0];
  // Inside a transaction a nested transaction() simply joins the outer one.
  const raw: SqlRunner = { run, all, get, transaction: (fn) => fn(raw), snapshot: (fn) => fn(raw) };
  finalizers.set(raw, async () => {
    const sts = [...cache.values()];
    cache.clear();
    await Promise.all(sts.map((st) => new Promise<void>((r) => st.finalize(() => r()))));
  });
  return raw;
}

function isBusy(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } }).cause;
  return cause?.code === 'SQLITE_BUSY' || /SQLITE_BUSY/.test(String((e as Error).message));
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
