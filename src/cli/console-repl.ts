// The interactive console (as cgr-console): a prompt with history kept across runs and tab
// completion of command names and of the parameter names of the command being typed.
import readline from 'node:readline';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, appendFileSync } from 'node:fs';
import { CONSOLE_COMMANDS } from '../api/commands.js';
import type { CliIO } from './io.js';
import type { ConsoleOptions } from './console.js';

export const HISTORY_FILE = join(process.env.ACCURATE_HISTORY_DIR ?? homedir(), '.accurate_console_history');
const MAX_HISTORY = 500;

/** Completions for the text before the cursor: command names first, then `Key=` of that command. */
export function complete(line: string): [string[], string] {
  const words = line.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  if (words.length <= 1) {
    const hits = [...Object.keys(CONSOLE_COMMANDS), 'help', 'quit'].filter((c) => c.startsWith(last)).map((c) => `${c} `);
    return [hits, last];
  }
  const cmd = CONSOLE_COMMANDS[words[0]];
  if (!cmd || last.includes('=')) return [[], last];
  const used = new Set(words.slice(1, -1).map((w) => w.split('=')[0]));
  const keys = [...(cmd.required ?? []), ...(cmd.optional ?? [])].filter((k) => !used.has(k) && k.startsWith(last)).map((k) => `${k}=`);
  return [keys, last];
}

function loadHistory(): string[] {
  try {
    return readFileSync(HISTORY_FILE, 'utf8').split('\n').filter(Boolean).slice(-MAX_HISTORY).reverse();
  } catch {
    return [];
  }
}

export async function interactive(opts: ConsoleOptions, io: CliIO, runLine: (line: string) => Promise<number>): Promise<number> {
  const rl = readline.createInterface({
    input: process.stdin, output: process.stdout, completer: complete, history: loadHistory(), historySize: MAX_HISTORY, removeHistoryDuplicates: true,
    prompt: `accurate ${opts.server}> `,
  });
  io.out(`AccuRate console at ${opts.server}: help lists the commands, Tab completes, Ctrl-D or quit leaves.`);
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'quit' || text === 'exit') break;
    if (text) {
      try {
        appendFileSync(HISTORY_FILE, text + '\n');
      } catch {
        /* history is a convenience */
      }
      await runLine(text);
    }
    rl.prompt();
  }
  rl.close();
  return 0;
}
