// The action-plan scheduler inside the engine. Plans attached to accounts are persisted in DataDB
// (kind `scheduler`) with their timings resolved at attach time, so a restart resumes the same
// schedule; `*asap` entries run once per account and plan, and are remembered as done.
import { randomUUID } from 'node:crypto';
import type { ActionPlanEntry, Timing } from '../tariffplan/model.js';
import type { DataDB } from '../store/types.js';
import { Mutex } from '../util/mutex.js';
import { formatTime } from '../util/time.js';
import { ASAP, nextRunTime, resolveTiming } from './timing.js';

export const SCHEDULER_KIND = 'scheduler';

/** Runs an action set on an account; rejects when the actions failed. */
export type ActionExecutor = (accountId: string, actionsId: string) => Promise<void>;

export interface PlanTiming {
  uuid: string;
  actionsId: string;
  weight: number;
  timing: Timing;
}

export interface PlanRecord {
  id: string;
  accountIds: string[];
  timings: PlanTiming[];
}

interface AsapRecord {
  done: string[]; // ActionTiming uuids executed for this account
}

export interface ScheduledAction {
  NextRunTime: string;
  Accounts: number;
  ActionPlanID: string;
  ActionTimingUUID: string;
  ActionsID: string;
}

export interface ScheduledActionsFilter {
  Tenant?: string;
  Account?: string;
  TimeStart?: number;
  TimeEnd?: number;
  Offset?: number;
  Limit?: number;
}

export interface SchedulerLog {
  info(msg: string): void;
  warning(msg: string): void;
  err(msg: string): void;
}

export interface SchedulerOptions {
  dataDb: DataDB;
  execute: ActionExecutor;
  log: SchedulerLog;
  timezone: string;
  now?: () => number;
}

const planKey = (id: string) => `plan:${id}`;
const asapKey = (planId: string, accountId: string) => `asap:${planId}:${accountId}`;
const MAX_TIMER = 2_147_000_000;

export class Scheduler {
  private readonly db: DataDB;
  private readonly execute: ActionExecutor;
  private readonly log: SchedulerLog;
  private readonly tz: string;
  private readonly now: () => number;
  private readonly lock = new Mutex();
  private plans = new Map<string, PlanRecord>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** Last reference time per action timing: a run is due when its next time after this is ≤ now. */
  private readonly lastRef = new Map<string, number>();

  constructor(opts: SchedulerOptions) {
    this.db = opts.dataDb;
    this.execute = opts.execute;
    this.log = opts.log;
    this.tz = opts.timezone;
    this.now = opts.now ?? Date.now;
  }

