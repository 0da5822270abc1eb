// CDRs → one CSV file through a template. The file is written under a temporary name in the export
// folder and renamed when complete, so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { ZERO, type Money as MoneyT } from '../util/money.js';
import { GO_ZERO_TIME } from '../util/time.js';
import { FilterService, formatGoTime, RFC3339, type DataMap } from '../filters/index.js';
import { cdrDataProvider, type CDR } from '../cdrs/index.js';
import type { ExportTemplate } from './template.js';
import { compileFields, evaluateField, exportedCost, type CompiledField, type FieldContext } from './fields.js';

export interface ExportOptions {
  /** Folder for the file (default: the template's export_path). */
  exportPath?: string;
  /** File name (default `<template id>_<export id>.csv`). */
  fileName?: string;
  /** Count and total only; no file is written. */
  dryRun?: boolean;
  onProgress?: (done: number, total: number | undefined) => void;
  /** Resolves filter ids of the template's filters (inline filters work without profiles). */
  filters?: FilterService;
  /** For *masked_destination. */
  destinationsFor?: (number: string) => string[];
  /** Identifies this export (file name, export marks); generated when absent. */
  exportId?: string;
  /** general.default_timezone when the template has none; default UTC. */
  timezone?: string;
  /** general.rounding_decimals (for *value_exponent). */
  roundingDecimals?: number;
  /** general.rsr_separator. */
  rsrSeparator?: string;
}

export interface ExportResult {
  exportId: string;
  /** Full path of the written file ('' on a dry run). */
  fileName: string;
  /** Exported rows. */
  count: number;
  /** Sum of the exported Costs (after cost_multiply_factor and rounding); not-rated CDRs (−1) are not added. */
  totalCost: MoneyT;
  /** CDRs left out: failing the template filters or failing a mandatory field. */
  skipped: number;
  /** OrderIDs of the exported CDRs (to mark them exported). */
  exportedOrderIds: number[];
  /** Why CDRs failed, by CGRID/RunID. */
  errors: { CGRID: string; RunID: string; error: string }[];
}

/** The export folder cannot be used (a file, no permission, read-only): nothing was written. */
export class ExportPathError extends Error {}

function pathProblem(folder: string, e: NodeJS.ErrnoException): ExportPathError {
  const why: Record<string, string> = {
    EEXIST: 'a file of that name is in the way, not a folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
  };
  return new ExportPathError(`export folder ${folder} cannot be used: ${why[e.code ?? ''] ?? e.message}`);
}

export function newExportId(now = Date.now()): string {
  const d = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `${d}_${randomBytes(3).toString('hex')}`;
}

function safeId(id: string): string {
  return id.replace(/^\*/, '').replace(/[^A-Za-z0-9._-]/g, '_') || 'export';
}

/**
 * CGRateS's exporter metrics, readable as `~*em.<Name>` in header (`*hdr`) and trailer (`*trl`)
 * fields: the header sees only TimeNow, the trailer the totals of the file.
 */
class ExportMetrics {
  count = 0;
  totalCost: MoneyT = ZERO;
  usage: Record<string, number> = {};
  firstATime?: number;
  lastATime?: number;
  firstOrderId?: number;
  lastOrderId?: number;

  add(cdr: CDR, cost: MoneyT): void {
    this.count++;
    if (!cost.eq(-1)) this.totalCost = this.totalCost.plus(cost);
    this.usage[cdr.ToR] = (this.usage[cdr.ToR] ?? 0) + cdr.Usage;
    if (cdr.AnswerTime > GO_ZERO_TIME) {
      if (this.firstATime === undefined || cdr.AnswerTime < this.firstATime) this.firstATime = cdr.AnswerTime;
      if (this.lastATime === undefined || cdr.AnswerTime > this.lastATime) this.lastATime = cdr.AnswerTime;
    }
    if (cdr.OrderID) {
      this.firstOrderId = Math.min(this.firstOrderId ?? cdr.OrderID, cdr.OrderID);
      this.lastOrderId = Math.max(this.lastOrderId ?? cdr.OrderID, cdr.OrderID);
    }
  }

  map(timezone: string): DataMap {
    const t = (ms?: number) => (ms === undefined ? '' : formatGoTime(ms, RFC3339, timezone));
    return {
      NumberOfEvents: String(this.count),
      TotalCost: this.totalCost.toFixed(),
      TotalDuration: String(this.usage['*voice'] ?? 0),
      TotalDataUsage: String(this.usage['*data'] ?? 0),
      TotalSMSUsage: String(this.usage['*sms'] ?? 0),
      TotalMMSUsage: String(this.usage['*mms'] ?? 0),
      TotalGenericUsage: String(this.usage['*generic'] ?? 0),
      FirstEventATime: t(this.firstATime),
      LastEventATime: t(this.lastATime),
      FirstExpOrderID: this.firstOrderId === undefined ? '' : String(this.firstOrderId),
      LastExpOrderID: this.lastOrderId === undefined ? '' : String(this.lastOrderId),
      TimeNow: t(Date.now())!,
    };
  }
}

