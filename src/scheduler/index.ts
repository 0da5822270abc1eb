// The scheduler's face: action plans over timings, persisted in DataDB.
export { Scheduler, SCHEDULER_KIND, type ActionExecutor, type PlanRecord, type PlanTiming, type ScheduledAction, type ScheduledActionsFilter, type SchedulerOptions, type SchedulerLog } from './scheduler.js';
export { resolveTiming, nextRunTime, ASAP } from './timing.js';
