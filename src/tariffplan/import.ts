// One load of a folder into the DataDB: read + validate (nothing written on error), merge with
// what is stored, diff, save in one transaction. Shared by the loader command and the API.
import type { DataDB, KVStore } from '../store/types.js';
import { readTariffPlanFolder, type ReadOptions, type ReadResult } from './folder.js';
import { diffTariffPlans, mergeTariffPlans, type TariffPlanDiff } from './merge.js';
import type { TariffPlan } from './model.js';
import { loadStoredTariffPlan, saveTariffPlan } from './persist.js';

export interface ImportOptions {
  flush?: boolean;
  /** Validate and diff only; write nothing. */
  dryRun?: boolean;
  timezone?: string;
  onFile?: ReadOptions['onFile'];
  onProgress?: ReadOptions['onProgress'];
}

export interface ImportResult extends ReadResult {
  /** The stored plan before the load. */
  before: TariffPlan;
  /** The stored plan after the load (what it would be, for a dry run). */
  after: TariffPlan;
  diff: TariffPlanDiff;
  /** Entity documents written (0 for a dry run). */
  written: number;
}

/** Throws TariffPlanError (store untouched) when the folder does not validate. */
export async function importTariffPlan(dataDb: DataDB | KVStore, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const before = await loadStoredTariffPlan(dataDb);
  const read = await readTariffPlanFolder(path, { timezone: opts.timezone, onFile: opts.onFile, onProgress: opts.onProgress, known: opts.flush ? undefined : before });
  const after = mergeTariffPlans(before, read.tp, { flush: opts.flush });
  const diff = diffTariffPlans(before, after);
  if (!opts.dryRun) opts.onProgress?.('saving to the DataDB');
  const written = opts.dryRun ? 0 : await saveTariffPlan(dataDb, read.tp, { flush: opts.flush });
  return { ...read, before, after, diff, written };
}
