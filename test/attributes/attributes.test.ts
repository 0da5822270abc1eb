import { beforeAll, describe, expect, it } from 'vitest';
import { AttributeService, inlineAttributeProfile } from '../../src/attributes/index.js';
import { FilterService } from '../../src/filters/index.js';
import { readTariffPlanFolder, type AttributeProfile, type TariffPlan } from '../../src/tariffplan/index.js';
import { REFERENCE_TP } from '../reference.js';

const TP = REFERENCE_TP;

function prof(id: string, over: Partial<AttributeProfile>): AttributeProfile {
  return { tenant: 'cgrates.org', id, contexts: ['*any'], filterIds: [], activationInterval: null, attributes: [], blocker: false, weight: 0, ...over };
}
const attr = (path: string, type: string, value: string, filterIds: string[] = []) => ({ path, type, value, filterIds });

function service(profiles: AttributeProfile[], processRuns = 1): AttributeService {
  const rec = Object.fromEntries(profiles.map((p) => [`${p.tenant}:${p.id}`, p]));
  return new AttributeService(rec, new FilterService({}), { defaultTenant: 'cgrates.org', processRuns, timezone: 'UTC' });
}

describe('AttributeS on the tutorial plans', () => {
  let tutorial: TariffPlan;
  let oldtutorial: TariffPlan;
  beforeAll(async () => {
    tutorial = (await readTariffPlanFolder(`${TP}/tutorial`)).tp;
    oldtutorial = (await readTariffPlanFolder(`${TP}/oldtutorial`)).tp;
  });

  it('tutorial: SubscriberId 1006 is charged as account 1001, prepaid', () => {
    const s = new AttributeService(tutorial.attributes, new FilterService(tutorial.filters), { defaultTenant: 'cgrates.org' });
    const r = s.processEvent({ Tenant: 'cgrates.org', ID: 'e1', Event: { SubscriberId: '1006', Destination: '1002' }, APIOpts: { '*context': '*sessions' } });
    expect(r.MatchedProfiles).toEqual(['cgrates.org:ATTR_ACC_ALIAS']);
    expect(r.AlteredFields).toEqual(['*req.Account', '*req.RequestType']);
    expect(r.CGREvent.Event).toEqual({ SubscriberId: '1006', Destination: '1002', Account: '1001', RequestType: '*prepaid' });
  });

  it('tutorial: *tenant attribute moves the event to cgrates.org', () => {
    const s = new AttributeService(tutorial.attributes, new FilterService(tutorial.filters), {});
    const r = s.processEvent({ Tenant: 'cgrates.com', Event: { SubscriberId: '1006' } });
    expect(r.CGREvent.Tenant).toBe('cgrates.org');
    expect(r.CGREvent.Event.Account).toBe('1001');
    expect(r.AlteredFields).toEqual(['*req.Account', '*req.RequestType', '*tenant']);
  });

  it('oldtutorial: account 1007 is rated as 1001 (Account and Subject) in the *sessions context', () => {
    const s = new AttributeService(oldtutorial.attributes, new FilterService(oldtutorial.filters), {});
    const r = s.processEvent({ Tenant: 'cgrates.org', Time: '2020-01-01T00:00:00Z', Event: { Account: '1007', Destination: '1002' }, APIOpts: { '*context': '*sessions' } });
    expect(r.MatchedProfiles).toEqual(['cgrates.org:ATTR_1']);
    expect(r.CGREvent.Event).toMatchObject({ Account: '1001', Subject: '1001' });
  });

  it('a profile whose contexts do not include the event context does not apply', () => {
    const s = new AttributeService(oldtutorial.attributes, new FilterService(oldtutorial.filters), {});
    expect(() => s.processEvent({ Tenant: 'cgrates.org', Event: { Account: '1007' }, APIOpts: { '*context': 'simpleauth' } })).toThrow('NOT_FOUND');
  });

  it('a profile before its activation time does not apply', () => {
    const s = new AttributeService(oldtutorial.attributes, new FilterService(oldtutorial.filters), {});
    expect(() => s.processEvent({ Tenant: 'cgrates.org', Time: '2013-01-01T00:00:00Z', Event: { Account: '1007' }, APIOpts: { '*context': '*cdrs' } })).toThrow('NOT_FOUND');
  });

  it('the original event is not modified', () => {
    const s = new AttributeService(tutorial.attributes, new FilterService(tutorial.filters), {});
    const ev = { Tenant: 'cgrates.org', Event: { SubscriberId: '1006' } as Record<string, unknown> };
    s.processEvent(ev);
    expect(ev.Event).toEqual({ SubscriberId: '1006' });
  });
});

