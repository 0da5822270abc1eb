// The closed form of *exact costing (compact runs of increments, span costs from the rounded totals,
// shared Money instances) must give every digit the straightforward computation gives: the increments
// up to k cost R(c_k) − R(c_0) with c_k the exact running total and R the call's tariff rounding; a run
// is one increment at the unit cost plus a zero-duration rounding increment, adding up to the same.
// Seeded random tariff plans and calls, compared against that computation done in 200-digit decimals.
import { describe, expect, test } from 'vitest';
import { Money, ZERO } from '../../src/util/money.js';
import { newCallDescriptor,
  CUMULATIVE_RUN, buildRatingIndex, groupStart, longestRounding, moneyFromFloat, rateCall, rateParams, roundCgrates, sameDayOfMonth,
  type CallCost, type RatingIndex,
} from '../../src/rating/index.js';
import { ratingTpFromCsv } from './fixture.js';
import { flat, incTotal, prng, type Rng } from './helpers.js';


/** A decimal text: 0–6 decimals, small to very large integer parts (past float64's exact integers), sometimes negative. */
function price(r: Rng): string {
  const d = r.int(7);
  let s = String(r.pick([0, 0, 0, 1, 3, 12, 1234567, 987654321987]));
  if (d) s += '.' + Array.from({ length: d }, () => r.int(10)).join('');
  return r.next() < 0.08 ? '-' + s : s;
}

function randomIndex(r: Rng): RatingIndex {
  let rates = '';
  let start = 0;
  for (let g = 0, n = 1 + r.int(3); g < n; g++) {
    const unit = r.pick(['60s', '1s', '3600s', '7s', '0']);
    const inc = r.pick(['1s', '10s', '60s', '6s', '7s', '100ms', '500ms', '0']);
    rates += `RT_A,${g === 0 ? r.pick(['0', price(r)]) : '0'},${price(r)},${unit},${inc},${start}s\n`;
    start += r.pick([17, 30, 60, 90]);
  }
  rates += `RT_B,${r.pick(['0', price(r)])},${price(r)},${r.pick(['60s', '1s', '13s'])},${r.pick(['1s', '3s', '60s'])},0s\n`;
  const method = (): string => r.pick(['*up', '*down', '*middle']);
  const twoBands = r.next() < 0.3;
  return buildRatingIndex(ratingTpFromCsv({
    'Destinations.csv': 'DST_49,49',
    'Timings.csv': twoBands ? 'DAY,*any,*any,*any,*any,08:00:00\nNIGHT,*any,*any,*any,*any,00:00:00' : '',
    'Rates.csv': rates,
    'DestinationRates.csv': `DR_A,DST_49,RT_A,${method()},${1 + r.int(6)},,\nDR_B,DST_49,RT_B,${method()},${1 + r.int(6)},,`,
    'RatingPlans.csv': twoBands ? 'RP,DR_A,DAY,10\nRP,DR_B,NIGHT,10' : 'RP,DR_A,*any,10',
    'RatingProfiles.csv': 'cgrates.org,call,*any,2020-01-01T00:00:00Z,RP,',
  }), { timezone: 'UTC' });
}

const Big = Money.clone({ precision: 200 });
type Big = InstanceType<typeof Big>;
const big = (m: Money | number | bigint): Big => new Big(m.toString());
const BIG_MODE = { '*up': Big.ROUND_CEIL, '*down': Big.ROUND_FLOOR, '*middle': Big.ROUND_HALF_UP } as const;

interface Expected {
  incs: string[][];
  tsCosts: string[];
  cost: string;
  costSoFar: string;
}

/**
 * The straightforward computation over the timespans rateCall chose: the running total is a decimal
 * numerator over U (the product of the call's rate units, so it stays exact), each increment the
 * difference of two rounded totals.
 */
