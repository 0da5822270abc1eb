// `accurate history log | show REV [FILE] | diff REV1 [REV2] | restore REV`: browse the
// tariff-plan archive, and load an archived revision back (recorded as a new change).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, ConfigError, type EngineConfig } from '../config/index.js';
import {
  openHistory, historyLog, historyShow, historyDiff, historyDirFor, HistoryError, planAt, csvAt, recordTariffPlan, defaultAuthor, checkRev,
  type History,
} from '../history/index.js';
import { openSqliteDataDB } from '../store/index.js';
import { DATA_DB_FILE } from '../store/sqlite/index.js';
import { saveTariffPlan } from '../tariffplan/index.js';
import { engineBeforeWrite, reloadEngine } from './loader.js';
import type { CliIO } from './io.js';

export interface HistoryOptions {
  sub: string;
  args: string[];
  configPath?: string;
}

const USAGE = 'usage: accurate history log | show REV [FILE] | diff REV1 [REV2] | restore REV';

export async function run(opts: HistoryOptions, io: CliIO): Promise<number> {
  const args = opts.args ?? [];
  const arity: Record<string, [number, number]> = { log: [0, 0], show: [1, 2], diff: [1, 2], restore: [1, 1] };
  const range = arity[opts.sub];
  if (!range || args.length < range[0] || args.length > range[1]) {
    io.err(USAGE);
    return 2;
  }
  let config;
  try {
    config = await loadConfig(opts.configPath);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`accurate history: bad config:\n${e.problems.map((p) => `  ${p}`).join('\n')}`);
      return 1;
    }
    throw e;
  }
  const dir = historyDirFor(config);
  if (!dir) {
    io.err('accurate history: history is disabled in the config (history.enabled)');
    return 1;
  }
  if (!existsSync(join(dir, '.git'))) {
    io.err(`accurate history: no archive at ${dir} yet; load a tariff plan with \`accurate loader -path DIR\` first`);
    return 1;
  }
  try {
    // Revisions are checked before git sees them: `show -- --output=/tmp/x` is not an option.
    if (opts.sub !== 'log') checkRev(args[0]);
    if (opts.sub === 'diff' && args[1]) checkRev(args[1]);
    const h = await openHistory(dir);
    switch (opts.sub) {
      case 'log':
        io.out((await historyLog(h)).trimEnd());
        return 0;
      case 'show':
        io.out((await historyShow(h, args[0], args[1])).trimEnd());
        return 0;
      case 'diff':
        io.out((await historyDiff(h, args[0], args[1])).trimEnd());
        return 0;
      default:
        return await restore(h, args[0], config, io);
    }
  } catch (e) {
    if (e instanceof HistoryError) {
      io.err(`accurate history: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** Loads the plan archived at `rev` into the DataDB (replacing what is stored) and archives that as a new change. */
async function restore(h: History, rev: string, config: EngineConfig, io: CliIO): Promise<number> {
  const plan = await planAt(h, rev);
  const csv = await csvAt(h, rev);
  const dbFile = resolve(config.data_db.db_path, DATA_DB_FILE);
  const server = config.listen.rpc_json;
  const check = server ? await engineBeforeWrite(server, dbFile) : { up: false };
  if ('error' in check) {
    io.err(`accurate history: ${check.error}. Nothing was restored.`);
    return 1;
  }
  const db = await openSqliteDataDB(config.data_db.db_path);
  try {
    await saveTariffPlan(db, plan, { flush: true });
  } finally {
    await db.close();
  }
  const short = rev.length > 10 && /^[0-9a-f]+$/.test(rev) ? rev.slice(0, 10) : rev;
  const rec = await recordTariffPlan(h, plan, { source: `history restore ${rev}`, csv, replaceCsv: true, author: defaultAuthor(config.history.author), subject: `restore ${short}` });
  io.out(`restored ${short} into ${dbFile}: ${rec.committed ? `${rec.summary || 'no entity changes'}; history ${rec.commit!.slice(0, 10)}` : 'already the stored plan'}`);
  if (!check.up) {
    io.out(`no engine answered at ${server}; it will use the restored tariff plan when it starts`);
    return 0;
  }
  return reloadEngine(server, io, 'history');
}
