// Accounts read destinations from the plan's one index, with or without a rating service loaded.
import { expect, test } from 'vitest';
import { RatingService, prefixesOf } from '../../src/rating/index.js';
import { accountingTp } from '../../src/accounts/index.js';
import { parseTariffPlanFiles } from '../../src/tariffplan/index.js';

const tp = () => parseTariffPlanFiles({
  'Destinations.csv': 'DST_A,49\nDST_B,49\nDST_B,4915\nDST_C,4915\nDST_D,33',
  'Rates.csv': 'RT_1,0,1,1s,1s,0',
  'DestinationRates.csv': 'DR_1,DST_A,RT_1,*up,4,0,\nDR_1,DST_B,RT_1,*up,4,0,',
  'RatingPlans.csv': 'RP,DR_1,*any,10',
  'RatingProfiles.csv': 'cgrates.org,call,*any,2010-01-01T00:00:00Z,RP,',
}, { timezone: 'UTC' }).tp;

test('rating and accounts resolve the same destination ids for a prefix from the one index', () => {
  const plan = tp();
  const rating = new RatingService({ timezone: 'UTC', costMode: '*exact', roundingDecimals: 5 });
  rating.load(plan);
  const view = accountingTp(plan);
  expect(view.destinations).toBe(rating.index.destinations);
  for (const p of [...prefixesOf('491512'), ...prefixesOf('3312'), '7']) {
    expect(view.destinationIdsForPrefix(p)).toEqual(rating.index.destinations.ids(p) ?? []);
  }
  expect(view.destinationIdsForPrefix('4915')).toEqual(['DST_B', 'DST_C']);
});

test('accounts index the destinations of a plan no rating service has loaded', () => {
  const view = accountingTp(tp());
  expect(view.destinationIdsForPrefix('49')).toEqual(['DST_A', 'DST_B']);
  expect(view.destinationIdsForPrefix('4915')).toEqual(['DST_B', 'DST_C']);
  expect(view.destinationIdsForPrefix('33')).toEqual(['DST_D']);
  expect(view.destinationIdsForPrefix('4')).toEqual([]);
});
