// The slice of the tariff plan that accounting reads: destinations (reverse prefix index),
// timings, action sets, trigger sets, action plans and shared groups. Built once per load.
import type { ActionPlan, ActionSet, ActionTriggerSet, SharedGroup, TariffPlan, Timing } from '../tariffplan/model.js';
import { wallClock } from '../util/time.js';

export interface AccountingTp {
  /** Destination ids containing exactly this prefix. */
  destinationIdsForPrefix(prefix: string): readonly string[];
  timing(id: string): Timing | undefined;
  actions(id: string): ActionSet | undefined;
  actionTriggers(id: string): ActionTriggerSet | undefined;
  actionPlan(id: string): ActionPlan | undefined;
  sharedGroup(id: string): SharedGroup | undefined;
}

export function accountingTp(tp: Pick<TariffPlan, 'destinations' | 'timings' | 'actions' | 'actionTriggers' | 'actionPlans' | 'sharedGroups'>): AccountingTp {
  const reverse = new Map<string, string[]>();
  for (const d of Object.values(tp.destinations)) {
    for (const p of d.prefixes) {
      const ids = reverse.get(p) ?? [];
      if (!ids.includes(d.id)) ids.push(d.id);
      reverse.set(p, ids);
    }
  }
  return {
    destinationIdsForPrefix: (p) => reverse.get(p) ?? [],
    timing: (id) => tp.timings[id],
    actions: (id) => tp.actions[id],
    actionTriggers: (id) => tp.actionTriggers[id],
    actionPlan: (id) => tp.actionPlans[id],
    sharedGroup: (id) => tp.sharedGroups[id],
  };
}

/** Prefixes of a number, longest first, down to one character (CGRateS SplitPrefix with MIN_PREFIX_MATCH 1). */
export function prefixesOf(number: string): string[] {
  const out: string[] = [];
  for (let i = number.length; i >= 1; i--) out.push(number.slice(0, i));
  return out;
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
