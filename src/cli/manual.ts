// `accurate help [COMMAND|TOPIC]` and `accurate man`: help topics and a man page generated from
// the command table (commander's definitions), so the manual cannot drift from the flags.
import type { Command } from 'commander';
import { CONSOLE_COMMANDS, usageLine } from '../api/commands.js';

export const TOPICS: Record<string, { summary: string; text: string }> = {
  config: {
    summary: 'where the config is read from and how files merge',
    text: `-config_path DIR reads every *.json file under DIR (sorted by path) and merges them onto the
embedded defaults: objects key by key, lists of objects with an "id" item by item, other lists
replace. JSON with // and /* */ comments and trailing commas, as CGRateS's configs.
accurate engine -config_path DIR -check_config prints the merged config and every warning.
Every problem is reported at once as FILE:LINE:COLUMN: key: what is wrong, and the engine does not start.`,
  },
  cgrates: {
    summary: 'which CGRateS settings are honoured, accepted and ignored, or refused',
    text: `Honoured: general, listen, http, data_db/stor_db db_path, rals, schedulers, cdrs, chargers,
attributes, sessions, apiers, ees (exporters of type *file_csv, with *hdr/*trl fields and
~*em metrics), cdre (legacy templates), opensips_agent, diameter_agent.
Accepted with one warning, SQLite used instead: data_db/stor_db db_type *redis, *mongo, *mysql,
*postgres, *internal (their db_host, db_port, db_name, db_user, db_password ... are ignored).
Accepted and ignored with a warning: sections AccuRate does not run (resources, stats, thresholds,
routes, dispatchers, loaders, ers, caches, rpc_conns, the FreeSWITCH/Kamailio/Asterisk/RADIUS/DNS/
HTTP agents ...) and unknown keys (with a did-you-mean when one is close).
Refused: values of the wrong type, unknown enum values, bad durations, addresses and ports, with
FILE:LINE:COLUMN.`,
  },
  files: {
    summary: 'what AccuRate writes where',
    text: `data_db.db_path (default ./data, relative to the working folder): datadb.sqlite (tariff plans,
accounts, scheduler state). stor_db.db_path: stordb.sqlite (CDRs, session costs).
history.history_dir (default <data_db.db_path>/history): a git repository with every loaded
tariff plan, the CSV files as loaded and one JSON file per kind.
ees.exporters[].export_path (default /var/spool/accurate/ees; <stor_db.db_path>/ees for a user
who cannot write there): exported CSV files.
The loader prints the database it wrote; accurate console status shows the engine's.`,
  },
  'console-commands': {
    summary: 'console commands and their parameters',
    text: Object.entries(CONSOLE_COMMANDS).map(([n, c]) => `${usageLine(n, c)}\n    ${c.summary} (${c.method})`).join('\n'),
  },
  'exit-codes': {
    summary: 'what the exit status means',
    text: `0 done; 1 the work failed (a bad tariff plan, a config error, an engine error, no engine);
2 the command line is wrong (an unknown flag or parameter, a missing argument).`,
  },
};

export function helpText(program: Command, name?: string): string {
  if (name) {
    const cmd = program.commands.find((c) => c.name() === name);
    if (cmd) return cmd.helpInformation().trimEnd();
    const topic = TOPICS[name];
    if (topic) return `${name}: ${topic.summary}\n\n${topic.text}`;
    return '';
  }
  const cmds = program.commands.map((c) => `  ${c.name().padEnd(12)}${c.description()}`);
  const topics = Object.entries(TOPICS).map(([n, t]) => `  ${n.padEnd(12)}${t.summary}`);
  return `${program.helpInformation().trimEnd()}\n\nhelp topics (accurate help TOPIC):\n${topics.join('\n')}\n\ncommands (accurate help COMMAND):\n${cmds.join('\n')}`;
}

const roff = (s: string) => s.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1').replace(/-/g, '\\-');

/** The man page (roff), from the command definitions and the topics. */
export function manPage(program: Command, version: string): string {
  const out: string[] = [
    `.TH ACCURATE 1 "" "AccuRate ${version}" "User Commands"`,
    '.SH NAME', `accurate \\- ${roff(program.description())}`,
    '.SH SYNOPSIS', ...program.commands.map((c) => `.B accurate ${roff(c.name())}\n${roff(c.usage())}\n.br`),
    '.SH DESCRIPTION',
    roff('One executable with subcommands sharing one core. Flags are accepted as CGRateS users type them (-config_path DIR, -config_path=DIR, -verbose) and as --kebab-case.'),
    '.SH COMMANDS',
  ];
  for (const c of program.commands) {
    out.push(`.SS ${roff(c.name())}`, roff(c.description()));
    for (const o of c.options) out.push('.TP', `.B ${roff(o.flags)}`, roff(o.description + (o.defaultValue !== undefined ? ` (default: ${String(o.defaultValue)})` : '')));
  }
  for (const [n, t] of Object.entries(TOPICS)) out.push(`.SH ${roff(n.toUpperCase())}`, roff(t.summary) + '.', '.PP', '.nf', roff(t.text), '.fi');
  out.push('.SH SEE ALSO', 'https://github.com/cgrates/cgrates (the CGRateS reference), git(1), systemctl(1)');
  return out.join('\n') + '\n';
}
