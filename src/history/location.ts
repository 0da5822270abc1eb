// Where the archive lives: config history.history_dir, else a `history` folder beside the DataDB.
import { join } from 'node:path';

export interface HistoryConfigView {
  history: { enabled: boolean; history_dir: string; author?: string };
  data_db: { db_path: string };
}

/** The archive folder, or undefined when history is disabled. */
export function historyDirFor(config: HistoryConfigView): string | undefined {
  if (!config.history.enabled) return undefined;
  // The config loader fills the default (<data_db.db_path>/history); a config built in code may leave it empty.
  return config.history.history_dir || join(config.data_db.db_path, 'history');
}
