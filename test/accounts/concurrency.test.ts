// Serialisation per account: concurrent debits are applied one after another in their own DB
// transactions; nothing is lost, also after reopening the database.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cd, value, world } from './helpers.js';
import { ACCOUNTS_KIND, MONETARY, Money } from '../../src/accounts/index.js';

describe('concurrent debits on one account', () => {
  it('1,000 concurrent debits leave exactly the initial balance minus their sum, also after reopening the DB', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accurate-concurrency-'));
    const w = await world('tutorial', { costMode: '*exact', dir });
    // an account without the tutorial's *max_balance 100 trigger, rated as 1001
    await w.accounts.setBalance({ account: 'load', balanceType: MONETARY, value: 1000, balance: { ID: 'test' } });
    const calls = Array.from({ length: 1000 }, (_, i) =>
      w.accounts.debit(cd({ account: 'load', subject: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: `${60 + (i % 7)}s` })));
    const results = await Promise.all(calls);
    const sum = results.reduce((s, r) => s.plus(r.cc.cost), new Money(0));
    const expected = new Money(1000).minus(sum).toString();
    expect(sum.gt(600)).toBe(true);
    expect(value(await w.accounts.getAccount('cgrates.org', 'load'), MONETARY)).toBe(expected);
    const version = (await w.dataDb.get<{ version: number }>(ACCOUNTS_KIND, 'cgrates.org:load'))!.version;
    expect(version).toBe(1001);
    await w.close();

    const again = await world('tutorial', { costMode: '*exact', load: false, dir });
    expect(value(await again.accounts.getAccount('cgrates.org', 'load'), MONETARY)).toBe(expected);
    expect((await again.dataDb.get<{ version: number }>(ACCOUNTS_KIND, 'cgrates.org:load'))!.version).toBe(version);
    await again.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('each debit is one versioned write: the version grows by one per debit', async () => {
    const w = await world('tutorial');
    const before = await w.accounts.accountVersion('cgrates.org:1001');
    await Promise.all(Array.from({ length: 20 }, () => w.accounts.debit(cd({ account: '1001', destination: '1002', start: '2024-03-18T10:00:00Z', usage: '1s' }))));
    expect(await w.accounts.accountVersion('cgrates.org:1001')).toBe(before + 20);
    await w.close();
  });
});
