import { describe, expect, it } from 'vitest';
import { filterFromRPC, filterFromAttrGetCdrs, cdrFromEvent, cdrToExternal } from '../../src/cdrs/index.js';

describe('GetCDRs parameters', () => {
  it('RPCCDRsFilter keys map one to one, null means unset', () => {
    expect(filterFromRPC({ Accounts: ['1001'], RunIDs: null, SetupTimeStart: '2014-08-04T13:00:00Z', Limit: 10, MinCost: 0.5 }, 'UTC')).toEqual({
      Timezone: 'UTC', Accounts: ['1001'], SetupTimeStart: '2014-08-04T13:00:00Z', Limit: 10, MinCost: 0.5,
    });
  });
  it('a wrongly typed key is named', () => {
    expect(() => filterFromRPC({ Accounts: '1001' })).toThrow('Accounts must be a list of strings');
    expect(() => filterFromRPC({ Limit: 'ten' })).toThrow(/Limit must be an integer/);
  });
  it('AttrGetCdrs: old names, TimeStart/End are answer times, SkipErrors = rated only, SkipRated = unrated only', () => {
    expect(filterFromAttrGetCdrs({ CgrIds: ['x'], MediationRunIds: ['*default'], TimeStart: 'a', TimeEnd: 'b', SkipErrors: true })).toEqual({
      Timezone: 'UTC', CGRIDs: ['x'], RunIDs: ['*default'], AnswerTimeStart: 'a', AnswerTimeEnd: 'b', MinCost: 0, MaxCost: -1,
    });
    expect(filterFromAttrGetCdrs({ SkipRated: true }).MaxCost).toBe(-1);
  });
});

describe('ExternalCDR', () => {
  it('voice usage as a Go duration, RFC3339 times without fraction, CostDetails as JSON text', () => {
    const c = cdrFromEvent({ OriginID: 'a', SetupTime: '2014-08-04T13:00:00.250Z', Usage: '90s', Cost: 0.5 }, { tenant: 't', category: 'call', requestType: '*rated', timezone: 'UTC' });
    const x = cdrToExternal(c);
    expect(x.Usage).toBe('1m30s');
    expect(x.SetupTime).toBe('2014-08-04T13:00:00Z');
    expect(x.CostDetails).toBe('null');
    expect(cdrToExternal({ ...c, ToR: '*data', Usage: 1024 }).Usage).toBe('1024');
  });
});
