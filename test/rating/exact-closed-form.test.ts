// `*exact` rates a run of cumulatively rounded increments in closed form (one division per run of equal
// increments, not one step per increment). Its increments must be exactly those of the per-increment
// loop it replaced: the same costs in the same order, compressed the same way (equal neighbours merged,
// a CompressFactor only above 1), the same connect-fee, rounding, MaxCost-crossing and free increments,
// so that refunds of trailing increments give back the same amounts. The loop is kept here as the
// oracle, on exact BigInt rationals, and compared with rateCall over seeded random tariffs and calls.
import { describe, expect, test } from 'vitest';
import { Money, ZERO } from '../../src/util/money.js';
import {
  CUMULATIVE_RUN, buildRatingIndex, groupStart, longestRounding, newCallDescriptor, rateCall, rateParams, spanDuration,
  type CallCost, type Increment, type RatingIndex,
} from '../../src/rating/index.js';
import { ratingTpFromCsv } from './fixture.js';
import { prng, type Rng } from './helpers.js';

/** A decimal text with up to `maxDp` decimals, mostly small, sometimes huge (past float64's exact integers) or negative. */
function decimal(r: Rng, maxDp: number, negative = 0.05): string {
  const d = r.int(maxDp + 1);
  let s = String(r.pick([0, 0, 0, 0, 1, 2, 7, 12, 1234567, 987654321987]));
  if (d) s += '.' + Array.from({ length: d }, () => r.int(10)).join('');
  return r.next() < negative ? '-' + s : s;
}

const UNITS = ['60s', '1s', '7s', '13s', '3600s', '11ms', '1m30s'];
const INCREMENTS = ['1s', '1s', '100ms', '7s', '6s', '60s', '1ms', '250ms'];

function randomIndex(r: Rng): RatingIndex {
  let rates = '';
  let start = 0;
  for (let g = 0, n = 1 + r.int(3); g < n; g++) {
    rates += `RT_A,${g === 0 ? r.pick(['0', decimal(r, 4)]) : '0'},${decimal(r, 6)},${r.pick(UNITS)},${r.pick(INCREMENTS)},${start}s\n`;
    start += r.pick([17, 30, 60, 90]);
  }
  const maxCost = r.next() < 0.4 ? r.pick(['0.5', '1.2345', '3', '0.00007', decimal(r, 4, 0)]) : '0';
  const strategy = r.pick(['', '*free', '*free', '*disconnect']);
  return buildRatingIndex(ratingTpFromCsv({
    'Destinations.csv': 'DST_49,49',
    'Rates.csv': rates,
    'DestinationRates.csv': `DR_A,DST_49,RT_A,${r.pick(['*up', '*down', '*middle'])},${r.int(9)},${maxCost},${strategy}`,
    'RatingPlans.csv': 'RP,DR_A,*any,10',
    'RatingProfiles.csv': 'cgrates.org,call,*any,2020-01-01T00:00:00Z,RP,',
  }), { timezone: 'UTC' });
}

/** An increment as the comparison sees it: every field, a CompressFactor only where present. */
const shape = (i: Increment): string =>
  `${i.durationNs}ns × ${i.compressFactor ?? '-'} @ ${i.cost.toString()}${i.connectFee ? ' fee' : ''}${i.rounding ? ' rounding' : ''}`;

const SCALE = 10n ** 12n; // every price, fee, cap and prior of the random plans has at most 12 decimals

