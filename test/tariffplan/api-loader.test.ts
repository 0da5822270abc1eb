import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MethodTable } from '../../src/api/index.js';
import { register } from '../../src/api/methods/loader.js';
import { defaultConfig } from '../../src/config/index.js';
import { openSqliteDataDB, type DataDB } from '../../src/store/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { openHistory, historyEntries } from '../../src/history/index.js';
import type { Services } from '../../src/engine/services.js';

const TP = join(import.meta.dirname, '../../tp');
const BROKEN = join(import.meta.dirname, '../fixtures/tp-broken/references');

let dir: string;
let db: DataDB;
let reloads: number;
let table: MethodTable;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-api-loader-'));
  db = await openSqliteDataDB(join(dir, 'data'));
  reloads = 0;
  const config = defaultConfig();
  config.data_db.db_path = join(dir, 'data');
  config.history.history_dir = join(dir, 'history');
  table = new MethodTable();
  // Only the fields these two methods use; the engine provides the full Services.
  register(table, { config, log: silentLogger, dataDb: db, reloadTariffPlan: async () => void reloads++ } as unknown as Services);
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('APIerSv1.LoadTariffPlanFromFolder', () => {
  it('validates, saves, archives and reloads, answering OK', async () => {
    expect(await table.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: TP })).toBe('OK');
    expect(await db.count('rates')).toBe(4);
    expect(reloads).toBe(1);
    expect(await historyEntries(await openHistory(join(dir, 'history')))).toHaveLength(1);
  });

  it('the legacy ApierV1 name answers too', async () => {
    expect(await table.call('ApierV1.LoadTariffPlanFromFolder', { FolderPath: TP, DryRun: true })).toBe('OK');
  });

  it('DryRun writes nothing and does not reload', async () => {
    expect(await table.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: TP, DryRun: true })).toBe('OK');
    expect(await db.count('rates')).toBe(0);
    expect(reloads).toBe(0);
  });

  it('a bad folder is a SERVER_ERROR naming FILE:LINE:COLUMN, and nothing is written', async () => {
    await expect(table.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: BROKEN })).rejects.toThrow(
      /^SERVER_ERROR: AccountActions\.csv:3:3: Account cgrates\.org:1002 references ActionPlan AP_MISSING/,
    );
    expect(await db.count('rates')).toBe(0);
    expect(reloads).toBe(0);
  });

  it('a missing FolderPath is MANDATORY_IE_MISSING:FolderPath, as CGRateS words it', async () => {
    await expect(table.call('APIerSv1.LoadTariffPlanFromFolder', {})).rejects.toThrow(/^MANDATORY_IE_MISSING:FolderPath$/);
  });

  it('a folder that does not exist is INVALID_PATH', async () => {
    await expect(table.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(dir, 'nope') })).rejects.toThrow(/^INVALID_PATH$/);
  });
});

describe('APIerSv1.ReloadCache', () => {
  it('rebuilds the in-memory indexes and answers OK', async () => {
    expect(await table.call('APIerSv1.ReloadCache', {})).toBe('OK');
    expect(reloads).toBe(1);
  });
});
