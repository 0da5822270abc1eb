// Rating API: APIerSv1.GetCost, Responder.GetCost, RALsV1.GetRatingPlansCost and the rating-object
// getters, with CGRateS's parameter names, wire shapes and error texts.
import type { MethodTable } from '../table.js';
import { obj, str, num, usage, time, type Params } from './params.js';
import { wire, type RatingService, type CallDescriptor } from '../../rating/index.js';
import { AccurateError, ERR, mandatoryMissing } from '../../util/errors.js';
import { ratingProfileKey } from '../../tariffplan/model.js';
import { nsToParts, parseTimeNs } from '../../util/time.js';

/** A time field to the nanosecond (Go keeps them): the ms `time` gives plus the exact epoch ns. */
function timeExact(p: Params, field: string, tz: string): { ms: number; ns: bigint } {
  const ms = time(p, field, tz); // validates, with the usual error text
  const v = p[field];
  const ns = typeof v === 'number' ? BigInt(ms) * 1_000_000n : parseTimeNs(str(p, field), tz);
  return { ms: nsToParts(ns).ms, ns };
}

/** What these methods need from the engine's Services. */
export interface RatingApiServices {
  readonly rating: RatingService;
}

function idParam(params: unknown): string {
  if (typeof params === 'string') return params;
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    const p = params as Params;
    return str(p, 'ID') || str(p, 'Id') || str(p, 'Arg');
  }
  return '';
}

export function register(table: MethodTable, s: RatingApiServices): void {
  const tz = (): string => s.rating.opts.timezone;

  table.add('APIerSv1.GetCost', async (params) => {
    const p = obj(params);
    const t = timeExact(p, 'AnswerTime', tz());
    const ec = s.rating.getEventCost({
      tenant: str(p, 'Tenant'), category: str(p, 'Category'), subject: str(p, 'Subject'), destination: str(p, 'Destination'),
      answerTime: t.ms, answerTimeNs: t.ns, usageNs: usage(p, 'Usage'),
    });
    return wire.eventCostToWire(ec);
  });

  table.add('Responder.GetCost', async (params) => {
    const p = obj(params);
    const start = timeExact(p, 'TimeStart', tz());
    const end = timeExact(p, 'TimeEnd', tz());
    const cd: CallDescriptor = {
      category: str(p, 'Category'), tenant: str(p, 'Tenant'), subject: str(p, 'Subject'), account: str(p, 'Account'),
      destination: str(p, 'Destination'), timeStart: start.ms, timeEnd: end.ms, timeStartNs: start.ns, timeEndNs: end.ns,
      loopIndex: num(p, 'LoopIndex'), durationIndex: num(p, 'DurationIndex'), tor: str(p, 'ToR'), maxCostSoFar: num(p, 'MaxCostSoFar'),
    };
    if (end.ns < start.ns) throw new AccurateError(`${ERR.SERVER_ERROR}: TimeEnd before TimeStart`, ERR.SERVER_ERROR);
    return wire.callCostToWire(s.rating.getCost(cd));
  });

  table.add('RALsV1.GetRatingPlansCost', async (params) => {
    const p = obj(params);
    const ids = Array.isArray(p.RatingPlanIDs) ? p.RatingPlanIDs.map(String) : [];
    const missing: string[] = [];
    if (ids.length === 0) missing.push('RatingPlanIDs');
    for (const f of ['Destination', 'SetupTime', 'Usage']) if (str(p, f) === '') missing.push(f);
    if (missing.length > 0) throw mandatoryMissing(missing);
    const st = timeExact(p, 'SetupTime', tz());
    const r = s.rating.getRatingPlansCost({
      destination: str(p, 'Destination'), ratingPlanIds: ids, setupTime: st.ms, setupTimeNs: st.ns, usageNs: usage(p, 'Usage'),
    });
    return { EventCost: r.eventCost ? wire.eventCostToWire(r.eventCost) : null, RatingPlanID: r.ratingPlanId };
  });

  table.add('APIerSv1.GetDestination', async (params) => {
    const id = idParam(params);
    const prefixes = s.rating.index.destinations.get(id);
    if (!prefixes) throw new AccurateError(ERR.NOT_FOUND);
    return wire.destinationToWire(id, prefixes);
  });

  table.add('APIerSv1.GetRatingProfile', async (params) => {
    const p = obj(params);
    const missing = ['Category', 'Subject'].filter((f) => str(p, f) === '');
    if (missing.length > 0) throw mandatoryMissing(missing);
    const tenant = str(p, 'Tenant') || s.rating.opts.defaultTenant || 'cgrates.org';
    const prof = s.rating.index.profiles.get(ratingProfileKey(tenant, str(p, 'Category'), str(p, 'Subject')));
    if (!prof) throw new AccurateError(ERR.NOT_FOUND);
    return wire.ratingProfileToWire(prof);
  });

  table.add('APIerSv1.GetRatingPlan', async (params) => {
    const plan = s.rating.index.plans.get(idParam(params));
    if (!plan) throw new AccurateError(ERR.NOT_FOUND);
    return wire.ratingPlanToWire(plan);
  });
}