  /** Loads persisted plans and arms the timer (engine start). Missed runs while down are skipped, as CGRateS does. */
  async start(): Promise<void> {
    await this.reload();
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async reload(): Promise<void> {
    await this.lock.run(async () => {
      const all = await this.db.list<PlanRecord>(SCHEDULER_KIND);
      this.plans = new Map();
      for (const [key, rec] of all) if (key.startsWith('plan:')) this.plans.set(rec.id, rec);
      const now = this.now();
      for (const p of this.plans.values()) for (const t of p.timings) if (!this.lastRef.has(t.uuid)) this.lastRef.set(t.uuid, now);
    });
    this.arm();
  }

  /**
   * Attaches accounts to a plan (AccountActions load, SetAccount): persists the plan with its
   * timings resolved now (kept when the entries did not change) and runs each `*asap` entry once
   * per account (never again for the same account and plan, also after restarts).
   */
  async attachAccounts(planId: string, entries: readonly ActionPlanEntry[], accountIds: readonly string[], timings: (id: string) => Timing | undefined): Promise<void> {
    const toRun: { accountId: string; timing: PlanTiming }[] = [];
    await this.lock.run(async () => {
      const now = this.now();
      const existing = (await this.db.get<PlanRecord>(SCHEDULER_KIND, planKey(planId))) ?? { id: planId, accountIds: [], timings: [] };
      const sameEntries = existing.timings.length === entries.length &&
        entries.every((e, i) => existing.timings[i].actionsId === e.actionsId && existing.timings[i].weight === e.weight && existing.timings[i].timing.id === e.timingId);
      if (!sameEntries) {
        existing.timings = [];
        for (const e of entries) {
          const timing = resolveTiming(e.timingId, timings, now, this.tz);
          if (!timing) throw new Error(`action plan ${planId}: unknown timing ${e.timingId}`);
          existing.timings.push({ uuid: randomUUID(), actionsId: e.actionsId, weight: e.weight, timing });
        }
      }
      for (const a of accountIds) if (!existing.accountIds.includes(a)) existing.accountIds.push(a);
      await this.db.put(SCHEDULER_KIND, planKey(planId), existing);
      this.plans.set(planId, existing);
      for (const t of existing.timings) if (!this.lastRef.has(t.uuid)) this.lastRef.set(t.uuid, now);
      const asap = existing.timings.filter((t) => t.timing.startTime === ASAP).sort((x, y) => y.weight - x.weight);
      for (const accountId of accountIds) {
        const done = (await this.db.get<AsapRecord>(SCHEDULER_KIND, asapKey(planId, accountId)))?.done ?? [];
        for (const t of asap) if (!done.includes(t.uuid)) toRun.push({ accountId, timing: t });
      }
    });
    for (const { accountId, timing } of toRun) {
      try {
        await this.execute(accountId, timing.actionsId);
      } catch (e) {
        this.log.err(`<Scheduler> *asap ${timing.actionsId} on ${accountId} failed: ${(e as Error).message}`);
      }
      // Marked done even when partially executed: CGRateS runs an *asap task once.
      await this.lock.run(async () => {
        const key = asapKey(planId, accountId);
        const rec = (await this.db.get<AsapRecord>(SCHEDULER_KIND, key)) ?? { done: [] };
        if (!rec.done.includes(timing.uuid)) rec.done.push(timing.uuid);
        await this.db.put(SCHEDULER_KIND, key, rec);
      });
    }
    this.arm();
  }

  /** Removes an account from every plan but `keep` (SetAccount with another plan, RemoveAccount). */
  async detachAccount(accountId: string, keep?: string): Promise<void> {
    await this.lock.run(async () => {
      for (const p of this.plans.values()) {
        if (p.id === keep || !p.accountIds.includes(accountId)) continue;
        p.accountIds = p.accountIds.filter((a) => a !== accountId);
        await this.db.put(SCHEDULER_KIND, planKey(p.id), p);
      }
    });
    this.arm();
  }

  plansOf(accountId: string): string[] {
    return [...this.plans.values()].filter((p) => p.accountIds.includes(accountId)).map((p) => p.id);
  }

  /** Next run of every recurring action timing (APIerSv1.GetScheduledActions), soonest first. */
  getScheduledActions(f: ScheduledActionsFilter = {}): ScheduledAction[] {
    const now = this.now();
    const rows: { at: number; weight: number; sa: ScheduledAction; accounts: string[] }[] = [];
    for (const p of this.plans.values()) {
      for (const t of p.timings) {
        const at = nextRunTime(t.timing, now, this.tz);
        if (at === null) continue;
        rows.push({
          at, weight: t.weight, accounts: p.accountIds,
          sa: { NextRunTime: formatTime(at), Accounts: p.accountIds.length, ActionPlanID: p.id, ActionTimingUUID: t.uuid, ActionsID: t.actionsId },
        });
      }
    }
    rows.sort((a, b) => a.at - b.at || b.weight - a.weight);
    let out = rows.filter((r) => {
      if (f.TimeStart !== undefined && r.at < f.TimeStart) return false;
      if (f.TimeEnd !== undefined && r.at >= f.TimeEnd) return false;
      if (f.Tenant !== undefined || f.Account !== undefined) {
        return r.accounts.some((id) => {
          const i = id.indexOf(':');
          if (i < 0) return false;
          return (f.Tenant === undefined || id.slice(0, i) === f.Tenant) && (f.Account === undefined || id.slice(i + 1) === f.Account);
        });
      }
      return true;
    }).map((r) => r.sa);
    if (f.Offset !== undefined && f.Offset <= out.length) out = out.slice(f.Offset);
    if (f.Limit !== undefined && f.Limit <= out.length) out = out.slice(0, f.Limit);
    return out;
  }

  /** Runs every timing due at `now` on its accounts (the timer calls this; tests may too). */
  async runDue(now = this.now()): Promise<number> {
    const due: { plan: PlanRecord; t: PlanTiming }[] = [];
    for (const plan of this.plans.values()) {
      for (const t of plan.timings) {
        const ref = this.lastRef.get(t.uuid) ?? now;
        const at = nextRunTime(t.timing, ref, this.tz);
        if (at !== null && at <= now) due.push({ plan, t });
      }
    }
    due.sort((a, b) => b.t.weight - a.t.weight);
    for (const { plan, t } of due) {
      this.lastRef.set(t.uuid, now);
      for (const accountId of [...plan.accountIds]) {
        try {
          await this.execute(accountId, t.actionsId);
        } catch (e) {
          this.log.err(`<Scheduler> ${t.actionsId} on ${accountId} failed: ${(e as Error).message}`);
        }
      }
    }
    return due.length;
  }

  private nextWake(): number | null {
    let best: number | null = null;
    for (const p of this.plans.values()) {
      for (const t of p.timings) {
        const at = nextRunTime(t.timing, this.lastRef.get(t.uuid) ?? this.now(), this.tz);
        if (at !== null && (best === null || at < best)) best = at;
      }
    }
    return best;
  }

  private arm(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const at = this.nextWake();
    if (at === null) return;
    const delay = Math.min(MAX_TIMER, Math.max(0, at - this.now()));
    this.timer = setTimeout(() => {
      void this.runDue().then(() => this.arm(), (e: Error) => {
        this.log.err(`<Scheduler> ${e.message}`);
        this.arm();
      });
    }, delay);
    this.timer.unref();
  }
}
