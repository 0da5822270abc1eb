// The rating index, built once per tariff-plan load and never mutated afterwards: the plan's
// destination index (shared with accounts, ./destinations.ts), rating profiles with sorted
// activation time lines, and rating plans resolved into per-destination rate intervals with
// pre-parsed money. Equal ratings and intervals are built once and shared by every destination
// they rate (a plan with a million destinations holds a few thousand distinct rates).
import { parseMoney, type RoundingMethod } from '../util/money.js';
import { SECOND } from '../util/duration.js';
import { ratingProfileKey, type TariffPlan, type Timing, type DestinationRateEntry, type Rate } from '../tariffplan/model.js';
import type { RIRating, RITiming, RateGroup, RateInterval } from './types.js';
import { destinationIndexOf, type DestinationIndex } from './destinations.js';

export interface ProfileActivation {
  activationTime: number; // ms
  ratingPlanId: string;
  /** `*out:tenant:category:subject` keys of the RatesFallbackSubject list */
  fallbackKeys: string[];
}

export interface IndexedProfile {
  key: string; // *out:tenant:category:subject
  activations: ProfileActivation[]; // ascending activation time
}

export interface IndexedPlan {
  id: string;
  /** destination ID (or `*any`) → rate intervals in RatingPlans.csv order, duplicates removed; lists are shared between destinations: read only */
  destRates: Map<string, RateInterval[]>;
}

export interface RatingIndex {
  readonly timezone: string;
  /** the plan's one destination index (the same object accounts use) */
  readonly destinations: DestinationIndex;
  readonly profiles: ReadonlyMap<string, IndexedProfile>;
  readonly plans: ReadonlyMap<string, IndexedPlan>;
}

export class RatingIndexError extends Error {}

const NO_INTERVALS: readonly RateInterval[] = [];

const ANY_TIMING: Timing = { id: '*any', years: [], months: [], monthDays: [], weekDays: [], startTime: '00:00:00', endTime: '' };

