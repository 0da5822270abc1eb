// `accurate console CMD [Key=Value ...]`: one JSON-RPC call to a running engine, printed for people.
// With no command on a terminal it opens an interactive console (history, tab completion).
import chalk from 'chalk';
import { CONSOLE_COMMANDS, rpcCall, RpcUnavailableError, RpcRemoteError, RpcProtocolError, type ConsoleCommand } from '../api/index.js';
import { usageLine } from '../api/commands.js';
import { parseConsoleArgs, buildParams, ConsoleArgsError } from './console-args.js';
import { renderReply } from './render.js';
import { addressProblem } from './flags.js';
import { didYouMean } from '../util/similar.js';
import type { CliIO } from './io.js';

export interface ConsoleOptions {
  args: string[];
  server: string;
  verbose?: boolean;
  json?: boolean;
  timeout?: string;
}

function help(io: CliIO, name?: string): number {
  if (name) {
    const c = CONSOLE_COMMANDS[name];
    if (!c) {
      io.err(`accurate console: unknown command "${name}"${didYouMean(name, Object.keys(CONSOLE_COMMANDS))}`);
      return 2;
    }
    io.out(`${c.summary} (${c.method})\nusage: ${usageLine(name, c)}`);
    if ((c.optional ?? []).length > 8) io.out(`filters: ${c.optional!.join(' ')}`);
    if (c.params) io.out(`defaults: ${Object.entries(c.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
    if (c.example) io.out(`example: accurate console ${c.example}`);
    return 0;
  }
  io.out('accurate console COMMAND [Key=Value ...]   (accurate console help COMMAND for its parameters)\n\ncommands:');
  for (const [n, c] of Object.entries(CONSOLE_COMMANDS)) io.out(`  ${n.padEnd(26)}${c.summary}`);
  io.out('\nflags: -server HOST:PORT, -json, -verbose, -timeout MS; with no command on a terminal: an interactive console');
  return 0;
}

/** Parses one command line into a command and its params; prints the problem and returns the exit code on error. */
function prepare(args: string[], io: CliIO): { name: string; cmd: ConsoleCommand; params: Record<string, unknown> } | number {
  try {
    const parsed = parseConsoleArgs(args);
    const cmd = CONSOLE_COMMANDS[parsed.command];
    if (!cmd) {
      io.err(`accurate console: unknown command "${parsed.command}"${didYouMean(parsed.command, Object.keys(CONSOLE_COMMANDS))}; accurate console help lists them`);
      return 2;
    }
    return { name: parsed.command, cmd, params: buildParams(cmd, parsed.pairs, parsed.command) };
  } catch (e) {
    if (e instanceof ConsoleArgsError) {
      io.err(`accurate console: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

async function callAndPrint(opts: ConsoleOptions, io: CliIO, name: string, cmd: ConsoleCommand, params: Record<string, unknown>): Promise<number> {
  const timeoutMs = Number(opts.timeout ?? 10000);
  let reply: unknown;
  try {
    reply = await rpcCall(opts.server, cmd.method, params, { timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 10000 });
  } catch (e) {
    if (e instanceof RpcProtocolError) {
      io.err(`accurate console: ${e.message}`);
      return 1;
    }
    if (e instanceof RpcUnavailableError) {
      const why = e.message.replace(/^no engine answered at \S+ /, '');
      io.err(`No AccuRate engine answered at ${opts.server} ${why.startsWith('(') ? why : `(${why})`}; start one with \`accurate engine\` or point to it with -server HOST:PORT.`);
      return 1;
    }
    if (e instanceof RpcRemoteError) {
      // A list that is empty is an answer, not an error (CGRateS says NOT_FOUND).
      if (cmd.empty && e.message === 'NOT_FOUND') reply = [];
      else {
        io.err(io.tty ? chalk.red(`${cmd.method}: ${e.message}`) : `${cmd.method}: ${e.message}`);
        return 1;
      }
    } else throw e;
  }
  if (cmd.empty && Array.isArray(reply) && reply.length === 0 && !opts.json) {
    io.out(cmd.empty);
    return 0;
  }
  io.out(renderReply(reply, { view: opts.json ? 'json' : (cmd.view ?? 'json'), tty: io.tty, verbose: Boolean(opts.verbose), command: name }));
  return 0;
}

export async function run(opts: ConsoleOptions, io: CliIO): Promise<number> {
  const badServer = addressProblem('-server', opts.server);
  if (badServer) {
    io.err(`accurate console: ${badServer}`);
    return 2;
  }
  if (opts.args.length === 0 && io.tty && process.stdin.isTTY) {
    const { interactive } = await import('./console-repl.js');
    return interactive(opts, io, (line) => runLine(opts, io, line));
  }
  if (opts.args.length === 0 || opts.args[0] === 'help') return help(io, opts.args[1]);
  const p = prepare(opts.args, io);
  if (typeof p === 'number') return p;
  return callAndPrint(opts, io, p.name, p.cmd, p.params);
}

/** One line typed in the interactive console. */
export async function runLine(opts: ConsoleOptions, io: CliIO, line: string): Promise<number> {
  const words = line.trim();
  if (!words) return 0;
  if (words === 'help' || words.startsWith('help ')) return help(io, words.split(/\s+/)[1]);
  const p = prepare([words], io);
  if (typeof p === 'number') return p;
  return callAndPrint(opts, io, p.name, p.cmd, p.params);
}
