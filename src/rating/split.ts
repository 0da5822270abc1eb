// Splitting a call into timespans, exactly in CGRateS's order (rating-semantics 3.3, 3.4): by
// rating-plan activation, by calendar day, by rate interval (timing bands and rate-group starts,
// including the displaced band boundary of W3b), then rounding each span up to its increment.
// Positions are integer nanosecond offsets from the call start; wall-clock checks use the index zone.
import type { RatingIndex } from './build.js';
import type { RateGroup, RateInterval, RatingInfo, ToR } from './types.js';
import { copyHour, endOfDay, intervalContains, is0h, leftMargin, nextMidnight, sameDayOfMonth } from './timing.js';

/** A piece of the call before costing: [s, e) in ns from the call start. */
export interface Span {
  s: number;
  e: number;
  /** elapsed call time at the end of the span, ns */
  di: number;
  ri: RateInterval | null;
  info: RatingInfo | null;
}

export interface SplitInput {
  startMs: number;
  durationNs: number;
  durationIndex: number;
  tor: ToR;
  infos: RatingInfo[];
}

export function groupStart(sp: Span): number {
  const s = sp.di - (sp.e - sp.s);
  return s < 0 ? 0 : s;
}

/** The rate group for an elapsed start (greatest GroupIntervalStart ≤ it), or null when none applies. */
export function rateParams(ri: Pick<RateInterval, 'rating'>, start: number): RateGroup | null {
  const rates = ri.rating.rates;
  for (let i = 0; i < rates.length; i++) {
    if (rates[i].groupIntervalStart <= start && (i === rates.length - 1 || rates[i + 1].groupIntervalStart > start)) return rates[i];
  }
  return null;
}

/** Go's RoundDuration(whole, amount): amount rounded up to a multiple of whole. */
function roundDuration(whole: number, amount: number): number {
  const m = amount % whole;
  return m === 0 ? amount : whole - m + amount;
}

