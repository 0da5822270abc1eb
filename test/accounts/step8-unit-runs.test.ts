// Step 8 rule 5: debits, max usage and refunds on unit balances work on compressed runs, whatever the
// unit count, with the results taking the units one by one gives.
import { afterEach, describe, expect, it } from 'vitest';
import { cd, value, world, type World } from './helpers.js';
import { MONETARY, newDebitDescriptor, allIncrements, trailingIncrements, callDescriptorFromWire, callCostToEventCost, dropTrailingIncrements, incrementCount, type CostMode } from '../../src/accounts/index.js';
import { wire } from '../../src/rating/index.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const DATA = '*data';
const dataCd = (account: string, usage: string, destination = '30') =>
  cd({ account, destination, start: '2024-03-18T10:00:00Z', usage, tor: DATA, category: 'data' });

describe.each(['*cgrates', '*exact'] as CostMode[])('rule 5: unit-balance debits on compressed runs (%s)', (mode) => {
  it('10^7 free *data units (*zero1ns): one increment with CompressFactor 10^7, max usage, a partial refund', async () => {
    w = await world('tutorial2', { costMode: mode });
    await w.accounts.setBalance({ account: 'bulk', balanceType: DATA, value: 1e7, balance: { ID: 'DATA' } });
    expect(await w.accounts.getMaxSessionTime(dataCd('bulk', '20000000ns'))).toBe(1e7);
    const r = await w.accounts.maxDebit(dataCd('bulk', '10000000ns'));
    const incs = allIncrements(r.cc);
    expect(incs.map((i) => [i.durationNs, i.compressFactor, i.cost.toString()])).toEqual([[1, 1e7, '0']]);
    expect(incs[0].balanceInfo?.unit?.value.toString()).toBe('0'); // the value after the run, as CGRateS's compressed increments
    expect(value(await w.accounts.getAccount('cgrates.org', 'bulk'), DATA)).toBe('0');
    // 4,000,000 units unused: they go back as one compressed increment
    const back = trailingIncrements(incs, 4e6);
    expect(back.map((i) => [i.durationNs, i.compressFactor])).toEqual([[1, 4e6]]);
    await w.accounts.refundIncrements(newDebitDescriptor({ tenant: 'cgrates.org', account: 'bulk', tor: DATA, anchorMs: 0, endNs: 0, increments: back }));
    expect(value(await w.accounts.getAccount('cgrates.org', 'bulk'), DATA)).toBe('4000000');
  });

  it('a run longer than the balance is cut where the balance ends, as unit by unit', async () => {
    w = await world('tutorial2', { costMode: mode });
    await w.accounts.setBalance({ account: 'short', balanceType: DATA, value: 2500, balance: { ID: 'DATA' } });
    expect(await w.accounts.getMaxSessionTime(dataCd('short', '10000ns'))).toBe(2500);
    const r = await w.accounts.maxDebit(dataCd('short', '10000ns'));
    expect(r.cc.ratedUsageNs).toBe(2500);
    expect(allIncrements(r.cc).map((i) => [i.durationNs, i.compressFactor])).toEqual([[1, 2500]]);
  });

  it('priced units paid from money: a run is split where the money ends (tutorial2 data: 1 per 1024 units)', async () => {
    w = await world('tutorial2', { costMode: mode });
    await w.accounts.setBalance({ account: 'paid', balanceType: MONETARY, value: '10.5', balance: { ID: 'MONEY' } });
    // 10.5 pays 10 increments of 1024 units
    expect(await w.accounts.getMaxSessionTime(dataCd('paid', '1048576ns'))).toBe(10 * 1024);
    const r = await w.accounts.maxDebit(dataCd('paid', '1048576ns'));
    expect(r.cc.ratedUsageNs).toBe(10 * 1024);
    const paid = allIncrements(r.cc).filter((i) => i.durationNs > 0);
    expect(paid.map((i) => [i.durationNs, i.compressFactor, i.cost.toString()])).toEqual([[1024, 10, '1']]);
    expect(value(await w.accounts.getAccount('cgrates.org', 'paid'), MONETARY)).toBe('0.5');
  });

  it('a large priced run is debited whole in one step and adds up to its cost', async () => {
    w = await world('tutorial2', { costMode: mode });
    await w.accounts.setBalance({ account: 'rich', balanceType: MONETARY, value: 5000, balance: { ID: 'MONEY' } });
    const r = await w.accounts.debit(dataCd('rich', '4194304ns')); // 4096 increments of 1024
    expect(r.cc.cost.toString()).toBe('4096');
    expect(allIncrements(r.cc).filter((i) => i.durationNs > 0).map((i) => i.compressFactor)).toEqual([4096]);
    expect(value(await w.accounts.getAccount('cgrates.org', 'rich'), MONETARY)).toBe('904');
  });
});