/** A Timings.csv row as rate intervals (and balance timings) use it: parsed start, weekday 7 = Sunday. */
export function toRITiming(t: Timing): RITiming {
  const parts = /^(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(t.startTime.trim());
  return {
    id: t.id,
    years: [...t.years],
    months: [...t.months],
    monthDays: [...t.monthDays],
    weekDays: t.weekDays.map((d) => ((d % 7) + 7) % 7),
    startTime: t.startTime === '' ? '00:00:00' : t.startTime,
    hour: parts ? Number(parts[1]) : 0,
    minute: parts ? Number(parts[2]) : 0,
    second: parts ? Number(parts[3]) : 0,
  };
}

function toRIRating(entry: DestinationRateEntry, rate: Rate, where: string): RIRating {
  if (rate.slots.length === 0) throw new RatingIndexError(`${where}: rate ${rate.id} has no rows`);
  const rates: RateGroup[] = rate.slots.map((s) => {
    const value = parseMoney(s.rate);
    return {
      groupIntervalStart: s.groupIntervalStart,
      value,
      valueF: Number(s.rate === '' ? '0' : s.rate),
      // CGRateS replaces a 0 unit or increment by 1s when it first uses the rate.
      rateIncrement: s.rateIncrement === 0 ? SECOND : s.rateIncrement,
      rateUnit: s.rateUnit === 0 ? SECOND : s.rateUnit,
    };
  });
  // Stable sort by group start, as Go's insertion sort does for small lists.
  rates.sort((a, b) => a.groupIntervalStart - b.groupIntervalStart);
  const cf = rate.slots[0].connectFee;
  const maxCost = entry.maxCost;
  return {
    rateId: rate.id,
    connectFee: parseMoney(cf),
    connectFeeF: Number(cf === '' ? '0' : cf),
    roundingMethod: entry.roundingMethod as RoundingMethod,
    roundingDecimals: entry.roundingDecimals,
    maxCost: parseMoney(maxCost),
    maxCostF: Number(maxCost === '' ? '0' : maxCost),
    maxCostStrategy: entry.maxCostStrategy,
    rates,
  };
}

function ratingSignature(r: RIRating): string {
  return [r.connectFee.toString(), r.roundingMethod, r.roundingDecimals, r.maxCost.toString(), r.maxCostStrategy,
    ...r.rates.map((g) => `${g.groupIntervalStart}/${g.value.toString()}/${g.rateIncrement}/${g.rateUnit}`)].join('|');
}

/** Builds the index; throws RatingIndexError naming the plan and the missing link on a broken plan. */
export function buildRatingIndex(tp: TariffPlan, opts: { timezone: string }): RatingIndex {
  const destinations = destinationIndexOf(tp);

  const timings = new Map<string, RITiming>();
  const timingFor = (id: string, where: string): RITiming => {
    let t = timings.get(id);
    if (!t) {
      const src = tp.timings[id] ?? (id === '*any' ? ANY_TIMING : undefined);
      if (!src) throw new RatingIndexError(`${where}: timing "${id}" not found`);
      t = toRITiming(src);
      timings.set(id, t);
    }
    return t;
  };

  // One RIRating per distinct (rate, rounding, max cost), one RateInterval per distinct (timing,
  // rating, weight) and one list per distinct sequence of intervals, whatever the number of
  // destinations using them. A list is never changed once made: adding an interval to a
  // destination's list moves it to the (shared) longer list.
  const ratings = new Map<string, RIRating>();
  const sigOf = new Map<RIRating, string>();
  const intervals = new Map<string, RateInterval>();
  const longer = new Map<readonly RateInterval[], Map<RateInterval, RateInterval[]>>();
  const append = (list: RateInterval[] | undefined, ri: RateInterval): RateInterval[] => {
    const from = list ?? NO_INTERVALS;
    let next = longer.get(from);
    if (!next) longer.set(from, (next = new Map()));
    let out = next.get(ri);
    if (!out) next.set(ri, (out = [...from, ri]));
    return out;
  };
  const plans = new Map<string, IndexedPlan>();
  for (const rp of Object.values(tp.ratingPlans)) {
    const destRates = new Map<string, RateInterval[]>();
    for (const [row, b] of rp.entries.entries()) {
      const where = `rating plan ${rp.id} binding ${row + 1}`;
      const timing = timingFor(b.timingId, where);
      const dr = tp.destinationRates[b.destinationRatesId];
      if (!dr) throw new RatingIndexError(`${where}: destination rate "${b.destinationRatesId}" not found`);
      for (const entry of dr.entries) {
        const rate = tp.rates[entry.rateId];
        if (!rate) throw new RatingIndexError(`${where}: rate "${entry.rateId}" of destination rate ${dr.id} not found`);
        const rkey = `${entry.rateId}\u0000${entry.roundingMethod}\u0000${entry.roundingDecimals}\u0000${entry.maxCost}\u0000${entry.maxCostStrategy}`;
        let rating = ratings.get(rkey);
        if (!rating) {
          rating = toRIRating(entry, rate, where);
          ratings.set(rkey, rating);
          sigOf.set(rating, ratingSignature(rating));
        }
        // An interval equal to one the destination already has (same timing, rating numbers and weight) is a duplicate.
        const sig = sigOf.get(rating)!;
        const list = destRates.get(entry.destinationId);
        if (list?.some((ri) => ri.timing.id === timing.id && ri.weight === b.weight && sigOf.get(ri.rating) === sig)) continue;
        const ikey = `${rkey}\u0000${timing.id}\u0000${b.weight}`;
        let ri = intervals.get(ikey);
        if (!ri) intervals.set(ikey, (ri = { timing, rating, weight: b.weight }));
        destRates.set(entry.destinationId, append(list, ri));
      }
    }
    plans.set(rp.id, { id: rp.id, destRates });
  }

  const profiles = new Map<string, IndexedProfile>();
  for (const p of Object.values(tp.ratingProfiles)) {
    const key = ratingProfileKey(p.tenant, p.category, p.subject);
    const activations = p.activations
      .map((a) => ({
        activationTime: a.activationTime,
        ratingPlanId: a.ratingPlanId,
        fallbackKeys: a.fallbackSubjects.filter((s) => s !== '').map((s) => ratingProfileKey(p.tenant, p.category, s)),
      }))
      .sort((a, b) => a.activationTime - b.activationTime);
    profiles.set(key, { key, activations });
  }

  return Object.freeze({ timezone: opts.timezone, destinations, profiles, plans });
}
