// Documents by (kind, id) as JSON text in one table: tariff-plan entities, accounts, scheduler state.
import type { KVStore, KVTx, SqlRunner } from '../types.js';

export const KV_TABLE_SQL = `CREATE TABLE IF NOT EXISTS kv (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID`;

/** Rows per statement when a kind is listed: the driver holds one page at a time, not the whole kind. */
const LIST_PAGE = 2000;

function kvOps(sql: SqlRunner): KVTx {
  return {
    async get<T>(kind: string, id: string) {
      const row = await sql.get<{ value: string }>('SELECT value FROM kv WHERE kind = ? AND id = ?', [kind, id]);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async list<T>(kind: string) {
      type Row = { id: string; value: string };
      const first = await sql.all<Row>('SELECT id, value FROM kv WHERE kind = ? ORDER BY id LIMIT ?', [kind, LIST_PAGE]);
      if (first.length < LIST_PAGE) return new Map(first.map((r) => [r.id, JSON.parse(r.value) as T]));
      // A big kind (half a million destinations): page by page, all pages from one commit.
      return sql.snapshot(async (s) => {
        const out = new Map<string, T>();
        let rows = await s.all<Row>('SELECT id, value FROM kv WHERE kind = ? ORDER BY id LIMIT ?', [kind, LIST_PAGE]);
        for (;;) {
          for (const r of rows) out.set(r.id, JSON.parse(r.value) as T);
          if (rows.length < LIST_PAGE) return out;
          rows = await s.all<Row>('SELECT id, value FROM kv WHERE kind = ? AND id > ? ORDER BY id LIMIT ?', [kind, rows[rows.length - 1].id, LIST_PAGE]);
        }
      });
    },
    async put(kind: string, id: string, value: unknown) {
      await sql.run(
        'INSERT INTO kv (kind, id, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
        [kind, id, JSON.stringify(value), Date.now()],
      );
    },
    async delete(kind: string, id: string) {
      const r = await sql.run('DELETE FROM kv WHERE kind = ? AND id = ?', [kind, id]);
      return r.changes > 0;
    },
    async putMany(kind: string, entries: Iterable<[string, unknown]>) {
      const now = Date.now();
      let n = 0;
      let rows: unknown[] = [];
      const flush = async () => {
        const count = rows.length / 4;
        if (count === 0) return;
        await sql.run(
          `INSERT INTO kv (kind, id, value, updated_at) VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?)').join(', ')} ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          rows,
        );
        n += count;
        rows = [];
      };
      for (const [id, value] of entries) {
        rows.push(kind, id, JSON.stringify(value), now);
        // 200 rows (800 parameters) per statement: under every SQLite build's parameter limit.
        if (rows.length >= 800) await flush();
      }
      await flush();
      return n;
    },
    async deleteMany(kind: string, ids: readonly string[]) {
      let n = 0;
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const r = await sql.run(`DELETE FROM kv WHERE kind = ? AND id IN (${chunk.map(() => '?').join(', ')})`, [kind, ...chunk]);
        n += r.changes;
      }
      return n;
    },
    async clear(kind: string) {
      const r = await sql.run('DELETE FROM kv WHERE kind = ?', [kind]);
      return r.changes;
    },
  };
}

export function kvStore(sql: SqlRunner): KVStore {
  return {
    ...kvOps(sql),
    transaction: (fn) => sql.transaction((tx) => fn(kvOps(tx))),
    async count(kind: string) {
      const row = await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM kv WHERE kind = ?', [kind]);
      return row?.n ?? 0;
    },
  };
}
