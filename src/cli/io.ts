// What a command prints to: real streams in the binary, buffers in tests.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: colours, spinners and tables are allowed. */
  tty: boolean;
}

export function processIO(): CliIO {
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    tty: Boolean(process.stdout.isTTY),
  };
}
