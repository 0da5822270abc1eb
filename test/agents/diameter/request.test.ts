import { describe, expect, it } from 'vitest';
import { baseDictionary, compileProcessors, decodeMessage, encodeMessage, mapToAvps, processRequest, requestView } from '../../../src/agents/diameter/index.js';
import { readPath, PathError } from '../../../src/filters/index.js';
import { silentLogger } from '../../../src/util/logger.js';

const dict = baseDictionary();

/** A CCR as a Gy client sends it: an IMSI and an MSISDN, two rating groups. */
function ccr() {
  const avps = mapToAvps(dict, {
    'Session-Id': 's1', 'CC-Request-Type': '1',
    'Subscription-Id': [
      { 'Subscription-Id-Type': '1', 'Subscription-Id-Data': '208100000000001' },
      { 'Subscription-Id-Type': '0', 'Subscription-Id-Data': '491511234567' },
    ],
    'Multiple-Services-Credit-Control': [
      { 'Rating-Group': '1', 'Used-Service-Unit': { 'CC-Total-Octets': '100' } },
      { 'Rating-Group': '2', 'Used-Service-Unit': { 'CC-Total-Octets': '2000' } },
    ],
  });
  return requestView(decodeMessage(encodeMessage({ flags: 0x80, commandCode: 272, appId: 4, hopByHop: 1, endToEnd: 1, avps }), dict).avps);
}

describe('Diameter *req paths (CGRateS selectors over repeated AVPs)', () => {
  it('without a selector the first instance answers, as before', () => {
    const req = ccr();
    expect(readPath({ '*req': req }, '~*req.Subscription-Id.Subscription-Id-Data')).toBe('208100000000001');
    expect(req['Subscription-Id']).toEqual({ 'Subscription-Id-Type': '1', 'Subscription-Id-Data': '208100000000001' });
  });

  it('[n] picks the nth AVP along the path across repeated groups', () => {
    const dp = { '*req': ccr() };
    expect(readPath(dp, '~*req.Subscription-Id.Subscription-Id-Data[1]')).toBe('491511234567');
    expect(readPath(dp, '~*req.Multiple-Services-Credit-Control.Rating-Group[1]')).toBe('2');
    expect(readPath(dp, '~*req.Multiple-Services-Credit-Control.Used-Service-Unit.CC-Total-Octets[1]')).toBe('2000');
  });

  it('[~Sibling(filter)] picks the AVP whose sibling passes the filter', () => {
    const dp = { '*req': ccr() };
    expect(readPath(dp, '~*req.Subscription-Id.Subscription-Id-Data[~Subscription-Id-Type(0)]')).toBe('491511234567');
    expect(readPath(dp, '~*req.Subscription-Id.Subscription-Id-Data[~Subscription-Id-Type(1)]')).toBe('208100000000001');
    expect(readPath(dp, '~*req.Multiple-Services-Credit-Control.Used-Service-Unit.CC-Total-Octets[~Rating-Group(2)]')).toBe('2000');
  });

  it('a selector nothing passes is not found; an index past the AVPs is an error naming the path', () => {
    const dp = { '*req': ccr() };
    expect(() => readPath(dp, '~*req.Subscription-Id.Subscription-Id-Data[~Subscription-Id-Type(4)]')).toThrow(/NOT_FOUND/);
    expect(() => readPath(dp, '~*req.Subscription-Id.Subscription-Id-Data[5]')).toThrow(PathError);
    expect(() => readPath(dp, '~*req.Subscription-Id.Subscription-Id-Data[5]')).toThrow(/index 5 .*Subscription-Id.Subscription-Id-Data\[5\].* 2 Subscription-Id-Data/);
  });

  it('filters and request templates of a processor use the selectors', async () => {
    const procs = compileProcessors([{
      id: 'RG2', flags: ['*dryrun'],
      filters: ['*string:~*req.Multiple-Services-Credit-Control.Rating-Group[1]:2'],
      request_fields: [{ tag: 'Account', path: '*cgreq.Account', type: '*variable', value: '~*req.Subscription-Id.Subscription-Id-Data[~Subscription-Id-Type(0)]' }],
      reply_fields: [{ tag: 'Msg', path: '*rep.Error-Message', type: '*variable', value: '~*cgreq.Account' }],
    }]);
    const res = await processRequest(procs, ccr(), {}, 'c1', { sessions: {} as never, log: silentLogger, defaultTenant: 'cgrates.org', timezone: 'UTC' });
    expect(res.ran).toEqual(['RG2']);
    expect(res.rep['Error-Message']).toBe('491511234567');
  });
});
