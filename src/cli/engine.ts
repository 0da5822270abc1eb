// `accurate engine`: load the config, start the services, run until SIGINT/SIGTERM.
import { loadConfigWithInfo, ConfigError, redactSecrets } from '../config/index.js';
import { createLogger } from '../util/logger.js';
import { startEngine } from '../engine/index.js';
import { ListenError } from '../api/index.js';
import { StoreError } from '../store/index.js';
import { oneLine, isFsError } from './errors.js';
import { DATA_DB_FILE, STOR_DB_FILE } from '../store/sqlite/index.js';
import { existsSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIO } from './io.js';

/** Where the system logger listens (what logger(1) writes to). */
const SYSLOG_SOCKET = '/dev/log';

/** What a start would create: database files (with SQLite's -wal/-shm/-journal) and their folders. */
function dbArtifacts(config: { data_db: { db_path: string }; stor_db: { db_path: string } }): string[] {
  const files = [resolve(config.data_db.db_path, DATA_DB_FILE), resolve(config.stor_db.db_path, STOR_DB_FILE)];
  return [...new Set([resolve(config.data_db.db_path), resolve(config.stor_db.db_path), ...files.flatMap((f) => [f, `${f}-wal`, `${f}-shm`, `${f}-journal`])])];
}

/** A failed start leaves nothing behind: removes what it created (files first, then empty folders). */
function removeCreated(before: Set<string>, all: string[]): void {
  const created = all.filter((p) => !before.has(p) && existsSync(p));
  for (const p of created) {
    try {
      if (!readdirSyncSafe(p)) rmSync(p, { force: true });
    } catch {
      /* best effort */
    }
  }
  for (const p of created) {
    const entries = readdirSyncSafe(p);
    if (entries && entries.length === 0) rmdirSync(p);
  }
}

function readdirSyncSafe(p: string): string[] | undefined {
  try {
    return readdirSync(p);
  } catch {
    return undefined;
  }
}

export interface EngineOptions {
  configPath?: string;
  checkConfig?: boolean;
  logger?: string;
  logLevel?: string;
  nodeId?: string;
}

export async function run(opts: EngineOptions, io: CliIO): Promise<number> {
  let loaded;
  try {
    loaded = await loadConfigWithInfo(opts.configPath);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.err(p);
      io.err('accurate engine: the config has errors, not starting');
      return 1;
    }
    throw e;
  }
  const { config, warnings } = loaded;
  if (opts.logger) config.general.logger = opts.logger;
  if (opts.logLevel !== undefined) {
    const lvl = Number(opts.logLevel);
    if (!Number.isInteger(lvl) || lvl < 0 || lvl > 7) {
      io.err(`accurate engine: -log_level must be an integer from 0 to 7, got "${opts.logLevel}"`);
      return 2;
    }
    config.general.log_level = lvl;
  }
  if (opts.nodeId) config.general.node_id = opts.nodeId;
  if (opts.checkConfig) {
    for (const w of warnings) io.err(`warning: ${w}`);
    // Secrets (passwords, API keys, TLS key paths) are masked: this output gets pasted into tickets.
    io.out(JSON.stringify(redactSecrets(config), null, 2));
    return 0;
  }
  if (config.general.logger === '*syslog' && !existsSync(SYSLOG_SOCKET)) {
    io.err(`accurate engine: -logger=*syslog but no syslog is reachable (${SYSLOG_SOCKET} does not exist; is rsyslog or journald running?); logging to stderr instead`);
    config.general.logger = '*stderr';
  }
  const log = createLogger(config.general.logger, config.general.log_level, { nodeId: config.general.node_id });
  for (const w of warnings) log.warning(w);
  const artifacts = dbArtifacts(config);
  const existed = new Set(artifacts.filter((p) => existsSync(p)));
  // Listening for signals before starting: a SIGTERM while the engine starts (systemd stopping it
  // right away) must still end in a clean stop, not Node's default kill.
  let signalled: string | undefined;
  let wake: ((s: string) => void) | undefined;
  const onSignal = (s: string) => {
    signalled ??= s;
    wake?.(s);
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  let engine;
  try {
    engine = await startEngine(config, log);
  } catch (e) {
    removeCreated(existed, artifacts);
    const msg = oneLine(e);
    io.err(`accurate engine: ${msg}`);
    // A bug deserves its stack in the log; a busy port or an unusable folder does not.
    if (!(e instanceof ListenError) && !(e instanceof StoreError) && !isFsError(e)) log.crit(e instanceof Error && e.stack ? e.stack : msg);
    await log.close();
    return 1;
  }
  const signal = signalled ?? (await new Promise<string>((resolve) => (wake = resolve)));
  log.info(`${signal} received, shutting down`);
  await engine.stop();
  log.info('stopped');
  await log.close();
  return 0;
}
