import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readTariffPlanFolder, type EntityKind } from '../../src/tariffplan/index.js';
import { REFERENCE_TP } from '../reference.js';

const REF = REFERENCE_TP;

// Entity counts (ids, not rows) read off each folder's CSVs; for engine_loader_csv_test they are
// CGRateS's own loader_csv_test.go numbers (its 14 timings include 10 built-ins we do not store).
const EXPECTED: Record<string, Partial<Record<EntityKind, number>>> = {
  tutorial: { destinations: 4, rates: 7, destinationRates: 6, ratingPlans: 6, ratingProfiles: 7, actions: 3, actionPlans: 1, actionTriggers: 1, accountActions: 3, filters: 7, attributes: 11, chargers: 2, timings: 0 },
  tutorial2: { timings: 6, destinations: 6, rates: 9, destinationRates: 12, ratingPlans: 7, ratingProfiles: 6, actions: 9, accountActions: 3, chargers: 2 },
  oldtutorial: { timings: 4, destinations: 5, rates: 6, destinationRates: 10, ratingPlans: 4, ratingProfiles: 5, sharedGroups: 1, actions: 10, actionPlans: 4, accountActions: 5, chargers: 1 },
  testtp: { timings: 2, destinations: 3, rates: 5, destinationRates: 5, ratingPlans: 5, ratingProfiles: 5, sharedGroups: 0, actions: 13, actionPlans: 7, accountActions: 13, attributes: 1 },
  tp_destination_with_any: { destinations: 1, rates: 2, destinationRates: 2, ratingPlans: 1, ratingProfiles: 1, actions: 2, accountActions: 1, chargers: 1 },
  osips_diam_tp: { destinations: 1, rates: 1, destinationRates: 1, ratingPlans: 1, ratingProfiles: 1, actions: 1, accountActions: 1, chargers: 1 },
  tutorial_2015_97e85f151: { timings: 6, destinations: 4, rates: 4, destinationRates: 7, ratingPlans: 3, ratingProfiles: 9, sharedGroups: 1, actions: 6, actionPlans: 3, actionTriggers: 4, accountActions: 6 },
  engine_loader_csv_test: { timings: 4, destinations: 14, rates: 15, destinationRates: 15, ratingPlans: 14, ratingProfiles: 24, sharedGroups: 3, actions: 16, actionPlans: 9, actionTriggers: 2, accountActions: 17 },
};

describe('every reference tariff plan loads', () => {
  for (const [folder, counts] of Object.entries(EXPECTED)) {
    it(`${folder} loads with its entity counts`, async () => {
      const r = await readTariffPlanFolder(join(REF, folder));
      expect(r.counts).toMatchObject(counts);
    });
  }

  it('files AccuRate does not use are skipped with a notice', async () => {
    const r = await readTariffPlanFolder(join(REF, 'tutorial'));
    expect(r.notices).toEqual(expect.arrayContaining([expect.stringMatching(/^Resources\.csv: skipped/), expect.stringMatching(/^Thresholds\.csv: skipped/)]));
    const old = await readTariffPlanFolder(join(REF, 'tutorial_2015_97e85f151'));
    expect(old.notices.filter((n) => /(CdrStats|DerivedChargers|LcrRules)\.csv: skipped/.test(n))).toHaveLength(3);
  });

  it('a trigger whose actions are missing loads with a warning (CGRateS tolerates it)', async () => {
    const r = await readTariffPlanFolder(join(REF, 'engine_loader_csv_test'));
    expect(r.notices).toContain(
      'ActionTriggers.csv:1:20: ActionTrigger STANDARD_TRIGGER references Actions SOME_1, which is not defined; the trigger will do nothing when it fires',
    );
  });

  it('the project tutorial plan tp/ loads cleanly', async () => {
    const r = await readTariffPlanFolder(join(import.meta.dirname, '../../tp'));
    expect(r.notices).toEqual([]);
    expect(Object.keys(r.tp.accountActions).sort()).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007'].map((a) => `cgrates.org:${a}`));
    expect(Object.keys(r.tp.rates).sort()).toEqual(['RT_10CNT', 'RT_1CNT', 'RT_20CNT', 'RT_40CNT']);
    expect(Object.keys(r.tp.ratingPlans).sort()).toEqual(['RP_RETAIL1', 'RP_RETAIL2', 'RP_SPECIAL_1002']);
    expect(r.tp.sharedGroups.SHARED_A.members[0].strategy).toBe('*highest');
    expect(r.tp.chargers['cgrates.org:DEFAULT'].runId).toBe('*default');
    expect(r.tp.attributes['cgrates.org:ATTR_1006_AS_1001'].attributes).toEqual([{ filterIds: [], path: '*req.Subject', type: '*constant', value: '1001' }]);
  });
});
