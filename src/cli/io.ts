// What a command prints to: real streams in the binary, buffers in tests.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: colours, spinners and tables are allowed. */
  tty: boolean;
}

export function processIO(): CliIO {
  // `accurate console cdrs | head`: the reader went away, which is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    tty: Boolean(process.stdout.isTTY),
  };
}
