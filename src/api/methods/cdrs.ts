// CDRsV1 and the APIerSv1 CDR methods: process, query, rerate, export.
import type { MethodTable } from '../table.js';
import type { EngineConfig } from '../../config/index.js';
import { CdrServer, CdrRepository, cdrToWire, cdrToExternal, cdrFromWire, filterFromRPC, filterFromAttrGetCdrs, type CDRsFilter } from '../../cdrs/index.js';
import { exportStoredCDRs, findTemplate, TemplateError } from '../../export/index.js';
import type { FilterService } from '../../filters/index.js';
import { AccurateError, ERR, mandatoryMissing } from '../../util/errors.js';
import { eventOf, checkEvent, maxUsageCheck, durationValue, obj, id, str, optBool, optStrList, bad, type Params } from './params.js';
import { exportPathsOf, confinedExportPath } from './paths.js';

export interface CdrApiDeps {
  server: CdrServer;
  repo: CdrRepository;
  config: EngineConfig;
  filters: () => FilterService;
  destinationsFor: (n: string) => string[];
}

/** A filter error from the repository is the caller's mistake: SERVER_ERROR with the reason. */
async function query<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AccurateError) throw e;
    throw new AccurateError(`${ERR.SERVER_ERROR}: ${(e as Error).message}`, ERR.SERVER_ERROR);
  }
}

export function register(table: MethodTable, d: CdrApiDeps): void {
  const tz = d.config.general.default_timezone;
  const tenant = d.config.general.default_tenant;
  const usageCheck = maxUsageCheck(d.config.rals?.max_computed_usage);

  table.add('CDRsV1.ProcessEvent', async (p) => {
    const { ev, args } = eventOf(p, tenant, tz, usageCheck);
    const flags = (args.Flags as string[] | undefined) ?? [];
    const chargers = !flags.includes('*chargers:false');
    await query(() => d.server.processEvent(ev, { chargers }));
    return 'OK';
  });

  // A CDR in CGRateS's CDR shape (CGRID, RunID, ... Cost): forked through ChargerS unless it carries a RunID.
  table.add('CDRsV1.ProcessCDR', async (p) => {
    if (!p || typeof p !== 'object' || Array.isArray(p)) throw mandatoryMissing(['CDR']);
    const raw = ('CDR' in (p as object) ? obj((p as { CDR: unknown }).CDR) : p) as Record<string, unknown>;
    checkEvent(raw, tz);
    if (raw.Usage !== undefined && raw.Usage !== null && raw.Usage !== '') usageCheck(durationValue(raw.Usage, 'Usage', { min: 0 }), str(raw, 'ToR'));
    const hasRun = typeof raw.RunID === 'string' && raw.RunID !== '';
    await query(() => (hasRun ? d.server.processCDRs([cdrFromWire(raw, tz)]) : d.server.processEvent(raw)));
    return 'OK';
  });

  const getCDRs = async (f: CDRsFilter) => {
    const cdrs = await query(() => d.repo.getCDRs(f));
    if (cdrs.length === 0) throw new AccurateError(ERR.NOT_FOUND);
    return cdrs;
  };
  table.add('CDRsV1.GetCDRs', async (p) => (await getCDRs(filterFromRPC(filterArgs(p), tz))).map(cdrToWire));
  table.add('CDRsV1.GetCDRsCount', async (p) => query(() => d.repo.countCDRs(filterFromRPC(filterArgs(p), tz))));
  table.add('APIerSv1.GetCDRs', async (p) => (await query(() => d.repo.getCDRs(filterFromAttrGetCdrs(filterArgs(p), tz)))).map(cdrToExternal));
  table.add('APIerSv2.GetCDRs', async (p) => (await getCDRs(filterFromRPC(filterArgs(p), tz))).map(cdrToWire));
  table.add('APIerSv1.RemoveCDRs', async (p) => {
    await query(() => d.repo.removeCDRs(filterFromRPC(filterArgs(p), tz)));
    return 'OK';
  });

  table.add('CDRsV1.RateCDRs', async (p) => {
    const f = filterFromRPC(filterArgs(p), tz);
    await query(() => d.server.rerate(f));
    return 'OK';
  });

  // Export through a template; with OnlyNew only what no earlier export took (and mark it).
  table.add('APIerSv1.ExportCDRs', async (p) => {
    const args = filterArgs(p);
    const ids = optStrList(args, 'ExporterIDs') ?? [id(args, 'ExportTemplate') || '*default'];
    if (ids.length > 32) throw bad('ExporterIDs: at most 32 exporters per call');
    const onlyNew = optBool(args, 'OnlyNew') ?? false;
    const dryRun = str(args, 'Verbose') === '*dry_run' || (optBool(args, 'DryRun') ?? false);
    const filter = filterFromRPC(args, tz);
    const out: Record<string, unknown> = {};
    for (const tid of ids) {
      let template;
      try {
        template = findTemplate(d.config, tid);
      } catch (e) {
        if (e instanceof TemplateError) throw new AccurateError(`${ERR.SERVER_ERROR}: ${e.message}`, ERR.SERVER_ERROR);
        throw e;
      }
      // Caller-given folders stay inside the configured export folders; names are plain and new.
      const target = await confinedExportPath(exportPathsOf(d.config), template.exportPath, str(args, 'ExportPath'), str(args, 'ExportFileName'));
      const r = await query(() =>
        exportStoredCDRs(d.repo, template, filter, {
          onlyNew, dryRun,
          exportPath: target.exportPath, fileName: target.fileName,
          timezone: tz, roundingDecimals: d.config.general.rounding_decimals, rsrSeparator: d.config.general.rsr_separator,
          filters: d.filters(), destinationsFor: d.destinationsFor,
        }),
      );
      out[tid] = r
        ? { FileName: r.fileName, ExportedCDRs: r.count, TotalCost: r.totalCost.toNumber(), Skipped: r.skipped, Errors: r.errors }
        : { FileName: '', ExportedCDRs: 0, TotalCost: 0, Skipped: 0, Errors: [] };
    }
    return out;
  });
}

/** Filter-shaped params: an object, or nothing (every CDR). */
function filterArgs(p: unknown): Params {
  return p === null || p === undefined ? {} : obj(p);
}
