// CostDetails of debits as CGRateS's EventCost (NewEventCostFromCallCost): the Accounting map names
// the balance that paid each increment, and a refund rebuilt from the stored EventCost
// (AsRefundIncrements) gives every balance back exactly what the debit took.
import { afterEach, describe, expect, it } from 'vitest';
import { cd, value, world, type World } from './helpers.js';
import {
  MONETARY, VOICE, callCostToEventCost, callCostToJSON, costDetailsRefundIncrements, eventCostRefundIncrements, newDebitDescriptor,
  updateInitialValue, type Account, type AccountSummary, type CostMode, type DebitResult,
} from '../../src/accounts/index.js';
import { wire } from '../../src/rating/index.js';

type J = Record<string, unknown>;
type Inc = { Usage: number; Cost: number; AccountingID: string; CompressFactor: number };
type Charge = { RatingID: string; Increments: Inc[]; CompressFactor: number };
type Bc = { AccountID: string; BalanceUUID: string; RatingID: string; Units: number; ExtraChargeID: string; BalanceFactor?: number };
type WireEc = {
  CGRID: string; RunID: string; Usage: number; Cost: number; Charges: Charge[]; AccountSummary: AccountSummary | null;
  Accounting: Record<string, Bc>; Rating: Record<string, J & { TimingID: string; RatingFiltersID: string }>; RatingFilters: Record<string, J>;
};

const START = '2024-03-18T10:00:00Z';
let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function debit(mode: CostMode, tp: string, account: string, destination: string, usage: string): Promise<DebitResult> {
  w = await world(tp, { costMode: mode });
  return w.accounts.debit({ ...cd({ account, destination, start: START, usage }), performRounding: true });
}

/** The EventCost as a CDR stores it: the wire JSON, written and read back. */
function stored(r: DebitResult, mode: CostMode): WireEc {
  const ec = callCostToEventCost(r.cc, { cgrId: 'cgrid-1', runId: '*default', mode, roundingDecimals: 5, accountSummary: r.summary });
  return JSON.parse(JSON.stringify(wire.eventCostToWire(ec))) as WireEc;
}

async function refund(details: unknown, account: string): Promise<void> {
  const increments = costDetailsRefundIncrements(details);
  await w!.accounts.refundIncrements(newDebitDescriptor({ tenant: 'cgrates.org', account, tor: '*voice', anchorMs: 0, endNs: 0, increments }));
}

const acc = (id: string): Promise<Account> => w!.accounts.getAccount('cgrates.org', id);
const uuidOf = (a: Account, type: string, pick: (b: Account['balanceMap'][string][number]) => boolean) => (a.balanceMap[type] ?? []).find(pick)!.uuid;

