// Console command lines: `status`, `cost Tenant=cgrates.org Usage=20s`, or CGRateS's quoted form
// `'account Tenant="cgrates.org" Account="1001"'`. Values stay strings unless the command says a
// key is numeric or a list; JSON objects, lists and booleans are taken as JSON.
import { usageLine, type ConsoleCommand } from '../api/commands.js';
import { didYouMean } from '../util/similar.js';

export class ConsoleArgsError extends Error {}

/** Splits one line like a shell: spaces separate, double or single quotes group, backslash escapes. */
export function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) throw new ConsoleArgsError(`unterminated ${quote} quote in: ${line}`);
  if (has || cur) out.push(cur);
  return out;
}

export function parseConsoleArgs(args: string[]): { command: string; pairs: [string, string][] } {
  const tokens = args.flatMap((a) => (/\s/.test(a) || /^["']/.test(a) ? splitLine(a) : [a]));
  if (tokens.length === 0) throw new ConsoleArgsError('no command given (try: accurate console help)');
  const [command, ...rest] = tokens;
  const pairs: [string, string][] = rest.map((t) => {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new ConsoleArgsError(`"${t}" is not Key=Value`);
    let v = t.slice(eq + 1);
    if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) v = v.slice(1, -1);
    return [t.slice(0, eq), v];
  });
  return { command, pairs };
}

export function buildParams(cmd: ConsoleCommand, pairs: [string, string][], name = ''): Record<string, unknown> {
  const params: Record<string, unknown> = { ...(cmd.params ?? {}) };
  const known = new Set([...(cmd.required ?? []), ...(cmd.optional ?? []), ...Object.keys(cmd.params ?? {})]);
  const problems: string[] = [];
  for (const [k, raw] of pairs) {
    if (!known.has(k)) {
      problems.push(known.size === 0 ? `takes no parameters, got ${k}` : `unknown parameter ${k}${didYouMean(k, known)}`);
      continue;
    }
    let v: unknown = raw;
    if (/^[[{]/.test(raw) || raw === 'true' || raw === 'false' || raw === 'null') {
      try {
        v = JSON.parse(raw);
      } catch {
        throw new ConsoleArgsError(`${k}=${raw}: not valid JSON`);
      }
    } else if (cmd.numeric?.includes(k)) {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) throw new ConsoleArgsError(`${k}=${raw}: expected a number`);
      v = Number(raw);
    } else if (cmd.lists?.includes(k)) {
      v = raw === '' ? [] : raw.split(/[,;]/);
    } else if (cmd.objects?.[k]) {
      // Balance=promo is Balance={"ID":"promo"}.
      v = { [cmd.objects[k]]: raw };
    }
    params[k] = v;
  }
  const missing = (cmd.required ?? []).filter((k) => params[k] === undefined || params[k] === '');
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);
  if (problems.length > 0) throw new ConsoleArgsError(`${name ? `${name}: ` : ''}${problems.join('; ')}; usage: ${usageLine(name || 'COMMAND', cmd)}`);
  return params;
}
