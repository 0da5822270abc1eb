// `accurate console CMD [Key=Value ...]`: one JSON-RPC call to a running engine, printed for people.
import chalk from 'chalk';
import { CONSOLE_COMMANDS, rpcCall, RpcUnavailableError, RpcRemoteError, RpcProtocolError } from '../api/index.js';
import { parseConsoleArgs, buildParams, ConsoleArgsError } from './console-args.js';
import { renderReply } from './render.js';
import { addressProblem } from './flags.js';
import type { CliIO } from './io.js';

export interface ConsoleOptions {
  args: string[];
  server: string;
  verbose?: boolean;
  json?: boolean;
  timeout?: string;
}

export async function run(opts: ConsoleOptions, io: CliIO): Promise<number> {
  if (opts.args.length === 0 || opts.args[0] === 'help') {
    io.out('accurate console COMMAND [Key=Value ...]\n\ncommands:');
    for (const [name, c] of Object.entries(CONSOLE_COMMANDS)) io.out(`  ${name.padEnd(26)}${c.summary}  (${c.method})`);
    return 0;
  }
  const badServer = addressProblem('-server', opts.server);
  if (badServer) {
    io.err(`accurate console: ${badServer}`);
    return 2;
  }
  let command: string;
  let params: Record<string, unknown>;
  try {
    const parsed = parseConsoleArgs(opts.args);
    command = parsed.command;
    const cmd = CONSOLE_COMMANDS[command];
    if (!cmd) {
      io.err(`accurate console: unknown command "${command}"; known: ${Object.keys(CONSOLE_COMMANDS).join(', ')}`);
      return 2;
    }
    params = buildParams(cmd, parsed.pairs);
  } catch (e) {
    if (e instanceof ConsoleArgsError) {
      io.err(`accurate console: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const cmd = CONSOLE_COMMANDS[command];
  const timeoutMs = Number(opts.timeout ?? 10000);
  try {
    const reply = await rpcCall(opts.server, cmd.method, params, { timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : 10000 });
    io.out(renderReply(reply, { view: opts.json ? 'json' : (cmd.view ?? 'json'), tty: io.tty, verbose: Boolean(opts.verbose), command }));
    return 0;
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
      io.err(io.tty ? chalk.red(`${cmd.method}: ${e.message}`) : `${cmd.method}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
