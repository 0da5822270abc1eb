// `accurate loader -path tp/`: validate a tariff-plan folder, save it in the DataDB, archive it
// in history, and ask a running engine to reload. Output only; the work is in tariffplan/history.
import { resolve } from 'node:path';
import chalk from 'chalk';
import { startSpinner } from './spinner.js';
import { loadConfig, ConfigError } from '../config/index.js';
import { openSqliteDataDB } from '../store/index.js';
import {
  importTariffPlan, TariffPlanError, ENTITY_KINDS, summarizeDiff, isEmptyDiff, kindLabel, type ImportResult,
} from '../tariffplan/index.js';
import { openHistory, recordTariffPlan, historyDirFor, HistoryError } from '../history/index.js';
import { rpcCall, RpcUnavailableError, RpcRemoteError } from '../api/index.js';
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
  if (!opts.path) {
    io.err('accurate loader: -path DIR is required');
    return 2;
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
  const folder = resolve(opts.path);
  const spinner = startSpinner(io, `reading ${folder}`);
  const db = await openSqliteDataDB(config.data_db.db_path);
  let result: ImportResult;
  try {
    try {
      result = await importTariffPlan(db, folder, {
        flush: opts.flush,
        dryRun: opts.dryRun,
        timezone: config.general.default_timezone,
        onFile: (file, i, total) => {
          if (spinner) spinner.text = `[${i + 1}/${total}] ${file}`;
        },
      });
    } catch (e) {
      if (e instanceof TariffPlanError) {
        spinner?.fail(`${folder}: ${e.issues.length} error${e.issues.length === 1 ? '' : 's'}, nothing loaded`);
        for (const line of e.lines) io.err(line);
        if (!spinner) io.err(`${e.issues.length} error${e.issues.length === 1 ? '' : 's'} in ${folder}; nothing was loaded`);
        return 1;
      }
      throw e;
    }
  } finally {
    await db.close();
  }
  spinner?.stop();

  for (const n of result.notices) io.err(`note: ${n}`);
  if (opts.verbose) {
    for (const k of ENTITY_KINDS) {
      const d = result.diff[k];
      io.out(`${kindLabel(k).padEnd(18)} ${String(result.counts[k]).padStart(6)}   (+${d.added.length} ~${d.changed.length} -${d.removed.length})`);
    }
  }
  const change = isEmptyDiff(result.diff) ? 'no changes' : summarizeDiff(result.diff);
  const total = ENTITY_KINDS.reduce((n, k) => n + result.counts[k], 0);
  if (opts.dryRun) {
    io.out(`dry run: ${folder} is valid (${total} entities from ${result.files.length} files); would change: ${change}`);
    return 0;
  }

  let archived = '';
  const historyDir = historyDirFor(config);
  if (historyDir) {
    try {
      const rec = await recordTariffPlan(await openHistory(historyDir), result.after, { source: folder });
      archived = rec.committed ? `; history ${rec.commit!.slice(0, 10)}` : '';
    } catch (e) {
      // The load itself succeeded: a broken archive is reported, not fatal.
      if (!(e instanceof HistoryError)) throw e;
      io.err(`warning: tariff plan loaded but not archived: ${e.message}`);
    }
  }
  const ok = `loaded ${folder}: ${total} entities from ${result.files.length} files, ${change}${archived}`;
  io.out(io.tty ? chalk.green(ok) : ok);

  const server = opts.server || config.listen.rpc_json;
  try {
    await rpcCall(server, 'APIerSv1.ReloadCache', {}, { timeoutMs: 5000 });
    io.out(`engine at ${server} reloaded the tariff plan`);
  } catch (e) {
    if (e instanceof RpcUnavailableError) {
      io.out(`no engine answered at ${server}; it will use the new tariff plan when it starts`);
    } else if (e instanceof RpcRemoteError) {
      io.err(`warning: engine at ${server} could not reload: ${e.message}`);
    } else throw e;
  }
  return 0;
}
