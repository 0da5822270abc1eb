// Which balances pay, in which order (rating-semantics 5.2, 5.4, 6.5).
import { afterEach, describe, expect, it } from 'vitest';
import { cd, value, world, type World } from './helpers.js';
import { MONETARY, VOICE, newBalance, newAccount, sortByStrategy, Money, type BalanceRef } from '../../src/accounts/index.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const call = (usage = '60s', destination = '1002', start = '2024-03-18T10:00:00Z') => cd({ account: '1001', destination, start, usage });
const bal = async (pick: (b: { id: string }) => boolean, type = MONETARY) => value(await w!.accounts.getAccount('cgrates.org', '1001'), type, pick);

describe('balance selection', () => {
  it('a balance expired at the call start is ignored (expiry checked at TimeStart, not now)', async () => {
    w = await world('tutorial', { now: '2024-03-18T08:00:00Z' });
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 10, balance: { ID: 'promo', Weight: 50, ExpiryTime: '2024-03-18T09:00:00Z' } });
    await w.accounts.debit(call());
    expect(await bal((b) => b.id === 'promo')).toBe('10');
    expect(await bal((b) => b.id === 'test')).toBe('9.4');
  });

  it('a disabled balance is ignored', async () => {
    w = await world('tutorial');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 10, balance: { ID: 'promo', Weight: 50, Disabled: true } });
    await w.accounts.debit(call());
    expect(await bal((b) => b.id === 'promo')).toBe('10');
    expect(await bal((b) => b.id === 'test')).toBe('9.4');
  });

  it('higher weight pays first among balances of equal destination precision', async () => {
    w = await world('tutorial');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 10, balance: { ID: 'promo', Weight: 50 } });
    await w.accounts.debit(call());
    expect(await bal((b) => b.id === 'promo')).toBe('9.4');
    expect(await bal((b) => b.id === 'test')).toBe('10');
  });

  it('a destination-restricted balance beats a heavier general one; a negated destination excludes it', async () => {
    w = await world('tutorial');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 5, balance: { ID: 'to1002', Weight: 1, DestinationIDs: 'DST_1002' } });
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 5, balance: { ID: 'not1002', Weight: 90, DestinationIDs: '!DST_1002' } });
    await w.accounts.debit(call());
    expect(await bal((b) => b.id === 'to1002')).toBe('4.4');
    expect(await bal((b) => b.id === 'not1002')).toBe('5');
    expect(await bal((b) => b.id === 'test')).toBe('10');
  });

  it('a balance with TimingIDs pays only while one of its timings is active', async () => {
    w = await world('oldtutorial');
    await w.accounts.setBalance({ account: '1002', balanceType: MONETARY, value: 5, balance: { ID: 'peakonly', Weight: 90, TimingIDs: 'PEAK' } });
    const peak = (b: { id: string }) => b.id === 'peakonly';
    const other = (b: { id: string }) => b.id === '';
    const get = async (pick: (b: { id: string }) => boolean) => value(await w!.accounts.getAccount('cgrates.org', '1002'), MONETARY, pick);
    await w.accounts.debit(cd({ account: '1002', destination: '1001', start: '2024-03-16T10:00:00Z', usage: '60s' })); // Saturday
    expect(await get(peak)).toBe('5');
    expect(await get(other)).toBe('9.7'); // OFFPEAK_WEEKEND RT_10CNT: 0.2 + 0.1
    await w.accounts.debit(cd({ account: '1002', destination: '1001', start: '2024-03-18T10:00:00Z', usage: '60s' })); // Monday
    expect(await get(peak)).toBe('3.8'); // PEAK RT_40CNT: 0.8 + 2 × 0.2
    expect(await get(other)).toBe('9.7');
  });

  it('a balance limited to other categories is not used', async () => {
    w = await world('tutorial');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 5, balance: { ID: 'smsonly', Weight: 90, Categories: 'sms' } });
    await w.accounts.debit(call());
    expect(await bal((b) => b.id === 'smsonly')).toBe('5');
  });

  it('a blocker balance that cannot pay stops the search: max usage 0, debit INSUFFICIENT_CREDIT_BALANCE_BLOCKER', async () => {
    w = await world('tutorial');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 0, balance: { ID: 'block', Weight: 90, Blocker: true } });
    expect(await w.accounts.getMaxSessionTime(call('10m'))).toBe(0);
    await expect(w.accounts.debit(call())).rejects.toThrow('INSUFFICIENT_CREDIT_BALANCE_BLOCKER');
    expect(await bal((b) => b.id === 'test')).toBe('10');
  });

  it('max usage: what the balances pay (10 with CF 0.4 at RT_20CNT), capped at the request', async () => {
    w = await world('tutorial');
    expect(await w.accounts.getMaxSessionTime(call('10m'))).toBe(600e9);
    // 10 - 0.4 - 0.2 = 9.4 buys 9.4 / 0.00167 = 5628 more seconds
    expect(await w.accounts.getMaxSessionTime(call('3h'))).toBe((60 + 5628) * 1e9);
  });

  it('AllowNegative: max usage is -1 (unlimited) and the debit takes *default below zero', async () => {
    w = await world('tutorial');
    await w.accounts.setAccount({ account: '1001', allowNegative: true });
    expect(await w.accounts.getMaxSessionTime(call('3h'))).toBe(-1);
    const r = await w.accounts.maxDebit(call('2h'));
    expect(r.cc.ratedUsageNs).toBe(7200e9);
    expect(Number(await bal((b) => b.id === '*default'))).toBeLessThan(0);
  });

  it('MaxDebit without AllowNegative debits only the affordable part; ForceDuration → INSUFFICIENT_CREDIT', async () => {
    w = await world('tutorial');
    await expect(w.accounts.maxDebit({ ...call('3h'), forceDuration: true })).rejects.toThrow('INSUFFICIENT_CREDIT');
    const r = await w.accounts.maxDebit(call('3h'));
    expect(r.cc.ratedUsageNs).toBe(5688e9);
    expect(await bal((b) => b.id === 'test')).toBe('0.00124');
    expect(await bal((b) => b.id === '*default')).toBe('missing');
  });
});

