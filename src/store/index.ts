export type { DataDB, StorDB, KVStore, KVTx, SqlRunner, Migration } from './types.js';
export { openSqliteDataDB, openSqliteStorDB, StoreError, SqliteDatabase } from './sqlite/index.js';
