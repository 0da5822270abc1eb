// Max usage of long requests (a 3 h voice call, SessionS's default usage): its dry run takes long runs
// of increments in bulk, and must answer what paying the increments one by one answers. Two oracles:
// a one-by-one walk over the rated increments written here, and Responder.Debit's dry run (the
// per-increment path) of the same request. The plan is the OpenSIPS + Diameter tutorial's (in the
// repository): 0.2 per first minute with a 0.4 connect fee, then 0.1 per minute in 1 s steps, rounded
// *up to 4 decimals, so a run of up to 10,000 increments keeps its cumulative rounding (0.0017,
// 0.0017, 0.0016, ...) and a call crossing midnight is rated in two spans of such runs.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cd, loadTp, world, type World } from './helpers.js';
import { MONETARY, VOICE, makeArith, newDebitDescriptor, ratePiece, type CostMode } from '../../src/accounts/index.js';
import { Money, ZERO } from '../../src/util/money.js';
import { parseTime } from '../../src/util/time.js';

const TP = join(fileURLToPath(new URL('.', import.meta.url)), '../../tutorials/osips_diam/tp');
const HOURS3 = 3 * 3600e9;
const G = 5;

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const call = (account: string, start: string, usage = '3h') => cd({ account, subject: '1001', destination: '1002', start, usage });

/**
 * The oracle: the call rated whole, its connect fee and then its increments paid one at a time from
 * one money balance while it holds each cost (CGRateS's Balance.debit loop), in the cost mode's arithmetic.
 */
function oneByOne(wd: World, mode: CostMode, balance: Money, start: string, usageNs = HOURS3): number {
  const arith = makeArith(mode, G);
  const rated = ratePiece(wd.rating, newDebitDescriptor({
    tenant: 'cgrates.org', category: 'call', subject: '1001', account: '1001', destination: '1002', tor: VOICE, anchorMs: parseTime(start),
    startNs: 0, endNs: usageNs, durationIndexNs: usageNs, loopIndex: 0, extraFields: {}, costSoFar: ZERO,
  }));
  let v = balance;
  const fee = rated.connectFee;
  if (!arith.gte(v, fee)) return 0;
  v = arith.settle(arith.sub(v, fee));
  let used = 0;
  for (const span of rated.timespans) {
    for (const inc of span.increments) {
      for (let k = 0; k < (inc.compressFactor ?? 1); k++) {
        if (!arith.gte(v, inc.cost)) return used;
        v = arith.settle(arith.sub(v, inc.cost));
        used += inc.durationNs;
      }
    }
  }
  return Math.min(used, usageNs);
}

/** Responder.Debit's dry run of the request without going negative: how long the balances pay, increment by increment. */
async function dryDebitUsage(wd: World, account: string, start: string): Promise<number> {
  const r = await wd.accounts.debit({ ...call(account, start), dryRun: true, denyNegativeAccount: true });
  return r.cc.ratedUsageNs;
}

// 23:00 crosses midnight (two spans of cumulatively rounded runs); 13:00 is one compressed run.
const STARTS = ['2014-08-04T23:00:00Z', '2014-08-04T13:00:00Z', '2014-08-04T22:17:31.250Z'];

