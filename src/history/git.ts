// The git CLI, run through execa in the archive's own folder, never touching any other repo.
import { execa } from 'execa';

export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** Runs `git args` in `dir`; returns stdout. Global/system config cannot inject hooks or signing. */
export async function git(dir: string, args: string[], opts: { allowFail?: boolean; env?: Record<string, string> } = {}): Promise<{ stdout: string; ok: boolean }> {
  try {
    const r = await execa('git', args, {
      cwd: dir,
      reject: false,
      stripFinalNewline: false,
      env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
    });
    if (r.exitCode !== 0) {
      if (opts.allowFail) return { stdout: r.stdout, ok: false };
      throw new HistoryError(`git ${args[0]} failed: ${(r.stderr || r.stdout).trim()}`);
    }
    return { stdout: r.stdout, ok: true };
  } catch (e) {
    if (e instanceof HistoryError) throw e;
    const err = e as { code?: string; message: string };
    throw new HistoryError(err.code === 'ENOENT' ? 'git is not installed (the tariff-plan history needs the git command)' : `git: ${err.message}`);
  }
}
