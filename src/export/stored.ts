// Exporting from the StorDB: page through matching CDRs by OrderID (flat memory on large exports),
// write the file, then mark what was exported when the run is a "new only" billing run. Shared by
// `accurate cdr-export` and APIerSv1.ExportCDRs.
import type { CdrRepository, CDR, CDRsFilter } from '../cdrs/index.js';
import { exportCDRs, newExportId, type ExportOptions, type ExportResult } from './csv.js';
import type { ExportTemplate } from './template.js';

const PAGE = 1000;

async function* pages(repo: CdrRepository, filter: CDRsFilter, limit: number | undefined): AsyncGenerator<CDR> {
  let after = filter.OrderIDStart ?? 0;
  let left = limit ?? Infinity;
  while (left > 0) {
    const batch = await repo.getCDRs({ ...filter, OrderIDStart: after, Limit: Math.min(PAGE, left), Offset: undefined, OrderBy: undefined });
    for (const c of batch) yield c;
    if (batch.length < PAGE) return;
    after = batch[batch.length - 1].OrderID + 1;
    left -= batch.length;
  }
}

/** True when the template masks destinations and so needs a destination lookup. */
export function needsDestinations(t: ExportTemplate): boolean {
  return [...t.header, ...t.fields, ...t.trailer].some((f) => f.type === '*masked_destination' && (f.maskLength ?? t.maskLength) > 0 && Boolean(f.maskDestinationId ?? t.maskDestinationId));
}

export interface StoredExportOptions extends ExportOptions {
  /** Only CDRs no earlier export took, and mark the exported ones. */
  onlyNew?: boolean;
  limit?: number;
}

/** Exports matching CDRs; null when none match. Marks exported CDRs (after the file is in place) when `onlyNew`. */
export async function exportStoredCDRs(repo: CdrRepository, template: ExportTemplate, filter: CDRsFilter, opts: StoredExportOptions): Promise<(ExportResult & { total: number }) | null> {
  const f: CDRsFilter = opts.onlyNew ? { ...filter, UnexportedOnly: true } : filter;
  let total = await repo.countCDRs(f);
  if (opts.limit !== undefined) total = Math.min(total, opts.limit);
  if (total === 0) return null;
  const exportId = opts.exportId ?? newExportId();
  const result = await exportCDRs(pages(repo, f, opts.limit), template, { ...opts, exportId, onProgress: (done) => opts.onProgress?.(done, total) });
  if (!opts.dryRun && opts.onlyNew && result.exportedOrderIds.length > 0) await repo.markExported(result.exportedOrderIds, exportId);
  return { ...result, total };
}
