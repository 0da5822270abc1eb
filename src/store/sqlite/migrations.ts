// Forward-only schema migrations. Append, never edit a released one.
import type { Migration } from '../types.js';
import { KV_TABLE_SQL } from './kv.js';

export const DATA_DB_MIGRATIONS: readonly Migration[] = [{ version: 1, description: 'documents by kind and id', sql: KV_TABLE_SQL }];

export const STOR_DB_MIGRATIONS: readonly Migration[] = [{ version: 1, description: 'documents by kind and id', sql: KV_TABLE_SQL }];
