// `accurate engine`: load the config, start the services, run until SIGINT/SIGTERM.
import { loadConfigWithInfo, ConfigError, redactSecrets } from '../config/index.js';
import { createLogger } from '../util/logger.js';
import { startEngine } from '../engine/index.js';
import { ListenError } from '../api/index.js';
import type { CliIO } from './io.js';

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
  const log = createLogger(config.general.logger, config.general.log_level, { nodeId: config.general.node_id });
  for (const w of warnings) log.warning(w);
  let engine;
  try {
    engine = await startEngine(config, log);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`accurate engine: ${msg}`);
    if (!(e instanceof ListenError)) log.crit(e instanceof Error && e.stack ? e.stack : msg);
    await log.close();
    return 1;
  }
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info(`${signal} received, shutting down`);
  await engine.stop();
  log.info('stopped');
  await log.close();
  return 0;
}
