// Commander wiring only: each subcommand's work lives in its own module (lazy-loaded), as a
// function taking one options object and returning an exit code.
import { Command, CommanderError, Option } from 'commander';
import chalk from 'chalk';
import { normalizeArgv } from './argv.js';
import { processIO, type CliIO } from './io.js';
import { VERSION } from '../engine/version.js';
import { oneLine } from './errors.js';

type Runner = (opts: Record<string, unknown>, io: CliIO) => Promise<number>;

/** Loads src/cli/<name>.ts lazily; a subcommand whose module has not landed says so (exit 2). */
async function runModule(name: string, opts: Record<string, unknown>, io: CliIO): Promise<number> {
  let mod: { run?: Runner };
  try {
    mod = (await import(`./${name}.js`)) as { run?: Runner };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(`${name}.js`)) {
      io.err(`accurate ${name}: not implemented yet`);
      return 2;
    }
    throw e;
  }
  if (typeof mod.run !== 'function') {
    io.err(`accurate ${name}: not implemented yet`);
    return 2;
  }
  return mod.run(opts, io);
}

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('accurate')
    .description('AccuRate: real-time online/offline charging (CGRateS-compatible, exact decimal money)')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride()
    .helpCommand(false);
  const configPath = () => new Option('--config-path <dir>', 'folder of *.json config files (CGRateS: -config_path)');

  program
    .command('engine')
    .description('run the charging engine (JSON-RPC, sessions, rating, accounts, CDRs, agents)')
    .addOption(configPath())
    .option('--check-config', 'print the merged config as JSON and exit')
    .addOption(new Option('--logger <kind>', 'where logs go').choices(['*stdout', '*syslog', '*stderr']))
    .option('--log-level <level>', 'log level 0 (emergency) to 7 (debug)')
    .option('--node-id <id>', 'node id reported by status')
    .action(async (opts) => setExit(await runModule('engine', opts, io)));

  program
    .command('loader')
    .description('validate a tariff-plan folder of CSV files and load it into the data DB')
    .requiredOption('--path <dir>', 'tariff-plan folder (CGRateS: -path)')
    .addOption(configPath())
    .option('--dry-run', 'validate and report only')
    .option('--verbose', 'counts per entity')
    .option('--flush', 'replace the stored tariff plan instead of merging')
    .option('--server <address>', 'engine to ask for a reload (default: the config listen.rpc_json)')
    .action(async (opts) => setExit(await runModule('loader', opts, io)));

  program
    .command('console')
    .description("talk to a running engine: accurate console status | accurate console 'account Tenant=\"cgrates.org\" Account=\"1001\"'")
    .argument('[command...]', 'command and Key=Value parameters (accurate console help lists them)')
    .option('--server <address>', 'engine JSON-RPC address', '127.0.0.1:2012')
    .option('--verbose', 'more detail (e.g. timespans of a cost)')
    .option('--json', 'always print JSON')
    .option('--timeout <ms>', 'reply timeout in milliseconds', '10000')
    .action(async (args: string[], opts) => setExit(await runModule('console', { ...opts, args }, io)));

  const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)];
  program
    .command('cdr-export')
    .description('export rated CDRs from the stor DB to CSV through an export template')
    .addOption(configPath())
    .option('--template <id>', 'export template: an ees.exporters id or a legacy cdre template', '*default')
    .option('--export-path <dir>', 'folder for the CSV file (default: the template export_path)')
    .option('--file-name <name>', 'file name (default: generated from the template and time)')
    .option('--dry-run', 'count only, write nothing')
    .option('--only-new', 'only CDRs not exported before, and mark them exported')
    .option('--accounts <list>', 'accounts (comma-separated, repeatable)', list)
    .option('--subjects <list>', 'subjects', list)
    .option('--tenants <list>', 'tenants', list)
    .option('--categories <list>', 'categories', list)
    .option('--run-ids <list>', 'run ids (e.g. *default)', list)
    .option('--request-types <list>', 'request types', list)
    .option('--origin-ids <list>', 'origin ids', list)
    .option('--destination-prefixes <list>', 'destination prefixes', list)
    .option('--setup-time-start <time>', 'setup time from (inclusive)')
    .option('--setup-time-end <time>', 'setup time to (exclusive)')
    .option('--answer-time-start <time>', 'answer time from (inclusive)')
    .option('--answer-time-end <time>', 'answer time to (exclusive)')
    .option('--min-cost <cost>', 'cost at least')
    .option('--max-cost <cost>', 'cost below')
    .option('--limit <n>', 'at most this many CDRs', (v) => Number(v))
    .action(async (opts) => setExit(await runModule('cdr-export', opts, io)));

  program
    .command('history')
    .description('browse the git archive of tariff-plan changes, or load a revision back: log | show REV [FILE] | diff REV1 [REV2] | restore REV')
    .argument('<sub>', 'log, show, diff or restore')
    .argument('[args...]', 'revisions and file')
    .addOption(configPath())
    .action(async (sub: string, args: string[], opts) => setExit(await runModule('history', { ...opts, sub, args }, io)));

  program
    .command('help')
    .description('help on a command or a topic (config, cgrates, files, console-commands, exit-codes)')
    .argument('[name]', 'a command or a topic')
    .action(async (name?: string) => {
      const { helpText } = await import('./manual.js');
      const text = helpText(program, name);
      if (text) io.out(text);
      else {
        io.err(`accurate help: no command or topic "${name}"; accurate help lists them`);
        setExit(2);
      }
    });

  program
    .command('man')
    .description('print the manual page (roff): accurate man | man -l -')
    .action(async () => {
      const { manPage } = await import('./manual.js');
      io.out(manPage(program, VERSION));
    });

  return program;
}

/** Entry point from bin/accurate. */
export async function main(argv: string[]): Promise<void> {
  // https://no-color.org: any non-empty NO_COLOR turns colours off.
  if (process.env.NO_COLOR) chalk.level = 0;
  const io = processIO();
  let code = 0;
  const sub = argv[2];
  if (sub !== 'engine') {
    // Last resort for the short-lived commands: one line, never a stack.
    const last = (e: unknown) => {
      io.err(`accurate ${sub ?? ''}: ${oneLine(e)}`.replace('  ', ' '));
      process.exit(1);
    };
    process.on('uncaughtException', last);
    process.on('unhandledRejection', last);
  }
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(normalizeArgv(argv.slice(2)), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed with the help hint.
      code = err.exitCode === 0 ? 0 : 2;
    } else {
      io.err(`accurate${argv[2] && !argv[2].startsWith('-') ? ` ${argv[2]}` : ''}: ${oneLine(err)}`);
      code = 1;
    }
  }
  process.exitCode = code;
}
