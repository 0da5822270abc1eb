// The destination index of a loaded plan (src/rating/destinations.ts): one per load, longest prefix first.
import { expect, test } from 'vitest';
import { DestinationIndex, RatingService, buildRatingIndex, destinationIndexOf, prefixesOf } from '../../src/rating/index.js';
import { ratingTpFromCsv } from './fixture.js';

const tp = () => ratingTpFromCsv({
  'Destinations.csv': 'DST_A,49\nDST_B,49\nDST_B,4915\nDST_C,4915\nDST_C,4915\nDST_D,33',
  'Rates.csv': 'RT_1,0,1,1s,1s,0\nRT_2,0,2,1s,1s,0',
  'DestinationRates.csv': 'DR_1,DST_A,RT_1,*up,4,0,\nDR_1,DST_B,RT_1,*up,4,0,\nDR_1,DST_C,RT_1,*up,4,0,\nDR_1,DST_D,RT_2,*up,4,0,',
  'RatingPlans.csv': 'RP,DR_1,*any,10',
  'RatingProfiles.csv': 'cgrates.org,call,*any,2010-01-01T00:00:00Z,RP,',
});

test('a prefix maps to the IDs of every destination holding it, in load order, each once', () => {
  const dx = new DestinationIndex(Object.values(tp().destinations));
  expect(dx.ids('49')).toEqual(['DST_A', 'DST_B']);
  expect(dx.ids('4915')).toEqual(['DST_B', 'DST_C']);
  expect(dx.ids('33')).toEqual(['DST_D']);
  expect(dx.ids('4')).toBeUndefined();
  expect(dx.prefixes('DST_B')).toEqual(['49', '4915']);
  expect(dx.prefixes('DST_D')).toEqual(['33']);
  expect(dx.prefixes('DST_X')).toBeUndefined();
  expect(dx.size).toBe(4);
});

test('the destinations of a number: longest prefix first, down to one digit, each ID once', () => {
  const dx = new DestinationIndex(Object.values(tp().destinations));
  expect(prefixesOf('4915')).toEqual(['4915', '491', '49', '4']);
  expect(dx.matching('491512')).toEqual(['DST_B', 'DST_C', 'DST_A']);
  expect(dx.matching('4')).toEqual([]);
  expect(dx.matching('')).toEqual([]);
});

test('a plan is indexed once: the rating index and every later request share one destination index', () => {
  const plan = tp();
  const rating = new RatingService({ timezone: 'UTC', costMode: '*exact', roundingDecimals: 5 });
  rating.load(plan);
  expect(rating.index.destinations).toBe(destinationIndexOf(plan));
  expect(buildRatingIndex(plan, { timezone: 'UTC' }).destinations).toBe(rating.index.destinations);
  expect(destinationIndexOf(tp())).not.toBe(rating.index.destinations);
});

test('destinations rated with equal rates share one rate interval', () => {
  const idx = buildRatingIndex(tp(), { timezone: 'UTC' });
  const rates = idx.plans.get('RP')!.destRates;
  expect(rates.get('DST_A')![0]).toBe(rates.get('DST_B')![0]);
  expect(rates.get('DST_A')![0]).not.toBe(rates.get('DST_D')![0]);
  expect(rates.get('DST_D')![0].rating.rateId).toBe('RT_2');
});
