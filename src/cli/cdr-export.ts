// `accurate cdr-export`: rated CDRs from the StorDB into one CSV file through an export template.
// Reads the StorDB directly (no engine needed); with -only_new it exports what no earlier export
// took and marks it. Output only; the work is in cdrs/ and export/.
import chalk from 'chalk';
import { startSpinner } from './spinner.js';
import { loadConfig, ConfigError } from '../config/index.js';
import { openSqliteDataDB, openSqliteStorDB } from '../store/index.js';
import { loadStoredTariffPlan } from '../tariffplan/index.js';
import { CdrRepository, CdrQueryError, type CDRsFilter } from '../cdrs/index.js';
import { exportStoredCDRs, findTemplate, needsDestinations, TemplateError, ExportPathError, DEFAULT_EXPORT_PATH, type ExportTemplate } from '../export/index.js';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FilterService } from '../filters/index.js';
import type { CliIO } from './io.js';

export interface CdrExportOptions {
  configPath?: string;
  /** ees exporter id or cdre template name; default `*default`. */
  template?: string;
  /** Folder for the file; default the template's export_path. */
  exportPath?: string;
  fileName?: string;
  /** Count and total only. */
  dryRun?: boolean;
  /** Only CDRs no earlier export took; they are marked exported afterwards. */
  onlyNew?: boolean;
  accounts?: string[];
  subjects?: string[];
  tenants?: string[];
  categories?: string[];
  runIds?: string[];
  requestTypes?: string[];
  originIds?: string[];
  destinationPrefixes?: string[];
  setupTimeStart?: string;
  setupTimeEnd?: string;
  answerTimeStart?: string;
  answerTimeEnd?: string;
  minCost?: string;
  maxCost?: string;
  /** At most this many CDRs. */
  limit?: number;
}

function filterFrom(opts: CdrExportOptions, timezone: string): CDRsFilter {
  const f: CDRsFilter = { Timezone: timezone };
  const lists: [keyof CdrExportOptions, keyof CDRsFilter][] = [
    ['accounts', 'Accounts'], ['subjects', 'Subjects'], ['tenants', 'Tenants'], ['categories', 'Categories'], ['runIds', 'RunIDs'],
    ['requestTypes', 'RequestTypes'], ['originIds', 'OriginIDs'], ['destinationPrefixes', 'DestinationPrefixes'],
  ];
  for (const [o, k] of lists) {
    const v = opts[o] as string[] | undefined;
    if (v && v.length > 0) (f as Record<string, unknown>)[k] = v.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  }
  if (opts.setupTimeStart) f.SetupTimeStart = opts.setupTimeStart;
  if (opts.setupTimeEnd) f.SetupTimeEnd = opts.setupTimeEnd;
  if (opts.answerTimeStart) f.AnswerTimeStart = opts.answerTimeStart;
  if (opts.answerTimeEnd) f.AnswerTimeEnd = opts.answerTimeEnd;
  if (opts.minCost) f.MinCost = opts.minCost;
  if (opts.maxCost) f.MaxCost = opts.maxCost;
  return f;
}

export async function run(opts: CdrExportOptions, io: CliIO): Promise<number> {
  let config;
  try {
    config = await loadConfig(opts.configPath);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(`accurate cdr-export: bad config:\n${e.problems.map((p) => `  ${p}`).join('\n')}`);
      return 1;
    }
    throw e;
  }
  let template: ExportTemplate;
  try {
    template = findTemplate(config, opts.template ?? '*default');
  } catch (e) {
    if (e instanceof TemplateError) {
      io.err(`accurate cdr-export: ${e.message}`);
      return 1;
    }
    throw e;
  }
  for (const [flag, v] of [['-min_cost', opts.minCost], ['-max_cost', opts.maxCost]] as const) {
    if (v !== undefined && !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(v.trim())) {
      io.err(`accurate cdr-export: ${flag} "${v}" is not a number`);
      return 2;
    }
  }
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit <= 0)) {
    io.err(`accurate cdr-export: -limit must be a positive integer, have ${opts.limit}`);
    return 2;
  }
  const tz = config.general.default_timezone;
  const filter = filterFrom(opts, tz);
  // The packaged default (/var/spool/accurate/ees) is for a system install; a user without write
  // access there gets a folder beside the StorDB instead of an EACCES.
  let exportPath = opts.exportPath;
  if (!exportPath && !opts.dryRun && template.exportPath === DEFAULT_EXPORT_PATH && !writable(DEFAULT_EXPORT_PATH)) {
    exportPath = resolve(config.stor_db.db_path, 'ees');
    io.err(`${DEFAULT_EXPORT_PATH} is not writable for this user; exporting to ${exportPath} (set ees.exporters[].export_path or -export_path)`);
  }

  let destinationsFor: ((n: string) => string[]) | undefined;
  if (needsDestinations(template)) {
    const dataDb = await openSqliteDataDB(config.data_db.db_path);
    try {
      const dests = Object.values((await loadStoredTariffPlan(dataDb)).destinations);
      destinationsFor = (n) => dests.filter((d) => d.prefixes.some((p) => n.startsWith(p))).map((d) => d.id);
    } finally {
      await dataDb.close();
    }
  }

  const storDb = await openSqliteStorDB(config.stor_db.db_path);
  const spinner = startSpinner(io, 'counting CDRs');
  try {
    const repo = new CdrRepository(storDb);
    let result;
    try {
      result = await exportStoredCDRs(repo, template, filter, {
        onlyNew: opts.onlyNew, limit: opts.limit, exportPath, fileName: opts.fileName, dryRun: opts.dryRun, timezone: tz,
        roundingDecimals: config.general.rounding_decimals, rsrSeparator: config.general.rsr_separator,
        filters: new FilterService({}, { timezone: tz }), destinationsFor,
        onProgress: (done, total) => {
          if (spinner && (done % 500 === 0 || done === total)) spinner.text = `exporting ${done}/${total}`;
        },
      });
    } catch (e) {
      if (e instanceof CdrQueryError) {
        spinner?.fail();
        io.err(`accurate cdr-export: ${e.message}`);
        return 2;
      }
      throw e;
    }
    if (!result) {
      spinner?.stop();
      io.out(`no CDRs to export${opts.onlyNew ? ' (every matching CDR was exported before)' : ''}`);
      return 0;
    }
    spinner?.stop();
    for (const e of result.errors.slice(0, 10)) io.err(`skipped ${e.CGRID} ${e.RunID}: ${e.error}`);
    if (result.errors.length > 10) io.err(`... and ${result.errors.length - 10} more`);
    const cost = result.totalCost.toFixed();
    const skipped = result.skipped ? `, ${result.skipped} skipped` : '';
    if (opts.dryRun) {
      io.out(`dry run: ${cdrs(result.count)} would be exported with template ${template.id}, total cost ${cost}${skipped}`);
    } else {
      const line = `exported ${cdrs(result.count)}, total cost ${cost}${skipped}, to ${result.fileName}`;
      io.out(io.tty ? chalk.green(line) : line);
    }
    return result.errors.length > 0 ? 1 : 0;
  } catch (e) {
    spinner?.fail();
    if (e instanceof TemplateError || e instanceof CdrQueryError || e instanceof ExportPathError) {
      io.err(`accurate cdr-export: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await storDb.close();
  }
}

/** The folder exists and is writable, or its nearest existing ancestor is (mkdir -p would work). */
function writable(folder: string): boolean {
  let p = resolve(folder);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function cdrs(n: number): string {
  return `${n} CDR${n === 1 ? '' : 's'}`;
}
