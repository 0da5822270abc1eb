// Action plans over timings (rating-semantics 1.2, 6.3): built-in timings anchored at load, cron
// next-run computation, *asap once per account (also across restarts), timed runs, persistence.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextRunTime, resolveTiming, Scheduler } from '../../src/scheduler/index.js';
import { parseTime, formatTime } from '../../src/util/time.js';
import { DATA, MONETARY } from '../../src/accounts/index.js';
import { quietLog, value, world } from '../accounts/helpers.js';
import type { Timing } from '../../src/tariffplan/model.js';

const none = () => undefined;
const T = (s: string) => parseTime(s);
const timing = (f: Partial<Timing>): Timing => ({ id: 'X', years: [], months: [], monthDays: [], weekDays: [], startTime: '00:00:00', endTime: '', ...f });

describe('timings', () => {
  it('built-in timings are anchored to the load time (*monthly = the load\'s day of month at its time)', () => {
    const load = T('2024-01-31T09:15:30Z');
    expect(resolveTiming('*monthly', none, load, 'UTC')).toMatchObject({ monthDays: [31], startTime: '09:15:30' });
    expect(resolveTiming('*daily', none, load, 'UTC')).toMatchObject({ monthDays: [], startTime: '09:15:30' });
    expect(resolveTiming('*weekly', none, load, 'UTC')).toMatchObject({ weekDays: [3], startTime: '09:15:30' });
    expect(resolveTiming('*month_end', none, load, 'UTC')).toMatchObject({ monthDays: [-1] });
    expect(resolveTiming('*yearly', none, load, 'UTC')).toMatchObject({ months: [1], monthDays: [31] });
    expect(resolveTiming('*asap', none, load, 'UTC')?.startTime).toBe('*asap');
    expect(resolveTiming('TM_UNKNOWN', none, load, 'UTC')).toBeUndefined();
  });

  it('the next run is strictly after the reference time', () => {
    const noon = timing({ startTime: '12:00:00' });
    expect(formatTime(nextRunTime(noon, T('2024-03-18T10:00:00Z'), 'UTC')!)).toBe('2024-03-18T12:00:00Z');
    expect(formatTime(nextRunTime(noon, T('2024-03-18T12:00:00Z'), 'UTC')!)).toBe('2024-03-19T12:00:00Z');
  });

  it('a *monthly on the 31st skips months without a 31st (cron); *month_end is the last day', () => {
    const m = resolveTiming('*monthly', none, T('2024-01-31T09:00:00Z'), 'UTC')!;
    expect(formatTime(nextRunTime(m, T('2024-01-31T09:00:00Z'), 'UTC')!)).toBe('2024-03-31T09:00:00Z');
    const e = resolveTiming('*month_end', none, T('2024-01-10T00:00:00Z'), 'UTC')!;
    expect(formatTime(nextRunTime(e, T('2024-01-31T00:00:00Z'), 'UTC')!)).toBe('2024-02-29T00:00:00Z');
  });

  it('weekdays, *every_minute and *asap', () => {
    const peak = timing({ weekDays: [1, 2, 3, 4, 5], startTime: '08:00:00' });
    expect(formatTime(nextRunTime(peak, T('2024-03-16T10:00:00Z'), 'UTC')!)).toBe('2024-03-18T08:00:00Z'); // Saturday → Monday
    const em = resolveTiming('*every_minute', none, T('2024-03-16T10:00:07Z'), 'UTC')!;
    expect(formatTime(nextRunTime(em, T('2024-03-16T10:00:07Z'), 'UTC')!)).toBe('2024-03-16T10:01:07Z');
    expect(nextRunTime(timing({ startTime: '*asap' }), 0, 'UTC')).toBeNull();
    expect(nextRunTime(timing({ years: [2020] }), T('2024-01-01T00:00:00Z'), 'UTC')).toBeNull();
  });
});

describe('the scheduler with accounts', () => {
  it('an *asap plan runs once per account: a second load and a restart do not run it again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accurate-sched-'));
    let w = await world('tutorial', { dir });
    await w.accounts.debitBalance({ account: '1001', balanceType: MONETARY, value: 4, balance: { ID: 'test' } });
    await w.accounts.applyTariffPlanAccounts(w.tp);
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('6');
    await w.close();
    w = await world('tutorial', { dir }); // restart: same DB, load again
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('6');
    await w.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a timed entry runs on its timing for every attached account (tutorial2 TM_NOON resets FREE_DATA)', async () => {
    const w = await world('tutorial2', { now: '2024-03-18T10:00:00Z' });
    await w.accounts.debitBalance({ account: '1002', balanceType: DATA, value: 24, balance: { ID: 'FREE_DATA' } });
    expect(value(await w.accounts.getAccount('cgrates.org', '1002'), DATA)).toBe('1000');
    expect(await w.scheduler.runDue(T('2024-03-18T11:59:59Z'))).toBe(0);
    expect(await w.scheduler.runDue(T('2024-03-18T12:00:00Z'))).toBe(1);
    expect(value(await w.accounts.getAccount('cgrates.org', '1002'), DATA)).toBe('1024');
    await w.close();
  });

  it('plans are persisted: a new scheduler on the same DB lists the next runs (GetScheduledActions)', async () => {
    const w = await world('tutorial2', { now: '2024-03-18T10:00:00Z' });
    const s2 = new Scheduler({ dataDb: w.dataDb, execute: async () => undefined, log: quietLog, timezone: 'UTC', now: () => T('2024-03-18T10:00:00Z') });
    await s2.start();
    const rows = s2.getScheduledActions();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ NextRunTime: '2024-03-18T12:00:00Z', Accounts: 3, ActionPlanID: 'STANDARD_PLAN', ActionsID: 'TOPUP_RST_1024_DATA' });
    expect(s2.getScheduledActions({ Account: '1001' })).toHaveLength(1);
    expect(s2.getScheduledActions({ Account: '9999' })).toHaveLength(0);
    expect(s2.getScheduledActions({ TimeEnd: T('2024-03-18T11:00:00Z') })).toHaveLength(0);
    s2.stop();
    await w.close();
  });

  it('SetAccount with another plan moves the account (detached from the previous plan)', async () => {
    const w = await world('tutorial2');
    w.tp.actionPlans.OTHER = { id: 'OTHER', entries: [{ actionsId: 'TOPUP_RST_100_SMS', timingId: '*daily', weight: 10 }] };
    await w.accounts.reloadTariffPlan(w.tp);
    await w.accounts.setAccount({ account: '1001', actionPlanId: 'OTHER' });
    const rows = w.scheduler.getScheduledActions({ Account: '1001' });
    expect(rows.map((r) => r.ActionPlanID)).toEqual(['OTHER']);
    await w.close();
  });

  it('once started, the timer runs due entries by itself', async () => {
    const runs: string[] = [];
    const w = await world('tutorial');
    const s = new Scheduler({ dataDb: w.dataDb, execute: async (acc, act) => void runs.push(`${acc} ${act}`), log: quietLog, timezone: 'UTC' });
    await s.start();
    await s.attachAccounts('EVERY_SECOND', [{ actionsId: 'ACT_TOPUP_RST_10', timingId: 'TM_ANY_SECOND', weight: 10 }], ['cgrates.org:1001'],
      (id) => (id === 'TM_ANY_SECOND' ? timing({ id, startTime: '*:*:*' }) : undefined));
    await new Promise((r) => setTimeout(r, 2100));
    s.stop();
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs[0]).toBe('cgrates.org:1001 ACT_TOPUP_RST_10');
    await w.close();
  });
});
