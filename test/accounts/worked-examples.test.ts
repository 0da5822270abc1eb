// Worked examples W4, W5 and W6 of rating-semantics.md §10, in both cost modes.
import { afterEach, describe, expect, it } from 'vitest';
import { cd, value, world, type World } from './helpers.js';
import { MONETARY, VOICE, newDebitDescriptor, trailingIncrements, type CostMode } from '../../src/accounts/index.js';
import { parseTime } from '../../src/util/time.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const MODES: CostMode[] = ['*cgrates', '*exact'];

describe.each(MODES)('W4 tutorial2 1001 → 1003: voice bundles before money (%s)', (mode) => {
  it('call 1 (7m20s) uses PER_CALL (longer prefix beats weight) and pays only the 0.1 connect fee', async () => {
    w = await world('tutorial2', { costMode: mode });
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1003', start: '2024-03-18T10:00:00Z', usage: '7m20s' }));
    expect(r.cc.cost.toString()).toBe('0.1');
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, VOICE, (b) => b.id === 'PER_CALL')).toBe(String(160e9));
    expect(value(a, VOICE, (b) => b.id === 'FREE_MINS')).toBe(String(300e9));
    expect(value(a, MONETARY, (b) => b.id === '*default')).toBe('9.9');
  });

  it('call 2 (4m) empties PER_CALL, then FREE_MINS (*zero1m) rounds the last 80 s up to 2 minutes', async () => {
    w = await world('tutorial2', { costMode: mode });
    await w.accounts.debit(cd({ account: '1001', destination: '1003', start: '2024-03-18T10:00:00Z', usage: '7m20s' }));
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1003', start: '2024-03-18T10:10:00Z', usage: '4m' }));
    expect(r.cc.cost.toString()).toBe('0.1');
    expect(r.cc.ratedUsageNs).toBe(280e9);
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, VOICE, (b) => b.id === 'PER_CALL')).toBe('0');
    expect(value(a, VOICE, (b) => b.id === 'FREE_MINS')).toBe(String(180e9));
    expect(value(a, MONETARY, (b) => b.id === '*default')).toBe('9.8');
  });
});

describe('W5 tutorial 1001 → 1003, MaxCost 0.12 *disconnect, MaxDebit of 60 s', () => {
  it('*cgrates: the float64 MaxCostSoFar (0.11999999999999998 after 12 s) lets a 13th second through', async () => {
    w = await world('tutorial', { costMode: '*cgrates' });
    const r = await w.accounts.maxDebit(cd({ account: '1001', destination: '1003', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    expect(r.cc.ratedUsageNs).toBe(13e9);
    expect(r.cc.cost.toString()).toBe('0.13');
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('9.87');
  });

  it('*exact: the cut happens after 12 s, debit 0.12', async () => {
    w = await world('tutorial', { costMode: '*exact' });
    const r = await w.accounts.maxDebit(cd({ account: '1001', destination: '1003', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    expect(r.cc.ratedUsageNs).toBe(12e9);
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('9.88');
  });

  it('the next slice of the same call is cut at once (MaxCostSoFar carried on the descriptor)', async () => {
    w = await world('tutorial', { costMode: '*cgrates' });
    const first = cd({ account: '1001', destination: '1003', start: '2024-03-18T10:00:00Z', usage: '60s' });
    await w.accounts.maxDebit(first);
    const next = cd({ account: '1001', destination: '1003', start: '2024-03-18T10:00:13Z', usage: '30s', loopIndex: 1, durationIndexNs: 43e9, maxCostSoFar: first.maxCostSoFar });
    const r = await w.accounts.maxDebit(next);
    expect(r.cc.ratedUsageNs).toBe(0);
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('9.87');
  });
});

describe.each([
  ['*cgrates', ['9.4', '9.3499', '9.2998', '9.3332']],
  ['*exact', ['9.4', '9.35', '9.3', '9.3333']],
] as [CostMode, string[]][])('W6 tutorial prepaid loop of 30 s slices, 1001 → 1002, terminated at 100 s (%s)', (mode, expected) => {
  it('balances after each debit and after refunding the 20 unused seconds', async () => {
    w = await world('tutorial', { costMode: mode });
    const T = parseTime('2024-03-18T10:00:00Z');
    const bal = async () => value(await w!.accounts.getAccount('cgrates.org', '1001'), MONETARY);
    const slice = (offsetS: number, loopIndex: number, di: number, prev?: ReturnType<typeof cd>) => newDebitDescriptor({
      tenant: 'cgrates.org', category: 'call', account: '1001', subject: '1001', destination: '1002', tor: '*voice',
      anchorMs: T + offsetS * 1000, endNs: 30e9, loopIndex, durationIndexNs: di * 1e9,
      maxCostSoFar: prev?.maxCostSoFar, costSoFar: prev?.costSoFar,
    });
    const d1 = slice(0, 0, 30);
    const r1 = await w.accounts.maxDebit(d1);
    expect(r1.cc.ratedUsageNs).toBe(60e9); // rounded up to the 60 s increment: 30 s stay as reserve
    expect(await bal()).toBe(expected[0]);
    const d2 = slice(60, 1, 90, d1);
    await w.accounts.maxDebit(d2);
    expect(await bal()).toBe(expected[1]);
    const d3 = slice(90, 2, 120, d2);
    const r3 = await w.accounts.maxDebit(d3);
    expect(await bal()).toBe(expected[2]);
    // terminate at 100 s: the last 20 one-second increments are refunded whole
    const incs = trailingIncrements(r3.cc.timespans.flatMap((ts) => ts.increments), 20e9);
    expect(incs.reduce((n, i) => n + i.compressFactor, 0)).toBe(20);
    await w.accounts.refundIncrements(newDebitDescriptor({
      tenant: 'cgrates.org', account: '1001', subject: '1001', destination: '1002', tor: '*voice', anchorMs: T, endNs: 0,
      increments: incs,
    }));
    expect(await bal()).toBe(expected[3]);
  });
});

describe.each(MODES)('MaxCost *free in debits (%s)', (mode) => {
  it('oldtutorial 1001 → 1007 (0.01/s, MaxCost 0.62 *free): 100 s cost 0.62, the call is not cut', async () => {
    w = await world('oldtutorial', { costMode: mode });
    const r = await w.accounts.maxDebit(cd({ account: '1001', destination: '1007', start: '2024-03-18T10:00:00Z', usage: '100s' }));
    expect(r.cc.ratedUsageNs).toBe(100e9);
    expect(r.cc.cost.toString()).toBe('0.62');
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY, (b) => b.weight === 20)).toBe('4.38');
  });
});
