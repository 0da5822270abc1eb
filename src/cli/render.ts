// How replies look: coloured, indented JSON on a terminal; plain JSON when piped; tables for
// balances, sessions and CDRs on a terminal.
import chalk from 'chalk';
import { formatDuration } from '../util/duration.js';

export function colorJson(value: unknown, indent = ''): string {
  const next = indent + '  ';
  if (value === null) return chalk.gray('null');
  if (typeof value === 'string') return chalk.green(JSON.stringify(value));
  if (typeof value === 'number') return chalk.yellow(String(value));
  if (typeof value === 'boolean') return chalk.magenta(String(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => next + colorJson(v, next)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${next}${chalk.cyan(JSON.stringify(k))}: ${colorJson(v, next)}`).join(',\n')}\n${indent}}`;
  }
  return String(value);
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [chalk.bold(line(headers)), ...rows.map(line)].join('\n');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return Array.isArray(v) ? v.join(';') : Object.keys(v as object).join(';');
  return String(v);
}

function balancesView(reply: unknown): string | undefined {
  const acc = reply as { ID?: string; BalanceMap?: Record<string, Record<string, unknown>[]>; AllowNegative?: boolean; Disabled?: boolean };
  if (!acc || typeof acc !== 'object' || !acc.BalanceMap) return undefined;
  const rows: string[][] = [];
  for (const [type, balances] of Object.entries(acc.BalanceMap)) {
    for (const b of balances ?? []) {
      // *voice values travel in nanoseconds; people read durations.
      const value = type === '*voice' && typeof b.Value === 'number' ? formatDuration(b.Value) : cell(b.Value);
      const expires = b.ExpirationDate === '0001-01-01T00:00:00Z' ? '' : cell(b.ExpirationDate);
      rows.push([type, cell(b.ID), value, cell(b.Weight), cell(b.DestinationIDs), cell(b.RatingSubject), cell(b.SharedGroups), expires, b.Disabled ? 'yes' : '']);
    }
  }
  const flags = [acc.AllowNegative ? 'AllowNegative' : '', acc.Disabled ? 'Disabled' : ''].filter(Boolean).join(' ');
  return `${chalk.bold(acc.ID ?? '')}${flags ? '  ' + flags : ''}\n` + table(['Type', 'ID', 'Value', 'Weight', 'Destinations', 'RatingSubject', 'SharedGroups', 'Expires', 'Disabled'], rows);
}

function listView(reply: unknown): string | undefined {
  if (!Array.isArray(reply) || reply.length === 0 || typeof reply[0] !== 'object') return undefined;
  const keys = [...new Set(reply.flatMap((r) => Object.keys(r as object)))].filter((k) => !['CostDetails', 'ExtraFields', 'EventCost'].includes(k));
  return table(keys, reply.map((r) => keys.map((k) => cell((r as Record<string, unknown>)[k]))));
}

export function renderReply(reply: unknown, opts: { view: string; tty: boolean; verbose: boolean; command: string }): string {
  if (!opts.tty) return JSON.stringify(reply, null, 2);
  if (opts.view === 'balances') {
    const list = Array.isArray(reply) ? reply : [reply];
    const views = list.map(balancesView);
    return views.every((v) => v !== undefined) && views.length > 0 ? views.join('\n\n') : colorJson(reply);
  }
  if (opts.view === 'table') return listView(reply) ?? colorJson(reply);
  if (opts.command === 'cost' && !opts.verbose && reply && typeof reply === 'object' && 'Cost' in (reply as object)) {
    return `${chalk.bold('Cost')}: ${chalk.yellow(String((reply as { Cost: unknown }).Cost))}  (add -verbose for the charges)`;
  }
  return colorJson(reply);
}
