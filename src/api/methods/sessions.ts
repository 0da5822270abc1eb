// SessionSv1: the session API as CGRateS names it (args are CGREvent plus subsystem flags).
import type { MethodTable } from '../table.js';
import type { SessionManager, EventMap, Session } from '../../sessions/index.js';
import { AccurateError, ERR, mandatoryMissing } from '../../util/errors.js';
import { formatTime } from '../../util/time.js';
import { eventOf as eventOfArgs, maxUsageCheck, durationValue, id, obj, optCount, optStrList, type CgrEventArgs, type Params } from './params.js';

/** Longest debit interval a client may ask for: a day (setTimeout holds at most 2^31-1 ms). */
export const MAX_DEBIT_INTERVAL_NS = 24 * 3600 * 1e9;

export interface SessionApiDeps {
  sessions: SessionManager;
  defaultTenant: string;
  nodeId: string;
  /** Inline or Filters.csv filters against a session's event (`*string:~*req.Account:1001`). */
  passes?: (tenant: string, filters: string[], event: EventMap) => boolean;
  /** rals.max_computed_usage: a requested Usage beyond it is MAX_USAGE_EXCEEDED. */
  maxComputedUsage?: Record<string, string>;
  timezone?: string;
}

function debitIntervalOpt(args: CgrEventArgs): number | undefined {
  const key = args.APIOpts?.['*sessionsDebitInterval'] !== undefined ? '*sessionsDebitInterval' : '*sessionDebitInterval';
  const v = args.APIOpts?.[key];
  if (v === undefined || v === null || v === '') return undefined;
  return durationValue(v, `APIOpts.${key}`, { min: 0, max: MAX_DEBIT_INTERVAL_NS });
}

/** Filters/Tenant/Limit/OriginID/CGRID of the session listing methods, typed. */
function listArgs(p: unknown): { Filters?: string[]; Limit?: number; Tenant: string; OriginID: string; CGRID: string } {
  const a: Params = p === null || p === undefined ? {} : obj(p);
  return { Filters: optStrList(a, 'Filters'), Limit: optCount(a, 'Limit'), Tenant: id(a, 'Tenant'), OriginID: id(a, 'OriginID'), CGRID: id(a, 'CGRID') };
}

/** A stored instant a Date cannot print (an agent passed an absurd time) must not fail the whole listing. */
function safeTime(ms: number): string {
  try {
    return formatTime(ms);
  } catch {
    return '';
  }
}

export function externalSession(s: Session, nodeId: string): Record<string, unknown>[] {
  return s.runs.map((r) => ({
    CGRID: s.cgrid,
    RunID: r.runId,
    ToR: r.event.ToR ?? '*voice',
    OriginID: s.originId,
    OriginHost: s.originHost,
    Source: 'SessionS_' + String(r.event.Source ?? ''),
    RequestType: r.requestType,
    Tenant: r.event.Tenant,
    Category: r.event.Category,
    Account: r.event.Account,
    Subject: r.event.Subject || r.event.Account,
    Destination: r.event.Destination,
    SetupTime: r.event.SetupTime ?? '',
    AnswerTime: safeTime(r.startMs),
    Usage: r.debited - r.reserve,
    ExtraFields: {},
    NodeID: nodeId,
    LoopIndex: r.loopIndex,
    DurationIndex: r.debited,
    DebitInterval: s.debitInterval,
  }));
}

