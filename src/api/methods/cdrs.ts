// CDRsV1 and the APIerSv1 CDR methods: process, query, rerate, export.
import type { MethodTable } from '../table.js';
import type { EngineConfig } from '../../config/index.js';
import { CdrServer, CdrRepository, cdrToWire, cdrToExternal, cdrFromWire, filterFromRPC, filterFromAttrGetCdrs, type CDRsFilter } from '../../cdrs/index.js';
import { exportStoredCDRs, findTemplate, TemplateError } from '../../export/index.js';
import type { FilterService } from '../../filters/index.js';
import { AccurateError, ERR, mandatoryMissing } from '../../util/errors.js';
import { eventOf } from './params.js';

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

  table.add('CDRsV1.ProcessEvent', async (p) => {
    const { ev, args } = eventOf(p, tenant);
    const flags = ((args.Flags as string[] | undefined) ?? []).map(String);
    const chargers = !flags.includes('*chargers:false');
    await query(() => d.server.processEvent(ev, { chargers }));
    return 'OK';
  });

  // A CDR in CGRateS's CDR shape (CGRID, RunID, ... Cost): forked through ChargerS unless it carries a RunID.
  table.add('CDRsV1.ProcessCDR', async (p) => {
    if (!p || typeof p !== 'object') throw mandatoryMissing(['CDR']);
    const raw = ('CDR' in (p as object) ? (p as { CDR: Record<string, unknown> }).CDR : p) as Record<string, unknown>;
    const hasRun = typeof raw.RunID === 'string' && raw.RunID !== '';
    await query(() => (hasRun ? d.server.processCDRs([cdrFromWire(raw, tz)]) : d.server.processEvent(raw)));
    return 'OK';
  });

  const getCDRs = async (f: CDRsFilter) => {
    const cdrs = await query(() => d.repo.getCDRs(f));
    if (cdrs.length === 0) throw new AccurateError(ERR.NOT_FOUND);
    return cdrs;
  };
  table.add('CDRsV1.GetCDRs', async (p) => (await getCDRs(filterFromRPC(p as Record<string, unknown>, tz))).map(cdrToWire));
  table.add('CDRsV1.GetCDRsCount', async (p) => query(() => d.repo.countCDRs(filterFromRPC(p as Record<string, unknown>, tz))));
  table.add('APIerSv1.GetCDRs', async (p) => (await query(() => d.repo.getCDRs(filterFromAttrGetCdrs(p as Record<string, unknown>, tz)))).map(cdrToExternal));
  table.add('APIerSv2.GetCDRs', async (p) => (await getCDRs(filterFromRPC(p as Record<string, unknown>, tz))).map(cdrToWire));
  table.add('APIerSv1.RemoveCDRs', async (p) => {
    await query(() => d.repo.removeCDRs(filterFromRPC(p as Record<string, unknown>, tz)));
    return 'OK';
  });

  table.add('CDRsV1.RateCDRs', async (p) => {
    const f = filterFromRPC(p as Record<string, unknown>, tz);
    await query(() => d.server.rerate(f));
    return 'OK';
  });

  // Export through a template; with OnlyNew only what no earlier export took (and mark it).
  table.add('APIerSv1.ExportCDRs', async (p) => {
    const args = (p ?? {}) as Record<string, unknown>;
    const ids = (args.ExporterIDs as string[] | undefined) ?? [(args.ExportTemplate as string | undefined) ?? '*default'];
    const filter = filterFromRPC(args, tz);
    const out: Record<string, unknown> = {};
    for (const id of ids) {
      let template;
      try {
        template = findTemplate(d.config, id);
      } catch (e) {
        if (e instanceof TemplateError) throw new AccurateError(`${ERR.SERVER_ERROR}: ${e.message}`, ERR.SERVER_ERROR);
        throw e;
      }
      const r = await query(() =>
        exportStoredCDRs(d.repo, template, filter, {
          onlyNew: args.OnlyNew === true, dryRun: args.Verbose === '*dry_run' || args.DryRun === true,
          exportPath: args.ExportPath as string | undefined, fileName: args.ExportFileName as string | undefined,
          timezone: tz, roundingDecimals: d.config.general.rounding_decimals, rsrSeparator: d.config.general.rsr_separator,
          filters: d.filters(), destinationsFor: d.destinationsFor,
        }),
      );
      out[id] = r
        ? { FileName: r.fileName, ExportedCDRs: r.count, TotalCost: r.totalCost.toNumber(), Skipped: r.skipped, Errors: r.errors }
        : { FileName: '', ExportedCDRs: 0, TotalCost: 0, Skipped: 0, Errors: [] };
    }
    return out;
  });
}
