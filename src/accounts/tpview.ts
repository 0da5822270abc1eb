// The slice of the tariff plan that accounting reads: destinations (the plan's one prefix index,
// shared with rating), timings, action sets, trigger sets, action plans and shared groups.
// Holds only those records, never the whole plan (whose destination rows would stay in memory).
import type { ActionPlan, ActionSet, ActionTriggerSet, SharedGroup, TariffPlan, Timing } from '../tariffplan/model.js';
import { destinationIndexOf, type DestinationIndex } from '../rating/destinations.js';
import { wallClock } from '../util/time.js';

export { prefixesOf } from '../rating/destinations.js';

const NONE: readonly string[] = Object.freeze([]);

export interface AccountingTp {
  /** The plan's destination index: the same object rating matches destinations with. */
  readonly destinations: DestinationIndex;
  /** Destination ids containing exactly this prefix. */
  destinationIdsForPrefix(prefix: string): readonly string[];
  timing(id: string): Timing | undefined;
  actions(id: string): ActionSet | undefined;
  actionTriggers(id: string): ActionTriggerSet | undefined;
  actionPlan(id: string): ActionPlan | undefined;
  sharedGroup(id: string): SharedGroup | undefined;
}

export function accountingTp(tp: Pick<TariffPlan, 'destinations' | 'timings' | 'actions' | 'actionTriggers' | 'actionPlans' | 'sharedGroups'>): AccountingTp {
  const destinations = destinationIndexOf(tp);
  const { timings, actions, actionTriggers, actionPlans, sharedGroups } = tp;
  return {
    destinations,
    destinationIdsForPrefix: (p) => destinations.ids(p) ?? NONE,
    timing: (id) => timings[id],
    actions: (id) => actions[id],
    actionTriggers: (id) => actionTriggers[id],
    actionPlan: (id) => actionPlans[id],
    sharedGroup: (id) => sharedGroups[id],
  };
}

function hms(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(s.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}

/** RITiming.IsActiveAt for balance timings: calendar lists, then StartTime ≤ time of day (≤ EndTime when set). */
export function timingActiveAt(t: Timing, ms: number, tz: string): boolean {
  const w = wallClock(ms, tz);
  if (t.years.length && !t.years.includes(w.year)) return false;
  if (t.months.length && !t.months.includes(w.month)) return false;
  if (t.monthDays.length && !t.monthDays.includes(w.day)) return false;
  if (t.weekDays.length && !t.weekDays.includes(w.weekday)) return false;
  const now = w.hour * 3600 + w.minute * 60 + w.second;
  const start = hms(t.startTime);
  if (start !== null && now < start) return false;
  const end = t.endTime ? hms(t.endTime) : null;
  if (end !== null && now > end) return false;
  return true;
}
