// CSV reading as CGRateS does it: `,` separated, `#` comments only at line start, blank lines
// skipped, fields trimmed, lenient quoting. Every row keeps its 1-based line number.
import { parse } from 'csv-parse/sync';
import type { TpIssue } from './errors.js';

export interface CsvRow {
  line: number;
  fields: string[];
}

/** @param toLine stop after this line (a probe of a file's head). */
export function parseCsv(text: string, file: string, issues: TpIssue[], toLine?: number): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(stripBom(text), {
      comment: '#',
      comment_no_infix: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      ...(toLine ? { to_line: toLine } : {}),
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    issues.push({ file, line: err.lines ?? 1, column: 1, message: `unreadable CSV: ${err.message}` });
    return [];
  }
  // A row holding only empty fields (e.g. ",,,") is as blank as an empty line.
  return records
    .map((r) => ({ line: r.info.lines, fields: r.record }))
    .filter((r) => r.fields.some((f) => f !== ''));
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