describe('attribute rules', () => {
  it('the highest weight matching profile applies first', () => {
    const s = service([
      prof('LOW', { weight: 10, attributes: [attr('*req.X', '*constant', 'low')] }),
      prof('HIGH', { weight: 20, attributes: [attr('*req.X', '*constant', 'high')] }),
    ]);
    const r = s.processEvent({ Event: {} });
    expect(r.MatchedProfiles).toEqual(['cgrates.org:HIGH']);
    expect(r.CGREvent.Event.X).toBe('high');
  });
  it('processRuns applies further profiles, never the same one twice in a row', () => {
    const s = service([
      prof('LOW', { weight: 10, attributes: [attr('*req.X', '*composed', '-low')] }),
      prof('HIGH', { weight: 20, attributes: [attr('*req.X', '*composed', 'high')] }),
    ], 3);
    const r = s.processEvent({ Event: {} });
    expect(r.MatchedProfiles).toEqual(['cgrates.org:HIGH', 'cgrates.org:LOW', 'cgrates.org:HIGH']);
    expect(r.CGREvent.Event.X).toBe('high-lowhigh');
  });
  it('a blocker profile stops further runs', () => {
    const s = service([
      prof('LOW', { weight: 10, attributes: [attr('*req.Y', '*constant', '1')] }),
      prof('HIGH', { weight: 20, blocker: true, attributes: [attr('*req.X', '*constant', '1')] }),
    ], 3);
    expect(s.processEvent({ Event: {} }).MatchedProfiles).toEqual(['cgrates.org:HIGH']);
  });
  it('profile filters decide the match; attribute filters skip single substitutions', () => {
    const s = service([
      prof('P', {
        filterIds: ['*string:~*req.Account:1001'],
        attributes: [attr('*req.A', '*constant', 'yes', ['*prefix:~*req.Destination:49']), attr('*req.B', '*constant', 'b')],
      }),
    ]);
    const r = s.processEvent({ Event: { Account: '1001', Destination: '33' } });
    expect(r.CGREvent.Event).toEqual({ Account: '1001', Destination: '33', B: 'b' });
    expect(() => s.processEvent({ Event: { Account: '1002' } })).toThrow('NOT_FOUND');
  });
  it('*variable reads references, with search-and-replace and concatenation', () => {
    const s = service([prof('P', { attributes: [attr('*req.Dst', '*variable', '~*req.Destination:s/^00(\\d+)/+${1}/;-;~*req.Account')] })]);
    expect(s.processEvent({ Event: { Destination: '0049123', Account: 'a' } }).CGREvent.Event.Dst).toBe('+49123-a');
  });
  it('*variable on an absent field is an error naming it', () => {
    const s = service([prof('P', { attributes: [attr('*req.Dst', '*variable', '~*req.Nope')] })]);
    expect(() => s.processEvent({ Event: {} })).toThrow(/NOT_FOUND:\*req.Nope/);
  });
  it('*composed appends to the current value', () => {
    const s = service([prof('P', { attributes: [attr('*req.Subject', '*composed', '_x')] })]);
    expect(s.processEvent({ Event: { Subject: '1001' } }).CGREvent.Event.Subject).toBe('1001_x');
  });
  it('*constant *remove deletes the field', () => {
    const s = service([prof('P', { attributes: [attr('*req.Password', '*constant', '*remove')] })]);
    expect(s.processEvent({ Event: { Password: 'x', A: '1' } }).CGREvent.Event).toEqual({ A: '1' });
  });
  it('*usage_difference gives end − start as a Go duration', () => {
    const s = service([prof('P', { attributes: [attr('*req.Usage', '*usage_difference', '~*req.End;~*req.Start')] })]);
    expect(s.processEvent({ Event: { Start: '2014-08-04T13:00:00Z', End: '2014-08-04T13:01:30Z' } }).CGREvent.Event.Usage).toBe('1m30s');
  });
  it('*sum and *difference: numbers exactly, durations as durations', () => {
    const s = service([prof('P', { attributes: [attr('*req.S', '*sum', '~*req.A;0.2'), attr('*req.D', '*difference', '~*req.U;30s')] })]);
    const e = s.processEvent({ Event: { A: '0.1', U: '1m' } }).CGREvent.Event;
    expect(e.S).toBe('0.3');
    expect(e.D).toBe('30s');
  });
  it('*value_exponent scales by a power of ten', () => {
    const s = service([prof('P', { attributes: [attr('*req.Cost', '*value_exponent', '~*req.Units;~*req.Exp')] })]);
    expect(s.processEvent({ Event: { Units: '1234', Exp: '-2' } }).CGREvent.Event.Cost).toBe('12.34');
  });
  it('*cc_usage: used + debit interval × (request number − 1)', () => {
    const s = service([prof('P', { attributes: [attr('*req.LastUsed', '*cc_usage', '~*req.ReqNr;~*req.Used:s/^(\\d+)$/${1}s/;5m')] })]);
    expect(s.processEvent({ Event: { ReqNr: '3', Used: '20' } }).CGREvent.Event.LastUsed).toBe('10m20s');
  });
  it('*unix_timestamp', () => {
    const s = service([prof('P', { attributes: [attr('*req.T', '*unix_timestamp', '~*req.SetupTime')] })]);
    expect(s.processEvent({ Event: { SetupTime: '2014-08-04T13:00:00Z' } }).CGREvent.Event.T).toBe('1407157200');
  });
  it('a field left as *attributes is MANDATORY_IE_MISSING', () => {
    const s = service([prof('P', { attributes: [attr('*req.A', '*constant', '1')] })]);
    expect(() => s.processEvent({ Event: { Password: '*attributes' } })).toThrow('MANDATORY_IE_MISSING: [Password]');
  });
  it('attributeIds restrict the candidates, inline profiles included', () => {
    const s = service([prof('P', { weight: 50, attributes: [attr('*req.A', '*constant', 'p')] })]);
    const r = s.processEvent({ Event: {} }, { attributeIds: ['*constant:*req.RequestType:*none'] });
    expect(r.MatchedProfiles).toEqual(['cgrates.org:*constant:*req.RequestType:*none']);
    expect(r.CGREvent.Event).toEqual({ RequestType: '*none' });
  });
  it('inline profiles parse type:path:value, several joined with ;', () => {
    expect(inlineAttributeProfile('t', '*constant:*req.A:1;*variable:*req.B:~*req.A').attributes.map((a) => a.path)).toEqual(['*req.A', '*req.B']);
    expect(() => inlineAttributeProfile('t', '*constant:*req.A')).toThrow(/inline parse error/);
  });
  it('an unknown attribute type names the profile', () => {
    const s = service([prof('P', { attributes: [attr('*req.A', '*bogus', '1')] })]);
    expect(() => s.processEvent({ Event: {} })).toThrow(/cgrates.org:P attribute 1.*unsupported type/);
  });
  it('an unknown filter id is SERVER_ERROR: NOT_FOUND:<id>, as CGRateS', () => {
    const s = service([prof('P', { filterIds: ['FLTR_MISSING'] })]);
    expect(() => s.processEvent({ Event: {} })).toThrow('SERVER_ERROR: NOT_FOUND:FLTR_MISSING');
  });
  it('getAttributeForEvent returns the profile that would apply', () => {
    const s = service([prof('P', { weight: 5 }), prof('Q', { weight: 6 })]);
    expect(s.getAttributeForEvent({ Event: {} }).id).toBe('Q');
  });
});