describe('EventCost of a debit (NewEventCostFromCallCost)', () => {
  it('a money-paid increment names its money balance with Units = its cost; the connect fee is the first increment', async () => {
    // tutorial RT_20CNT: 0.4 connect fee, 0.2 for the first minute, then per second (rating-semantics 4.8).
    const r = await debit('*exact', 'tutorial', '1001', '1002', '2m10s');
    const ec = stored(r, '*exact');
    const moneyUuid = uuidOf(await acc('1001'), MONETARY, () => true);
    expect(ec.Charges[0].Increments.slice(0, 2).map((i) => [i.Usage, i.Cost])).toEqual([[0, 0.4], [60e9, 0.2]]);
    expect(ec.Accounting[ec.Charges[0].Increments[0].AccountingID]).toEqual({
      AccountID: 'cgrates.org:1001', BalanceUUID: moneyUuid, RatingID: '', Units: 0.4, ExtraChargeID: '',
    });
    expect(ec.Accounting[ec.Charges[0].Increments[1].AccountingID]).toMatchObject({ BalanceUUID: moneyUuid, Units: 0.2 });
    expect({ CGRID: ec.CGRID, RunID: ec.RunID, Usage: ec.Usage }).toEqual({ CGRID: 'cgrid-1', RunID: '*default', Usage: 130e9 });
  });

  it('EventCost.Cost is the debit\'s cost, which the charges add up to in *exact mode', async () => {
    const r = await debit('*exact', 'tutorial', '1001', '1002', '2m10s');
    const ec = stored(r, '*exact');
    expect(ec.Cost).toBe(0.7167);
    expect(r.cc.cost.toString()).toBe('0.7167');
    const sum = ec.Charges.reduce((s, c) => s + c.CompressFactor * c.Increments.reduce((t, i) => t + i.Cost * i.CompressFactor * 1e4, 0), 0);
    expect(Math.round(sum)).toBe(7167);
  });

  it('a unit-paid increment names its unit balance with the units consumed, the money paid with it as its ExtraChargeID', async () => {
    // oldtutorial 1001: 90 s towards DST_1002 rated by SPECIAL_1002 (0.01 per 60 s), paid from the weight-20 money balance.
    const r = await debit('*exact', 'oldtutorial', '1001', '1002', '60s');
    const ec = stored(r, '*exact');
    const a = await acc('1001');
    expect(ec.Charges).toHaveLength(1);
    expect(ec.Charges[0].Increments).toEqual([{ Usage: 60e9, Cost: 0.01, AccountingID: expect.any(String), CompressFactor: 1 }]);
    const unit = ec.Accounting[ec.Charges[0].Increments[0].AccountingID];
    expect(unit).toMatchObject({ AccountID: 'cgrates.org:1001', BalanceUUID: uuidOf(a, VOICE, (b) => !!b.destinationIds.DST_1002), Units: 60e9 });
    // The balance's rating subject rated it: its RatingID points at SPECIAL_1002's rating.
    expect(ec.RatingFilters[ec.Rating[unit.RatingID].RatingFiltersID]).toMatchObject({ Subject: '*out:cgrates.org:call:SPECIAL_1002', RatingPlanID: 'RP_SPECIAL_1002' });
    expect(ec.Accounting[unit.ExtraChargeID]).toEqual({
      AccountID: 'cgrates.org:1001', BalanceUUID: uuidOf(a, MONETARY, (b) => b.weight === 20), RatingID: '', Units: 0.01, ExtraChargeID: '',
    });
  });

  it('free unit increments (*zero1s) have ExtraChargeID *none and compress; their zero rating has no timing', async () => {
    const r = await debit('*exact', 'oldtutorial', '1001', '1003', '60s');
    const ec = stored(r, '*exact');
    expect(ec.Charges[0].Increments).toEqual([{ Usage: 1e9, Cost: 0, AccountingID: expect.any(String), CompressFactor: 60 }]);
    expect(ec.Accounting[ec.Charges[0].Increments[0].AccountingID]).toMatchObject({ Units: 1e9, ExtraChargeID: '*none' });
    expect(ec.Rating[ec.Charges[0].RatingID].TimingID).toBe('');
    expect(ec.Cost).toBe(0);
  });

  it('a shared-group balance is named with the account that owns it', async () => {
    const r = await debit('*exact', 'oldtutorial', '1007', '1002', '60s');
    const ec = stored(r, '*exact');
    const shared = uuidOf(await acc('1001'), MONETARY, (b) => !!b.sharedGroups.SHARED_A);
    const ids = ec.Charges.flatMap((c) => c.Increments.map((i) => i.AccountingID));
    expect(ids.map((id) => [ec.Accounting[id].AccountID, ec.Accounting[id].BalanceUUID])).toEqual(ids.map(() => ['cgrates.org:1001', shared]));
    expect(ec.AccountSummary).toMatchObject({ Tenant: 'cgrates.org', AccountID: '1007' });
  });

  it('the tariff-rounding increment is the last of its charge, with RatingID *rounding', async () => {
    // 2m05s at RT_20CNT in *cgrates: 65 × 0.00167 = 0.10855 → *up 4 = 0.1086, a 0.00005 correction (refunds.test.ts).
    const r = await debit('*cgrates', 'tutorial', '1001', '1002', '2m5s');
    const ec = stored(r, '*cgrates');
    const last = ec.Charges[1].Increments[ec.Charges[1].Increments.length - 1];
    expect(last.Usage).toBe(0);
    expect(last.Cost).toBeCloseTo(0.00005, 12);
    expect(ec.Accounting[last.AccountingID].RatingID).toBe('*rounding');
    expect(ec.Cost).toBe(0.7086);
  });

  it('carries the account summary of the debit (Initial before, Value after)', async () => {
    const r = await debit('*exact', 'tutorial', '1001', '1002', '2m10s');
    const ec = stored(r, '*exact');
    expect(ec.AccountSummary?.BalanceSummaries).toEqual([expect.objectContaining({ Type: '*monetary', Initial: 10, Value: 9.2833 })]);
  });
});

