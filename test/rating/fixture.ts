// Tariff plans for the rating tests, read by the real loader (src/tariffplan).
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseTariffPlanFiles } from '../../src/tariffplan/index.js';
import type { TariffPlan } from '../../src/tariffplan/model.js';
import { REFERENCE_TP } from '../reference.js';

export const TP_ROOT = REFERENCE_TP;

const FILES = ['Destinations.csv', 'Timings.csv', 'Rates.csv', 'DestinationRates.csv', 'RatingPlans.csv', 'RatingProfiles.csv'];

/** A reference tariff plan folder's rating part. */
export function loadRatingTp(name: string): TariffPlan {
  const dir = join(TP_ROOT, name);
  if (!existsSync(dir)) throw new Error(`reference tariff plan ${dir} not found (test/fixtures/cgrates-tp is part of the repository)`);
  const files: Record<string, string> = {};
  for (const f of FILES) if (existsSync(join(dir, f))) files[f] = readFileSync(join(dir, f), 'utf8');
  return ratingTpFromCsv(files);
}

/** A rating tariff plan from CSV texts keyed by file name (e.g. { 'Rates.csv': 'RT,0,1,60s,60s,0' }). */
export function ratingTpFromCsv(files: Record<string, string>): TariffPlan {
  return parseTariffPlanFiles(files, { timezone: 'UTC' }).tp;
}