describe.each(['*exact', '*cgrates'] as CostMode[])('max usage of a 3 h request (%s)', (mode) => {
  it.each(STARTS)('money balance: a rich one pays all 3 h, smaller ones stop where one-by-one paying stops (start %s)', async (start) => {
    w = await world(await loadTp(TP), { costMode: mode, load: false });
    // the whole call costs 18.5; the others end inside the first span, at a span's end, inside the second one
    for (const value of ['1000000000', '18.5', '18.4999', '10', '6.1', '0.6', '0.4', '0.39']) {
      const account = `m${value}`;
      await w.accounts.setBalance({ account, balanceType: MONETARY, value, balance: { ID: 'money' } });
      const got = await w.accounts.getMaxSessionTime(call(account, start));
      expect(got, `balance ${value}`).toBe(oneByOne(w, mode, new Money(value), start));
      // below the 0.4 connect fee the dry Debit charges it to *default and goes on; max usage is 0
      if (new Money(value).gte('0.4')) expect(got, `balance ${value}`).toBe(await dryDebitUsage(w, account, start));
      else expect(got).toBe(0);
      // *cgrates: float64 balances drift, so 18.5 leaves the last seconds unpaid
      if (value === '1000000000' || (value === '18.5' && mode === '*exact')) expect(got).toBe(HOURS3);
    }
  });

  it('money balance: paying exactly down to 0 at the end of an increment run and the balance left untouched', async () => {
    w = await world(await loadTp(TP), { costMode: mode, load: false });
    const start = STARTS[0];
    // the first hour (until midnight) costs 0.4 + 0.2 + 59 min at 0.1: 6.5
    await w.accounts.setBalance({ account: 'hour', balanceType: MONETARY, value: '6.5', balance: { ID: 'money' } });
    const got = await w.accounts.getMaxSessionTime(call('hour', start));
    expect(got).toBe(oneByOne(w, mode, new Money('6.5'), start));
    // *cgrates: float64 balances drift (0.0017 is no binary fraction), so the last seconds stay unpaid
    if (mode === '*exact') expect(got).toBe(3600e9);
    const acc = await w.accounts.getAccount('cgrates.org', 'hour');
    expect(acc.balanceMap[MONETARY].find((b) => b.id === 'money')!.value.toString()).toBe('6.5');
  });

  it('*default money balance: max usage as the per-increment answer', async () => {
    w = await world(await loadTp(TP), { costMode: mode, load: false });
    for (const value of ['1000', '7.77']) {
      const account = `d${value}`;
      await w.accounts.setBalance({ account, balanceType: MONETARY, value, balance: { ID: '*default' } });
      for (const start of STARTS) {
        const got = await w.accounts.getMaxSessionTime(call(account, start));
        expect(got, `${value} at ${start}`).toBe(await dryDebitUsage(w, account, start));
      }
    }
  });

  it.each(STARTS)('*voice unit balances: free (*zero1s) and priced (RatingSubject 1001, paid from money) minutes before money (start %s)', async (start) => {
    w = await world(await loadTp(TP), { costMode: mode, load: false });
    // 1 h free, then money: 10 pays a further 1h4m... of the rest
    await w.accounts.setBalance({ account: 'free', balanceType: VOICE, value: 3600e9, balance: { ID: 'minutes', Weight: 20 } });
    await w.accounts.setBalance({ account: 'free', balanceType: MONETARY, value: '3', balance: { ID: 'money' } });
    // 3 h of minutes priced with subject 1001 paid from 5 of money
    await w.accounts.setBalance({ account: 'priced', balanceType: VOICE, value: HOURS3, balance: { ID: 'minutes', RatingSubject: '1001' } });
    await w.accounts.setBalance({ account: 'priced', balanceType: MONETARY, value: '5', balance: { ID: 'money' } });
    // 5 h of free minutes: all 3 h
    await w.accounts.setBalance({ account: 'plenty', balanceType: VOICE, value: 5 * 3600e9, balance: { ID: 'minutes' } });
    for (const account of ['free', 'priced', 'plenty']) {
      const got = await w.accounts.getMaxSessionTime(call(account, start));
      expect(got, account).toBe(await dryDebitUsage(w, account, start));
      if (account === 'plenty') expect(got).toBe(HOURS3);
      else expect(got, account).toBeLessThan(HOURS3);
    }
  });

  it('MaxDebit of 3 h charges what max usage allows, and the debited increments add up to the cost', async () => {
    w = await world(await loadTp(TP), { costMode: mode, load: false });
    const start = STARTS[0];
    await w.accounts.setBalance({ account: 'init', balanceType: MONETARY, value: '10', balance: { ID: 'money' } });
    const max = await w.accounts.getMaxSessionTime(call('init', start));
    const r = await w.accounts.maxDebit(call('init', start));
    expect(r.cc.ratedUsageNs).toBe(max);
    const left = new Money((await w.accounts.getAccount('cgrates.org', 'init')).balanceMap[MONETARY].find((b) => b.id === 'money')!.value);
    expect(new Money(10).minus(left).toString()).toBe(r.cc.cost.toString());
  });
});
