// Reading a tariff-plan folder: every known CSV parsed, legacy layouts mapped onto the modern one,
// references linked; all problems collected and thrown together, nothing returned half-valid.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCsv, type CsvRow } from './csv.js';
import { TariffPlanError, MAX_ISSUES, type TpIssue } from './errors.js';
import { firstInvalidUtf8, lineAndColumn } from './utf8.js';
import { RowReader } from './fields.js';
import { ENTITY_KINDS, emptyTariffPlan, type EntityKind, type TariffPlan } from './model.js';
import { ROW_PARSERS, type ParseContext } from './parse.js';
import { FILE_SCHEMAS, SKIPPED_FILES, type FileSchema } from './schemas.js';
import { checkReferences } from './validate.js';

export interface ReadOptions {
  /** Zone for times written without an offset (config general.default_timezone). */
  timezone?: string;
  /** Entities already stored: references to them are valid (a partial load without flush). */
  known?: TariffPlan;
  /** Progress: called before each CSV file is parsed. */
  onFile?: (file: string, index: number, total: number) => void;
  /** Progress inside a long file (every PROGRESS_ROWS rows); parsing is synchronous, so a
   * spinner must draw from here or it stays frozen. */
  onProgress?: (text: string) => void;
}

/** Rows between two onProgress calls. */
export const PROGRESS_ROWS = 50_000;

export type TariffPlanCounts = Record<EntityKind, number>;

export interface ReadResult {
  tp: TariffPlan;
  /** Skipped files and tolerated oddities; never errors. */
  notices: string[];
  counts: TariffPlanCounts;
  /** CSV files read, in load order. */
  files: string[];
  /** Files in the 2015 layout (with Direction columns) that were mapped onto the modern one. */
  legacyFiles: string[];
}

export function countEntities(tp: TariffPlan): TariffPlanCounts {
  const c = {} as TariffPlanCounts;
  for (const k of ENTITY_KINDS) c[k] = Object.keys(tp[k]).length;
  return c;
}

/** Parses CSV texts by file name (the folder reader's core; also usable without a disk). */
export function parseTariffPlanFiles(texts: Record<string, string>, opts: ReadOptions = {}): ReadResult {
  const issues: TpIssue[] = [];
  const notices: string[] = [];
  const ctx: ParseContext = {
    tp: emptyTariffPlan(), refs: [], issues, notices, firstLine: new Map(), lastProfile: new Map(), legacy: false, declared: new Set(),
  };
  const names = Object.keys(texts).sort();
  const known = new Set(FILE_SCHEMAS.map((s) => s.file));
  for (const name of names) {
    if (known.has(name)) continue;
    const why = SKIPPED_FILES[name];
    notices.push(why ? `${name}: skipped, AccuRate does not use ${why}` : `${name}: skipped, not a tariff-plan file AccuRate knows`);
  }
  const present = FILE_SCHEMAS.filter((s) => s.file in texts);
  const files: string[] = [];
  const legacyFiles: string[] = [];
  present.forEach((schema, i) => {
    if (issues.length >= MAX_ISSUES) return;
    opts.onFile?.(schema.file, i, present.length);
    files.push(schema.file);
    if (texts[schema.file].length > PROBE_BYTES && garbage(schema, texts[schema.file], ctx, opts.timezone ?? 'UTC')) return;
    const rows = parseCsv(texts[schema.file], schema.file, issues);
    if (readRows(schema, rows, ctx, opts.timezone ?? 'UTC', opts.onProgress)) legacyFiles.push(schema.file);
  });
  if (issues.length >= MAX_ISSUES) throw new TariffPlanError(issues, { stopped: true });
  const fileOfKind = new Map(FILE_SCHEMAS.map((f) => [f.kind, f.file in texts ? f.file : undefined]));
  checkReferences(ctx, opts.known, fileOfKind);
  if (issues.length > 0) throw new TariffPlanError(issues);
  if (legacyFiles.length > 0) notices.push(`legacy (2015) layout mapped onto the current one: ${legacyFiles.join(', ')}`);
  return { tp: ctx.tp, notices, counts: countEntities(ctx.tp), files, legacyFiles };
}

/** Files larger than this get their head checked first: a garbage file stops there. */
const PROBE_BYTES = 4 << 20;
const PROBE_LINES = 2000;

/**
 * Checks the first lines of a big file in a scratch context; when they alone reach MAX_ISSUES
 * the file is garbage: its problems are kept and the rest is never parsed (a 50 MB file would
 * otherwise hold gigabytes of rows and millions of errors).
 */