describe.each(['*exact', '*cgrates'] as CostMode[])('refund from the stored EventCost (AsRefundIncrements, %s)', (mode) => {
  it('money and connect fee go back to the money balance exactly', async () => {
    const r = await debit(mode, 'tutorial', '1001', '1002', '2m10s');
    await refund(stored(r, mode), '1001');
    expect(value(await acc('1001'), MONETARY)).toBe('10');
  });

  it('the tariff-rounding increment is refunded with the rest', async () => {
    const r = await debit(mode, 'tutorial', '1001', '1002', '2m5s');
    await refund(stored(r, mode), '1001');
    expect(value(await acc('1001'), MONETARY)).toBe('10');
  });

  it('units go back to the unit balance and the money paid with them to the money balance', async () => {
    const r = await debit(mode, 'oldtutorial', '1001', '1002', '60s');
    await refund(stored(r, mode), '1001');
    const a = await acc('1001');
    expect(value(a, VOICE, (b) => b.weight === 20)).toBe(String(90e9));
    expect(value(a, MONETARY, (b) => b.weight === 20)).toBe('5');
  });

  it('free units go back to their balance', async () => {
    const r = await debit(mode, 'oldtutorial', '1001', '1003', '60s');
    const toDst1003 = async () => (await acc('1001')).balanceMap[VOICE].find((b) => b.destinationIds.DST_1003)!.value.toString();
    expect(await toDst1003()).toBe(String(60e9));
    await refund(stored(r, mode), '1001');
    expect(await toDst1003()).toBe(String(120e9));
  });

  it('a shared-group balance (not in the caller\'s summary) is refunded to the account that owns it', async () => {
    const r = await debit(mode, 'oldtutorial', '1007', '1002', '60s');
    expect(value(await acc('1001'), MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('3.8');
    await refund(stored(r, mode), '1007');
    expect(value(await acc('1001'), MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('5');
  });

  it('CostDetails stored in the older CallCost form still refund, rounding increments included', async () => {
    const r = await debit(mode, 'tutorial', '1001', '1002', '2m5s');
    await refund(JSON.parse(JSON.stringify(callCostToJSON(r.cc, r.summary))), '1001');
    expect(value(await acc('1001'), MONETARY)).toBe('10');
  });
});

describe('AsRefundIncrements mapping', () => {
  const summary = (types: Record<string, string>) => ({ Tenant: 't', ID: 'a', AllowNegative: false, Disabled: false, BalanceSummaries: Object.entries(types).map(([UUID, Type]) => ({ UUID, ID: UUID, Type, Initial: 0, Value: 0, Disabled: false })) });

  it('charges repeat by their CompressFactor, increments keep theirs', () => {
    const incs = eventCostRefundIncrements({
      Charges: [{ RatingID: 'r', CompressFactor: 2, Increments: [{ Usage: 1e9, Cost: 0.1, AccountingID: 'a', CompressFactor: 3 }] }],
      Accounting: { a: { AccountID: 't:a', BalanceUUID: 'm', RatingID: '', Units: 0.1, ExtraChargeID: '' } },
      AccountSummary: summary({ m: '*monetary' }),
    });
    expect(incs.map((i) => [i.durationNs, i.cost.toString(), i.compressFactor, i.balanceInfo?.monetary?.uuid, i.balanceInfo?.unit])).toEqual([
      [1e9, '0.1', 3, 'm', null], [1e9, '0.1', 3, 'm', null],
    ]);
  });

  it('the summary\'s balance type decides unit or money; a BalanceFactor scales the unit refund', () => {
    const [inc] = eventCostRefundIncrements({
      Charges: [{ RatingID: '', CompressFactor: 1, Increments: [{ Usage: 1e9, Cost: 0, AccountingID: 'u', CompressFactor: 1 }] }],
      Accounting: { u: { AccountID: 't:a', BalanceUUID: 'v', RatingID: '', Units: 2e9, BalanceFactor: 2, ExtraChargeID: '' } },
      AccountSummary: summary({ v: '*voice' }),
    });
    expect(inc.balanceInfo).toMatchObject({ accountId: 't:a', monetary: null, unit: { uuid: 'v', factor: 2 } });
  });

  it('an increment without AccountingID refunds nothing', () => {
    const [inc] = eventCostRefundIncrements({ Charges: [{ RatingID: '', CompressFactor: 1, Increments: [{ Usage: 1e9, Cost: 0, AccountingID: '', CompressFactor: 1 }] }], Accounting: {} });
    expect(inc.balanceInfo).toBeNull();
  });

  it('an AccountingID missing from Accounting is an error naming it', () => {
    expect(() => eventCostRefundIncrements({ Charges: [{ RatingID: '', CompressFactor: 1, Increments: [{ Usage: 0, Cost: 1, AccountingID: 'zz', CompressFactor: 1 }] }], Accounting: {} }))
      .toThrow('SERVER_ERROR: CostDetails Charges[0].Increments[0]: AccountingID zz not in Accounting');
  });
});

describe('AccountSummary across a session (UpdateInitialValue)', () => {
  it('the newest summary keeps the first Initial values; a balance gone since stays listed at 0', () => {
    const first: AccountSummary = { Tenant: 't', AccountID: 'a', AllowNegative: false, Disabled: false, BalanceSummaries: [
      { UUID: 'm', ID: 'm', Type: '*monetary', Initial: 10, Value: 9, Disabled: false },
      { UUID: 'x', ID: 'x', Type: '*voice', Initial: 5, Value: 1, Disabled: false },
    ] };
    const now: AccountSummary = { ...first, BalanceSummaries: [{ UUID: 'm', ID: 'm', Type: '*monetary', Initial: 9, Value: 8, Disabled: false }] };
    expect(updateInitialValue(now, first).BalanceSummaries).toEqual([
      { UUID: 'm', ID: 'm', Type: '*monetary', Initial: 10, Value: 8, Disabled: false },
      { UUID: 'x', ID: 'x', Type: '*voice', Initial: 0, Value: 0, Disabled: false },
    ]);
  });
});
