// Issue 8 item 12 (startup): a corrupt database names its file; an empty datadb file is refused;
// a writer in another process holding the lock (`accurate loader`) delays a live write, never fails it.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDataDB, openSqliteStorDB, SqliteDatabase } from '../../src/store/index.js';
import { runCli } from '../e2e/harness.js';

const dirs: string[] = [];
async function tmp() {
  const d = await mkdtemp(join(tmpdir(), 'store-startup-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('database startup checks', () => {
  it('a corrupt datadb is refused with its file named', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'datadb.sqlite'), Buffer.from('this is not an SQLite file, just bytes that were once one '.repeat(200)));
    await expect(openSqliteDataDB(dir)).rejects.toThrow(`database ${join(dir, 'datadb.sqlite')} is unreadable`);
  });

  it('a 0-byte datadb file is refused, not started as an empty database', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'datadb.sqlite'), '');
    await expect(openSqliteDataDB(dir)).rejects.toThrow(`${join(dir, 'datadb.sqlite')} is empty (0 bytes)`);
    await writeFile(join(dir, 'stordb.sqlite'), '');
    await expect(openSqliteStorDB(dir)).rejects.toThrow(`${join(dir, 'stordb.sqlite')} is empty (0 bytes)`);
  });

  it('the engine refuses to start on a 0-byte datadb and says which file (exit 1)', async () => {
    const dir = await tmp();
    await mkdir(join(dir, 'data'));
    await mkdir(join(dir, 'etc'));
    await writeFile(join(dir, 'data', 'datadb.sqlite'), '');
    await writeFile(
      join(dir, 'etc', 'a.json'),
      JSON.stringify({ listen: { rpc_json: '127.0.0.1:0', http: '127.0.0.1:0', birpc_json: '' }, data_db: { db_path: join(dir, 'data') }, stor_db: { db_path: join(dir, 'data') }, history: { history_dir: join(dir, 'h') } }),
    );
    const r = await runCli(['engine', '-config_path', join(dir, 'etc')]);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain(join(dir, 'data', 'datadb.sqlite'));
  });

  it('a write waits while another connection holds the write lock longer than busy_timeout, then commits', async () => {
    const dir = await tmp();
    const file = join(dir, 'x.sqlite');
    const live = await SqliteDatabase.open(file, { busyTimeoutMs: 100 });
    const loader = await SqliteDatabase.open(file, { busyTimeoutMs: 100 });
    await live.run('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // The "loader": one long write transaction (many busy_timeouts long).
    const load = loader.transaction(async (tx) => {
      await tx.run("INSERT INTO t (k, v) VALUES ('plan', 1)");
      locked();
      await held;
    });
    await isLocked;
    let done = false;
    const debit = live.transaction(async (tx) => {
      await tx.run("INSERT INTO t (k, v) VALUES ('debit', 1)");
    }).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 800));
    expect(done).toBe(false);
    release();
    await load;
    await debit;
    expect(await live.get<{ n: number }>('SELECT COUNT(*) AS n FROM t')).toEqual({ n: 2 });
    await live.close();
    await loader.close();
  });
});

describe('a write lock held past all patience', () => {
  it('fails the waiting writes with the reason, and the next write after the lock is gone commits', async () => {
    const file = join(await tmp(), 'p.sqlite');
    const live = await SqliteDatabase.open(file, { busyTimeoutMs: 50, writeLockPatienceMs: 300 });
    const other = await SqliteDatabase.open(file, { busyTimeoutMs: 50 });
    await live.run('CREATE TABLE t (k INTEGER)');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const hold = other.transaction(async (tx) => {
      await tx.run('INSERT INTO t (k) VALUES (0)');
      locked();
      await held;
    });
    await isLocked;
    await expect(live.run('INSERT INTO t (k) VALUES (1)')).rejects.toThrow(/SQLITE_BUSY/);
    release();
    await hold;
    await live.run('INSERT INTO t (k) VALUES (2)');
    expect(await live.all('SELECT k FROM t ORDER BY k')).toEqual([{ k: 0 }, { k: 2 }]);
    await live.close();
    await other.close();
  });
});

describe('group commit', () => {
  it('writes arriving during a commit share the next one; each resolves after its commit; a failing body rolls back alone', async () => {
    const db = await SqliteDatabase.open(join(await tmp(), 'g.sqlite'));
    await db.run('CREATE TABLE t (k INTEGER PRIMARY KEY)');
    const before = { ...db.stats };
    const writes = Array.from({ length: 200 }, (_, i) =>
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (k) VALUES (?)', [i]);
        if (i % 10 === 3 || i === 0) throw new Error(`body ${i} fails`);
        return i;
      }),
    );
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(21);
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))!.n).toBe(179);
    expect(await db.get('SELECT k FROM t WHERE k = 3')).toBeUndefined();
    expect(await db.get('SELECT k FROM t WHERE k = 0')).toBeUndefined();
    expect(await db.get('SELECT k FROM t WHERE k = 4')).toEqual({ k: 4 });
    const commits = db.stats.commits - before.commits;
    expect(db.stats.bodies - before.bodies).toBe(179);
    // 200 bodies queued at once: far fewer commits than bodies.
    expect(commits).toBeLessThan(20);
    await db.close();
  });
});
