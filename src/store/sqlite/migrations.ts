// Forward-only schema migrations. Append, never edit a released one.
import type { Migration } from '../types.js';
import { KV_TABLE_SQL } from './kv.js';

export const DATA_DB_MIGRATIONS: readonly Migration[] = [{ version: 1, description: 'documents by kind and id', sql: KV_TABLE_SQL }];

// Version 2: rated CDRs (one row per CGRID and RunID; `id` is CGRateS's OrderID) and session costs.
// Money is TEXT (exact decimal), instants are epoch ms, usage is nanoseconds.
const CDRS_SQL = `CREATE TABLE cdrs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cgrid TEXT NOT NULL,
  run_id TEXT NOT NULL,
  origin_host TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  origin_id TEXT NOT NULL DEFAULT '',
  tor TEXT NOT NULL DEFAULT '',
  request_type TEXT NOT NULL DEFAULT '',
  tenant TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  account TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  destination TEXT NOT NULL DEFAULT '',
  setup_time INTEGER NOT NULL,
  answer_time INTEGER NOT NULL,
  usage INTEGER NOT NULL DEFAULT 0,
  cost TEXT NOT NULL DEFAULT '-1',
  cost_source TEXT NOT NULL DEFAULT '',
  extra_fields TEXT NOT NULL DEFAULT '{}',
  extra_info TEXT NOT NULL DEFAULT '',
  partial INTEGER NOT NULL DEFAULT 0,
  pre_rated INTEGER NOT NULL DEFAULT 0,
  cost_details TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  exported_at INTEGER,
  export_id TEXT,
  UNIQUE (cgrid, run_id)
);
CREATE INDEX cdrs_setup_time ON cdrs (setup_time);
CREATE INDEX cdrs_answer_time ON cdrs (answer_time);
CREATE INDEX cdrs_account ON cdrs (tenant, account);
CREATE INDEX cdrs_origin_id ON cdrs (origin_id);
CREATE INDEX cdrs_run_id ON cdrs (run_id);
CREATE INDEX cdrs_unexported ON cdrs (exported_at, id);
CREATE TABLE sm_costs (
  cgrid TEXT NOT NULL,
  run_id TEXT NOT NULL,
  origin_host TEXT NOT NULL DEFAULT '',
  origin_id TEXT NOT NULL DEFAULT '',
  cost_source TEXT NOT NULL DEFAULT '',
  usage INTEGER NOT NULL DEFAULT 0,
  cost_details TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (cgrid, run_id)
);
CREATE INDEX sm_costs_origin ON sm_costs (origin_host, origin_id)`;

export const STOR_DB_MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'documents by kind and id', sql: KV_TABLE_SQL },
  { version: 2, description: 'cdrs and session costs', sql: CDRS_SQL },
  // Go keeps nanoseconds: the part of SetupTime/AnswerTime below the millisecond (0..999999).
  {
    version: 3, description: 'cdr times to the nanosecond',
    sql: 'ALTER TABLE cdrs ADD COLUMN setup_time_ns INTEGER NOT NULL DEFAULT 0;\nALTER TABLE cdrs ADD COLUMN answer_time_ns INTEGER NOT NULL DEFAULT 0',
  },
];
