// Test harness: a reference tariff plan loaded by the real loader, the real rating service, a
// temporary SQLite DataDB, the AccountService and the Scheduler wired as the engine does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTariffPlanFolder, type TariffPlan } from '../../src/tariffplan/index.js';
import { RatingService } from '../../src/rating/index.js';
import { openSqliteDataDB, type DataDB } from '../../src/store/index.js';
import { AccountService, type CdrLogRecord, type CostMode, newDebitDescriptor, type DebitDescriptor } from '../../src/accounts/index.js';
import { Scheduler } from '../../src/scheduler/index.js';
import { parseTime } from '../../src/util/time.js';
import { parseDuration } from '../../src/util/duration.js';
import { REFERENCE_TP } from '../reference.js';

export const TP_ROOT = REFERENCE_TP;

export const quietLog = { warning: () => undefined, info: () => undefined, err: () => undefined };

export interface World {
  tp: TariffPlan;
  dir: string;
  dataDb: DataDB;
  rating: RatingService;
  accounts: AccountService;
  scheduler: Scheduler;
  cdrs: CdrLogRecord[];
  clock: { now: number };
  close(): Promise<void>;
}

export async function loadTp(name: string): Promise<TariffPlan> {
  return (await readTariffPlanFolder(name.startsWith('/') ? name : join(TP_ROOT, name), { timezone: 'UTC' })).tp;
}

export async function world(tpName: string | TariffPlan, opts: { costMode?: CostMode; now?: string; load?: boolean; dir?: string; roundingDecimals?: number } = {}): Promise<World> {
  const costMode = opts.costMode ?? '*cgrates';
  const tp = typeof tpName === 'string' ? await loadTp(tpName) : tpName;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'accurate-accounts-')));
  const dataDb = await openSqliteDataDB(dir);
  const G = opts.roundingDecimals ?? 5;
  const rating = new RatingService({ timezone: 'UTC', costMode, roundingDecimals: G });
  rating.load(tp);
  const clock = { now: parseTime(opts.now ?? '2024-03-18T10:00:00Z') };
  const cdrs: CdrLogRecord[] = [];
  const accounts = new AccountService({
    dataDb, rating: () => rating, costMode, roundingDecimals: G, timezone: 'UTC',
    balanceRatingSubject: { '*any': '*zero1ns', '*voice': '*zero1s' }, log: quietLog, defaultTenant: 'cgrates.org',
    cdrSink: (r) => void cdrs.push(r), now: () => clock.now,
  });
  const scheduler = new Scheduler({ dataDb, execute: (a, x) => accounts.executeActionsOn(a, x), log: quietLog, timezone: 'UTC', now: () => clock.now });
  accounts.setScheduler(scheduler);
  await accounts.reloadTariffPlan(tp);
  if (opts.load !== false) await accounts.applyTariffPlanAccounts(tp);
  return {
    tp, dir, dataDb, rating, accounts, scheduler, cdrs, clock,
    async close() {
      scheduler.stop();
      await dataDb.close();
      if (!opts.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A call descriptor: `start` RFC3339, `usage` Go duration. */
export function cd(f: { account: string; subject?: string; destination: string; start: string; usage: string; tenant?: string; category?: string; tor?: string } & Partial<DebitDescriptor>): DebitDescriptor {
  const { start, usage, ...rest } = f;
  const ns = parseDuration(usage);
  return newDebitDescriptor({
    tenant: 'cgrates.org', category: 'call', subject: f.subject ?? f.account, tor: '*voice', ...rest,
    anchorMs: parseTime(start), startNs: 0, endNs: ns, durationIndexNs: ns,
  });
}

/** Balance value of the first balance of a type matching a predicate. */
export function value(acc: { balanceMap: Record<string, { id: string; value: { toString(): string }; weight: number; sharedGroups: Record<string, boolean> }[]> }, type: string, pick: (b: { id: string; weight: number; sharedGroups: Record<string, boolean> }) => boolean = () => true): string {
  const b = (acc.balanceMap[type] ?? []).find(pick);
  return b ? b.value.toString() : 'missing';
}

/** An Actions.csv row with defaults. */
export function tpAction(actionsId: string, action: string, f: Partial<import('../../src/tariffplan/model.js').Action> = {}): import('../../src/tariffplan/model.js').Action {
  return {
    actionsId, action, extraParameters: '', filter: '', balanceId: '', balanceType: '', categories: [], destinationIds: [],
    ratingSubject: '', sharedGroups: [], expiryTime: '', timingIds: [], units: '', balanceWeight: null, balanceBlocker: null,
    balanceDisabled: null, weight: 10, ...f,
  };
}

/** An ActionTriggers.csv row with defaults. */
export function tpTrigger(tag: string, thresholdType: string, thresholdValue: string, actionsId: string, f: Partial<import('../../src/tariffplan/model.js').ActionTrigger> = {}): import('../../src/tariffplan/model.js').ActionTrigger {
  return {
    tag, uniqueId: '', thresholdType, thresholdValue, recurrent: false, minSleep: 0, expiryTime: '', activationTime: '', balanceTag: '',
    balanceType: '*monetary', balanceCategories: [], balanceDestinationIds: [], balanceRatingSubject: '', balanceSharedGroups: [],
    balanceExpiryTime: '', balanceTimingIds: [], balanceWeight: null, balanceBlocker: null, balanceDisabled: null, actionsId, weight: 10, ...f,
  };
}
