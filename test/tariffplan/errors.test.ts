import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readTariffPlanFolder, TariffPlanError } from '../../src/tariffplan/index.js';

const BROKEN = join(import.meta.dirname, '../fixtures/tp-broken');

async function errorsOf(folder: string): Promise<string[]> {
  try {
    await readTariffPlanFolder(join(BROKEN, folder));
  } catch (e) {
    if (e instanceof TariffPlanError) return e.lines;
    throw e;
  }
  throw new Error(`${folder} loaded without errors`);
}

describe('validation errors name FILE:LINE:COLUMN', () => {
  it('a wrong column count is a whole-row error (column 1)', async () => {
    const errs = await errorsOf('columns');
    expect(errs).toEqual([
      expect.stringMatching(/^Destinations\.csv:2:1: 1 columns, expected 2/),
      expect.stringMatching(/^Rates\.csv:3:1: 5 columns, expected 6/),
      expect.stringMatching(/^Rates\.csv:4:1: 7 columns, expected 6/),
    ]);
  });

  it('bad numbers and durations point at their column', async () => {
    const errs = await errorsOf('numbers');
    expect(errs).toEqual([
      'DestinationRates.csv:2:5: RoundingDecimals "four" is not an integer',
      'Rates.csv:3:2: ConnectFee "zero" is not a number',
      expect.stringMatching(/^Rates\.csv:4:4: RateUnit "60x" is not a duration/),
      'Rates.csv:5:3: Rate "0..2" is not a number',
      expect.stringMatching(/^Rates\.csv:5:6: GroupIntervalStart "sixty" is not a duration/),
      'RatingPlans.csv:2:4: Weight "heavy" is not a number',
    ]);
  });

  it('bad timing fields are reported', async () => {
    const errs = await errorsOf('timings');
    expect(errs).toEqual([
      'Timings.csv:3:5: week day "9" is not an integer from 0 to 7',
      'Timings.csv:4:3: month "13" is not an integer from 1 to 12',
      expect.stringMatching(/^Timings\.csv:5:6: Time "25:00:00" must be hh:mm:ss/),
    ]);
  });

  it('a bad rounding method or max-cost strategy is reported', async () => {
    const errs = await errorsOf('rounding');
    expect(errs).toEqual([
      'DestinationRates.csv:3:4: RoundingMethod "*sideways" must be one of *up, *down, *middle',
      'DestinationRates.csv:4:7: MaxCostStrategy "*maybe" must be empty, *free or *disconnect',
    ]);
  });

  it('every unknown reference is reported at the referring cell', async () => {
    const errs = await errorsOf('references');
    expect(errs).toEqual([
      'AccountActions.csv:3:3: Account cgrates.org:1002 references ActionPlan AP_MISSING, which is not defined',
      'AccountActions.csv:4:4: Account cgrates.org:1003 references ActionTriggers TRIG_MISSING, which is not defined',
      'ActionPlans.csv:5:2: ActionPlan AP_BAD references Actions ACT_MISSING, which is not defined',
      'ActionPlans.csv:6:3: ActionPlan AP_BAD references Timing TM_MISSING, which is not defined',
      'Actions.csv:3:10: Action TOPUP_SG references SharedGroup SHARED_MISSING, which is not defined',
      'DestinationRates.csv:4:2: DestinationRate DR_NO_DST references Destination DST_MISSING, which is not defined',
      'DestinationRates.csv:5:3: DestinationRate DR_NO_RATE references Rate RT_MISSING, which is not defined',
      'RatingPlans.csv:4:2: RatingPlan RP_BAD references DestinationRate DR_MISSING, which is not defined',
      'RatingPlans.csv:5:3: RatingPlan RP_BAD references Timing TM_MISSING, which is not defined',
      'RatingProfiles.csv:3:5: RatingProfile cgrates.org:call:1001 references RatingPlan RP_MISSING, which is not defined',
    ]);
  });

  it('built-in timings (*asap, *monthly ...) and *any destinations need no definition', async () => {
    const errs = await errorsOf('references');
    expect(errs.filter((e) => /\*asap|\*monthly|\*any|DR_ANY|RP_OK|AP_OK/.test(e))).toEqual([]);
  });

  it('references to entities already stored are valid', async () => {
    const known = await readTariffPlanFolder(join(import.meta.dirname, '../../tp'));
    const errs = await readTariffPlanFolder(join(BROKEN, 'references'), { known: { ...known.tp, destinations: { DST_MISSING: { id: 'DST_MISSING', prefixes: ['9'] } } } })
      .then(() => [] as string[], (e: TariffPlanError) => e.lines);
    expect(errs.some((e) => e.includes('DST_MISSING'))).toBe(false);
    expect(errs.some((e) => e.includes('RT_MISSING'))).toBe(true);
  });

  it('a missing folder is an error, not a crash', async () => {
    await expect(readTariffPlanFolder(join(BROKEN, 'no-such-folder'))).rejects.toBeInstanceOf(TariffPlanError);
  });
});
