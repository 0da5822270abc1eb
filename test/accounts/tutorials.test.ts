// Balances after loading CGRateS's tutorial plans and after debits (apier/v1 and general_tests
// tutorial tests, rating-semantics 5 and 6).
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cd, loadTp, value, world, type World } from './helpers.js';
import { MONETARY, VOICE, DATA, SMS } from '../../src/accounts/index.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('tutorial plans loaded (AccountActions + *asap action plans)', () => {
  it('tutorial: every account gets the monetary "test" balance of 10 with weight 10', async () => {
    w = await world('tutorial');
    for (const id of ['1001', '1002', '1003']) {
      const a = await w.accounts.getAccount('cgrates.org', id);
      expect(a.balanceMap[MONETARY]).toHaveLength(1);
      expect(a.balanceMap[MONETARY][0]).toMatchObject({ id: 'test', weight: 10 });
      expect(value(a, MONETARY)).toBe('10');
      expect(a.actionTriggers.map((t) => t.thresholdType)).toEqual(['*max_balance', '*max_balance']);
    }
  });

  it('tutorial2: 1001 gets *default 10, FREE_MINS 5m, PER_CALL 10m, FREE_SMSes 100, FREE_DATA 1024', async () => {
    w = await world('tutorial2');
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, MONETARY, (b) => b.id === '*default')).toBe('10');
    expect(value(a, VOICE, (b) => b.id === 'FREE_MINS')).toBe(String(300e9));
    expect(value(a, VOICE, (b) => b.id === 'PER_CALL')).toBe(String(600e9));
    expect(value(a, SMS, (b) => b.id === 'FREE_SMSes')).toBe('100');
    expect(value(a, DATA, (b) => b.id === 'FREE_DATA')).toBe('1024');
  });

  it('a *default balance created by a topup keeps only its ID and value (weight dropped)', async () => {
    w = await world('tutorial2');
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    const d = a.balanceMap[MONETARY].find((b) => b.id === '*default')!;
    expect(d.weight).toBe(0);
    const perCall = a.balanceMap[VOICE].find((b) => b.id === 'PER_CALL')!;
    expect(perCall).toMatchObject({ weight: 10, ratingSubject: 'RPF_SPECIAL_BLC', destinationIds: { DST_10: true } });
  });

  it('oldtutorial: 1001 holds two monetary balances (5 and the SHARED_A 5), 90s to DST_1002, 120s to DST_1003', async () => {
    w = await world('oldtutorial');
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, MONETARY, (b) => b.weight === 20)).toBe('5');
    expect(value(a, MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('5');
    expect(a.balanceMap[VOICE].map((b) => [b.value.toString(), Object.keys(b.destinationIds)[0]])).toEqual([
      [String(90e9), 'DST_1002'], [String(120e9), 'DST_1003'],
    ]);
    const a1007 = await w.accounts.getAccount('cgrates.org', '1007');
    expect(value(a1007, MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('0');
  });
});

