// RatingService: loads whole tariff plans atomically and rates against the last good one.
import { expect, test } from 'vitest';
import { readTariffPlanFolder } from '../../src/tariffplan/index.js';
import { newCallDescriptor, RatingService } from '../../src/rating/index.js';
import { loadRatingTp, TP_ROOT } from './fixture.js';

const usage = 120e9;
const q = { tenant: 'cgrates.org', category: 'call', subject: '1001', destination: '1002', answerTime: Date.parse('2026-01-05T10:00:00Z'), usageNs: usage };

test('the tutorial as the tariff-plan loader reads it rates 2m at 0.7002 (*cgrates)', async () => {
  const { tp } = await readTariffPlanFolder(`${TP_ROOT}/tutorial`, { timezone: 'UTC' });
  const s = new RatingService({ timezone: 'UTC', costMode: '*cgrates', roundingDecimals: 5 });
  s.load(tp);
  expect(s.getEventCost(q).cost.toString()).toBe('0.7002');
});

test('a broken tariff plan is rejected with a message naming the link, and the previous index stays in use', () => {
  const s = new RatingService({ timezone: 'UTC', costMode: '*exact', roundingDecimals: 5 });
  s.load(loadRatingTp('tutorial'));
  const broken = loadRatingTp('tutorial');
  broken.ratingPlans.RP_1001.entries.push({ destinationRatesId: 'DR_NOPE', timingId: '*any', weight: 10 });
  expect(() => s.load(broken)).toThrow('rating plan RP_1001 binding 3: destination rate "DR_NOPE" not found');
  expect(s.getEventCost(q).cost.toString()).toBe('0.7');
});

test('usage above rals.max_computed_usage → MAX_USAGE_EXCEEDED', () => {
  const s = new RatingService({ timezone: 'UTC', costMode: '*exact', roundingDecimals: 5, maxComputedUsage: { '*voice': '72h', '*any': '189h' } });
  s.load(loadRatingTp('tutorial'));
  expect(() => s.getCost(newCallDescriptor({ tenant: 'cgrates.org', category: 'call', subject: '1001', account: '1001', destination: '1002',
    anchorMs: q.answerTime, endNs: 73 * 3600e9 }))).toThrow('MAX_USAGE_EXCEEDED');
});

test.each(['tutorial', 'tutorial2', 'oldtutorial', 'testtp', 'tp_destination_with_any', 'osips_diam_tp', 'tutorial_2015_97e85f151', 'engine_loader_csv_test'])(
  'the reference tariff plan %s builds a rating index', async (name) => {
    const { tp } = await readTariffPlanFolder(`${TP_ROOT}/${name}`, { timezone: 'UTC' });
    const s = new RatingService({ timezone: 'UTC', costMode: '*exact', roundingDecimals: 5 });
    s.load(tp);
    expect(s.index.plans.size).toBe(Object.keys(tp.ratingPlans).length);
  },
);