function expected(cc: CallCost, prior: Money, connectFee: boolean, maxInc: number): Expected {
  const { decimals, method } = longestRounding(cc.timespans);
  const R = (num: Big, U: Big): Big => num.div(U).toDecimalPlaces(decimals, BIG_MODE[method as keyof typeof BIG_MODE]);
  const params = cc.timespans.map((ts) => (ts.rateInterval ? rateParams(ts.rateInterval, groupStart({ s: 0, e: ts.endNs - ts.startNs, di: ts.durationIndexNs, ri: null, info: null })) : null));
  const units = [...new Set(params.filter((p) => p !== null).map((p) => p.rateUnit))];
  const U = units.reduce((a, u) => a.times(u), new Big(1));
  let num = big(prior).times(U);
  const r0 = R(num, U);
  let rPrev = r0;
  const out: Expected = { incs: [], tsCosts: [], cost: '', costSoFar: '' };
  cc.timespans.forEach((ts, i) => {
    const incs: Big[] = [];
    const ri = ts.rateInterval;
    if (ri && connectFee && i === 0) {
      num = num.plus(big(ri.rating.connectFee).times(U));
      const r = R(num, U);
      incs.push(r.minus(rPrev));
      rPrev = r;
    }
    const p = params[i];
    if (ri && p) {
      const nb = Math.trunc((ts.endNs - ts.startNs) / p.rateIncrement);
      const step = nb > maxInc ? ts.endNs - ts.startNs : p.rateIncrement;
      const count = nb > maxInc ? 1 : nb;
      const add = big(p.value).times(step).times(U.div(p.rateUnit));
      for (let k = 0; k < count; k++) {
        num = num.plus(add);
        const r = R(num, U);
        incs.push(r.minus(rPrev));
        rPrev = r;
      }
    }
    out.incs.push(incs.map((x) => x.toString()));
    out.tsCosts.push(incs.reduce((a, x) => a.plus(x), new Big(0)).toString());
  });
  out.cost = rPrev.minus(r0).toString();
  out.costSoFar = new Money(num.toFixed()).div(new Money(U.toFixed())).toString();
  return out;
}

describe('*exact fast paths equal the straightforward running-total computation', () => {
  test('seeded random plans and calls: every increment of short runs, timespan cost, call cost and costSoFar digit for digit; long runs compact and adding up', () => {
    const r = prng(20261122);
    let compared = 0;
    let increments = 0;
    let long = 0;
    for (let t = 0; t < 160; t++) {
      const idx = randomIndex(r);
      for (let c = 0; c < 4; c++) {
        // some calls of 20 to 60 min: beyond CUMULATIVE_RUN increments of 100 ms, so runs go compact
        const durationNs = r.next() < 0.2 ? (1200 + r.int(2400)) * 1e9 : r.pick([r.int(200) * 1e9, r.int(2_000) * 1e6, r.int(10) * 1e9 + r.int(1e9), 130e9]);
        const loopIndex = r.pick([0, 0, 1]);
        const prior = r.next() < 0.3 ? new Money(r.pick(['0.3', '0.01234', '1.99999', '0.0000001', price(r)])) : ZERO;
        const maxIncrements = r.next() < 0.1 ? r.pick([1, 5, 20]) : 1_000_000;
        const cd = newCallDescriptor({
          tenant: 'cgrates.org', category: 'call', subject: 'x', account: 'x', destination: '4930',
          anchorMs: Date.UTC(2024, 0, 3, 7, 50 + r.int(20), r.int(60)), endNs: durationNs, loopIndex,
          durationIndexNs: loopIndex ? durationNs + r.pick([0, 30e9, 60e9]) : undefined, costSoFar: prior,
        });
        const cc = rateCall(idx, cd, { mode: '*exact', roundingDecimals: 5, maxIncrements });
        if (longestRounding(cc.timespans).method === '' || cc.timespans.every((ts) => ts.increments.length === 0)) continue;
        const want = expected(cc, prior, loopIndex === 0, maxIncrements);
        expect({
          tsCosts: cc.timespans.map((ts) => ts.cost.toString()),
          cost: cc.cost.toString(),
          costSoFar: cc.costSoFar.toString(),
        }, `plan ${t} call ${c}`).toEqual({ tsCosts: want.tsCosts, cost: want.cost, costSoFar: want.costSoFar });
        // no negative zero sneaks in through integer arithmetic
        for (const ts of cc.timespans) for (const inc of ts.increments) if (inc.cost.isZero()) expect(inc.cost.isNeg()).toBe(false);
        cc.timespans.forEach((ts, i) => {
          const units = want.incs[i].length - (ts.increments.some((inc) => inc.connectFee) ? 1 : 0);
          if (units <= CUMULATIVE_RUN) {
            // a short run keeps per-increment cumulative rounding: increment by increment as computed
            expect(flat(ts.increments).map((inc) => inc.cost.toString()), `plan ${t} call ${c} ts ${i}`).toEqual(want.incs[i]);
            return;
          }
          // a long one is compact (connect fee, rounding, one run), adds up to the span and covers its increments
          expect(ts.increments.length, `plan ${t} call ${c} ts ${i}`).toBeLessThanOrEqual(3);
          expect(incTotal(ts.increments).toString(), `plan ${t} call ${c} ts ${i}`).toBe(ts.cost.toString());
          expect(ts.increments.filter((inc) => inc.durationNs > 0).reduce((a, inc) => a + (inc.compressFactor ?? 1), 0)).toBe(units);
          long++;
        });
        compared++;
        increments += want.incs.flat().length;
      }
    }
    expect(compared).toBeGreaterThan(400);
    expect(increments).toBeGreaterThan(30_000);
    expect(long).toBeGreaterThan(5);
  });
});

