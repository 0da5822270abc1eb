// Documents by (kind, id) as JSON text in one table: tariff-plan entities, accounts, scheduler state.
import type { KVStore, KVTx, SqlRunner } from '../types.js';

export const KV_TABLE_SQL = `CREATE TABLE IF NOT EXISTS kv (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID`;

/** 200 rows (800 parameters) per statement: under every SQLite build's parameter limit. */
const ROWS_PER_STATEMENT = 200;

async function upsert(sql: SqlRunner, rows: unknown[]): Promise<void> {
  const count = rows.length / 4;
  if (count === 0) return;
  await sql.run(
    `INSERT INTO kv (kind, id, value, updated_at) VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?)').join(', ')} ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    rows,
  );
}

/** Rows per statement when a kind is listed: the driver holds one page at a time, not the whole kind. */
const LIST_PAGE = 2000;

function kvOps(sql: SqlRunner): KVTx {
  const ops: KVTx = {
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
    put(kind: string, id: string, value: unknown) {
      return ops.putJson(kind, id, JSON.stringify(value));
    },
    async putJson(kind: string, id: string, json: string) {
      await upsert(sql, [kind, id, json, Date.now()]);
    },
    async delete(kind: string, id: string) {
      const r = await sql.run('DELETE FROM kv WHERE kind = ? AND id = ?', [kind, id]);
      return r.changes > 0;
    },
    async putMany(kind: string, entries: Iterable<[string, unknown]>) {
      const now = Date.now();
      let n = 0;
      let rows: unknown[] = [];
      for (const [id, value] of entries) {
        rows.push(kind, id, JSON.stringify(value), now);
        if (rows.length >= ROWS_PER_STATEMENT * 4) {
          await upsert(sql, rows);
          n += rows.length / 4;
          rows = [];
        }
      }
      await upsert(sql, rows);
      return n + rows.length / 4;
    },
    async deleteMany(kind: string, ids: readonly string[]) {
      let n = 0;
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        // Lists padded (repeating an id) to a power of two: a handful of statement texts to prepare, not one per length.
        const width = 2 ** Math.ceil(Math.log2(chunk.length));
        const padded = [...chunk, ...Array<string>(width - chunk.length).fill(chunk[chunk.length - 1])];
        const r = await sql.run(`DELETE FROM kv WHERE kind = ? AND id IN (${padded.map(() => '?').join(', ')})`, [kind, ...padded]);
        n += r.changes;
      }
      return n;
    },
    async clear(kind: string) {
      const r = await sql.run('DELETE FROM kv WHERE kind = ?', [kind]);
      return r.changes;
    },
  };
  return ops;
}

/**
 * A transaction's view that holds back its single puts and writes them as one multi-row statement
 * (a debit's account, ledger and CDR journal entry: one round trip instead of three). Anything that
 * could see or touch a held-back document writes them first, so the body reads its own writes.
 */
function bufferedOps(sql: SqlRunner): { tx: KVTx; flush: () => Promise<void> } {
  const direct = kvOps(sql);
  const held = new Map<string, [kind: string, id: string, json: string, at: number]>();
  const key = (kind: string, id: string) => `${kind}\u0000${id}`;
  const flush = async () => {
    if (held.size === 0) return;
    const rows = [...held.values()];
    held.clear();
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await upsert(sql, rows.slice(i, i + ROWS_PER_STATEMENT).flat());
  };
  const holdsKind = (kind: string) => {
    for (const [k] of held.values()) if (k === kind) return true;
    return false;
  };
  const tx: KVTx = {
    async get<T>(kind: string, id: string) {
      if (held.has(key(kind, id))) await flush();
      return direct.get<T>(kind, id);
    },
    async list<T>(kind: string) {
      if (holdsKind(kind)) await flush();
      return direct.list<T>(kind);
    },
    put(kind: string, id: string, value: unknown) {
      return tx.putJson(kind, id, JSON.stringify(value));
    },
    async putJson(kind: string, id: string, json: string) {
      // A value that is no JSON (undefined) fails here, at the call, as a direct put would.
      if (typeof json !== 'string') return direct.putJson(kind, id, json);
      const k = key(kind, id);
      held.delete(k);
      held.set(k, [kind, id, json, Date.now()]);
    },
    async delete(kind: string, id: string) {
      if (held.has(key(kind, id))) await flush();
      return direct.delete(kind, id);
    },
    async putMany(kind: string, entries: Iterable<[string, unknown]>) {
      await flush();
      return direct.putMany(kind, entries);
    },
    async deleteMany(kind: string, ids: readonly string[]) {
      if (ids.some((id) => held.has(key(kind, id)))) await flush();
      return direct.deleteMany(kind, ids);
    },
    async clear(kind: string) {
      if (holdsKind(kind)) await flush();
      return direct.clear(kind);
    },
  };
  return { tx, flush };
}

export function kvStore(sql: SqlRunner): KVStore {
  return {
    ...kvOps(sql),
    transaction: (fn) =>
      sql.transaction(async (raw) => {
        const b = bufferedOps(raw);
        const r = await fn(b.tx);
        await b.flush();
        return r;
      }),
    async count(kind: string) {
      const row = await sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM kv WHERE kind = ?', [kind]);
      return row?.n ?? 0;
    },
  };
}
