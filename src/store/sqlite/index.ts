import { join } from 'node:path';
import type { DataDB, StorDB } from '../types.js';
import { SqliteDatabase } from './database.js';
import { kvStore } from './kv.js';
import { DATA_DB_MIGRATIONS, STOR_DB_MIGRATIONS } from './migrations.js';

export { SqliteDatabase, StoreError } from './database.js';
export { DATA_DB_MIGRATIONS, STOR_DB_MIGRATIONS } from './migrations.js';

export const DATA_DB_FILE = 'datadb.sqlite';
export const STOR_DB_FILE = 'stordb.sqlite';

export async function openSqliteDataDB(folder: string): Promise<DataDB> {
  const db = await SqliteDatabase.open(join(folder, DATA_DB_FILE));
  await db.migrate(DATA_DB_MIGRATIONS);
  return { ...kvStore(db), path: db.file, close: () => db.close() };
}

export async function openSqliteStorDB(folder: string): Promise<StorDB> {
  const db = await SqliteDatabase.open(join(folder, STOR_DB_FILE));
  await db.migrate(STOR_DB_MIGRATIONS);
  return { ...kvStore(db), path: db.file, sql: db, close: () => db.close() };
}
