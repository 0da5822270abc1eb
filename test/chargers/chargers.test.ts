import { beforeAll, describe, expect, it } from 'vitest';
import { ChargerService } from '../../src/chargers/index.js';
import { AttributeService } from '../../src/attributes/index.js';
import { FilterService } from '../../src/filters/index.js';
import { readTariffPlanFolder, type ChargerProfile, type TariffPlan } from '../../src/tariffplan/index.js';
import { REFERENCE_TP } from '../reference.js';

const TP = REFERENCE_TP;

describe('ChargerS', () => {
  let tutorial: TariffPlan;
  let chargers: ChargerService;
  beforeAll(async () => {
    tutorial = (await readTariffPlanFolder(`${TP}/tutorial`)).tp;
    const fs = new FilterService(tutorial.filters);
    chargers = new ChargerService(tutorial.chargers, fs, new AttributeService(tutorial.attributes, fs, {}), { defaultTenant: 'cgrates.org' });
  });

  it('tutorial: one event becomes a *default run and a *raw run with RequestType *none', () => {
    const runs = chargers.processEvent({ Tenant: 'cgrates.org', ID: 'ev1', Event: { Account: '1001', RequestType: '*prepaid', Destination: '1002' } });
    expect(runs.map((r) => r.ChargerSProfile)).toEqual(['DEFAULT', 'Raw']);
    expect(runs[0]).toEqual({
      ChargerSProfile: 'DEFAULT', AttributeSProfiles: null, AlteredFields: ['*req.RunID'],
      CGREvent: { Tenant: 'cgrates.org', ID: 'ev1', Event: { Account: '1001', RequestType: '*prepaid', Destination: '1002', RunID: '*default' }, APIOpts: { '*subsys': '*chargers' } },
    });
    expect(runs[1].AttributeSProfiles).toEqual(['cgrates.org:*constant:*req.RequestType:*none']);
    expect(runs[1].AlteredFields).toEqual(['*req.RunID', '*req.RequestType']);
    expect(runs[1].CGREvent.Event).toEqual({ Account: '1001', RequestType: '*none', Destination: '1002', RunID: '*raw' });
    expect(runs[1].CGREvent.APIOpts).not.toHaveProperty('*context');
  });

  it('the runs are independent copies of the event', () => {
    const ev = { Event: { Account: '1001' } as Record<string, unknown> };
    const runs = chargers.processEvent(ev);
    expect(ev.Event).toEqual({ Account: '1001' });
    expect(runs[0].CGREvent.Event).not.toBe(runs[1].CGREvent.Event);
  });

  it('getChargersForEvent orders by weight, filters decide, NOT_FOUND when none match', () => {
    const p = (id: string, weight: number, filterIds: string[] = []): ChargerProfile => ({
      tenant: 'cgrates.org', id, filterIds, activationInterval: null, runId: id.toLowerCase(), attributeIds: ['*none'], weight,
    });
    const s = new ChargerService(
      { a: p('A', 10), b: p('B', 20), c: p('C', 30, ['*string:~*req.Account:1002']) },
      new FilterService({}), null,
    );
    expect(s.getChargersForEvent({ Event: { Account: '1001' } }).map((x) => x.id)).toEqual(['B', 'A']);
    expect(s.getChargersForEvent({ Event: { Account: '1002' } }).map((x) => x.id)).toEqual(['C', 'B', 'A']);
    expect(() => new ChargerService({}, new FilterService({}), null).processEvent({ Event: {} })).toThrow('NOT_FOUND');
  });

  it('a charger with profile attribute ids applies them in the *chargers context', () => {
    const fs = new FilterService({});
    const attrs = new AttributeService({
      x: { tenant: 'cgrates.org', id: 'ATTR_RES', contexts: ['*chargers'], filterIds: [], activationInterval: null, blocker: false, weight: 0,
        attributes: [{ filterIds: [], path: '*req.Category', type: '*constant', value: 'reseller1' }] },
    }, fs, {});
    const s = new ChargerService({
      r: { tenant: 'cgrates.org', id: 'CRG_RES', filterIds: [], activationInterval: null, runId: 'reseller1', attributeIds: ['ATTR_RES'], weight: 1 },
    }, fs, attrs);
    const [run] = s.processEvent({ Event: { Category: 'call' } });
    expect(run.CGREvent.Event).toEqual({ Category: 'reseller1', RunID: 'reseller1' });
    expect(run.AttributeSProfiles).toEqual(['cgrates.org:ATTR_RES']);
  });

  it('a run whose attributes match nothing keeps its event', () => {
    const fs = new FilterService({});
    const s = new ChargerService({
      r: { tenant: 'cgrates.org', id: 'C', filterIds: [], activationInterval: null, runId: 'r', attributeIds: ['MISSING'], weight: 0 },
    }, fs, new AttributeService({}, fs, {}));
    const [run] = s.processEvent({ Event: { A: '1' } });
    expect(run.CGREvent.Event).toEqual({ A: '1', RunID: 'r' });
    expect(run.AlteredFields).toEqual(['*req.RunID']);
  });
});
