import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readTariffPlanFolder, parseTariffPlanFiles, TariffPlanError } from '../../src/tariffplan/index.js';
import { GO_ZERO_TIME } from '../../src/util/index.js';
import { REFERENCE_TP } from '../reference.js';

const REF = REFERENCE_TP;

describe('column semantics', () => {
  it('rows with the same id merge into one object in CSV order', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'tutorial'));
    expect(tp.rates.RT_10CNT.slots).toEqual([
      { connectFee: '0.2', rate: '0.1', rateUnit: 60e9, rateIncrement: 60e9, groupIntervalStart: 0 },
      { connectFee: '0', rate: '0.05', rateUnit: 60e9, rateIncrement: 1e9, groupIntervalStart: 60e9 },
    ]);
    expect(tp.ratingPlans.RP_1001.entries.map((e) => e.destinationRatesId)).toEqual(['DR_1002_20CNT', 'DR_1003_MAXCOST_DISC']);
  });

  it('destination prefixes and shared-group members merge across rows', () => {
    const { tp } = parseTariffPlanFiles({
      'Destinations.csv': 'DST_DE,+49151\nDST_DE,+49161\nDST_DE,+49151\n',
      'SharedGroups.csv': 'SG,*any,*lowest,\nSG,1001,*mine_highest,rif\n',
    });
    expect(tp.destinations.DST_DE.prefixes).toEqual(['+49151', '+49161']);
    expect(tp.sharedGroups.SG.members).toEqual([
      { account: '*any', strategy: '*lowest', ratingSubject: '' },
      { account: '1001', strategy: '*mine_highest', ratingSubject: 'rif' },
    ]);
  });

  it('an unknown CSV file is skipped with a notice', () => {
    const r = parseTariffPlanFiles({ 'Destinations.csv': 'D,1\n', 'Prices.csv': 'x\n' });
    expect(r.notices).toEqual(['Prices.csv: skipped, not a tariff-plan file AccuRate knows']);
  });

  it('a bare number in a duration column is nanoseconds', () => {
    const { tp } = parseTariffPlanFiles({ 'Rates.csv': 'RT_SMS,0,0.01,1,1,0\n' });
    expect(tp.rates.RT_SMS.slots[0]).toMatchObject({ rateUnit: 1, rateIncrement: 1, groupIntervalStart: 0 });
  });

  it('an empty ConnectFee or MaxCost is 0', () => {
    const { tp } = parseTariffPlanFiles({
      'Rates.csv': 'RT_1,,1.2,1m,1s,1m\n',
      'DestinationRates.csv': 'DR_1,*any,RT_1,*up,4,,\n',
    });
    expect(tp.rates.RT_1.slots[0].connectFee).toBe('0');
    expect(tp.destinationRates.DR_1.entries[0]).toMatchObject({ destinationId: '*any', maxCost: '0', maxCostStrategy: '' });
  });

  it('week day 7 is Sunday (0) and *any is an empty list', () => {
    const { tp } = parseTariffPlanFiles({ 'Timings.csv': 'WEEKEND,*any,*any,*any,6;7,00:00:00\n' });
    expect(tp.timings.WEEKEND).toEqual({ id: 'WEEKEND', years: [], months: [], monthDays: [], weekDays: [6, 0], startTime: '00:00:00', endTime: '' });
  });

  it('Time may carry an end time and *asap', () => {
    const { tp } = parseTariffPlanFiles({ 'Timings.csv': 'DAY,2024,1;2,-1;15,*any,08:00:00;18:00:00\nASAP,*any,*any,*any,*any,*asap\n' });
    expect(tp.timings.DAY).toMatchObject({ years: [2024], months: [1, 2], monthDays: [-1, 15], startTime: '08:00:00', endTime: '18:00:00' });
    expect(tp.timings.ASAP.startTime).toBe('*asap');
  });

  it('rating profile activations are sorted by time and keyed *out:tenant:category:subject', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'tutorial'));
    const p = tp.ratingProfiles['*out:cgrates.org:call:1001'];
    expect(p.activations.map((a) => [a.activationTime, a.ratingPlanId])).toEqual([
      [Date.parse('2010-01-14T00:00:00Z'), 'RP_1002'],
      [Date.parse('2014-01-14T00:00:00Z'), 'RP_1001'],
    ]);
  });

  it('fallback subjects are a ; list', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'engine_loader_csv_test'));
    expect(tp.ratingProfiles['*out:test:0:trp'].activations[0].fallbackSubjects).toEqual(['rif', 'danb']);
  });

  it('action destination lists keep !ID negation; *any means not set', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'testtp'));
    expect(tp.actions.TOPUP_NEG.actions[0]).toMatchObject({ destinationIds: ['GERMANY', '!GERMANY_MOBILE'], ratingSubject: '*zero1m', units: '100' });
    expect(tp.actions.PREPAID_10.actions[0]).toMatchObject({ destinationIds: [], balanceBlocker: false, balanceDisabled: false, weight: 20 });
  });

  it('units may be a JSON formula for *debit', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'testtp'));
    expect(JSON.parse(tp.actions.DID.actions[0].units)).toMatchObject({ Method: '*incremental' });
  });

  it('empty balance weight, blocker and disabled are null (not set)', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'tutorial2'));
    expect(tp.actions.TOPUP_RST_MONETARY_10.actions[0]).toMatchObject({ balanceId: '*default', balanceWeight: 10, balanceBlocker: null, balanceDisabled: null });
  });

  it('attribute profiles merge continuation rows', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'tutorial'));
    const p = tp.attributes['cgrates.org:ATTR_1001_SESSIONAUTH'];
    expect(p).toMatchObject({ contexts: ['*sessions'], filterIds: ['*string:~*req.Account:1001'], blocker: false, weight: 10 });
    expect(p.attributes.map((a) => a.path)).toEqual(['*req.Password', '*req.RequestType', '*req.PaypalAccount', '*req.LCRProfile']);
  });

  it('rows with empty Tenant and ID continue the previous profile', () => {
    const { tp } = parseTariffPlanFiles({
      'Attributes.csv': 'cgrates.org,ATTR_X,*any,,,,*req.Subject,*constant,1001,false,10\n,,,,,,*req.Account,*constant,1001,,\n',
    });
    expect(tp.attributes['cgrates.org:ATTR_X'].attributes.map((a) => a.path)).toEqual(['*req.Subject', '*req.Account']);
  });

  it('filter rows with the same id are ANDed rules and ActivationInterval takes t1;t2', () => {
    const { tp } = parseTariffPlanFiles({
      'Filters.csv': [
        'cgrates.org,F1,*string,~*req.Account,1001;1002,2014-07-29T15:00:00Z;2015-01-01T00:00:00Z',
        'cgrates.org,F1,*prefix,~*req.Destination,10;20,',
        'cgrates.org,F1,*string,~*req.Account,1003,',
      ].join('\n'),
    });
    const f = tp.filters['cgrates.org:F1'];
    expect(f.rules).toEqual([
      { type: '*string', element: '~*req.Account', values: ['1001', '1002', '1003'] },
      { type: '*prefix', element: '~*req.Destination', values: ['10', '20'] },
    ]);
    expect(f.activationInterval).toEqual({ activationTime: Date.parse('2014-07-29T15:00:00Z'), expiryTime: Date.parse('2015-01-01T00:00:00Z') });
  });

  it('a filter without ActivationInterval has none, and a start alone leaves expiry at zero time', () => {
    const { tp } = parseTariffPlanFiles({
      'Filters.csv': 'cgrates.org,F1,*string,~*req.Account,1001,\ncgrates.org,F2,*string,~*req.Account,1001,2014-07-29T15:00:00Z\n',
    });
    expect(tp.filters['cgrates.org:F1'].activationInterval).toBeNull();
    expect(tp.filters['cgrates.org:F2'].activationInterval?.expiryTime).toBe(GO_ZERO_TIME);
  });

  it('charger inline attributes stay whole', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'tutorial'));
    expect(tp.chargers['cgrates.org:Raw']).toMatchObject({ runId: '*raw', attributeIds: ['*constant:*req.RequestType:*none'] });
    expect(tp.chargers['cgrates.org:DEFAULT'].attributeIds).toEqual(['*none']);
  });

  it('quoted fields with commas and doubled quotes are read whole', async () => {
    const { tp } = await readTariffPlanFolder(join(REF, 'engine_loader_csv_test'));
    expect(tp.actions.DEFEE.actions[0].extraParameters).toBe('{"Category":"^ddi","MediationRunId":"^did_run"}');
  });

  it('a duplicate account is an error', () => {
    expect(() => parseTariffPlanFiles({ 'AccountActions.csv': 'cgrates.org,1001,,,,\ncgrates.org,1001,,,,\n' })).toThrow(TariffPlanError);
  });
});
