// Rating API: APIerSv1.GetCost, Responder.GetCost, RALsV1.GetRatingPlansCost and the rating-object
// getters, with CGRateS's parameter names, wire shapes and error texts.
import type { MethodTable } from '../table.js';
import { obj, str, id, tor, optCount, optMoney, optStrList, usage, time, type Params } from './params.js';
import { wire, newCallDescriptor, type RatingService } from '../../rating/index.js';
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
  if (typeof params === 'string') return id({ ID: params }, 'ID');
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    const p = params as Params;
    return id(p, 'ID') || id(p, 'Id') || id(p, 'Arg');
  }
  return '';
}

export function register(table: MethodTable, s: RatingApiServices): void {
  const tz = (): string => s.rating.opts.timezone;

  table.add('APIerSv1.GetCost', async (params) => {
    const p = obj(params);
    const t = timeExact(p, 'AnswerTime', tz());
    const ec = s.rating.getEventCost({
      tenant: id(p, 'Tenant'), category: id(p, 'Category'), subject: id(p, 'Subject'), destination: id(p, 'Destination'),
      answerTime: t.ms, answerTimeNs: t.ns, usageNs: usage(p, 'Usage'),
    });
    return wire.eventCostToWire(ec);
  });

  table.add('Responder.GetCost', async (params) => {
    const p = obj(params);
    const start = timeExact(p, 'TimeStart', tz());
    const end = timeExact(p, 'TimeEnd', tz());
    const cd = newCallDescriptor({
      category: id(p, 'Category'), tenant: id(p, 'Tenant'), subject: id(p, 'Subject'), account: id(p, 'Account'),
      destination: id(p, 'Destination'), anchorMs: start.ms, anchorNs: start.ns, endNs: Number(end.ns - start.ns),
      loopIndex: optCount(p, 'LoopIndex') ?? 0, durationIndexNs: usage(p, 'DurationIndex'), tor: tor(p, 'ToR'),
      maxCostSoFar: optMoney(p, 'MaxCostSoFar'),
    });
    if (end.ns < start.ns) throw new AccurateError(`${ERR.SERVER_ERROR}: TimeEnd before TimeStart`, ERR.SERVER_ERROR);
    return wire.callCostToWire(s.rating.getCost(cd));
  });

  table.add('RALsV1.GetRatingPlansCost', async (params) => {
    const p = obj(params);
    const ids = optStrList(p, 'RatingPlanIDs') ?? [];
    const missing: string[] = [];
    if (ids.length === 0) missing.push('RatingPlanIDs');
    for (const f of ['Destination', 'SetupTime', 'Usage']) if (str(p, f) === '') missing.push(f);
    if (ids.length > 1000) throw new AccurateError(`${ERR.SERVER_ERROR}: RatingPlanIDs: at most 1000`, ERR.SERVER_ERROR);
    if (missing.length > 0) throw mandatoryMissing(missing);
    const st = timeExact(p, 'SetupTime', tz());
    const r = s.rating.getRatingPlansCost({
      destination: id(p, 'Destination'), ratingPlanIds: ids, setupTime: st.ms, setupTimeNs: st.ns, usageNs: usage(p, 'Usage'),
    });
    return { EventCost: r.eventCost ? wire.eventCostToWire(r.eventCost) : null, RatingPlanID: r.ratingPlanId };
  });

  table.add('APIerSv1.GetDestination', async (params) => {
    const id = idParam(params);
    const prefixes = s.rating.index.destinations.prefixes(id);
    if (!prefixes) throw new AccurateError(ERR.NOT_FOUND);
    return wire.destinationToWire(id, prefixes);
  });

  table.add('APIerSv1.GetRatingProfile', async (params) => {
    const p = obj(params);
    const missing = ['Category', 'Subject'].filter((f) => id(p, f) === '');
    if (missing.length > 0) throw mandatoryMissing(missing);
    const tenant = id(p, 'Tenant') || s.rating.opts.defaultTenant || 'cgrates.org';
    const prof = s.rating.index.profiles.get(ratingProfileKey(tenant, id(p, 'Category'), id(p, 'Subject')));
    if (!prof) throw new AccurateError(ERR.NOT_FOUND);
    return wire.ratingProfileToWire(prof);
  });

  table.add('APIerSv1.GetRatingPlan', async (params) => {
    const plan = s.rating.index.plans.get(idParam(params));
    if (!plan) throw new AccurateError(ERR.NOT_FOUND);
    return wire.ratingPlanToWire(plan);
  });
}
