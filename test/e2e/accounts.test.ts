// Step 3 acceptance over the real API: concurrent debits on one account are never lost, also across a restart.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { Money } from '../../src/util/money.js';
import { startEngine, ROOT, tempDir } from './harness.js';

type Acc = { BalanceMap: Record<string, { ID: string; Value: number }[]> };

describe('accounts over the real API', () => {
  it('1,000 concurrent debits on one account leave exactly the initial value minus their sum, also after a restart', async () => {
    const dir = await tempDir();
    let e = await startEngine({ dir });
    try {
      await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'conc' });
      await e.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: 'conc', BalanceType: '*monetary', Value: 1000, Balance: { ID: 'main' } });
      const amounts = Array.from({ length: 1000 }, (_, i) => new Money(((i % 13) + 1) * 0.001 + 0.0001 * (i % 7)).toDecimalPlaces(4));
      const clients = await Promise.all(Array.from({ length: 8 }, () => e.client()));
      const replies = await Promise.all(
        amounts.map((v, i) => clients[i % clients.length].call('APIerSv1.DebitBalance', { Tenant: 'cgrates.org', Account: 'conc', BalanceType: '*monetary', Value: v.toNumber(), Balance: { ID: 'main' } })),
      );
      expect(replies.every((r) => r === 'OK')).toBe(true);
      const expected = amounts.reduce((s, v) => s.minus(v), new Money(1000)).toNumber();
      const valueOf = (a: Acc) => a.BalanceMap['*monetary'].find((b) => b.ID === 'main')!.Value;
      expect(valueOf(await e.call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: 'conc' }))).toBe(expected);
      expect(await e.stop()).toBe(0);
      e = await startEngine({ dir });
      expect(valueOf(await e.call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: 'conc' }))).toBe(expected);
    } finally {
      await e.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('the tutorial accounts hold what their action plans gave them, once, across a restart', async () => {
    const dir = await tempDir();
    let e = await startEngine({ dir });
    try {
      await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') });
      const snapshot = async () => {
        const a = await e.call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: '1001' });
        return Object.fromEntries(Object.entries(a.BalanceMap).map(([t, bs]) => [t, bs.map((b) => b.Value).sort((x, y) => x - y)]));
      };
      expect(await snapshot()).toEqual({ '*monetary': [5, 5], '*voice': [90e9, 120e9] });
      await e.call('APIerSv1.DebitBalance', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*monetary', Value: 1 });
      await e.stop();
      e = await startEngine({ dir });
      // *asap plans do not run again at start: the debit stays. A *debit with no balance filter
      // takes the value from every matching balance, as CGRateS's debitBalanceAction: 5+5 → 4+4.
      const after = await snapshot();
      expect(after['*monetary']).toEqual([4, 4]);
      const max = await e.call<number>('APIerSv1.GetMaxUsage', { Tenant: 'cgrates.org', Account: '1001', Destination: '1003', SetupTime: '2014-08-04T13:00:00Z', Usage: '1h' });
      expect(max).toBeGreaterThan(120e9); // the 120 s bundle plus what money buys
    } finally {
      await e.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
