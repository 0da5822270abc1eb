// Logging with syslog's levels (0 emergency … 7 debug), as CGRateS's -log_level. *stdout writes
// lines to stdout; *syslog hands lines to the system's `logger` tool (no native module needed).
import { spawn, type ChildProcess } from 'node:child_process';

export const LOG_LEVELS = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'] as const;

export interface Logger {
  emerg(msg: string): void;
  alert(msg: string): void;
  crit(msg: string): void;
  err(msg: string): void;
  warning(msg: string): void;
  notice(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  readonly level: number;
  close(): Promise<void>;
}

type Sink = (level: number, line: string) => void;

/**
 * One event, one line: control characters (a newline inside a client's value could forge a log
 * line) are written as escapes, and a runaway message is cut.
 */
export function escapeLogLine(msg: string, max = 4096): string {
  // eslint-disable-next-line no-control-regex
  const s = msg.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters)` : s;
}

function makeLogger(level: number, sink: Sink, close: () => Promise<void> = async () => undefined): Logger {
  const at = (l: number) => (msg: string) => {
    if (l <= level) sink(l, escapeLogLine(String(msg)));
  };
  return {
    emerg: at(0), alert: at(1), crit: at(2), err: at(3), warning: at(4), notice: at(5), info: at(6), debug: at(7),
    level, close,
  };
}

export function createLogger(kind: string, level: number, opts: { nodeId?: string; stream?: NodeJS.WritableStream } = {}): Logger {
  const tag = opts.nodeId ? `AccuRate <${opts.nodeId}>` : 'AccuRate';
  if (kind === '*syslog') {
    let child: ChildProcess | undefined;
    try {
      child = spawn('logger', ['--prio-prefix', '-t', 'accurate'], { stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', () => (child = undefined));
      child.stdin?.on('error', () => undefined);
    } catch {
      child = undefined;
    }
    const fallback = opts.stream ?? process.stderr;
    // Facility daemon (3) × 8 + severity.
    return makeLogger(
      level,
      (l, msg) => {
        if (child?.stdin?.writable) child.stdin.write(`<${24 + l}>${tag} ${LOG_LEVELS[l]}: ${msg.replace(/\n/g, ' ')}\n`);
        else fallback.write(`${new Date().toISOString()} ${tag} ${LOG_LEVELS[l]}: ${msg}\n`);
      },
      () =>
        new Promise<void>((resolve) => {
          if (!child?.stdin) return resolve();
          child.on('close', () => resolve());
          child.stdin.end();
          setTimeout(resolve, 500).unref();
        }),
    );
  }
  const stream = opts.stream ?? (kind === '*stderr' ? process.stderr : process.stdout);
  return makeLogger(level, (l, msg) => stream.write(`${new Date().toISOString()} ${tag} ${LOG_LEVELS[l]}: ${msg}\n`));
}

/** A logger that drops everything (library use, tests of pure code). */
export const silentLogger: Logger = makeLogger(-1, () => undefined);