describe('*cgrates and timing shortcuts equal what they replace', () => {
  test('roundCgrates with tabled powers of ten equals the computation with parsed powers (seeded random)', () => {
    const r = prng(7);
    const parsedPow = (n: number): number => Number(`1e${n}`);
    const reference = (x: number, d: number, method: string): number => {
      const pow = parsedPow(d);
      const y = x * pow;
      const frac = y - Math.trunc(y);
      const up = method === '*up' ? frac >= parsedPow(-Math.max(7, d)) : method === '*middle' ? frac >= 0.5 : false;
      const v = method === '' ? y : up ? Math.ceil(y) : Math.floor(y);
      return v / pow;
    };
    for (let k = 0; k < 20_000; k++) {
      const x = (r.next() - 0.1) * r.pick([1e-6, 1e-3, 1, 1e3, 1e9]);
      const d = r.int(12);
      const m = r.pick(['*up', '*down', '*middle', '']);
      expect(Object.is(roundCgrates(x, d, m), reference(x, d, m)), `${x} ${d} ${m}`).toBe(true);
    }
  });
  test('moneyFromFloat gives the shortest round-trip decimal of the float, also when it comes from its cache', () => {
    for (const x of [0.1 + 0.2, 0.00167, 0.00167, -0, 1e-7, 123456.789, 0.1 + 0.2]) {
      expect(moneyFromFloat(x).toString()).toBe(new Money(String(x)).toString());
    }
  });
  test('sameDayOfMonth in UTC equals comparing the Date day of month, fractional and pre-1970 instants included', () => {
    const r = prng(99);
    const DAY = 86_400_000;
    for (let k = 0; k < 20_000; k++) {
      const a = (r.next() - 0.2) * 2e12 + r.pick([0, 0.5, 0.999]);
      const b = a + r.pick([0, 1, -1, 0.4, DAY, 31 * DAY, r.next() * DAY, -r.next() * DAY]);
      expect(sameDayOfMonth(a, b, 'UTC'), `${a} ${b}`).toBe(new Date(a).getUTCDate() === new Date(b).getUTCDate());
    }
    expect(sameDayOfMonth(-0.5, -0.25, 'UTC')).toBe(new Date(-0.5).getUTCDate() === new Date(-0.25).getUTCDate());
    expect(sameDayOfMonth(-DAY - 0.5, -DAY - 0.25, 'UTC')).toBe(true);
  });
});
