// `accurate history log | show REV [FILE] | diff REV1 [REV2]`: browse the tariff-plan archive.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../config/index.js';
import { openHistory, historyLog, historyShow, historyDiff, historyDirFor, HistoryError } from '../history/index.js';
import type { CliIO } from './io.js';

export interface HistoryOptions {
  sub: string;
  args: string[];
  configPath?: string;
}

const USAGE = 'usage: accurate history log | show REV [FILE] | diff REV1 [REV2]';

export async function run(opts: HistoryOptions, io: CliIO): Promise<number> {
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
  const args = opts.args ?? [];
  try {
    const h = await openHistory(dir);
    switch (opts.sub) {
      case 'log':
        io.out((await historyLog(h)).trimEnd());
        return 0;
      case 'show':
        if (args.length < 1 || args.length > 2) break;
        io.out((await historyShow(h, args[0], args[1])).trimEnd());
        return 0;
      case 'diff':
        if (args.length < 1 || args.length > 2) break;
        io.out((await historyDiff(h, args[0], args[1])).trimEnd());
        return 0;
    }
  } catch (e) {
    if (e instanceof HistoryError) {
      io.err(`accurate history: ${e.message}`);
      return 1;
    }
    throw e;
  }
  io.err(USAGE);
  return 2;
}