function garbage(schema: FileSchema, text: string, ctx: ParseContext, timezone: string): boolean {
  const probe: ParseContext = {
    ...ctx, tp: emptyTariffPlan(), refs: [], issues: [], notices: [], firstLine: new Map(), lastProfile: new Map(), declared: new Set(),
  };
  readRows(schema, parseCsv(text, schema.file, probe.issues, PROBE_LINES), probe, timezone);
  if (probe.issues.length < MAX_ISSUES) return false;
  ctx.issues.push(...probe.issues);
  return true;
}

/** Returns true when the file is in the legacy layout. */
function readRows(schema: FileSchema, rows: CsvRow[], ctx: ParseContext, timezone: string, onProgress?: (text: string) => void): boolean {
  if (rows.length === 0) return false;
  // The first data row decides the layout; every other row must have the same column count.
  const legacy = schema.legacy !== undefined && rows[0].fields.length === schema.legacy.columns && schema.legacy.columns !== schema.columns;
  const expected = legacy ? schema.legacy!.columns : schema.columns;
  const parse = ROW_PARSERS[schema.kind];
  ctx.legacy = legacy;
  let n = 0;
  for (const row of rows) {
    if (ctx.issues.length >= MAX_ISSUES) break;
    if (onProgress && ++n % PROGRESS_ROWS === 0) onProgress(`${schema.file}: ${n.toLocaleString('en')} of ${rows.length.toLocaleString('en')} rows`);
    if (row.fields.length !== expected) {
      const hint = schema.legacy && !legacy && row === rows[0] ? ` (or ${schema.legacy.columns} in the 2015 layout)` : '';
      ctx.issues.push({
        file: schema.file, line: row.line, column: 1,
        message: `${row.fields.length} columns, expected ${expected}${hint}: ${(legacy ? [] : schema.names).join(',') || 'legacy layout'}`,
      });
      continue;
    }
    for (const { fields, columns } of legacy ? fromLegacy(schema, row) : [{ fields: row.fields, columns: row.fields.map((_, i) => i + 1) }]) {
      if (fields[0]) ctx.declared.add(`${schema.kind}\u0000${fields[0]}`);
      parse(new RowReader(schema.file, row.line, fields, columns, ctx.issues, timezone), ctx);
    }
  }
  ctx.legacy = false;
  return legacy;
}

/** Maps a legacy row onto modern columns (keeping the original column numbers for errors), expanding `;` id lists. */
function fromLegacy(schema: FileSchema, row: CsvRow): { fields: string[]; columns: number[] }[] {
  const { map, expand } = schema.legacy!;
  const ids = expand === undefined ? [undefined] : row.fields[expand].split(';').map((s) => s.trim()).filter(Boolean);
  return (ids.length ? ids : ['']).map((id) => ({
    fields: map.map((src) => (src < 0 ? '' : src === expand && id !== undefined ? id : row.fields[src])),
    columns: map.map((src) => (src < 0 ? 1 : src + 1)),
  }));
}

/** Reads a CGRateS tariff-plan folder. Throws TariffPlanError listing every problem (FILE:LINE:COLUMN). */
export async function readTariffPlanFolder(path: string, opts: ReadOptions = {}): Promise<ReadResult> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new TariffPlanError([{ file: path, line: 0, column: 0, message: 'no such folder' }]);
  }
  if (!st.isDirectory()) throw new TariffPlanError([{ file: path, line: 0, column: 0, message: 'not a folder' }]);
  const entries = await readdir(path, { withFileTypes: true });
  const texts: Record<string, string> = {};
  const notUtf8: TpIssue[] = [];
  for (const e of entries) {
    if (!e.isFile() || !e.name.toLowerCase().endsWith('.csv')) continue;
    const bytes = await readFile(join(path, e.name));
    const bad = firstInvalidUtf8(bytes);
    if (bad === -1) texts[e.name] = bytes.toString('utf8');
    else notUtf8.push({ file: e.name, ...lineAndColumn(bytes, bad), message: `not UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')}); save the file as UTF-8` });
  }
  // Undecodable bytes would be stored as U+FFFD: refuse the file instead.
  if (notUtf8.length > 0) throw new TariffPlanError(notUtf8);
  const present = FILE_SCHEMAS.some((s) => s.file in texts);
  if (!present) {
    throw new TariffPlanError([{ file: path, line: 0, column: 0, message: `no tariff-plan CSV files (expected ${FILE_SCHEMAS.map((s) => s.file).join(', ')})` }]);
  }
  return parseTariffPlanFiles(texts, opts);
}
