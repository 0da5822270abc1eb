// A session run's charge state (src/engine/charging.ts) persisted as JSON with the session and
// revived after a restart: the same debited pieces, the same money, the same rate intervals.
import { afterEach, describe, expect, it } from 'vitest';
import { cd, world, type World } from '../accounts/helpers.js';
import { callCostToEventCost, type CostMode } from '../../src/accounts/index.js';
import { reviveCharge } from '../../src/engine/charging.js';
import { wire } from '../../src/rating/index.js';
import { encode } from '../../src/util/codec.js';
import { Money } from '../../src/util/money.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe.each(['*cgrates', '*exact'] as CostMode[])('session charge state (%s)', (mode) => {
  it('a revived charge state gives the same CostDetails, cost and totals as before it was stored', async () => {
    w = await world('tutorial', { costMode: mode });
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2m10s' }));
    const state = { pieces: [r.cc], maxCostSoFar: new Money('0.7169'), costSoFar: new Money('0.71666666666666666667'), summary: null, rounded: false };
    const stored = JSON.parse(JSON.stringify(encode(state)));
    const back = reviveCharge(stored)!;
    const details = (cc: typeof r.cc) => JSON.stringify(wire.eventCostToWire(callCostToEventCost(cc, { mode, roundingDecimals: 5 })));
    expect(details(back.pieces[0])).toBe(details(r.cc));
    expect(back.pieces[0].cost.toString()).toBe(r.cc.cost.toString());
    expect(back.costSoFar.toString()).toBe('0.71666666666666666667');
    expect(back.maxCostSoFar.toString()).toBe('0.7169');
    // the timespans' shared rate interval is stored once and shared again
    const ris = back.pieces[0].timespans.map((ts) => ts.rateInterval);
    expect(ris.length).toBeGreaterThan(1);
    expect(ris[1]).toBe(ris[0]);
    // stored again as it was
    expect(JSON.parse(JSON.stringify(back))).toEqual(stored);
  });

  it('a charge state stored by earlier versions (Money as strings, accounts\' interval views) revives with its money and intervals', () => {
    const json = {
      Timing: { ID: '*any', Years: [], Months: [], MonthDays: [], WeekDays: [], StartTime: '00:00:00', EndTime: '' },
      Rating: { ConnectFee: 0.4, RoundingMethod: '*up', RoundingDecimals: 4, MaxCost: 0, MaxCostStrategy: '', Rates: [{ GroupIntervalStart: 0, Value: 0.2, RateIncrement: 60e9, RateUnit: 60e9 }] },
      Weight: 10,
    };
    const inc = { durationNs: 60e9, cost: '0.2', compressFactor: 2, balanceInfo: { accountId: 'cgrates.org:1001', unit: null, monetary: { uuid: 'u1', id: 'test', value: '9.2' } } };
    const legacy = {
      maxCostSoFar: '0.8', costSoFar: '0.8', summary: null, rounded: false,
      pieces: [{
        category: 'call', tenant: 'cgrates.org', subject: '1001', account: '1001', destination: '1002', tor: '*voice', cost: '0.4', ratedUsageNs: 120e9,
        anchorMs: 0, deductConnectFee: true, negativeConnectFee: false, maxCostDisconnect: false, costSoFarAfter: '0.8',
        timespans: [{
          startNs: 0, endNs: 120e9, cost: '0.4', durationIndexNs: 120e9, increments: [inc], roundIncrement: null,
          rateInterval: { connectFee: '0.4', roundingMethod: '*up', roundingDecimals: 4, maxCost: '0', maxCostStrategy: '', json },
          matchedSubject: 's', matchedPrefix: '1002', matchedDestId: 'DST_1002', ratingPlanId: 'RP_1001',
        }],
      }],
    };
    const back = reviveCharge(JSON.parse(JSON.stringify(legacy)))!;
    expect(back.maxCostSoFar.toString()).toBe('0.8');
    const ts = back.pieces[0].timespans[0];
    expect(ts.increments[0].cost).toBeInstanceOf(Money);
    expect(ts.increments[0].cost.times(ts.increments[0].compressFactor).toString()).toBe('0.4');
    expect(ts.increments[0].balanceInfo?.monetary?.value.toString()).toBe('9.2');
    expect(wire.rateIntervalToWire(ts.rateInterval)).toEqual(json);
    expect(back.pieces[0].connectFee.toString()).toBe('0.4');
  });
});
