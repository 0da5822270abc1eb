// Action triggers (rating-semantics 6.4): evaluated after every balance change.
import { afterEach, describe, expect, it } from 'vitest';
import { cd, loadTp, tpAction, tpTrigger, value, world, type World } from './helpers.js';
import { MONETARY, SMS } from '../../src/accounts/index.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const acc = (id = '1001') => w!.accounts.getAccount('cgrates.org', id);

describe('action triggers', () => {
  it('tutorial2: *default set to 1 → *min_balance 2 fires TOPUP_BONUS_10SMS', async () => {
    w = await world('tutorial2');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 1, balance: { ID: '*default' } });
    const a = await acc();
    expect(value(a, SMS, (b) => b.id === 'BONUS_SMSes')).toBe('10');
    expect(a.actionTriggers.find((t) => t.thresholdType === '*min_balance')?.executed).toBe(true);
  });

  it('a fired non-recurrent trigger does not fire again until *reset_triggers', async () => {
    const tp = await loadTp('tutorial2');
    tp.actions.RESET_T = { id: 'RESET_T', actions: [tpAction('RESET_T', '*reset_triggers')] };
    w = await world(tp);
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 1, balance: { ID: '*default' } });
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 0.5, balance: { ID: '*default' } });
    expect(value(await acc(), SMS, (b) => b.id === 'BONUS_SMSes')).toBe('10');
    // *reset_triggers re-arms and evaluates at once; the changed balance is not dirty anymore, the next change fires
    await w.accounts.executeAction('cgrates.org', '1001', 'RESET_T');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 0.4, balance: { ID: '*default' } });
    expect(value(await acc(), SMS, (b) => b.id === 'BONUS_SMSes')).toBe('20');
  });

  it('tutorial2: *default set to 101 → *max_balance 100 disables the account', async () => {
    w = await world('tutorial2');
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 101, balance: { ID: '*default' } });
    expect((await acc()).disabled).toBe(true);
  });

  it('triggers fire after debits too (*min_balance crossed by a call)', async () => {
    const tp = await loadTp('tutorial');
    tp.actions.ADD_SMS = { id: 'ADD_SMS', actions: [tpAction('ADD_SMS', '*topup', { balanceId: 'S', balanceType: SMS, units: '1' })] };
    tp.actionTriggers.LOW = { id: 'LOW', triggers: [tpTrigger('LOW', '*min_balance', '9.5', 'ADD_SMS')] };
    tp.accountActions['cgrates.org:1001'].actionTriggersId = 'LOW';
    w = await world(tp);
    expect(value(await acc(), SMS)).toBe('missing');
    await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    const a = await acc();
    expect(value(a, MONETARY)).toBe('9.4');
    expect(value(a, SMS)).toBe('1');
  });

  it('a recurrent trigger fires on every change, but not within MinSleep of its last run', async () => {
    const tp = await loadTp('tutorial');
    tp.actions.ADD_SMS = { id: 'ADD_SMS', actions: [tpAction('ADD_SMS', '*topup', { balanceId: 'S', balanceType: SMS, units: '1' })] };
    tp.actionTriggers.REC = { id: 'REC', triggers: [tpTrigger('REC', '*min_balance', '5', 'ADD_SMS', { recurrent: true, minSleep: 60e9 })] };
    tp.accountActions['cgrates.org:1001'].actionTriggersId = 'REC';
    w = await world(tp);
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 4, balance: { ID: 'test' } });
    expect(value(await acc(), SMS)).toBe('1');
    w.clock.now += 30_000;
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 3, balance: { ID: 'test' } });
    expect(value(await acc(), SMS)).toBe('1');
    w.clock.now += 31_000;
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 2, balance: { ID: 'test' } });
    expect(value(await acc(), SMS)).toBe('2');
    expect((await acc()).actionTriggers[0].executed).toBe(false);
  });

  it('*max_event_counter counts the money of matching calls (connect fee included)', async () => {
    const tp = await loadTp('tutorial');
    // *exact mode: CGRateS sums counters in float64 (0.4 + 0.2 = 0.6000000000000001)
    tp.actions.STOP = { id: 'STOP', actions: [tpAction('STOP', '*disable_account')] };
    tp.actionTriggers.CNT = { id: 'CNT', triggers: [tpTrigger('CNT', '*max_event_counter', '1', 'STOP', { balanceDestinationIds: ['DST_1002'] })] };
    tp.accountActions['cgrates.org:1001'].actionTriggersId = 'CNT';
    w = await world(tp, { costMode: '*exact' });
    await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    let a = await acc();
    expect(a.unitCounters[MONETARY][0].counters[0].value.toString()).toBe('0.6');
    expect(a.disabled).toBe(false);
    await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:05:00Z', usage: '60s' }));
    a = await acc();
    expect(a.unitCounters[MONETARY][0].counters[0].value.toString()).toBe('1.2');
    expect(a.disabled).toBe(true);
  });

  it('*max_balance_counter counts what the matching balances paid and fires above the threshold', async () => {
    const tp = await loadTp('tutorial');
    tp.actions.STOP = { id: 'STOP', actions: [tpAction('STOP', '*disable_account')] };
    // Counts money paid from *monetary balances (any destination): 0.6 per 1001 → 1002 minute at peak.
    tp.actionTriggers.BAL = { id: 'BAL', triggers: [tpTrigger('BAL', '*max_balance_counter', '1', 'STOP', { balanceType: MONETARY })] };
    tp.accountActions['cgrates.org:1001'].actionTriggersId = 'BAL';
    w = await world(tp, { costMode: '*exact' });
    await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '60s' }));
    let a = await acc();
    const counter = () => a.unitCounters[MONETARY].find((u) => u.counterType === '*balance')!.counters[0].value.toString();
    expect(counter()).toBe('0.6');
    expect(a.disabled).toBe(false);
    await w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:05:00Z', usage: '60s' }));
    a = await acc();
    expect(counter()).toBe('1.2');
    expect(a.disabled).toBe(true);
  });

  it('*balance_expired fires for an expired matching balance (which is then removed)', async () => {
    const tp = await loadTp('tutorial');
    tp.actions.ADD_SMS = { id: 'ADD_SMS', actions: [tpAction('ADD_SMS', '*topup', { balanceId: 'S', balanceType: SMS, units: '7' })] };
    tp.actionTriggers.EXP = { id: 'EXP', triggers: [tpTrigger('EXP', '*balance_expired', '0', 'ADD_SMS', { balanceTag: 'promo' })] };
    tp.accountActions['cgrates.org:1001'].actionTriggersId = 'EXP';
    w = await world(tp);
    await w.accounts.setBalance({ account: '1001', balanceType: MONETARY, value: 3, balance: { ID: 'promo', ExpiryTime: '2024-03-18T09:00:00Z' } });
    const a = await acc();
    expect(value(a, SMS)).toBe('7');
    expect(value(a, MONETARY, (b) => b.id === 'promo')).toBe('missing');
  });
});