/** A decimal text × SCALE, exactly. */
function scaled(m: Money): bigint {
  const s = m.toFixed();
  const neg = s.startsWith('-');
  const [int, frac = ''] = (neg ? s.slice(1) : s).split('.');
  if (frac.length > 12) throw new Error(`${s}: more than 12 decimals`);
  const v = BigInt(int) * SCALE + BigInt((frac + '0'.repeat(12)).slice(0, 12));
  return neg ? -v : v;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/**
 * The per-increment loop `*exact` had before its closed form, on the timespans rateCall chose: the
 * running total is num / DEN (DEN = SCALE × the product of the rate units, so every step is exact),
 * R rounds it to the call's longest rounding, and every increment costs the step of the rounded total.
 * Runs of more than CUMULATIVE_RUN increments off the rounding grid are compact (not this loop's):
 * their spans come back as null and are compared by their totals only.
 */
function perIncrementLoop(cc: CallCost, prior: Money, connectFee: boolean, maxInc: number): { spans: (string[] | null)[]; tsCosts: string[]; cost: string; costSoFar: string } {
  const { decimals: D, method } = longestRounding(cc.timespans);
  const P = 10n ** BigInt(D);
  const params = cc.timespans.map((ts) => (ts.rateInterval ? rateParams(ts.rateInterval, groupStart({ s: 0, e: spanDuration(ts), di: ts.durationIndexNs, ri: null, info: null })) : null));
  const U = [...new Set(params.filter((p) => p !== null).map((p) => BigInt(p.rateUnit)))].reduce((a, u) => a * u, 1n);
  const DEN = SCALE * U;
  const R = (num: bigint): bigint => {
    const t = num * P;
    if (method === '*up') return -floorDiv(-t, DEN);
    if (method === '*down') return floorDiv(t, DEN);
    return t >= 0n ? floorDiv(2n * t + DEN, 2n * DEN) : -floorDiv(-2n * t + DEN, 2n * DEN);
  };
  const grid = (units: bigint): Money => new Money(units.toString()).div(new Money(10).pow(D));
  const inc = (durationNs: number, units: bigint, extra: Partial<Increment> = {}): Increment => ({ durationNs, cost: grid(units), compressFactor: 1, ...extra });
  let num = scaled(prior) * U;
  let g = R(num);
  const g0 = g;
  const out = { spans: [] as (string[] | null)[], tsCosts: [] as string[], cost: '', costSoFar: '' };
  cc.timespans.forEach((ts, i) => {
    const incs: Increment[] = [];
    let compact = false;
    const gStart = g;
    const ri = ts.rateInterval;
    const p = params[i];
    if (ri) {
      const capU = ri.rating.maxCostStrategy === '*free' && ri.rating.maxCost.gt(0) ? scaled(ri.rating.maxCost) * U : null;
      if (connectFee && i === 0) {
        num += scaled(ri.rating.connectFee) * U;
        const ng = R(num);
        incs.push(inc(0, ng - g, { connectFee: true }));
        g = ng;
      }
      if (capU !== null && num > capU) {
        num = capU;
        const ng = R(num);
        if (ng !== g) incs.push(inc(0, ng - g, { rounding: true }));
        g = ng;
      }
      if (p) {
        const nb = Math.trunc(spanDuration(ts) / p.rateIncrement);
        const step = nb > maxInc ? spanDuration(ts) : p.rateIncrement;
        const count = nb > maxInc ? 1 : nb;
        const add = scaled(p.value) * BigInt(step) * (U / BigInt(p.rateUnit));
        const onGrid = (add * P) % DEN === 0n;
        const run: { units: bigint; n: number }[] = [];
        let k = 0;
        for (; k < count; k++) {
          if (capU !== null && add > 0n && num + add > capU) break;
          num += add;
          const ng = R(num);
          const last = run[run.length - 1];
          if (last && last.units === ng - g) last.n++;
          else run.push({ units: ng - g, n: 1 });
          g = ng;
        }
        const runIncs = run.map((x): Increment => (x.n > 1 ? inc(step, x.units, { compressFactor: x.n }) : inc(step, x.units)));
        // a run on the grid is one increment at the unit cost, its CompressFactor written even when 1
        if (onGrid && k > 0) runIncs[0].compressFactor = k;
        if (!onGrid && k > CUMULATIVE_RUN) compact = true;
        for (const x of runIncs) incs.push(x);
        if (k < count) {
          num = capU!;
          const ng = R(num);
          incs.push(inc(step, ng - g));
          g = ng;
          if (count - k - 1 > 0) incs.push({ durationNs: step, cost: ZERO, compressFactor: count - k - 1 });
        }
      }
    }
    out.spans.push(compact ? null : incs.map(shape));
    out.tsCosts.push(grid(g - gStart).toString());
  });
  out.cost = grid(g - g0).toString();
  out.costSoFar = new Money(num.toString()).div(new Money(DEN.toString())).toString();
  return out;
}

describe('*exact closed form of cumulatively rounded runs', () => {
  test('rateCall gives the increments of the per-increment loop, compressed the same way, over random rates, increments, roundings, durations, costSoFar, connect fees and MaxCost', () => {
    const r = prng(20261207);
    let calls = 0;
    let runs = 0;
    let increments = 0;
    let capped = 0;
    let compact = 0;
    for (let t = 0; t < 150; t++) {
      const idx = randomIndex(r);
      for (let c = 0; c < 4; c++) {
        const durationNs = r.pick([r.int(200) * 1e9, r.int(2_000) * 1e6, r.int(10) * 1e9 + r.int(1e9), 130e9, r.int(3 * 3600) * 1e9, r.int(1100) * 1e9]);
        const loopIndex = r.pick([0, 0, 1]);
        const prior = r.next() < 0.4 ? new Money(r.pick(['0.3', '0.01234', '1.99999', '0.0000001', '-0.00005', decimal(r, 9)])) : ZERO;
        const maxIncrements = r.next() < 0.05 ? r.pick([1, 5, 20]) : 1_000_000;
        const cd = newCallDescriptor({
          tenant: 'cgrates.org', category: 'call', subject: 'x', account: 'x', destination: '4930',
          anchorMs: Date.UTC(2024, 0, 3, 7, r.int(60), r.int(60)), endNs: durationNs, loopIndex,
          durationIndexNs: loopIndex ? durationNs + r.pick([0, 30e9, 60e9]) : undefined, costSoFar: prior,
        });
        const cc = rateCall(idx, cd, { mode: '*exact', roundingDecimals: 5, maxIncrements });
        if (longestRounding(cc.timespans).method === '') continue;
        // the oracle steps every increment: calls of 1 ms increments over hours are left out
        if (cc.timespans.some((ts) => ts.increments.reduce((n, x) => n + (x.compressFactor ?? 1), 0) > 3 * CUMULATIVE_RUN)) continue;
        const want = perIncrementLoop(cc, prior, loopIndex === 0, maxIncrements);
        const where = `plan ${t} call ${c}`;
        expect({ tsCosts: cc.timespans.map((ts) => ts.cost.toString()), cost: cc.cost.toString(), costSoFar: cc.costSoFar.toString() }, where)
          .toEqual({ tsCosts: want.tsCosts, cost: want.cost, costSoFar: want.costSoFar });
        cc.timespans.forEach((ts, i) => {
          const span = want.spans[i];
          if (span === null) {
            compact++;
            return;
          }
          expect(ts.increments.map(shape), `${where} ts ${i}`).toEqual(span);
          runs += span.length;
          increments += ts.increments.reduce((n, x) => n + (x.compressFactor ?? 1), 0);
          if (ts.increments.some((x) => x.cost.isZero() && x.durationNs > 0 && ts.rateInterval?.rating.maxCostStrategy === '*free')) capped++;
        });
        calls++;
      }
    }
    // the draw reaches what it means to: many calls, long runs, capped calls, compact runs
    expect(calls).toBeGreaterThan(400);
    expect(increments).toBeGreaterThan(300_000);
    expect(runs).toBeGreaterThan(80_000);
    expect(capped).toBeGreaterThan(80);
    expect(compact).toBeGreaterThan(0);
  }, 120_000); // the oracle steps half a million increments: more than the default 30 s on a loaded machine
});