export function splitSpans(idx: RatingIndex, input: SplitInput): Span[] {
  const tz = idx.timezone;
  const base = input.startMs;
  const abs = (ns: number): number => base + ns / 1e6;
  const off = (ms: number): number => Math.round((ms - base) * 1e6);
  const setNewDI = (ts: Span, nts: Span): void => {
    const d = ts.di - (nts.e - nts.s);
    ts.di = d < 0 ? 0 : d;
  };
  const cut = (ts: Span, at: number, ri: RateInterval | null): Span => {
    const nts: Span = { s: at, e: ts.e, di: ts.di, ri: null, info: ts.info };
    ts.e = at;
    if (ri) setRI(nts, ri);
    setNewDI(ts, nts);
    return nts;
  };
  // CGRateS hasBetterRateIntervalThan / SetRateInterval
  const setRI = (ts: Span, ri: RateInterval): void => {
    const st = abs(ts.s);
    const otherDist = st - leftMargin(ri.timing, st, tz);
    if (otherDist < 0) return;
    if (ts.ri !== null && ts.ri.weight >= ri.weight) {
      const ownDist = st - leftMargin(ts.ri.timing, st, tz);
      if (!(ownDist > otherDist)) return;
    }
    ts.ri = ri;
  };

  const first: Span = { s: 0, e: input.durationNs, di: input.durationIndex, ri: null, info: null };
  const spans: Span[] = [first];
  if (input.infos.length === 0) return spans;
  first.info = input.infos[0];
  const voice = input.tor === '*voice';
  if (voice) {
    let afterStart = false;
    let afterEnd = false;
    for (const rp of input.infos) {
      if (!afterStart && !afterEnd && rp.activationTime < base) {
        first.info = rp;
      } else {
        afterStart = true;
        for (let i = 0; i < spans.length; i++) {
          const ts = spans[i];
          // The tail keeps the head's rating info: CGRateS copies it from the split span.
          if (rp.activationTime > abs(ts.s) && rp.activationTime < abs(ts.e)) {
            spans.push(cut(ts, off(rp.activationTime), null));
          } else {
            afterEnd = true;
            break;
          }
        }
      }
    }
    for (let i = 0; i < spans.length; i++) {
      const ts = spans[i];
      const sAbs = abs(ts.s);
      const eAbs = abs(ts.e);
      if (sameDayOfMonth(sAbs, eAbs, tz) || is0h(eAbs, tz)) continue;
      spans.splice(i + 1, 0, cut(ts, off(nextMidnight(sAbs, tz)), null));
    }
  }

  for (let i = 0; i < spans.length; i++) {
    const info = spans[i].info;
    if (!info || !info.rateIntervals || info.rateIntervals.length === 0) continue;
    for (const interval of selectIntervals(info.rateIntervals, abs(spans[i].s), abs(spans[i].e), tz)) {
      const nts = splitByRateInterval(spans[i], interval, !voice);
      if (nts) {
        nts.info = info;
        spans.splice(i + 1, 0, nts);
        if (spans[i].ri !== null) break;
      }
    }
  }

  // Round each span up to its increment; an extension swallows what it overlaps.
  for (let i = 0; i < spans.length; i++) {
    const ts = spans[i];
    if (!ts.ri) continue;
    const p = rateParams(ts.ri, groupStart(ts));
    if (!p) continue;
    const dur = ts.e - ts.s;
    let inc = p.rateIncrement;
    if (inc < dur) inc = roundDuration(inc, dur);
    if (inc > dur) {
      ts.e = ts.s + inc;
      ts.di += inc - dur;
      let endIdx = i;
      for (let j = i + 1; j < spans.length; j++) {
        if (spans[j].e <= ts.e) endIdx = j;
        else if (spans[j].s < ts.e) {
          spans[j].s = ts.e;
          break;
        }
      }
      if (endIdx > i) spans.splice(i + 1, endIdx - i);
    }
  }
  return spans;

  function splitByRateInterval(ts: Span, ri: RateInterval, data: boolean): Span | null {
    const sAbs = abs(ts.s);
    const eAbs = abs(ts.e);
    const cS = intervalContains(ri, sAbs, false, tz);
    const cE = intervalContains(ri, eAbs, true, tz);
    if (!cS && !cE) return null;
    const gs = groupStart(ts);
    for (const rate of ri.rating.rates) {
      if (gs < rate.groupIntervalStart && ts.di > rate.groupIntervalStart) {
        setRI(ts, ri);
        return cut(ts, ts.s + (rate.groupIntervalStart - gs), ri);
      }
    }
    if (data) {
      if (cS) setRI(ts, ri);
      return null;
    }
    if (cS && cE) {
      setRI(ts, ri);
      return null;
    }
    if (cS) {
      const split = endOfDay(sAbs, tz);
      setRI(ts, ri);
      if (split === sAbs || split === eAbs) return null;
      return cut(ts, off(split), null);
    }
    const split = copyHour(leftMargin(ri.timing, eAbs, tz), sAbs, tz);
    if (split === eAbs) return null;
    return cut(ts, off(split), ri);
  }
}

/**
 * CGRateS SelectRatingIntevalsForTimespan: sorts the list in place (its comparator, by Go's insertion
 * sort, so the order carries over between timespans of one call), picks the best active interval
 * (highest weight, closest start at or before t) and appends the same-weight intervals that start
 * later before the span's end.
 */
export function selectIntervals(list: RateInterval[], startMs: number, endMs: number, tz: string): RateInterval[] {
  const n = list.length;
  const lm = list.map((ri) => leftMargin(ri.timing, startMs, tz));
  // Less(x, y) = w(y) < w(x) || lm(y) > lm(x)
  for (let i = 1; i < n; i++) {
    for (let j = i; j > 0 && (list[j - 1].weight < list[j].weight || lm[j - 1] > lm[j]); j--) {
      [list[j], list[j - 1]] = [list[j - 1], list[j]];
      [lm[j], lm[j - 1]] = [lm[j - 1], lm[j]];
    }
  }
  let delta = -1;
  let best = 0;
  let bestWeight = 0;
  for (let k = 0; k < n; k++) {
    const ri = list[k];
    if (!intervalContains(ri, startMs, false, tz)) continue;
    if (ri.weight < bestWeight) break;
    const d = startMs - lm[k];
    if (lm[k] <= startMs && (delta === -1 || d < delta)) {
      best = k;
      bestWeight = ri.weight;
      delta = d;
    }
  }
  const result = [list[best]];
  for (let k = best + 1; k < n; k++) {
    if (list[k].weight < bestWeight) break;
    if (lm[k] < endMs) result.push(list[k]);
  }
  return result;
}