describe('rule 1: times keep their nanoseconds (accounts CallDescriptor)', () => {
  it('RFC 3339 nanoseconds and unix nanoseconds give the exact usage of a *data debit', async () => {
    const rfc = callDescriptorFromWire({ Account: 'a', ToR: DATA, TimeStart: '2024-03-18T10:00:00.000000001Z', TimeEnd: '2024-03-18T10:00:00.000001025Z' },
      { tenant: 'cgrates.org', timezone: 'UTC', now: 0 });
    expect(rfc.endNs - rfc.startNs).toBe(1024);
    const unix = callDescriptorFromWire({ Account: 'a', ToR: DATA, TimeStart: '1710756000000000007', TimeEnd: '1710756000010000007' },
      { tenant: 'cgrates.org', timezone: 'UTC', now: 0 });
    expect(unix.endNs - unix.startNs).toBe(1e7);
    w = await world('tutorial2', { costMode: '*exact' });
    await w.accounts.setBalance({ account: 'ns', balanceType: DATA, value: 1e9, balance: { ID: 'DATA' } });
    expect(await w.accounts.getMaxSessionTime({ ...unix, account: 'ns', subject: 'ns', category: 'data', destination: '30' })).toBe(1e7);
  });

  it('the EventCost of a debit starting between milliseconds keeps its StartTime to the nanosecond', async () => {
    w = await world('tutorial2', { costMode: '*exact' });
    await w.accounts.setBalance({ account: 'ns2', balanceType: DATA, value: 1e6, balance: { ID: 'DATA' } });
    const c = callDescriptorFromWire({ Account: 'ns2', Category: 'data', Destination: '30', ToR: DATA,
      TimeStart: '2024-03-18T10:00:00.000000007Z', TimeEnd: '2024-03-18T10:00:00.000001031Z' }, { tenant: 'cgrates.org', timezone: 'UTC', now: 0 });
    const r = await w.accounts.debit(c);
    expect(r.cc.ratedUsageNs).toBe(1024);
    const ec = wire.eventCostToWire(callCostToEventCost(r.cc, { mode: '*exact', roundingDecimals: 5 }));
    expect(ec.StartTime).toBe('2024-03-18T10:00:00.000000007Z');
    expect(ec.Usage).toBe(1024);
  });
});

describe('rule 5: a session keeps what was not refunded, runs shrinking by their factor', () => {
  it('dropping 5 increments from runs of 3 and 4 (two pieces) leaves a run of 2; costs follow', async () => {
    w = await world('tutorial2', { costMode: '*exact' });
    await w.accounts.setBalance({ account: 'd', balanceType: MONETARY, value: 100, balance: { ID: 'M' } });
    const p1 = await w.accounts.debit(dataCd('d', '3072ns'));
    const p2 = await w.accounts.debit(dataCd('d', '4096ns'));
    const pieces = [p1.cc, p2.cc];
    const all = pieces.flatMap((p) => allIncrements(p));
    expect(incrementCount(all.filter((i) => i.durationNs > 0))).toBe(7);
    const back = trailingIncrements(all, 5 * 1024);
    expect(incrementCount(back)).toBe(5);
    dropTrailingIncrements(pieces, incrementCount(back));
    expect(pieces).toHaveLength(1);
    const kept = allIncrements(pieces[0]).filter((i) => i.durationNs > 0);
    expect(kept.map((i) => [i.durationNs, i.compressFactor])).toEqual([[1024, 2]]);
    expect(pieces[0].timespans[0].cost.toString()).toBe('2');
  });
});

describe('rule 6: MaxCost in *exact mode, debited', () => {
  it('a debit charges what GetCost says: the *free MaxCost caps the whole call (engine_loader_csv_test max → 072389629: 10)', async () => {
    w = await world('engine_loader_csv_test', { costMode: '*exact', roundingDecimals: 6 });
    await w.accounts.setBalance({ account: 'maxed', balanceType: MONETARY, value: 10000, balance: { ID: 'M' } });
    const r = await w.accounts.debit(cd({ account: 'maxed', subject: 'max', destination: '072389629', start: '2013-10-21T16:32:34Z', usage: '6641s' }));
    expect(r.cc.cost.toString()).toBe('10');
    expect(value(await w.accounts.getAccount('cgrates.org', 'maxed'), MONETARY)).toBe('9990');
  });
});
