// APIerSv1.LoadTariffPlanFromFolder and APIerSv1.ReloadCache: tariff-plan loads through the engine.
import type { MethodTable } from '../table.js';
import type { Services } from '../../engine/services.js';
import { stat } from 'node:fs/promises';
import { AccurateError, ERR } from '../../util/errors.js';
import { Mutex } from '../../util/mutex.js';
import { importTariffPlan, TariffPlanError } from '../../tariffplan/index.js';
import { openHistory, recordTariffPlan, historyDirFor, HistoryError, csvTextsOf, defaultAuthor } from '../../history/index.js';
import { obj, str, optBool, bad } from './params.js';
import type { CallContext } from '../table.js';
import { checkTariffPlanFolder } from './paths.js';

export function register(table: MethodTable, s: Services): void {
  // One load at a time: a second load must see the first one's result when it merges.
  const loads = new Mutex();

  table.add(
    'APIerSv1.LoadTariffPlanFromFolder',
    async (raw: unknown, ctx?: CallContext) => {
      const p = raw === null || raw === undefined ? {} : obj(raw);
      // CGRateS's exact wording for these two.
      if (typeof p.FolderPath !== 'string' || p.FolderPath === '') {
        throw new AccurateError(`${ERR.MANDATORY_IE_MISSING}:FolderPath`, ERR.MANDATORY_IE_MISSING);
      }
      const params = { FolderPath: str(p, 'FolderPath', 4096), DryRun: optBool(p, 'DryRun') ?? false, Flush: optBool(p, 'Flush') ?? false };
      const roots = s.config.apiers?.tariffplan_roots ?? [];
      // Without configured roots any folder may be read, but only by trusted callers (loopback or an API key).
      if (roots.length === 0 && ctx && !ctx.trusted) throw bad('FolderPath: remote callers need apiers.tariffplan_roots configured');
      checkTariffPlanFolder(roots, params.FolderPath);
      const isDir = await stat(params.FolderPath).then((st) => st.isDirectory(), () => false);
      if (!isDir) throw new AccurateError('INVALID_PATH');
      return loads.run(async () => {
        let result;
        try {
          result = await importTariffPlan(s.dataDb, params.FolderPath, {
            flush: params.Flush, dryRun: params.DryRun, timezone: s.config.general.default_timezone,
          });
        } catch (e) {
          // CGRateS answers a bad folder with SERVER_ERROR and the reason.
          if (e instanceof TariffPlanError) throw new AccurateError(`SERVER_ERROR: ${e.lines.join('; ')}`, 'SERVER_ERROR');
          throw e;
        }
        for (const n of result.notices) s.log.notice(`<LoadTariffPlanFromFolder> ${n}`);
        if (params.DryRun) return 'OK';
        const dir = historyDirFor(s.config);
        if (dir) {
          try {
            await recordTariffPlan(await openHistory(dir), result.after, {
              source: params.FolderPath, csv: await csvTextsOf(params.FolderPath!), replaceCsv: params.Flush, author: defaultAuthor(s.config.history.author),
            });
          } catch (e) {
            if (!(e instanceof HistoryError)) throw e;
            s.log.warning(`<LoadTariffPlanFromFolder> tariff plan loaded but not archived: ${e.message}`);
          }
        }
        await s.reloadTariffPlan?.();
        return 'OK';
      });
    }
  );

  table.add(
    'APIerSv1.ReloadCache',
    async () => {
      await s.reloadTariffPlan?.();
      return 'OK';
    }
  );
}
