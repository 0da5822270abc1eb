// Rating-profile and destination resolution (CGRateS LoadRatingPlans / getRatingPlansForPrefix /
// GetRatingPlansForPrefix): which rating plan, destination and rate intervals cover which period.
import { AccurateError, ERR } from '../util/errors.js';
import { ratingProfileKey } from '../tariffplan/model.js';
import type { IndexedProfile, ProfileActivation, RatingIndex } from './build.js';
import type { RatingInfo, RateInterval } from './types.js';
import { isActiveAt } from './timing.js';

const ANY = '*any';

/** The part of a call descriptor that selects rating. */
export interface RatingQuery {
  tenant: string;
  category: string;
  subject: string;
  destination: string;
  timeStart: number; // ms
  timeEnd: number; // ms
}

interface Ctx {
  tenant: string;
  category: string;
  destination: string;
  timeStart: number;
  timeEnd: number;
  infos: RatingInfo[];
}

export interface ResolvedRating {
  infos: RatingInfo[];
  /** the destination as rated: '' becomes '*any', as CGRateS rewrites it */
  destination: string;
}

/** Rating infos covering [timeStart, timeEnd); throws RATING_PLAN_NOT_FOUND or UNAUTHORIZED_DESTINATION. */
export function resolveRating(idx: RatingIndex, q: RatingQuery, fallbackDepth = 3): ResolvedRating {
  const ctx: Ctx = {
    tenant: q.tenant, category: q.category, destination: q.destination === '' ? ANY : q.destination,
    timeStart: q.timeStart, timeEnd: q.timeEnd, infos: [],
  };
  let [rec, err] = forKey(idx, ctx, ratingProfileKey(q.tenant, q.category, q.subject), 1, fallbackDepth);
  if (err === ERR.NOT_FOUND && rec === 1) {
    // The *any subject is used only when the subject has no profile at all.
    [, err] = forKey(idx, ctx, ratingProfileKey(q.tenant, q.category, ANY), 1, fallbackDepth);
  }
  if (err) throw new AccurateError(ERR.RATING_PLAN_NOT_FOUND);
  if (!continuous(ctx)) throw new AccurateError(ERR.UNAUTHORIZED_DESTINATION);
  return { infos: ctx.infos, destination: ctx.destination };
}

function continuous(ctx: Ctx): boolean {
  if (ctx.infos.length === 0 || ctx.infos[0].activationTime > ctx.timeStart) return false;
  return ctx.infos.every((ri) => ri.rateIntervals !== null);
}

function forKey(idx: RatingIndex, ctx: Ctx, key: string, depth: number, maxDepth: number): [number, string | null] {
  if (depth > maxDepth) return [depth, 'MAX_RECURSION_DEPTH'];
  const profile = idx.profiles.get(key);
  if (!profile) return [depth, ERR.NOT_FOUND];
  const found = plansForPrefix(idx, profile, ctx);
  if (!found || !continuous(ctx)) {
    depth++;
    for (let index = 0; index < ctx.infos.length; index++) {
      const ri = ctx.infos[index];
      if (ri.rateIntervals !== null && ri.rateIntervals.length > 0) continue;
      if (ri.fallbackKeys.length === 0) continue;
      const temp: Ctx = {
        tenant: ctx.tenant, category: ctx.category, destination: ctx.destination,
        timeStart: index === 0 ? ctx.timeStart : ri.activationTime,
        timeEnd: index === ctx.infos.length - 1 ? ctx.timeEnd : ctx.infos[index + 1].activationTime,
        infos: [],
      };
      for (const fbk of ri.fallbackKeys) {
        const [, e] = forKey(idx, temp, fbk, depth, maxDepth);
        if (e) continue;
        temp.infos.forEach((newRI, newIndex) => {
          if (newRI.rateIntervals === null || newRI.rateIntervals.length === 0) return;
          if (newIndex === 0) ctx.infos[index] = newRI;
          else ctx.infos.splice(index + newIndex, 0, newRI);
        });
        if (continuous(temp)) break;
      }
    }
  }
  return [depth, null];
}

