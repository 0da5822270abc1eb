// Progress spinners (ora) for the CLI, only where a person watches a real terminal. A terminal
// that reports no width (e.g. under `script`) would make ora's line clearing loop forever.
import ora, { type Ora } from 'ora';
import type { CliIO } from './io.js';

export type Spinner = Ora;

export function startSpinner(io: CliIO, text: string): Spinner | undefined {
  const stream = process.stderr;
  if (!io.tty || !stream.isTTY || !(stream.columns > 0)) return undefined;
  return ora({ text, stream }).start();
}
