import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDataDB, SqliteDatabase } from '../../src/store/index.js';

const dirs: string[] = [];
async function tmp() {
  const d = await mkdtemp(join(tmpdir(), 'store-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('SQLite store', () => {
  it('stores and lists documents by kind and id, surviving a reopen', async () => {
    const dir = await tmp();
    const db = await openSqliteDataDB(dir);
    await db.put('rates', 'RT_1', { id: 'RT_1', v: '0.1' });
    await db.put('rates', 'RT_2', { id: 'RT_2' });
    await db.close();
    const again = await openSqliteDataDB(dir);
    expect(await again.get('rates', 'RT_1')).toEqual({ id: 'RT_1', v: '0.1' });
    expect([...(await again.list('rates')).keys()]).toEqual(['RT_1', 'RT_2']);
    expect(await again.count('rates')).toBe(2);
    await again.close();
  });
  it('commits a transaction whole or not at all', async () => {
    const db = await openSqliteDataDB(await tmp());
    await db.put('accounts', 'a', { v: 1 });
    await expect(
      db.transaction(async (tx) => {
        await tx.put('accounts', 'a', { v: 2 });
        await tx.put('accounts', 'b', { v: 3 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.get('accounts', 'a')).toEqual({ v: 1 });
    expect(await db.get('accounts', 'b')).toBeUndefined();
    await db.close();
  });
  it('serialises concurrent read-modify-write transactions: no lost update', async () => {
    const db = await openSqliteDataDB(await tmp());
    await db.put('c', 'n', { v: 0 });
    await Promise.all(
      Array.from({ length: 200 }, () =>
        db.transaction(async (tx) => {
          const cur = (await tx.get<{ v: number }>('c', 'n'))!;
          await tx.put('c', 'n', { v: cur.v + 1 });
        }),
      ),
    );
    expect(await db.get('c', 'n')).toEqual({ v: 200 });
    await db.close();
  });
  it('inside a transaction a document just put is read back, listed and deleted as if already written', async () => {
    const db = await openSqliteDataDB(await tmp());
    await db.put('k', 'old', { v: 0 });
    const seen = await db.transaction(async (tx) => {
      await tx.put('k', 'a', { v: 1 });
      await tx.put('k', 'a', { v: 2 });
      await tx.putJson('k', 'b', '{"v":3}');
      const a = await tx.get('k', 'a');
      const keys = [...(await tx.list('k')).keys()];
      await tx.put('k', 'c', { v: 4 });
      const deleted = await tx.delete('k', 'c');
      await tx.put('k', 'd', { v: 5 });
      const many = await tx.deleteMany('k', ['d', 'old']);
      return { a, keys, deleted, many, c: await tx.get('k', 'c') };
    });
    expect(seen).toEqual({ a: { v: 2 }, keys: ['a', 'b', 'old'], deleted: true, many: 2, c: undefined });
    expect(Object.fromEntries(await db.list('k'))).toEqual({ a: { v: 2 }, b: { v: 3 } });
    await expect(db.transaction((tx) => tx.put('k', 'e', undefined))).rejects.toThrow(/NOT NULL/);
    expect(await db.get('k', 'e')).toBeUndefined();
    await db.close();
  });
  it('deleteMany deletes and counts each listed document once, whatever the length of the list', async () => {
    const db = await openSqliteDataDB(await tmp());
    await db.putMany('k', Array.from({ length: 7 }, (_, i) => [`d${i}`, { i }] as [string, unknown]));
    expect(await db.deleteMany('k', ['d0', 'd1', 'd2'])).toBe(3);
    expect(await db.deleteMany('k', ['d3', 'd3', 'nope', 'd4', 'd5'])).toBe(3);
    expect([...(await db.list('k')).keys()]).toEqual(['d6']);
    await db.close();
  });
  it('more distinct statements than the statement cache holds: each still answers, the first ones too', async () => {
    const db = await SqliteDatabase.open(join(await tmp(), 's.sqlite'));
    const texts = Array.from({ length: 300 }, (_, i) => `SELECT ${i} AS v`);
    const first = await Promise.all(texts.map((t) => db.transaction((tx) => tx.get<{ v: number }>(t))));
    const again = await Promise.all(texts.map((t) => db.transaction((tx) => tx.get<{ v: number }>(t))));
    expect(first.map((r) => r?.v)).toEqual(texts.map((_, i) => i));
    expect(again).toEqual(first);
    await db.close();
  });
  it('applies forward migrations once and refuses a newer schema', async () => {
    const dir = await tmp();
    const db = await SqliteDatabase.open(join(dir, 'm.sqlite'));
    const migs = [
      { version: 1, description: 'one', sql: 'CREATE TABLE t (a INTEGER)' },
      { version: 2, description: 'two', sql: 'ALTER TABLE t ADD COLUMN b TEXT;\nCREATE INDEX t_b ON t (b)' },
    ];
    expect(await db.migrate(migs.slice(0, 1))).toBe(1);
    expect(await db.migrate(migs)).toBe(2);
    expect(await db.migrate(migs)).toBe(2);
    await db.run('INSERT INTO t (a, b) VALUES (1, ?)', ['x']);
    await expect(db.migrate(migs.slice(0, 1))).rejects.toThrow(/newer than this AccuRate knows/);
    const mode = await db.get<{ journal_mode: string }>('PRAGMA journal_mode');
    expect(mode?.journal_mode).toBe('wal');
    await db.close();
  });
});
