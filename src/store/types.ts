// The storage interface. Rooms above (rating, accounts, sessions, cdrs) see only this, never SQLite.

/** A transaction: every write inside one `transaction()` call commits together or not at all. */
export interface KVTx {
  get<T>(kind: string, id: string): Promise<T | undefined>;
  list<T>(kind: string): Promise<Map<string, T>>;
  put(kind: string, id: string, value: unknown): Promise<void>;
  /** `put` of a value the caller has already serialised (and keeps, e.g. in a cache of what is stored). */
  putJson(kind: string, id: string, json: string): Promise<void>;
  /** Writes many documents of a kind with multi-row statements (bulk loads). */
  putMany(kind: string, entries: Iterable<[string, unknown]>): Promise<number>;
  delete(kind: string, id: string): Promise<boolean>;
  /** Deletes many ids of a kind in as few statements as the parameter limit allows; returns how many. */
  deleteMany(kind: string, ids: readonly string[]): Promise<number>;
  /** Removes every entry of a kind (loader `-flush`). */
  clear(kind: string): Promise<number>;
}

/** Documents by kind and id. DataDB kinds: the tariff-plan entity kinds, `accounts`, `scheduler` ... */
export interface KVStore extends KVTx {
  transaction<R>(fn: (tx: KVTx) => Promise<R>): Promise<R>;
  count(kind: string): Promise<number>;
}

export interface DataDB extends KVStore {
  readonly path: string;
  close(): Promise<void>;
}

/** StorDB: CDRs, session costs and live-session state. CDR tables come with the CDR server. */
export interface StorDB extends KVStore {
  readonly path: string;
  /** Raw SQL for the StorDB's own tables (cdrs): used only by src/cdrs' repository. */
  sql: SqlRunner;
  close(): Promise<void>;
}

export interface SqlRunner {
  run(sql: string, params?: unknown[]): Promise<{ changes: number; lastID: number }>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Serialised with every other transaction on this database. */
  transaction<R>(fn: (sql: SqlRunner) => Promise<R>): Promise<R>;
  /** Several reads that see one commit, without waiting for or holding up writers (inside a transaction: that transaction). */
  snapshot<R>(fn: (sql: SqlRunner) => Promise<R>): Promise<R>;
}

/** A forward migration: applied once, in order, inside a transaction. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}
