import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cgrid, cdrFromEvent, cdrToWire, cdrFromWire, cdrDataProvider, CdrFieldError } from '../../src/cdrs/index.js';
import { readPath, ifaceAsString } from '../../src/filters/index.js';
import { GO_ZERO_TIME } from '../../src/util/time.js';

const defaults = { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' };

describe('CGRID', () => {
  it('is the sha1 of OriginID then OriginHost, no separator', () => {
    const expected = createHash('sha1').update('dsafdsaf127.0.0.1').digest('hex');
    expect(cgrid('dsafdsaf', '127.0.0.1')).toBe(expected);
  });
  it('matches CGRateS test vectors (utils.Sha1("teststring"), the empty CGRID of mapevent_test)', () => {
    expect(cgrid('test', 'string')).toBe('b8473b86d4c2072ca9b08bd28e373e8253e865c4');
    expect(cgrid('', '')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
});

describe('cdrFromEvent', () => {
  const ev = {
    OriginID: 'abc', OriginHost: '10.0.0.1', Account: '1001', Destination: '1002', SetupTime: '2014-08-04T13:00:00Z',
    AnswerTime: '2014-08-04 13:00:07', Usage: '1m30s', Cost: '0.1234', sip_code: 200, Rated: true,
  };
  it('fills CGRateS defaults: RunID *default, ToR *voice, request type/tenant/category from config, Subject = Account', () => {
    const c = cdrFromEvent(ev, defaults);
    expect(c).toMatchObject({ RunID: '*default', ToR: '*voice', RequestType: '*rated', Tenant: 'cgrates.org', Category: 'call', Subject: '1001' });
    expect(c.CGRID).toBe(cgrid('abc', '10.0.0.1'));
  });
  it('parses times (zone-less in the configured zone) and usage', () => {
    const c = cdrFromEvent(ev, { ...defaults, timezone: 'Europe/Berlin' });
    expect(c.SetupTime).toBe(Date.parse('2014-08-04T13:00:00Z'));
    expect(c.AnswerTime).toBe(Date.parse('2014-08-04T11:00:07Z'));
    expect(c.Usage).toBe(90e9);
  });
  it('keeps the cost exact', () => {
    expect(cdrFromEvent(ev, defaults).Cost.toFixed()).toBe('0.1234');
  });
  it('an event without Cost is not rated (-1)', () => {
    expect(cdrFromEvent({ OriginID: 'x' }, defaults).Cost.toNumber()).toBe(-1);
  });
  it('unknown fields go to ExtraFields as strings; Rated is dropped as CGRateS', () => {
    expect(cdrFromEvent(ev, defaults).ExtraFields).toEqual({ sip_code: '200' });
  });
  it('absent times are the zero time', () => {
    expect(cdrFromEvent({ OriginID: 'x' }, defaults).AnswerTime).toBe(GO_ZERO_TIME);
  });
  it('a bare number Usage is nanoseconds', () => {
    expect(cdrFromEvent({ Usage: 60000000000 }, defaults).Usage).toBe(60e9);
  });
  it('a bad field is named in the error', () => {
    expect(() => cdrFromEvent({ SetupTime: 'yesterday-ish' }, defaults)).toThrow(/SetupTime/);
    expect(() => cdrFromEvent({ Usage: 'lots' }, defaults)).toThrow(CdrFieldError);
    expect(() => cdrFromEvent({ Cost: 'free' }, defaults)).toThrow(/Cost/);
  });
  it('the event tenant is used when the map has none', () => {
    expect(cdrFromEvent({}, { ...defaults, eventTenant: 'x.org' }).Tenant).toBe('x.org');
  });
});

describe('wire form', () => {
  const c = cdrFromEvent({ OriginID: 'abc', OriginHost: 'h', Account: '1001', SetupTime: '2014-08-04T13:00:00Z', AnswerTime: '2014-08-04T13:00:07Z', Usage: '90s', Cost: '0.12345', CostDetails: { CGRID: 'x', Cost: 0.12345 } }, defaults);
  it('times RFC3339, Usage ns, Cost a number, CostDetails an object', () => {
    const w = cdrToWire(c);
    expect(w.SetupTime).toBe('2014-08-04T13:00:00Z');
    expect(w.AnswerTime).toBe('2014-08-04T13:00:07Z');
    expect(w.Usage).toBe(90e9);
    expect(w.Cost).toBe(0.12345);
    expect(w.CostDetails).toEqual({ CGRID: 'x', Cost: 0.12345 });
    expect(JSON.parse(JSON.stringify(w)).Cost).toBe(0.12345);
  });
  it('round-trips', () => {
    expect(cdrFromWire(JSON.parse(JSON.stringify(cdrToWire(c))))).toEqual(c);
  });
  it('the data provider prints fields as CGRateS does', () => {
    const dp = cdrDataProvider(c);
    expect(ifaceAsString(readPath(dp, '~*req.Usage'))).toBe('1m30s');
    expect(ifaceAsString(readPath(dp, '~*req.SetupTime'))).toBe('2014-08-04T13:00:00Z');
    expect(ifaceAsString(readPath(dp, '~*req.Cost'))).toBe('0.12345');
    expect(readPath(dp, '~*ec.CGRID')).toBe('x');
  });
});
