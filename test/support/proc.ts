// A child process for the real peers (OpenSIPS, sipp, freeDiameterd) with the tail of its output kept
// for failure messages, and a stop that escalates to SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Proc {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function run(bin: string, args: string[], cwd: string): Proc {
  const proc = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out = (out + d).slice(-200_000)));
  proc.stderr!.on('data', (d) => (out = (out + d).slice(-200_000)));
  const exited = new Promise<number | null>((r) => proc.on('exit', (c, s) => r(c ?? (s ? 128 : null))));
  return {
    proc, exited, output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const c = await exited;
      clearTimeout(t);
      return c;
    },
  };
}
