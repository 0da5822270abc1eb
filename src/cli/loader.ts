// `accurate loader -path tp/`: validate a tariff-plan folder, save it in the DataDB, archive it
// in history, and ask a running engine to reload. Output only; the work is in tariffplan/history.
import { resolve, join } from 'node:path';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import chalk from 'chalk';
import { startSpinner } from './spinner.js';
import { loadConfig, ConfigError } from '../config/index.js';
import { openSqliteDataDB } from '../store/index.js';
import { DATA_DB_FILE } from '../store/sqlite/index.js';
import {
  importTariffPlan, TariffPlanError, ENTITY_KINDS, summarizeDiff, isEmptyDiff, kindLabel, type ImportResult,
} from '../tariffplan/index.js';
import { openHistory, recordTariffPlan, historyDirFor, HistoryError, csvTextsOf, defaultAuthor } from '../history/index.js';
import { rpcCall, RpcUnavailableError, RpcRemoteError, RpcProtocolError } from '../api/index.js';
import { addressProblem } from './flags.js';
import type { CliIO } from './io.js';

export interface LoaderOptions {
  path: string;
  configPath?: string;
  dryRun?: boolean;
  verbose?: boolean;
  flush?: boolean;
  /** Engine to ask for a reload; default the config's listen.rpc_json. */
  server?: string;
}

export async function run(opts: LoaderOptions, io: CliIO): Promise<number> {
  // Every flag is checked before anything is read or written.
  if (!opts.path) {
    io.err('accurate loader: -path DIR is required');
    return 2;
  }
  const folder = resolve(opts.path);
  if (!existsSync(folder)) {
    io.err(`accurate loader: -path ${folder}: no such folder`);
    return 2;
  }
  if (!statSync(folder).isDirectory()) {
    io.err(`accurate loader: -path ${folder}: not a folder`);
    return 2;
  }
  if (opts.server) {
    const bad = addressProblem('-server', opts.server);
    if (bad) {
      io.err(`accurate loader: ${bad}`);
      return 2;
    }
  }
  let config;
  try {
    config = await loadConfig(opts.configPath);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`accurate loader: bad config:\n${e.problems.map((p) => `  ${p}`).join('\n')}`);
      return 1;
    }
    throw e;
  }
  const dbFile = resolve(config.data_db.db_path, DATA_DB_FILE);
  const server = opts.server || config.listen.rpc_json;

  // Before writing, ask the running engine (if any) which DataDB it uses: a load into another
  // database would be silently ignored by it.
  let engineUp = false;
  if (!opts.dryRun && server) {
    const check = await engineBeforeWrite(server, dbFile);
    if ('error' in check) {
      io.err(`accurate loader: ${check.error}. Nothing was loaded.`);
      return 1;
    }
    engineUp = check.up;
  }

  const spinner = startSpinner(io, `reading ${folder}`);
  // A dry run never creates a database: with none yet, it diffs against an empty one in a temp folder.
  const scratch = opts.dryRun && !existsSync(dbFile) ? await mkdtemp(join(tmpdir(), 'accurate-dry-run-')) : undefined;
  let result: ImportResult;
  try {
    const db = await openSqliteDataDB(scratch ?? config.data_db.db_path);
    try {
      result = await importTariffPlan(db, folder, {
        flush: opts.flush,
        dryRun: opts.dryRun,
        timezone: config.general.default_timezone,
        onFile: (file, i, total) => {
          if (spinner) spinner.text = `[${i + 1}/${total}] ${file}`;
        },
        onProgress: spinner ? (text) => { spinner.text = text; spinner.render(); } : undefined,
      });
    } catch (e) {
      if (e instanceof TariffPlanError) {
        const n = e.issues.length;
        spinner?.fail(`${folder}: ${n} error${n === 1 ? '' : 's'}, nothing loaded`);
        const shown = e.lines.slice(0, MAX_ERRORS_SHOWN);
        for (const line of shown) io.err(line);
        const all = e.stopped ? `checking stopped after ${n}` : `${n} in all`;
        if (n > shown.length) io.err(`... and ${n - shown.length} more error${n - shown.length === 1 ? '' : 's'} (${all})`);
        if (!spinner) io.err(`${e.stopped ? 'at least ' : ''}${n} error${n === 1 ? '' : 's'} in ${folder}; nothing was loaded`);
        return 1;
      }
      throw e;
    } finally {
      await db.close();
    }
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
  spinner?.stop();

  for (const n of result.notices) io.err(`note: ${n}`);
  if (opts.verbose) {
    io.out(`${'entity'.padEnd(18)} ${'count'.padStart(6)}   changes`);
    for (const k of ENTITY_KINDS) {
      const d = result.diff[k];
      io.out(`${kindLabel(k).padEnd(18)} ${String(result.counts[k]).padStart(6)}   (+${d.added.length} ~${d.changed.length} -${d.removed.length})`);
    }
  }
  const change = isEmptyDiff(result.diff) ? 'no changes' : summarizeDiff(result.diff);
  const total = ENTITY_KINDS.reduce((n, k) => n + result.counts[k], 0);
  const files = plural(result.files.length, 'file');
  if (opts.dryRun) {
    io.out(`dry run: ${folder} is valid (${plural(total, 'entity', 'entities')} from ${files}); would change: ${change}`);
    return 0;
  }

  let archived = '';
  const historyDir = historyDirFor(config);
  if (historyDir) {
    try {
      const rec = await recordTariffPlan(await openHistory(historyDir), result.after, {
        source: folder, csv: await csvTextsOf(folder), replaceCsv: opts.flush, author: defaultAuthor(config.history.author),
      });
      archived = rec.committed ? `; history ${rec.commit!.slice(0, 10)}` : '';
    } catch (e) {
      // The load itself succeeded: a broken archive is reported, not fatal.
      if (!(e instanceof HistoryError)) throw e;
      io.err(`warning: tariff plan loaded but not archived: ${e.message}`);
    }
  }
  const ok = `loaded ${folder} into ${dbFile}: ${plural(total, 'entity', 'entities')} from ${files}, ${change}${archived}`;
  io.out(io.tty ? chalk.green(ok) : ok);

  if (!engineUp) {
    io.out(`no engine answered at ${server}; it will use the new tariff plan when it starts`);
    return 0;
  }
  return reloadEngine(server, io, 'loader');
}

