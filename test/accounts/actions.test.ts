// Actions (rating-semantics 6.1, 6.2) through the AccountService API.
import { afterEach, describe, expect, it } from 'vitest';
import { loadTp, tpAction, value, world, type World } from './helpers.js';
import { MONETARY, SMS, VOICE, GROUP_MEMBERS_KIND } from '../../src/accounts/index.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const bal = async (id: string, type = MONETARY, pick: (b: { id: string; weight: number; sharedGroups: Record<string, boolean> }) => boolean = () => true) =>
  value(await w!.accounts.getAccount('cgrates.org', id), type, pick);

describe('actions', () => {
  it('*topup_reset sets the matching balance again (a repeated load does not add up)', async () => {
    w = await world('tutorial');
    await w.accounts.executeAction('cgrates.org', '1001', 'ACT_TOPUP_RST_10');
    await w.accounts.executeAction('cgrates.org', '1001', 'ACT_TOPUP_RST_10');
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(a.balanceMap[MONETARY]).toHaveLength(1);
    expect(value(a, MONETARY)).toBe('10');
  });

  it('*topup adds to every matching balance; Overwrite turns it into *topup_reset', async () => {
    w = await world('tutorial');
    await w.accounts.addBalance({ account: '1001', balanceType: MONETARY, value: 5, balance: { ID: 'test' } });
    expect(await bal('1001')).toBe('15');
    await w.accounts.addBalance({ account: '1001', balanceType: MONETARY, value: 2.5, balance: { ID: 'test' }, overwrite: true });
    expect(await bal('1001')).toBe('2.5');
  });

  it('*topup with filter fields that match nothing creates a new balance with those fields', async () => {
    w = await world('tutorial');
    await w.accounts.addBalance({ account: '1001', balanceType: VOICE, value: '60000000000', balance: { ID: 'BONUS', Weight: 5, DestinationIDs: 'DST_1002' } });
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(a.balanceMap[VOICE][0]).toMatchObject({ id: 'BONUS', weight: 5, destinationIds: { DST_1002: true } });
    expect(a.balanceMap[VOICE][0].value.toString()).toBe('60000000000');
  });

  it('*debit subtracts (creating a negative balance when none matches); *debit_reset sets -units', async () => {
    w = await world('tutorial');
    await w.accounts.debitBalance({ account: '1001', balanceType: MONETARY, value: 3, balance: { ID: 'test' } });
    expect(await bal('1001')).toBe('7');
    await w.accounts.debitBalance({ account: '1001', balanceType: SMS, value: 4, balance: { ID: 'S' } });
    expect(await bal('1001', SMS)).toBe('-4');
    await w.accounts.debitBalance({ account: '1001', balanceType: MONETARY, value: 1, balance: { ID: 'test' }, overwrite: true });
    expect(await bal('1001')).toBe('-1');
  });

  it('SetBalance updates the balance found by ID, creates it otherwise, and needs an ID or UUID', async () => {
    w = await world('tutorial');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 3, balance: { ID: 'test', Weight: 30 } });
    let a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(a.balanceMap[MONETARY]).toHaveLength(1);
    expect(a.balanceMap[MONETARY][0]).toMatchObject({ id: 'test', weight: 30 });
    expect(value(a, MONETARY)).toBe('3');
    await w.accounts.setBalance({ account: 'new', balanceType: MONETARY, value: 1, balance: { ID: 'x' } });
    a = await w.accounts.getAccount('cgrates.org', 'new');
    expect(value(a, MONETARY)).toBe('1');
    await expect(w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 1 })).rejects.toThrow('MANDATORY_IE_MISSING: [BalanceID or BalanceUUID]');
  });

  it('RemoveBalances removes the matching balances; no match → PARTIALLY_EXECUTED; unknown account → NOT_FOUND', async () => {
    w = await world('tutorial');
    await w.accounts.removeBalances({ account: '1001', balanceType: MONETARY, balance: { ID: 'test' } });
    expect((await w.accounts.getAccount('cgrates.org', '1001')).balanceMap[MONETARY]).toHaveLength(0);
    await expect(w.accounts.removeBalances({ account: '1001', balanceType: MONETARY, balance: { ID: 'test' } })).rejects.toThrow('PARTIALLY_EXECUTED');
    await expect(w.accounts.removeBalances({ account: 'ghost', balanceType: MONETARY })).rejects.toThrow('NOT_FOUND');
  });

  it('a failing action changes nothing (the action set is not saved)', async () => {
    const tp = await loadTp('tutorial');
    tp.actions.BROKEN = { id: 'BROKEN', actions: [
      tpAction('BROKEN', '*topup', { balanceId: 'test', balanceType: MONETARY, units: '100', weight: 20 }),
      tpAction('BROKEN', '*no_such_action', { weight: 10 }),
    ] };
    w = await world(tp);
    await expect(w.accounts.executeAction('cgrates.org', '1001', 'BROKEN')).rejects.toThrow('PARTIALLY_EXECUTED');
    expect(await bal('1001')).toBe('10');
  });

  it('*reset_account, *disable_account/*enable_account and *allow_negative/*deny_negative', async () => {
    const tp = await loadTp('tutorial');
    tp.actions.FLAGS = { id: 'FLAGS', actions: [tpAction('FLAGS', '*disable_account', { weight: 30 }), tpAction('FLAGS', '*allow_negative', { weight: 20 }), tpAction('FLAGS', '*reset_account', { weight: 10 })] };
    tp.actions.UNFLAG = { id: 'UNFLAG', actions: [tpAction('UNFLAG', '*enable_account'), tpAction('UNFLAG', '*deny_negative')] };
    w = await world(tp);
    await w.accounts.executeAction('cgrates.org', '1001', 'FLAGS');
    let a = await w.accounts.getAccount('cgrates.org', '1001');
    expect([a.disabled, a.allowNegative]).toEqual([true, true]);
    expect(a.balanceMap[MONETARY].map((b) => b.value.toString())).toEqual(['0']);
    await w.accounts.executeAction('cgrates.org', '1001', 'UNFLAG');
    a = await w.accounts.getAccount('cgrates.org', '1001');
    expect([a.disabled, a.allowNegative]).toEqual([false, false]);
  });

  it('*cdrlog hands one CDR per balance action to the sink (Cost = units, RunID = action type)', async () => {
    w = await world('tutorial');
    await w.accounts.addBalance({ account: '1001', balanceType: MONETARY, value: 5, balance: { ID: 'test' }, cdrlog: true });
    expect(w.cdrs).toHaveLength(1);
    expect(w.cdrs[0]).toMatchObject({ RunID: '*topup', ToR: MONETARY, Tenant: 'cgrates.org', Account: '1001', Subject: '1001', Cost: 5, RequestType: '*none', OriginHost: '127.0.0.1' });
    expect(w.cdrs[0].CGRID).toMatch(/^[0-9a-f]{40}$/);
  });

  it('a balance carrying a shared group makes the account a member of the group', async () => {
    w = await world('oldtutorial');
    const doc = await w.dataDb.get<{ members: string[] }>(GROUP_MEMBERS_KIND, 'SHARED_A');
    expect(doc?.members).toEqual(['cgrates.org:1001', 'cgrates.org:1007']);
  });

  it('ExecuteAction with unknown actions → NOT_FOUND; on an unknown account it creates the account', async () => {
    w = await world('tutorial');
    await expect(w.accounts.executeAction('cgrates.org', '1001', 'NOPE')).rejects.toThrow('NOT_FOUND');
    await w.accounts.executeAction('cgrates.org', '2001', 'ACT_TOPUP_RST_10');
    expect(await bal('2001', MONETARY, (b) => b.id === 'test')).toBe('10');
  });
});