describe('shared group strategies', () => {
  const refs = (): BalanceRef[] => {
    const a = newAccount('t:a');
    const b = newAccount('t:b');
    return [
      { balance: newBalance({ uuid: 'a1', value: new Money(3), sharedGroups: { G: true } }), account: a },
      { balance: newBalance({ uuid: 'b1', value: new Money(9), sharedGroups: { G: true } }), account: b },
      { balance: newBalance({ uuid: 'b2', value: new Money(1), sharedGroups: { G: true } }), account: b },
    ];
  };
  const group = (strategy: string) => ({ id: 'G', members: [{ account: '*any', strategy, ratingSubject: '' }] });

  it('*highest orders by value descending, *lowest ascending', () => {
    const r = refs();
    expect(sortByStrategy(group('*highest'), r[0], r).map((x) => x.balance.uuid)).toEqual(['b1', 'a1', 'b2']);
    expect(sortByStrategy(group('*lowest'), r[0], r).map((x) => x.balance.uuid)).toEqual(['b2', 'a1', 'b1']);
  });

  it('*mine_* puts the requesting account\'s own balance first', () => {
    const r = refs();
    expect(sortByStrategy(group('*mine_highest'), r[0], r).map((x) => x.balance.uuid)).toEqual(['a1', 'b1', 'b2']);
    expect(sortByStrategy(group('*mine_lowest'), r[0], r)[0].balance.uuid).toBe('a1');
    expect(sortByStrategy(group(''), r[2], r)[0].balance.uuid).toBe('b2');
  });
});

describe('unit balances', () => {
  it('*voice units are nanoseconds: a 90 s bundle covers a 60 s call and keeps 30 s (oldtutorial 1001 → 1002)', async () => {
    w = await world('oldtutorial');
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    expect(r.cc.cost.toString()).toBe('0.01');
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), VOICE, (b) => b.weight === 20)).toBe(String(30e9));
  });

  it('*data units: 100 units (ns) come from FREE_DATA (free *zero1ns by default) — tutorial2', async () => {
    w = await world('tutorial2');
    const r = await w.accounts.debit(cd({ account: '1001', destination: '', category: 'data', tor: '*data', start: '2024-03-18T10:00:00Z', usage: '100' }));
    expect(r.cc.cost.toString()).toBe('0');
    expect(r.cc.ratedUsageNs).toBe(100);
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), '*data', (b) => b.id === 'FREE_DATA')).toBe('924');
  });
});
