// How replies look: coloured, indented JSON on a terminal; plain JSON when piped; tables for
// status, balances, sessions, CDRs, destinations, rating plans and exports on a terminal, and a
// short table of timespans for `cost -verbose` (which rate matched, and why the price is what it is).
import chalk from 'chalk';
import { formatDuration } from '../util/duration.js';
import { Money, ZERO } from '../util/money.js';

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

/**
 * Left-aligned columns; cells longer than `maxCell` are cut with an ellipsis, and with `maxWidth`
 * the widest columns shrink (never below their header) until a line fits.
 */
export function table(headers: string[], rows: string[][], maxCell = 60, maxWidth = Infinity): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min((r[i] ?? '').length, maxCell))));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i] > headers[i].length && (widest < 0 || widths[i] > widths[widest])) widest = i;
    if (widest < 0) break;
    widths[widest]--;
  }
  const cut = (c: string, w: number) => (c.length > w ? c.slice(0, Math.max(0, w - 1)) + '…' : c);
  const line = (cs: string[]) => cs.map((c, i) => cut(c ?? '', widths[i]).padEnd(widths[i])).join('  ').trimEnd();
  return [chalk.bold(line(headers)), ...rows.map(line)].join('\n');
}

/** Two columns: key and value. */
function keyValues(pairs: [string, string][]): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${chalk.bold(k.padEnd(w))}  ${v}`).join('\n');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return Array.isArray(v) ? v.join(';') : Object.keys(v as object).join(';');
  return String(v);
}

const dur = (v: unknown): string => (typeof v === 'number' ? formatDuration(v) : cell(v));

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
  const keys = [...new Set(reply.flatMap((r) => Object.keys(r as object)))].filter((k) => !['CostDetails', 'ExtraFields', 'EventCost', 'ExtraInfo'].includes(k));
  return table(keys, reply.map((r) => keys.map((k) => (k === 'Usage' ? dur((r as Record<string, unknown>)[k]) : cell((r as Record<string, unknown>)[k])))), 40);
}

const SESSIONS_WIDTH = 120;

/** Live sessions in at most 120 columns: the fields an operator looks for, durations as durations. */
function sessionsView(reply: unknown): string | undefined {
  if (!Array.isArray(reply)) return undefined;
  const rows = (reply as Record<string, unknown>[]).map((s) => [
    cell(s.OriginID), cell(s.RunID), cell(s.RequestType), cell(s.Account), cell(s.Destination), cell(s.AnswerTime).replace(/\.\d+/, ''), dur(s.Usage), dur(s.DebitInterval),
  ]);
  return table(['OriginID', 'RunID', 'RequestType', 'Account', 'Destination', 'AnswerTime', 'Usage', 'DebitInterval'], rows, 40, SESSIONS_WIDTH);
}

function statusView(reply: unknown): string | undefined {
  if (!reply || typeof reply !== 'object') return undefined;
  const s = reply as Record<string, unknown>;
  const mb = (v: unknown) => (typeof v === 'number' ? `${(v / 1048576).toFixed(1)} MiB` : cell(v));
  const pairs: [string, string][] = Object.entries(s).map(([k, v]) => {
    if (/memory/.test(k)) return [k, mb(v)];
    if (v && typeof v === 'object' && !Array.isArray(v)) return [k, Object.entries(v).map(([a, b]) => `${a} ${cell(b)}`).join(', ')];
    return [k, Array.isArray(v) ? v.join(', ') : cell(v)];
  });
  return keyValues(pairs);
}

function destinationView(reply: unknown): string | undefined {
  const d = reply as { Id?: string; Prefixes?: string[] };
  if (!d || !Array.isArray(d.Prefixes)) return undefined;
  return keyValues([['Destination', d.Id ?? ''], ['Prefixes', d.Prefixes.join(' ')]]);
}

function ratesText(rates: unknown): string {
  return ((rates as Record<string, unknown>[]) ?? [])
    .map((r) => `from ${dur(r.GroupIntervalStart)}: ${cell(r.Value)} per ${dur(r.RateUnit)}, in ${dur(r.RateIncrement)} steps`)
    .join('; ');
}

function timingText(t: Record<string, unknown> | undefined): string {
  if (!t) return '';
  const list = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.join(',') : '*any');
  const parts = [t.ID ? String(t.ID) : '', `weekdays ${list(t.WeekDays)}`, `from ${cell(t.StartTime) || '00:00:00'}`];
  if (Array.isArray(t.Months) && t.Months.length) parts.push(`months ${list(t.Months)}`);
  if (Array.isArray(t.MonthDays) && t.MonthDays.length) parts.push(`days ${list(t.MonthDays)}`);
  return parts.filter(Boolean).join(' ');
}

function ratingPlanView(reply: unknown): string | undefined {
  const p = reply as { Id?: string; Timings?: Record<string, Record<string, unknown>>; Ratings?: Record<string, Record<string, unknown>>; DestinationRates?: Record<string, { Timing: string; Rating: string; Weight: number }[]> };
  if (!p || !p.DestinationRates) return undefined;
  const rows: string[][] = [];
  for (const [dest, list] of Object.entries(p.DestinationRates)) {
    for (const ri of list) {
      const r = p.Ratings?.[ri.Rating] ?? {};
      rows.push([dest, timingText(p.Timings?.[ri.Timing]), cell(ri.Weight), cell(r.ConnectFee), `${cell(r.RoundingMethod)} ${cell(r.RoundingDecimals)}`, ratesText(r.Rates)]);
    }
  }
  return `${chalk.bold(p.Id ?? '')}\n` + table(['Destination', 'Timing', 'Weight', 'ConnectFee', 'Rounding', 'Rates'], rows, 80);
}

function exportView(reply: unknown): string | undefined {
  if (!reply || typeof reply !== 'object' || Array.isArray(reply)) return undefined;
  const rows = Object.entries(reply as Record<string, unknown>).map(([id, r]) => {
    const x = (r ?? {}) as Record<string, unknown>;
    return [id, cell(x.ExportedCDRs), cell(x.TotalCost), cell(x.FileName), cell(x.Skipped)];
  });
  return table(['Exporter', 'CDRs', 'TotalCost', 'File', 'Skipped'], rows, 80);
}

/**
 * cost -verbose: one row per charge (timespan) with its timing, the rate that matched, the
 * increments and the subtotal, and the connect fee; costs summed exactly.
 */
export function costView(reply: unknown): string | undefined {
  const ec = reply as {
    Cost?: number; StartTime?: string; Usage?: number;
    Charges?: { RatingID: string; CompressFactor: number; Increments: { Usage: number; Cost: number; CompressFactor: number }[] }[];
    Rating?: Record<string, { ConnectFee: number; TimingID: string; RatesID: string; RoundingMethod: string; RoundingDecimals: number }>;
    Rates?: Record<string, { GroupIntervalStart: number; Value: number; RateIncrement: number; RateUnit: number }[]>;
    Timings?: Record<string, Record<string, unknown>>;
  };
  if (!ec || !Array.isArray(ec.Charges) || !ec.Rating) return undefined;
  const rows: string[][] = [];
  let elapsed = 0;
  let sum = ZERO;
  for (const ch of ec.Charges) {
    const rating = ec.Rating[ch.RatingID];
    for (let n = 0; n < (ch.CompressFactor || 1); n++) {
      let usage = 0;
      let cost = ZERO;
      let fee = ZERO;
      // Increments by size: "120 x 1s"; a zero-usage increment is the connect fee.
      const bySize = new Map<number, number>();
      for (const inc of ch.Increments) {
        const k = inc.CompressFactor || 1;
        usage += inc.Usage * k;
        cost = cost.plus(new Money(inc.Cost).times(k));
        if (inc.Usage === 0) fee = fee.plus(new Money(inc.Cost).times(k));
        else bySize.set(inc.Usage, (bySize.get(inc.Usage) ?? 0) + k);
      }
      const groups = rating ? ec.Rates?.[rating.RatesID] ?? [] : [];
      // The rate group that priced this timespan: the last one starting at or before it.
      const group = [...groups].reverse().find((g) => g.GroupIntervalStart <= elapsed) ?? groups[0];
      const rate = group ? `${group.Value} per ${formatDuration(group.RateUnit)}` : '';
      const timing = rating ? timingText(ec.Timings?.[rating.TimingID]) : '';
      const incs = [...bySize].map(([size, count]) => `${count} x ${formatDuration(size)}`);
      if (!fee.isZero()) incs.unshift(`connect fee ${fee.toFixed()}`);
      rows.push([`+${formatDuration(elapsed)}`, formatDuration(usage), timing, rate, incs.join(', '), cost.toFixed()]);
      elapsed += usage;
      sum = sum.plus(cost);
    }
  }
  const head = `${chalk.bold('Cost')}: ${chalk.yellow(String(ec.Cost))}  (usage ${formatDuration(ec.Usage ?? elapsed)} from ${ec.StartTime ?? ''})`;
  const rest = new Money(ec.Cost ?? 0).minus(sum);
  const note = rest.isZero() ? '' : `\nrounding and MaxCost: ${rest.toFixed()}`;
  return `${head}\n${table(['Start', 'Usage', 'Timing', 'Rate', 'Increments', 'Subtotal'], rows, 70)}${note}`;
}

export interface RenderOptions {
  view: string;
  tty: boolean;
  verbose: boolean;
  command: string;
}

export function renderReply(reply: unknown, opts: RenderOptions): string {
  if (!opts.tty || opts.view === 'json') return opts.tty ? colorJson(reply) : JSON.stringify(reply, null, 2);
  let out: string | undefined;
  switch (opts.view) {
    case 'balances': {
      const list = Array.isArray(reply) ? reply : [reply];
      const views = list.map(balancesView);
      out = views.every((v) => v !== undefined) && views.length > 0 ? views.join('\n\n') : undefined;
      break;
    }
    case 'table':
      out = listView(reply);
      break;
    case 'sessions':
      out = sessionsView(reply);
      break;
    case 'status':
      out = statusView(reply);
      break;
    case 'destination':
      out = destinationView(reply);
      break;
    case 'ratingplan':
      out = ratingPlanView(reply);
      break;
    case 'export':
      out = exportView(reply);
      break;
    case 'duration':
      out = typeof reply === 'number' ? (reply < 0 ? 'unlimited' : formatDuration(reply)) : undefined;
      break;
    case 'cost':
      if (opts.verbose) out = costView(reply);
      else if (reply && typeof reply === 'object' && 'Cost' in (reply as object)) {
        out = `${chalk.bold('Cost')}: ${chalk.yellow(String((reply as { Cost: unknown }).Cost))}  (add -verbose for the charges)`;
      }
      break;
  }
  return out ?? colorJson(reply);
}