describe('debits against the tutorial accounts', () => {
  it('1001 → 1002: the 90 s voice bundle (rated with SPECIAL_1002) is used before money', async () => {
    w = await world('oldtutorial');
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2m' }));
    // first minute from the bundle at RT_1CNT (0.01 paid from money), rest at RT_20CNT 0.1/min per second, no connect fee
    expect(r.cc.timespans[0].increments[0].balanceInfo?.unit?.value.toString()).toBe(String(30e9));
    expect(r.cc.cost.toString()).toBe('0.1102');
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, VOICE, (b) => b.weight === 20)).toBe(String(30e9));
    expect(value(a, MONETARY, (b) => b.weight === 20)).toBe('4.8898');
    expect(value(a, MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('5');
  });

  it('1001 → 1002 in *exact mode: the same bundle, money 0.01 + 0.1 exactly', async () => {
    w = await world('oldtutorial', { costMode: '*exact' });
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2m' }));
    expect(r.cc.cost.toString()).toBe('0.11');
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, MONETARY, (b) => b.weight === 20)).toBe('4.89');
  });

  it('1007 (shared balance 0 in SHARED_A, *highest) is debited from SHARED_A in 1001\'s account', async () => {
    w = await world('oldtutorial');
    // 1007 → 1002: *any profile RP_RETAIL1, DST_FS at PEAK → RT_40CNT: connect fee 0.8 + 0.4 for the first minute
    const r = await w.accounts.debit(cd({ account: '1007', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    expect(r.cc.cost.toString()).toBe('1.2');
    const a1001 = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a1001, MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('3.8');
    expect(value(a1001, MONETARY, (b) => b.weight === 20)).toBe('5');
    const a1007 = await w.accounts.getAccount('cgrates.org', '1007');
    expect(value(a1007, MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('0');
    expect(r.cc.timespans[0].increments.every((i) => i.balanceInfo?.accountId === 'cgrates.org:1001')).toBe(true);
  });

  it('partners of partners are locked too (1007 → SHARED_A → 1001 → SHARED_B → 1004)', async () => {
    const tp = await loadTp('oldtutorial');
    tp.sharedGroups.SHARED_B = { id: 'SHARED_B', members: [{ account: '*any', strategy: '*highest', ratingSubject: '' }] };
    w = await world(tp);
    for (const acc of ['1001', '1004']) {
      await w.accounts.setBalance({ account: acc, balanceType: MONETARY, value: 1, balance: { ID: 'B', SharedGroups: 'SHARED_B', Weight: 1 } });
    }
    const r = await w.accounts.debit(cd({ account: '1007', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    expect(r.cc.cost.toString()).toBe('1.2');
    expect(value(await w.accounts.getAccount('cgrates.org', '1001'), MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('3.8');
  });

  it('a debit beyond the balances takes *default negative (postpaid Debit), max usage then is 0', async () => {
    w = await world('tutorial');
    const r = await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '2h' }));
    // 0.4 + 0.2 + 119 min × 0.1 = 12.5 (per-second 0.00167 × 7140 = 11.9238 in CGRateS mode)
    expect(r.cc.cost.toString()).toBe('12.5238');
    const a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, MONETARY, (b) => b.id === 'test')).not.toBe('10');
    const total = a.balanceMap[MONETARY].reduce((s, b) => s + b.value.toNumber(), 0);
    expect(Number((10 - total).toFixed(5))).toBe(12.5238);
    expect(value(a, MONETARY, (b) => b.id === '*default').startsWith('-')).toBe(true);
    const max = await w.accounts.getMaxSessionTime(cd({ account: '1001', destination: '1002', start: '2024-03-18T11:00:00Z', usage: '1m' }));
    expect(max).toBe(0);
  });

  it('unknown account → ACCOUNT_NOT_FOUND; disabled account → ACCOUNT_DISABLED', async () => {
    w = await world('tutorial');
    await expect(w.accounts.debit(cd({ account: 'nobody', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '1m' }))).rejects.toThrow('ACCOUNT_NOT_FOUND');
    await w.accounts.setAccount({ account: '1002', disabled: true });
    await expect(w.accounts.getMaxSessionTime(cd({ account: '1002', destination: '1001', start: '2024-03-18T10:00:00Z', usage: '1m' }))).rejects.toThrow('ACCOUNT_DISABLED');
  });
});

describe('the project tariff plan tp/', () => {
  it('loads 7 accounts; 1001 talks to 1002 on its 90 s bundle first and 1007 spends SHARED_A in 1001', async () => {
    w = await world(resolve(import.meta.dirname, '../../tp'));
    expect((await w.accounts.getAccounts('cgrates.org')).map((a) => a.id)).toHaveLength(7);
    await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    let a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, VOICE, (b) => b.weight === 20)).toBe(String(30e9));
    expect(value(a, MONETARY, (b) => b.weight === 20)).toBe('4.99');
    await w.accounts.debit(cd({ account: '1007', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    a = await w.accounts.getAccount('cgrates.org', '1001');
    expect(value(a, MONETARY, (b) => !!b.sharedGroups.SHARED_A)).toBe('3.8');
  });
});