function activeForCall(acts: ProfileActivation[], start: number, end: number): ProfileActivation[] {
  let last = 0;
  let first = acts.length;
  for (let i = 0; i < acts.length; i++) {
    if (acts[i].activationTime <= start) last = i;
    if (acts[i].activationTime > end) {
      first = i;
      break;
    }
  }
  return acts.slice(last, first);
}

function maxWeight(list: RateInterval[]): number {
  let w = 0;
  for (const ri of list) if (ri.weight > w) w = ri.weight;
  return w;
}

/** Longest prefix of the number with a destination the plan rates (active at start, highest weight), else `*any`. */
export function matchDestination(
  idx: RatingIndex, destRates: ReadonlyMap<string, RateInterval[]>, destination: string, timeStart: number,
): { prefix: string; destId: string; intervals: RateInterval[] } | null {
  if (destination !== ANY) {
    for (let len = destination.length; len >= 1; len--) {
      const p = destination.slice(0, len);
      const ids = idx.destinations.ids(p);
      if (!ids) continue;
      let best: { prefix: string; destId: string; intervals: RateInterval[] } | null = null;
      let bestWeight = 0;
      for (const id of ids) {
        const list = destRates.get(id);
        if (!list) continue;
        if (!list.some((ri) => isActiveAt(ri.timing, timeStart, idx.timezone))) continue;
        const w = maxWeight(list);
        if (best === null || w > bestWeight) {
          best = { prefix: p, destId: id, intervals: list };
          bestWeight = w;
        }
      }
      if (best) return best;
    }
  }
  const any = destRates.get(ANY);
  return any ? { prefix: ANY, destId: ANY, intervals: any } : null;
}

function plansForPrefix(idx: RatingIndex, profile: IndexedProfile, ctx: Ctx): boolean {
  const ris: RatingInfo[] = [];
  activeForCall(profile.activations, ctx.timeStart, ctx.timeEnd).forEach((rpa, index) => {
    const plan = idx.plans.get(rpa.ratingPlanId);
    if (!plan) return; // CGRateS logs and skips an activation whose plan is missing
    const m = matchDestination(idx, plan.destRates, ctx.destination, ctx.timeStart);
    if (index === 0 && ctx.timeStart < rpa.activationTime) {
      // head of the call before the first activation: left to the *any subject
      ris.push({ matchedSubject: '', ratingPlanId: '', matchedPrefix: '', matchedDestId: '', activationTime: ctx.timeStart,
        rateIntervals: null, fallbackKeys: [ratingProfileKey(ctx.tenant, ctx.category, ANY)] });
    }
    if (m) {
      // A per-call copy: the interval sort of each timespan reorders it in place, as CGRateS does.
      ris.push({ matchedSubject: profile.key, ratingPlanId: plan.id, matchedPrefix: m.prefix, matchedDestId: m.destId,
        activationTime: rpa.activationTime, rateIntervals: [...m.intervals], fallbackKeys: rpa.fallbackKeys });
    } else if (rpa.fallbackKeys.length > 0) {
      ris.push({ matchedSubject: '', ratingPlanId: '', matchedPrefix: '', matchedDestId: '', activationTime: rpa.activationTime,
        rateIntervals: null, fallbackKeys: rpa.fallbackKeys });
    }
  });
  if (ris.length === 0) return false;
  addRatingInfos(ctx, ris);
  return true;
}

function sortInfos(infos: RatingInfo[]): void {
  infos.sort((a, b) => a.activationTime - b.activationTime);
}

function addRatingInfos(ctx: Ctx, ris: RatingInfo[]): void {
  if (ctx.infos.length === 0) {
    ctx.infos.push(...ris);
    return;
  }
  sortInfos(ctx.infos);
  if (ctx.infos[0].activationTime > ctx.timeStart && ris[0].activationTime < ctx.infos[0].activationTime) {
    ctx.infos.push(ris[0]);
    sortInfos(ctx.infos);
  }
}
