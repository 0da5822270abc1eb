export type { DataDB, StorDB, KVStore, KVTx, SqlRunner, Migration } from './types.js';
export { openSqliteDataDB, openSqliteStorDB, StoreError, SqliteDatabase } from './sqlite/index.js';
export { withTxHook, takeTxHook, type TxHook } from './tx-hook.js';
