// Numbers asserted by CGRateS's engine/calldesc_test.go on its engine_loader_csv_test plan
// (accounts created by the plan's AccountActions, *asap action plans executed at load). CGRateS's
// engine unit tests run with rounding_decimals 6, so these do too.
import { afterEach, describe, expect, it } from 'vitest';
import { cd, world, type World } from './helpers.js';
import { MONETARY } from '../../src/accounts/index.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const call = (account: string, subject: string, usage: string) =>
  cd({ tenant: 'vdf', category: '0', account, subject, destination: '0723', start: '2013-10-21T18:34:00Z', usage });
const monetary = async (account: string) => (await w!.accounts.getAccount('vdf', account)).balanceMap[MONETARY].map((b) => b.value.toString());

describe('CGRateS engine tests (engine_loader_csv_test)', () => {
  it('TestMaxDebitWithAccountShared: empty0 (SG2 balance 0, *lowest) pays 2.5 from empty10\'s shared balance (10 → 7.5)', async () => {
    w = await world('engine_loader_csv_test', { roundingDecimals: 6 });
    const r = await w.accounts.maxDebit(call('empty0', 'minu', '5s'));
    expect(r.cc.cost.toString()).toBe('2.5');
    expect(await monetary('empty0')).toEqual(['0']);
    const e10 = (await w.accounts.getAccount('vdf', 'empty10')).balanceMap[MONETARY];
    expect(e10.find((b) => b.sharedGroups.SG2)?.value.toString()).toBe('7.5');
  });

  it('TestMaxSessionTimeWithAccountShared: empty0 can talk half as long as empty10 (which also has its own 10)', async () => {
    w = await world('engine_loader_csv_test', { roundingDecimals: 6 });
    const r0 = await w.accounts.getMaxSessionTime(call('empty0', 'rif', '1m'));
    const r1 = await w.accounts.getMaxSessionTime(call('empty10', 'rif', '1m'));
    expect(r0).toBe(r1 / 2);
  });

  it('TestDebitFromShareAndNormal: the own balance of weight 10 pays before the shared one of weight 5', async () => {
    w = await world('engine_loader_csv_test', { roundingDecimals: 6 });
    const r = await w.accounts.maxDebit(call('empty10', 'rif', '5s'));
    expect(r.cc.cost.toString()).toBe('2.5');
    expect(await monetary('empty10')).toEqual(['10', '7.5']);
  });

  it('TestDebitFromEmptyShare: an AllowNegative account with an empty share goes to -2.5 on *default', async () => {
    w = await world('engine_loader_csv_test', { roundingDecimals: 6 });
    const r = await w.accounts.maxDebit(call('emptyX', 'rif', '5s'));
    expect(r.cc.cost.toString()).toBe('2.5');
    expect(await monetary('emptyX')).toEqual(['0', '-2.5']);
  });

  it('TestGetMaxSessiontWithBlocker: a 1-unit blocker to NAT allows 17 min (0.15 CF + 17 × 0.05); other destinations 30 min', async () => {
    w = await world('engine_loader_csv_test', { roundingDecimals: 6 });
    const q = (destination: string) => cd({ tenant: 'cgrates.org', category: 'call', account: 'block', subject: 'block', destination, start: '2016-01-13T14:00:00Z', usage: '30m' });
    const a = await w.accounts.getAccount('cgrates.org', 'block');
    expect(a.balanceMap[MONETARY].map((b) => [b.id, b.blocker])).toEqual([['bblocker', true], ['bfree', false]]);
    expect(await w.accounts.getMaxSessionTime(q('0723'))).toBe(17 * 60e9);
    expect(await w.accounts.getMaxSessionTime(q('444'))).toBe(30 * 60e9);
  });

  it('TestGetMaxSessiontWithBlockerEmpty: an empty blocker to NAT allows nothing; other destinations 30 min', async () => {
    w = await world('engine_loader_csv_test', { roundingDecimals: 6 });
    const q = (destination: string) => cd({ tenant: 'cgrates.org', category: 'call', account: 'block_empty', subject: 'block', destination, start: '2016-01-13T14:00:00Z', usage: '30m' });
    expect(await w.accounts.getMaxSessionTime(q('0723'))).toBe(0);
    expect(await w.accounts.getMaxSessionTime(q('444'))).toBe(30 * 60e9);
  });
});
