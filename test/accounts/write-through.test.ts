// AccountService keeps what it committed in memory (it is the only writer of accounts, ledgers and
// shared-group memberships): these rules hold however the documents are cached.
import { afterEach, describe, expect, it } from 'vitest';
import { cd, loadTp, value, world, type World } from './helpers.js';
import { GROUP_MEMBERS_KIND, MONETARY } from '../../src/accounts/index.js';
import { withTxHook } from '../../src/store/index.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const call = (usage = '60s') => cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage });

describe('accounts written through', () => {
  it('a debit whose transaction rolls back leaves the account as committed, for reads and for the next debit', async () => {
    w = await world('tutorial');
    const before = await w.accounts.getAccount('cgrates.org', '1001');
    const version = await w.accounts.accountVersion('cgrates.org:1001');
    await expect(withTxHook(async () => { throw new Error('journal refused'); }, () => w!.accounts.debit(call()))).rejects.toThrow('journal refused');
    expect(await w.accounts.getAccount('cgrates.org', '1001')).toEqual(before);
    expect(await w.accounts.accountVersion('cgrates.org:1001')).toBe(version);
    const r = await w.accounts.debit(call());
    expect(await w.accounts.accountVersion('cgrates.org:1001')).toBe(version + 1);
    // the same as a debit on a fresh copy of the plan: nothing of the rolled-back one remains
    const fresh = await world('tutorial');
    const r2 = await fresh.accounts.debit(call());
    expect(r.cc.cost.toString()).toBe(r2.cc.cost.toString());
    const values = (a: Awaited<ReturnType<World['accounts']['getAccount']>>) => a.balanceMap[MONETARY].map((b) => `${b.id}=${b.value.toString()}`);
    expect(values(await w.accounts.getAccount('cgrates.org', '1001'))).toEqual(values(await fresh.accounts.getAccount('cgrates.org', '1001')));
    await fresh.close();
  });

  it('accounts joining one shared group at the same time all stay members', async () => {
    const tp = await loadTp('oldtutorial');
    tp.sharedGroups.SHARED_B = { id: 'SHARED_B', members: [{ account: '*any', strategy: '*highest', ratingSubject: '' }] };
    w = await world(tp);
    const ids = Array.from({ length: 12 }, (_, i) => `sg${i}`);
    await Promise.all(ids.map((a) => w!.accounts.setBalance({ account: a, balanceType: MONETARY, value: 1, balance: { ID: 'B', SharedGroups: 'SHARED_B', Weight: 1 } })));
    const doc = await w.dataDb.get<{ members: string[] }>(GROUP_MEMBERS_KIND, 'SHARED_B');
    expect(doc?.members).toEqual(ids.map((a) => `cgrates.org:${a}`).sort());
  });

  it('a removed account is gone for reads and debits, and a new one of that id starts empty', async () => {
    w = await world('tutorial');
    await w.accounts.setBalance({ account: 'gone', balanceType: MONETARY, value: 5, balance: { ID: 'x' } });
    expect(value(await w.accounts.getAccount('cgrates.org', 'gone'), MONETARY)).toBe('5');
    await w.accounts.removeAccount('cgrates.org', 'gone');
    await expect(w.accounts.getAccount('cgrates.org', 'gone')).rejects.toThrow('NOT_FOUND');
    await expect(w.accounts.debit(cd({ account: 'gone', subject: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '1s' }))).rejects.toThrow('ACCOUNT_NOT_FOUND');
    await w.accounts.setAccount({ account: 'gone' });
    expect((await w.accounts.getAccount('cgrates.org', 'gone')).balanceMap).toEqual({});
    expect(await w.accounts.accountVersion('cgrates.org:gone')).toBe(1);
  });
});
