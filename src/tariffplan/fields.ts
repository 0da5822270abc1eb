// Field readers for one CSV row: each parses with the shared util parsers and, on bad input,
// records a FILE:LINE:COLUMN issue instead of throwing, so one pass reports every problem.
import { parseDuration } from '../util/duration.js';
import { parseMoney } from '../util/money.js';
import { parseTime, GO_ZERO_TIME } from '../util/time.js';
import type { TpIssue } from './errors.js';
import type { ActivationInterval, DecimalString } from './model.js';

export const ANY = '*any';

const RESERVED_NAMES = new Set(['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

export class RowReader {
  private failed = false;

  /**
   * @param fields the row in the modern column layout
   * @param columns for each modern field, its 1-based column in the file (legacy rows are remapped)
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly fields: string[],
    readonly columns: number[],
    private readonly issues: TpIssue[],
    readonly timezone = 'UTC',
  ) {}

  /** True once any field of this row was reported. */
  get ok(): boolean {
    return !this.failed;
  }

  column(i: number): number {
    return this.columns[i] ?? i + 1;
  }

  error(i: number, message: string): void {
    this.failed = true;
    this.issues.push({ file: this.file, line: this.line, column: this.column(i), message });
  }

  str(i: number): string {
    const v = this.fields[i] ?? '';
    // Ids and references become object keys: a prototype name would resolve to Object.prototype.
    if (RESERVED_NAMES.has(v)) {
      this.error(i, `"${v}" is a reserved name`);
      return '';
    }
    return v;
  }

  /** The value, with `*any` read as "not set" (''), as CGRateS's loader does for balance filters. */
  opt(i: number): string {
    const v = this.str(i);
    return v === ANY ? '' : v;
  }

  required(i: number, name: string): string {
    const v = this.str(i);
    if (v === '') this.error(i, `${name} is empty`);
    return v;
  }

  /** `;` list; '' and `*any` give []. */
  /** A `;` list where `*any` means "no restriction" (empty). */
  list(i: number): string[] {
    const v = this.str(i);
    if (v === ANY) return [];
    return this.items(i);
  }

  /** A `;` list taken literally: `*any` stays an item (e.g. RatesFallbackSubject `*any` names the *any profile). */
  items(i: number): string[] {
    const v = this.str(i);
    if (v === '') return [];
    return v.split(';').map((s) => s.trim()).filter((s) => s !== '');
  }

  money(i: number, name: string): DecimalString {
    const v = this.str(i);
    try {
      return parseMoney(v).toString();
    } catch {
      this.error(i, `${name} "${v}" is not a number`);
      return '0';
    }
  }

  /** A float as CGRateS's weights; '' is 0. */
  number(i: number, name: string): number {
    const v = this.str(i);
    if (v === '') return 0;
    const n = Number(v);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) || !Number.isFinite(n)) {
      this.error(i, `${name} "${v}" is not a number`);
      return 0;
    }
    return n;
  }

  /** '' gives null (not set). */
  optNumber(i: number, name: string): number | null {
    const v = this.str(i);
    if (v === '' || v === ANY) return null;
    return this.number(i, name);
  }

  int(i: number, name: string): number {
    const v = this.str(i);
    if (v === '') return 0;
    if (!/^[+-]?\d+$/.test(v)) {
      this.error(i, `${name} "${v}" is not an integer`);
      return 0;
    }
    return Number(v);
  }

  /** Integer nanoseconds; a bare integer is nanoseconds, as CGRateS. */
  duration(i: number, name: string): number {
    const v = this.str(i);
    try {
      return parseDuration(v);
    } catch {
      this.error(i, `${name} "${v}" is not a duration (examples: 60s, 1m30s, 1h, or integer nanoseconds)`);
      return 0;
    }
  }

  /** Go's strconv.ParseBool; '' gives `empty`. */
  bool(i: number, name: string, empty = false): boolean {
    const v = this.str(i);
    if (v === '') return empty;
    const b = parseBool(v);
    if (b === undefined) {
      this.error(i, `${name} "${v}" is not true or false`);
      return empty;
    }
    return b;
  }

  /** '' or `*any` give null (not set). */
  optBool(i: number, name: string): boolean | null {
    const v = this.str(i);
    if (v === '' || v === ANY) return null;
    return this.bool(i, name);
  }

  time(i: number, name: string): number {
    const v = this.str(i);
    try {
      return parseTime(v, this.timezone);
    } catch {
      this.error(i, `${name} "${v}" is not a time (example: 2014-01-14T00:00:00Z)`);
      return GO_ZERO_TIME;
    }
  }

  /** `start` or `start;expiry`; '' gives null. */
  activationInterval(i: number): ActivationInterval | null {
    const v = this.str(i);
    if (v === '') return null;
    const parts = v.split(';').map((s) => s.trim());
    if (parts.length > 2) {
      this.error(i, `ActivationInterval "${v}" must be "start" or "start;expiry"`);
      return null;
    }
    const at = (s: string): number => {
      try {
        return parseTime(s, this.timezone);
      } catch {
        this.error(i, `ActivationInterval "${v}": "${s}" is not a time`);
        return GO_ZERO_TIME;
      }
    };
    return { activationTime: at(parts[0]), expiryTime: parts.length === 2 ? at(parts[1]) : GO_ZERO_TIME };
  }
}

export function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}
