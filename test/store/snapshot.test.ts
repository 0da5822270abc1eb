// Big kinds are listed page by page, every page from one commit (src/store/sqlite/kv.ts list, SqliteDatabase.snapshot).
import { afterEach, expect, test } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDataDB, SqliteDatabase } from '../../src/store/index.js';

const dirs: string[] = [];
async function tmp() {
  const d = await mkdtemp(join(tmpdir(), 'store-snapshot-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

test('a kind larger than one page is listed whole, in id order', async () => {
  const db = await openSqliteDataDB(await tmp());
  const ids = Array.from({ length: 4500 }, (_, i) => `D${i}`);
  await db.transaction((tx) => tx.putMany('destinations', ids.map((id) => [id, { id, prefixes: [id.slice(1)] }])));
  const listed = await db.list<{ id: string; prefixes: string[] }>('destinations');
  expect([...listed.keys()]).toEqual([...ids].sort());
  expect(listed.get('D4499')).toEqual({ id: 'D4499', prefixes: ['4499'] });
  expect((await db.transaction((tx) => tx.list('destinations'))).size).toBe(4500);
  await db.close();
});

test('reads in one snapshot see one commit, even when a write commits between them', async () => {
  const dir = await tmp();
  const db = await SqliteDatabase.open(join(dir, 'x.sqlite'));
  await db.run('CREATE TABLE t (n INTEGER)');
  await db.run('INSERT INTO t VALUES (1)');
  const seen = await db.snapshot(async (s) => {
    const before = await s.all<{ n: number }>('SELECT COUNT(*) AS n FROM t');
    await db.run('INSERT INTO t VALUES (2)');
    const after = await s.all<{ n: number }>('SELECT COUNT(*) AS n FROM t');
    return [before[0].n, after[0].n];
  });
  expect(seen).toEqual([1, 1]);
  expect((await db.all<{ n: number }>('SELECT COUNT(*) AS n FROM t'))[0].n).toBe(2);
  await db.close();
});
