import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readTariffPlanFolder, parseTariffPlanFiles } from '../../src/tariffplan/index.js';
import { REFERENCE_TP } from '../reference.js';

const LEGACY = `${REFERENCE_TP}/tutorial_2015_97e85f151`;

describe('legacy 2015 layout (Direction columns)', () => {
  it('is detected by column count and reported as mapped', async () => {
    const r = await readTariffPlanFolder(LEGACY);
    expect(r.legacyFiles.sort()).toEqual(['AccountActions.csv', 'ActionTriggers.csv', 'Actions.csv', 'RatingProfiles.csv']);
  });

  it('RatingProfiles drop Direction and expand a ; list of subjects', async () => {
    const { tp } = await readTariffPlanFolder(LEGACY);
    for (const s of ['1001', '1006']) {
      expect(tp.ratingProfiles[`*out:cgrates.org:call:${s}`].activations).toEqual([
        { activationTime: Date.parse('2014-01-14T00:00:00Z'), ratingPlanId: 'RP_RETAIL2', fallbackSubjects: [] },
      ]);
    }
  });

  it('AccountActions expand a ; list of accounts and map plan and triggers', async () => {
    const { tp } = await readTariffPlanFolder(LEGACY);
    expect(tp.accountActions['cgrates.org:1006']).toEqual({
      tenant: 'cgrates.org', account: '1006', actionPlanId: 'PACKAGE_10', actionTriggersId: 'STANDARD_TRIGGERS', allowNegative: false, disabled: false,
    });
  });

  it('Actions map onto the 17 columns; 2015 *voice units were seconds', async () => {
    const { tp } = await readTariffPlanFolder(LEGACY);
    expect(tp.actions.TOPUP_RST_5.actions[1]).toMatchObject({
      balanceType: '*voice', destinationIds: ['DST_1002'], ratingSubject: 'SPECIAL_1002', units: '90s', balanceWeight: 20, weight: 10, filter: '',
      balanceBlocker: null, balanceDisabled: null,
    });
    expect(tp.actions.TOPUP_RST_SHARED_5.actions[0]).toMatchObject({ sharedGroups: ['SHARED_A'], units: '5' });
  });

  it('ActionTriggers skip BalanceDirection and StatsMinQueuedItems; *max_counter is *max_event_counter', async () => {
    const { tp } = await readTariffPlanFolder(LEGACY);
    const t = tp.actionTriggers.STANDARD_TRIGGERS.triggers[1];
    expect(t).toMatchObject({ thresholdType: '*max_event_counter', thresholdValue: '5', balanceType: '*monetary', balanceDestinationIds: ['FS_USERS'], actionsId: 'LOG_WARNING', weight: 10 });
    expect(tp.actionTriggers.CDRST1_WARN.triggers[0]).toMatchObject({ recurrent: true, minSleep: 60e9, actionsId: 'LOG_WARNING' });
  });

  it('errors in a legacy row point at the column of the file as written', () => {
    expect(() => parseTariffPlanFiles({ 'AccountActions.csv': 'cgrates.org,1001,*out,PACKAGE_X,\n', 'ActionPlans.csv': '' })).toThrow(
      /AccountActions\.csv:1:4: Account cgrates\.org:1001 references ActionPlan PACKAGE_X/,
    );
  });

  it('the header-less engine test plan loads by column count alone', async () => {
    const r = await readTariffPlanFolder(join(LEGACY, '../engine_loader_csv_test'));
    expect(r.legacyFiles).toEqual([]);
    expect(r.tp.accountActions['cgrates.org:alodis']).toMatchObject({ allowNegative: true, disabled: true });
  });
});
