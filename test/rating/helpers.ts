// Shared test helpers: rating indexes of the reference tariff plans and a short rate() call.
import { loadRatingTp } from './fixture.js';
import { newCallDescriptor, buildRatingIndex, rateCall, type CallCost, type CostMode, type RatingIndex } from '../../src/rating/index.js';
import { parseTime } from '../../src/util/time.js';
import { Money, ZERO } from '../../src/util/money.js';

const cache = new Map<string, RatingIndex>();

export function index(tp: string): RatingIndex {
  let idx = cache.get(tp);
  if (!idx) {
    idx = buildRatingIndex(loadRatingTp(tp), { timezone: 'UTC' });
    cache.set(tp, idx);
  }
  return idx;
}

export const T = (s: string): number => parseTime(s, 'UTC');
export const S = 1e9;

export interface Call {
  tenant?: string;
  category?: string;
  subject: string;
  destination: string;
  start: string;
  seconds: number;
  loopIndex?: number;
  durationIndex?: number;
  tor?: string;
}

/** Rates a call of a reference plan; G defaults to 5 (a running engine). */
export function rate(tp: string, c: Call, mode: CostMode, G = 5): CallCost {
  return rateCall(index(tp), newCallDescriptor({
    tenant: c.tenant ?? 'cgrates.org', category: c.category ?? 'call', subject: c.subject, account: c.subject,
    destination: c.destination, anchorMs: T(c.start), endNs: Math.round(c.seconds * S),
    loopIndex: c.loopIndex, durationIndexNs: c.durationIndex, tor: c.tor,
  }), { mode, roundingDecimals: G });
}

/** "rateId@timingId:seconds" per timespan, to assert how a call was split. */
export function shape(cc: CallCost): string[] {
  return cc.timespans.map((t) => `${t.rateInterval?.rating.rateId}@${t.rateInterval?.timing.id}:${(t.endNs - t.startNs) / S}`);
}

export const costs = (cc: CallCost): string[] => cc.timespans.map((t) => t.cost.toString());

/** Increments one by one (a compressed run of n as n), for asserting small calls increment by increment. */
export function flat<I extends { compressFactor?: number }>(incs: readonly I[]): I[] {
  return incs.flatMap((i) => Array.from({ length: i.compressFactor ?? 1 }, () => ({ ...i, compressFactor: 1 })));
}

/** Σ cost × CompressFactor. */
export function incTotal(incs: readonly { cost: Money; compressFactor?: number }[]): Money {
  return incs.reduce((a, i) => a.plus(i.cost.times(i.compressFactor ?? 1)), ZERO);
}

/** Deterministic PRNG (LCG) for the seeded property tests, so a failure reproduces. */
export function prng(seed: number) {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)];
  return { next, int, pick };
}

export type Rng = ReturnType<typeof prng>;