export function register(table: MethodTable, d: SessionApiDeps): void {
  const { sessions } = d;
  const usageCheck = d.maxComputedUsage ? maxUsageCheck(d.maxComputedUsage) : undefined;
  const eventOf = (p: unknown, tenant: string) => eventOfArgs(p, tenant, d.timezone ?? 'UTC', usageCheck);
  const need = (args: CgrEventArgs, ...flags: string[]) => {
    if (!flags.some((f) => args[f] === true)) throw mandatoryMissing(['Subsystems']);
  };

  table.add('SessionSv1.AuthorizeEvent', async (p) => {
    const { ev, args } = eventOf(p, d.defaultTenant);
    need(args, 'GetMaxUsage', 'GetAttributes', 'AuthorizeResources', 'GetRoutes');
    const reply: Record<string, unknown> = {};
    if (args.GetMaxUsage) reply.MaxUsage = await sessions.authorize(ev);
    return reply;
  });

  table.add('SessionSv1.InitiateSession', async (p) => {
    const { ev, args } = eventOf(p, d.defaultTenant);
    need(args, 'InitSession', 'GetAttributes', 'AllocateResources');
    const reply: Record<string, unknown> = {};
    if (args.InitSession) reply.MaxUsage = await sessions.initiate(ev, { debitInterval: debitIntervalOpt(args) });
    return reply;
  });

  table.add('SessionSv1.UpdateSession', async (p) => {
    const { ev, args } = eventOf(p, d.defaultTenant);
    need(args, 'UpdateSession', 'GetAttributes');
    const reply: Record<string, unknown> = {};
    if (args.UpdateSession) reply.MaxUsage = await sessions.update(ev);
    return reply;
  });

  table.add('SessionSv1.TerminateSession', async (p) => {
    const { ev, args } = eventOf(p, d.defaultTenant);
    need(args, 'TerminateSession', 'ReleaseResources');
    if (args.TerminateSession) await sessions.terminate(ev);
    return 'OK';
  });

  table.add('SessionSv1.ProcessCDR', async (p) => {
    const { ev } = eventOf(p, d.defaultTenant);
    await sessions.processCDR(ev);
    return 'OK';
  });

  // ProcessEvent: the flags say which steps run, in CGRateS's order.
  table.add('SessionSv1.ProcessEvent', async (p) => {
    const { ev, args } = eventOf(p, d.defaultTenant);
    const flags = new Set(((args.Flags as string[] | undefined) ?? []).map((f) => f.split(':')[0]));
    const reply: Record<string, unknown> = {};
    if (flags.has('*authorize')) reply.MaxUsage = { '*default': await sessions.authorize(ev) };
    if (flags.has('*initiate')) reply.MaxUsage = { '*default': await sessions.initiate(ev) };
    if (flags.has('*update')) reply.MaxUsage = { '*default': await sessions.update(ev) };
    if (flags.has('*terminate')) await sessions.terminate(ev);
    if (flags.has('*cdrs')) await sessions.processCDR(ev);
    if (flags.size === 0) throw mandatoryMissing(['Flags']);
    return reply;
  });

  table.add('SessionSv1.GetActiveSessions', async (p) => {
    const args = listArgs(p);
    let list = sessions.list();
    if (args.Filters?.length) {
      if (!d.passes) throw new AccurateError(`${ERR.NOT_IMPLEMENTED}: session filters`);
      list = list.filter((s) => d.passes!(args.Tenant || s.tenant || d.defaultTenant, args.Filters!, s.event));
    }
    const out = list.flatMap((s) => externalSession(s, d.nodeId));
    if (out.length === 0) throw new AccurateError(ERR.NOT_FOUND);
    return args.Limit ? out.slice(0, args.Limit) : out;
  });

  table.add('SessionSv1.GetActiveSessionsCount', async () => sessions.count);

  table.add('SessionSv1.ForceDisconnect', async (p) => {
    const args = listArgs(p);
    let list = sessions.list();
    if (args.CGRID) list = list.filter((s) => s.cgrid === args.CGRID);
    if (args.OriginID) list = list.filter((s) => s.originId === args.OriginID);
    if (args.Filters?.length) {
      if (!d.passes) throw new AccurateError(`${ERR.NOT_IMPLEMENTED}: session filters`);
      list = list.filter((s) => d.passes!(args.Tenant || s.tenant || d.defaultTenant, args.Filters!, s.event));
    }
    if (!args.CGRID && !args.OriginID && !args.Filters?.length) throw mandatoryMissing(['Filters']);
    if (list.length === 0) throw new AccurateError(ERR.NOT_FOUND);
    for (const s of list) await sessions.forceEnd(s.cgrid, 'FORCED_DISCONNECT');
    return 'OK';
  });
}
