// Refunds (rating-semantics 4.5, 5.6) and the debits adding up to the rated cost.
import { afterEach, describe, expect, it } from 'vitest';
import { cd, value, world, type World } from './helpers.js';
import { MONETARY, VOICE, newDebitDescriptor, allIncrements, trailingIncrements, type CostMode } from '../../src/accounts/index.js';
import { parseTime } from '../../src/util/time.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe.each(['*cgrates', '*exact'] as CostMode[])('refunds (%s)', (mode) => {
  it('the debits of a call add up to its cost (2m10s at RT_20CNT)', async () => {
    w = await world('tutorial', { costMode: mode });
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2m10s' }));
    const left = value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY);
    expect(Number(left) + r.cc.cost.toNumber()).toBeCloseTo(10, 12);
    expect(r.cc.cost.toString()).toBe(mode === '*cgrates' ? '0.7169' : '0.7167');
  });

  it('a full refund (every increment, connect fee included) restores the balance exactly', async () => {
    w = await world('tutorial', { costMode: mode });
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2m10s' }));
    const incs = allIncrements(r.cc);
    expect(incs[0].durationNs).toBe(0); // the connect fee increment
    await w.accounts.refundIncrements(newDebitDescriptor({ tenant: 'cgrates.org', account: '1001', tor: '*voice', anchorMs: parseTime('2024-03-18T10:00:00Z'), endNs: 0, increments: incs }));
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('10');
  });

  it('unit increments go back to the unit balance, their money to the money balance', async () => {
    w = await world('oldtutorial', { costMode: mode });
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    await w.accounts.refundIncrements(newDebitDescriptor({ tenant: 'cgrates.org', account: '1001', tor: '*voice', anchorMs: 0, endNs: 0, increments: allIncrements(r.cc) }));
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, VOICE, (b) => b.weight === 20)).toBe(String(90e9));
    expect(value(a, MONETARY, (b) => b.weight === 20)).toBe('5');
  });

  it('a shared balance is refunded to the account that owns it', async () => {
    w = await world('oldtutorial', { costMode: mode });
    const r = await w.accounts.debit(cd({ account: '1007', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    await w.accounts.refundIncrements(newDebitDescriptor({ tenant: 'cgrates.org', account: '1007', tor: '*voice', anchorMs: 0, endNs: 0, increments: allIncrements(r.cc) }));
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('5');
  });
});

describe('trimming (session terminate)', () => {
  it('only whole trailing increments are refunded: 25 s unused of 10 s increments refunds 20 s', async () => {
    w = await world('tutorial');
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2m' }));
    const incs = allIncrements(r.cc);
    expect(trailingIncrements(incs, 25.5e9).reduce((s, i) => s + i.durationNs * i.compressFactor, 0)).toBe(25e9);
    // a compressed run gives its tail as one compressed increment
    const tail = trailingIncrements([{ ...incs[incs.length - 1], durationNs: 10e9, compressFactor: 3 }], 25e9);
    expect(tail.map((i) => [i.durationNs, i.compressFactor])).toEqual([[10e9, 2]]);
  });

  it('a terminate with nothing used refunds everything, connect fee included', async () => {
    w = await world('tutorial');
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '30s' }));
    const incs = trailingIncrements(allIncrements(r.cc), 60e9);
    expect(incs[0]).toMatchObject({ durationNs: 0 });
    await w.accounts.refundIncrements(newDebitDescriptor({ tenant: 'cgrates.org', account: '1001', tor: '*voice', anchorMs: 0, endNs: 0, increments: incs }));
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('10');
  });

  it('a partial refund never returns the connect fee', async () => {
    w = await world('tutorial');
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '70s' }));
    const incs = trailingIncrements(allIncrements(r.cc), 69e9);
    expect(incs.every((i) => i.durationNs > 0)).toBe(true);
  });
});

describe('PerformRounding (CDR debits)', () => {
  it('*cgrates: each money-paid timespan is rounded with its tariff rounding and the difference debited', async () => {
    w = await world('tutorial', { costMode: '*cgrates' });
    // 2m05s at RT_20CNT: 0.4 + 0.2, then 65 × 0.00167 = 0.10855 → *up 4 = 0.1086: correction 0.00005
    const r = await w.accounts.debit({ ...cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2m5s' }), performRounding: true });
    expect(r.cc.cost.toString()).toBe('0.7086');
    expect(r.cc.timespans[1].roundIncrement?.cost.toNumber()).toBeCloseTo(0.00005, 12); // float64 0.1086 − 0.10855, as CGRateS
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('9.2914');
  });

  it('*exact: the increments already carry the tariff rounding, no correction is needed', async () => {
    w = await world('tutorial', { costMode: '*exact' });
    const r = await w.accounts.debit({ ...cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2m5s' }), performRounding: true });
    expect(r.cc.cost.toString()).toBe('0.7084');
    expect(r.cc.timespans.every((ts) => ts.roundIncrement === null)).toBe(true);
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY)).toBe('9.2916');
  });
});