/**
 * Asks the engine at `server` which DataDB it reads, before anything is written: `up` false when no
 * engine answers; an error when it reads another database or the peer is not a JSON-RPC engine.
 */
export async function engineBeforeWrite(server: string, dbFile: string): Promise<{ up: boolean } | { error: string }> {
  try {
    const status = await rpcCall<{ data_db?: string }>(server, 'CoreSv1.Status', {}, { timeoutMs: 5000 });
    if (status.data_db && !samePath(status.data_db, dbFile)) {
      return { error: `the engine at ${server} uses the DataDB ${status.data_db}, this would write ${dbFile} (data_db.db_path relative to ${process.cwd()}); run with the engine's -config_path or from its folder` };
    }
    return { up: true };
  } catch (e) {
    if (e instanceof RpcProtocolError) return { error: e.message };
    // An engine that answers but has no CoreSv1.Status (an older one) still gets its reload.
    if (e instanceof RpcRemoteError) return { up: true };
    if (e instanceof RpcUnavailableError) return { up: false };
    throw e;
  }
}

/** Asks a running engine to reload its tariff plan; 0 when it did. */
export async function reloadEngine(server: string, io: CliIO, who: string): Promise<number> {
  try {
    await rpcCall(server, 'APIerSv1.ReloadCache', {}, { timeoutMs: 30_000 });
    io.out(`engine at ${server} reloaded the tariff plan`);
    return 0;
  } catch (e) {
    if (e instanceof RpcUnavailableError || e instanceof RpcRemoteError) {
      io.err(`accurate ${who}: loaded, but the engine at ${server} did not reload: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** Error lines printed for a broken folder; the rest are counted (a garbage file can have millions). */
export const MAX_ERRORS_SHOWN = 100;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}
