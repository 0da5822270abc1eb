// Max usage of long requests: SessionSv1.AuthorizeEvent of a 3 h voice call (SessionS's default
// usage, what a Diameter CCR-I asks) over JSON-RPC, beside the same request for 1 minute measured in
// the same run; their ratio shows whether max usage grows with the requested usage. The plan is the
// OpenSIPS + Diameter tutorial's (1 s increments, *up to 4 decimals), in both cost modes, starting at
// 23:00 so the call crosses midnight and is rated in two spans of cumulatively rounded increments.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext, BenchResult } from './index.js';
import { loadConfig } from '../src/config/index.js';
import { startEngine } from '../src/engine/index.js';
import { importTariffPlan } from '../src/tariffplan/index.js';
import { RpcClient } from '../src/api/index.js';
import { silentLogger } from '../src/util/logger.js';

const TUTORIAL = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tutorials/osips_diam');
const IN_FLIGHT = 8;

function authorize(mode: '*exact' | '*cgrates', usage: string) {
  return {
    name: `max usage: AuthorizeEvent of a ${usage} voice call from 23:00 over JSON-RPC (${mode})`,
    async run({ quick, dir }: BenchContext): Promise<BenchResult> {
      const cfg = await loadConfig(join(TUTORIAL, 'etc/accurate'));
      cfg.listen.rpc_json = '127.0.0.1:0';
      cfg.listen.http = '';
      cfg.listen.birpc_json = '';
      cfg.diameter_agent.enabled = false;
      cfg.data_db.db_path = cfg.stor_db.db_path = join(dir, `maxusage${mode}${usage}`, 'data');
      cfg.history.enabled = false;
      cfg.general.log_level = 3;
      cfg.rals.cost_mode = mode;
      const eng = await startEngine(cfg, silentLogger);
      await importTariffPlan(eng.services.dataDb, join(TUTORIAL, 'tp'), { timezone: 'UTC' });
      await eng.services.reloadTariffPlan();
      await eng.services.accounts.setBalance({ tenant: 'cgrates.org', account: '1001', balanceType: '*monetary', value: 1e9, balance: { ID: 'balance_test' } });
      const client = await RpcClient.connect(eng.services.listeners.rpc_json, { timeoutMs: 120_000 });
      const total = quick ? 300 : 3_000;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < total) {
          const i = next++;
          await client.call('SessionSv1.AuthorizeEvent', {
            GetMaxUsage: true, Tenant: 'cgrates.org',
            Event: { OriginID: `mu${i}`, RequestType: '*prepaid', ToR: '*voice', Account: '1001', Destination: '1002', AnswerTime: '2014-08-04T23:00:00Z', Usage: usage },
          });
        }
      }));
      const ms = performance.now() - t0;
      client.close();
      await eng.stop();
      return { name: this.name, ops: total, ms, note: `requests/s, ${IN_FLIGHT} in flight on one connection` };
    },
  };
}

export const maxUsageBenches = (['*exact', '*cgrates'] as const).flatMap((mode) => [authorize(mode, '1m'), authorize(mode, '3h')]);