/** Fields sharing a path make one column: *composed appends, other types replace. */
function row(fields: readonly CompiledField[], dp: DataMap, ctx: FieldContext): string[] {
  const cols = new Map<string, string>();
  for (const f of fields) {
    const key = f.spec.path || f.spec.tag;
    if (!cols.has(key)) cols.set(key, '');
    const v = evaluateField(f, dp, ctx);
    if (v === undefined) continue;
    cols.set(key, f.spec.type === '*composed' ? cols.get(key)! + v : v);
  }
  return [...cols.values()];
}

/** Exports CDRs through a template into one CSV file (atomically), or only counts them (dryRun). */
export async function exportCDRs(cdrs: Iterable<CDR> | AsyncIterable<CDR>, template: ExportTemplate, opts: ExportOptions = {}): Promise<ExportResult> {
  const exportId = opts.exportId ?? newExportId();
  const filters = opts.filters ?? new FilterService({});
  const timezone = template.timezone || opts.timezone || 'UTC';
  const ctx: FieldContext = { template, tenant: '', filters, timezone, roundingDecimals: opts.roundingDecimals ?? 5, destinationsFor: opts.destinationsFor };
  const sep = opts.rsrSeparator ?? ';';
  const content = compileFields(template, template.fields, sep);
  const header = compileFields(template, template.header, sep);
  const trailer = compileFields(template, template.trailer, sep);
  const total = Array.isArray(cdrs) ? cdrs.length : undefined;
  const folder = opts.exportPath ?? template.exportPath;
  const fileName = opts.fileName ?? `${safeId(template.id)}_${exportId}.csv`;
  const finalPath = join(folder, fileName);
  const tmpPath = join(folder, `.${fileName}.${randomBytes(4).toString('hex')}.tmp`);
  const csv = (r: string[]) => stringify([r], { delimiter: template.fieldSeparator, record_delimiter: 'unix' });

  const result: ExportResult = { exportId, fileName: opts.dryRun ? '' : finalPath, count: 0, totalCost: ZERO, skipped: 0, exportedOrderIds: [], errors: [] };
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  let buffer = '';
  const metrics = new ExportMetrics();
  const flush = async () => {
    if (fh && buffer) await fh.write(buffer);
    buffer = '';
  };
  try {
    if (!opts.dryRun) {
      try {
        await mkdir(folder, { recursive: true });
        fh = await open(tmpPath, 'wx');
      } catch (e) {
        throw pathProblem(folder, e as NodeJS.ErrnoException);
      }
      if (header.length > 0) buffer += csv(row(header, { '*req': {}, '*opts': {}, '*vars': {}, '*em': { TimeNow: formatGoTime(Date.now(), RFC3339, timezone) } }, ctx));
    }
    let done = 0;
    for await (const cdr of cdrs) {
      done++;
      const cost = exportedCost(cdr.Cost, template);
      const shown = template.costRoundingDecimals >= 0 && !cost.eq(-1) ? cost.toFixed(template.costRoundingDecimals) : cost;
      const dp = cdrDataProvider({ ...cdr, Cost: cost }, timezone);
      (dp['*req'] as DataMap).Cost = shown;
      try {
        ctx.tenant = cdr.Tenant;
        if (template.filters.length > 0 && !filters.pass(cdr.Tenant, template.filters, dp)) {
          result.skipped++;
        } else {
          const r = row(content, dp, ctx);
          if (!opts.dryRun) buffer += csv(r);
          result.count++;
          if (!cost.eq(-1)) result.totalCost = result.totalCost.plus(cost);
          metrics.add(cdr, cost);
          if (cdr.OrderID) result.exportedOrderIds.push(cdr.OrderID);
        }
      } catch (e) {
        result.skipped++;
        result.errors.push({ CGRID: cdr.CGRID, RunID: cdr.RunID, error: (e as Error).message });
      }
      if (buffer.length > 1 << 16) await flush();
      opts.onProgress?.(done, total);
    }
    if (fh) {
      if (trailer.length > 0) buffer += csv(row(trailer, { '*req': {}, '*opts': {}, '*vars': {}, '*em': metrics.map(timezone) }, ctx));
      await flush();
      await fh.sync();
      await fh.close();
      fh = undefined;
      try {
        await rename(tmpPath, finalPath);
      } catch (e) {
        throw new ExportPathError(`export file ${finalPath} cannot be written: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'a folder of that name is in the way' : (e as Error).message}`);
      }
    }
    return result;
  } catch (e) {
    if (fh) await fh.close().catch(() => undefined);
    if (!opts.dryRun) await rm(tmpPath, { force: true }).catch(() => undefined);
    throw e;
  }
}

