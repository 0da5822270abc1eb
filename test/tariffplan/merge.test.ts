import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readTariffPlanFolder, diffTariffPlans, mergeTariffPlans, saveTariffPlan, loadStoredTariffPlan, importTariffPlan, isEmptyDiff,
  summarizeDiff, emptyTariffPlan, TariffPlanError,
} from '../../src/tariffplan/index.js';
import { openSqliteDataDB } from '../../src/store/index.js';

const TP = join(import.meta.dirname, '../../tp');
const BROKEN = join(import.meta.dirname, '../fixtures/tp-broken');

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openSqliteDataDB>>) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'accurate-tp-'));
  const db = await openSqliteDataDB(dir);
  try {
    return await fn(db);
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('diff and merge', () => {
  it('loading the same folder twice gives no diff', async () => {
    const a = await readTariffPlanFolder(TP);
    const b = await readTariffPlanFolder(TP);
    expect(isEmptyDiff(diffTariffPlans(a.tp, b.tp))).toBe(true);
  });

  it('diff lists added, changed and removed ids per kind', async () => {
    const before = (await readTariffPlanFolder(TP)).tp;
    const after = structuredClone(before);
    after.rates.RT_20CNT.slots[0].rate = '0.25';
    delete after.rates.RT_1CNT;
    after.destinations.DST_X = { id: 'DST_X', prefixes: ['9'] };
    const d = diffTariffPlans(before, after);
    expect(d.rates).toEqual({ added: [], changed: ['RT_20CNT'], removed: ['RT_1CNT'] });
    expect(d.destinations.added).toEqual(['DST_X']);
    expect(summarizeDiff(d)).toBe('+1 destinations, ~1 -1 rates');
  });

  it('merge without flush keeps stored entities the folder does not mention', () => {
    const stored = emptyTariffPlan();
    stored.destinations.OLD = { id: 'OLD', prefixes: ['1'] };
    stored.destinations.SAME = { id: 'SAME', prefixes: ['2'] };
    const loaded = emptyTariffPlan();
    loaded.destinations.SAME = { id: 'SAME', prefixes: ['3'] };
    expect(mergeTariffPlans(stored, loaded).destinations).toEqual({ OLD: { id: 'OLD', prefixes: ['1'] }, SAME: { id: 'SAME', prefixes: ['3'] } });
    expect(mergeTariffPlans(stored, loaded, { flush: true }).destinations).toEqual({ SAME: { id: 'SAME', prefixes: ['3'] } });
  });
});

describe('DataDB persistence', () => {
  it('a saved plan reads back equal', async () => {
    await withDb(async (db) => {
      const { tp } = await readTariffPlanFolder(TP);
      await saveTariffPlan(db, tp);
      expect(await loadStoredTariffPlan(db)).toEqual(tp);
      expect(await db.get('rates', 'RT_20CNT')).toEqual(tp.rates.RT_20CNT);
    });
  });

  it('flush removes what the new folder does not define', async () => {
    await withDb(async (db) => {
      const stale = emptyTariffPlan();
      stale.rates.RT_OLD = { id: 'RT_OLD', slots: [] };
      await saveTariffPlan(db, stale);
      await importTariffPlan(db, TP, { flush: true });
      expect(await db.get('rates', 'RT_OLD')).toBeUndefined();
    });
  });

  it('an invalid folder writes nothing', async () => {
    await withDb(async (db) => {
      await importTariffPlan(db, TP);
      const before = await loadStoredTariffPlan(db);
      await expect(importTariffPlan(db, join(BROKEN, 'references'), { flush: true })).rejects.toBeInstanceOf(TariffPlanError);
      expect(await loadStoredTariffPlan(db)).toEqual(before);
    });
  });

  it('a dry run validates and diffs but writes nothing', async () => {
    await withDb(async (db) => {
      const r = await importTariffPlan(db, TP, { dryRun: true });
      expect(r.diff.rates.added).toHaveLength(4);
      expect(await db.count('rates')).toBe(0);
    });
  });

  it('importing the same folder twice changes nothing the second time', async () => {
    await withDb(async (db) => {
      await importTariffPlan(db, TP);
      const second = await importTariffPlan(db, TP);
      expect(isEmptyDiff(second.diff)).toBe(true);
    });
  });
});
