import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { baseDictionary } from '../../../src/agents/diameter/dictionary/index.js';
import {
  AVP_FLAG, CMD_FLAG, DecodeError, RESULT, avpByName, avpString, avpValue, avpsToMap, decodeMessage, encodeMessage, findAvp,
  ntpToDate, dateToNtp, type DiameterMessage,
} from '../../../src/agents/diameter/codec.js';

const dict = baseDictionary();
dict.loadText(readFileSync(new URL('../../fixtures/diameter/dictionary.opensips', import.meta.url), 'utf8'), 'dictionary.opensips');
const A = (name: string, v: unknown) => avpByName(dict, name, v);

// The CER and CCR OpenSIPS 3.6.8 aaa_diameter sent, as freeDiameterd decoded them (fixtures/diameter/20-*).
function recordedCer(): DiameterMessage {
  return {
    flags: CMD_FLAG.R, commandCode: 257, appId: 0, hopByHop: 0x57718865, endToEnd: 0x5baa2787,
    avps: [
      A('Origin-Host', 'opensips.diameter.test'), A('Origin-Realm', 'diameter.test'), A('Origin-State-Id', 1795351994),
      A('Host-IP-Address', '192.0.2.2'), A('Vendor-Id', 0), { ...A('Product-Name', 'freeDiameter'), flags: 0 },
      { ...A('Firmware-Revision', 10201), flags: 0 }, A('Inband-Security-Id', 0), A('Acct-Application-Id', 3), A('Auth-Application-Id', 4),
      A('Acct-Application-Id', 6), A('Auth-Application-Id', 0xffffffff), A('Supported-Vendor-Id', 9),
    ],
  };
}

function recordedCcr(): DiameterMessage {
  return {
    flags: CMD_FLAG.R | CMD_FLAG.P, commandCode: 272, appId: 4, hopByHop: 0x57718866, endToEnd: 0x5baa2788,
    avps: [
      A('Session-Id', 'opensips.diameter.test;1;1795351998'), A('Origin-Host', 'opensips.diameter.test'), A('Origin-Realm', 'diameter.test'),
      A('Destination-Realm', 'diameter.test'), A('Auth-Application-Id', 4), A('Service-Context-Id', 'voice@accurate.test'),
      A('CC-Request-Type', 1), A('CC-Request-Number', 0), A('Event-Timestamp', new Date('2026-11-22T12:53:18Z')),
      A('Subscription-Id', [A('Subscription-Id-Type', 1), A('Subscription-Id-Data', '1001')]),
      A('Requested-Service-Unit', [A('CC-Time', 300)]),
    ],
  };
}

describe('Diameter codec', () => {
  it('the recorded CER and CCR encode to the lengths freeDiameter reported (220 and 272 bytes)', () => {
    const cer = encodeMessage(recordedCer());
    expect(cer.length).toBe(220);
    expect(cer.readUInt32BE(0)).toBe(0x01000000 | 220);
    expect(cer[4]).toBe(0x80);
    const ccr = encodeMessage(recordedCcr());
    expect(ccr.length).toBe(272);
    expect(ccr[4]).toBe(0xc0);
    expect(ccr.readUInt32BE(12)).toBe(0x57718866);
  });

  it('per-AVP lengths and flags match the recorded decode (l=43 Session-Id, l=32 Subscription-Id, -M flags)', () => {
    const m = decodeMessage(encodeMessage(recordedCcr()), dict);
    const sid = findAvp(m.avps, 263)!;
    expect(sid.data.length + 8).toBe(43);
    expect(sid.flags).toBe(AVP_FLAG.M);
    const sub = findAvp(m.avps, 443)!;
    expect(sub.data.length + 8).toBe(32);
    expect(sub.children!.map((c) => c.def!.name)).toEqual(['Subscription-Id-Type', 'Subscription-Id-Data']);
  });

  it('decoding gives back every value, grouped ones as nested maps', () => {
    const m = decodeMessage(encodeMessage(recordedCcr()), dict);
    expect(avpsToMap(m.avps)).toMatchObject({
      'Session-Id': 'opensips.diameter.test;1;1795351998',
      'CC-Request-Type': '1',
      'Event-Timestamp': '2026-11-22T12:53:18Z',
      'Subscription-Id': { 'Subscription-Id-Type': '1', 'Subscription-Id-Data': '1001' },
      'Requested-Service-Unit': { 'CC-Time': '300' },
    });
    expect(m.unknownMandatory).toBeUndefined();
  });

  it('Unsigned64 at and above 2^32 and Integer64 below zero round-trip exactly', () => {
    for (const v of [2n ** 32n, 2n ** 64n - 1n, 4294967296123n]) {
      const a = A('CC-Total-Octets', v.toString());
      expect(a.data.length).toBe(8);
      expect(avpValue(decodeOne(a))).toBe(v);
    }
    const neg = A('Value-Digits', '-12345678901234');
    expect(avpString(decodeOne(neg))).toBe('-12345678901234');
    expect(() => A('CC-Total-Octets', '-1')).toThrow(/CC-Total-Octets.*Unsigned64/);
    expect(() => A('CC-Time', '2x')).toThrow(/CC-Time.*Unsigned32/);
  });

  it('Time is NTP seconds (1900 epoch), and values below 2^31 belong to the era after 2036', () => {
    const d = new Date('2026-11-22T12:53:18Z');
    expect(dateToNtp(d)).toBe(d.getTime() / 1000 + 2208988800);
    expect(ntpToDate(dateToNtp(d)).toISOString()).toBe(d.toISOString());
    const after2036 = new Date('2040-01-01T00:00:00Z');
    expect(dateToNtp(after2036)).toBeLessThan(2 ** 31);
    expect(ntpToDate(dateToNtp(after2036)).toISOString()).toBe(after2036.toISOString());
    expect(A('Event-Timestamp', '1795351998').data.readUInt32BE(0)).toBe(1795351998 + 2208988800);
  });

  it('Address carries IPv4 and IPv6 with their family', () => {
    const v4 = A('Host-IP-Address', '192.0.2.2');
    expect([...v4.data]).toEqual([0, 1, 192, 0, 2, 2]);
    expect(avpString(decodeOne(v4))).toBe('192.0.2.2');
    const v6 = A('Host-IP-Address', '2001:db8::1');
    expect(v6.data.length).toBe(18);
    expect(v6.data.readUInt16BE(0)).toBe(2);
    expect(avpString(decodeOne(v6))).toBe('2001:db8::1');
    expect(() => A('Host-IP-Address', 'nohost')).toThrow(/IPv4 or IPv6/);
  });

  it('Float32 and Float64 round-trip; enumerated names and Integer32 limits', () => {
    const d = baseDictionary();
    d.loadText('ATTRIBUTE Test-F32 99101 float32\nATTRIBUTE Test-F64 99102 float64\nATTRIBUTE Test-I64 99103 integer64', 'floats');
    const enc = (n: string, v: unknown) => decodeMessage(encodeMessage({ flags: 0, commandCode: 272, appId: 4, hopByHop: 1, endToEnd: 1, avps: [avpByName(d, n, v)] }), d).avps[0];
    expect(avpValue(enc('Test-F32', '1.5'))).toBe(1.5);
    expect(enc('Test-F32', 1.5).data.length).toBe(4);
    expect(avpValue(enc('Test-F64', 0.1))).toBe(0.1);
    expect(enc('Test-F64', 0.1).data.length).toBe(8);
    expect(avpValue(enc('Test-I64', '-9223372036854775808'))).toBe(-(2n ** 63n));
    expect(() => avpByName(d, 'Test-F64', 'abc')).toThrow(/Float64/);
    expect(avpValue(decodeOne(A('Termination-Cause', 'DIAMETER_LOGOUT')))).toBe(1);
    expect(() => A('Termination-Cause', 2 ** 31)).toThrow(/Integer32|Enumerated/);
  });

  it('a vendor AVP has the V bit and its vendor id, and pads to 4 bytes', () => {
    const a = A('Calling-Party-Address', '1001');
    expect(a.flags & AVP_FLAG.V).toBe(AVP_FLAG.V);
    const msg = encodeMessage({ flags: CMD_FLAG.R, commandCode: 272, appId: 4, hopByHop: 1, endToEnd: 2, avps: [A('Service-Information', [A('IMS-Information', [a])])] });
    // 20 header + 12+ (12+ (12+4)) : grouped vendor AVPs nest with 12-byte headers.
    expect(msg.length).toBe(20 + 12 + 12 + 16);
    const m = decodeMessage(msg, dict);
    expect(avpsToMap(m.avps)).toEqual({ 'Service-Information': { 'IMS-Information': { 'Calling-Party-Address': '1001' } } });
    const odd = encodeMessage({ flags: 0, commandCode: 272, appId: 4, hopByHop: 1, endToEnd: 2, avps: [A('Session-Id', 'abcde')] });
    expect(odd.length).toBe(20 + 16);
    expect(odd.readUInt32BE(24) & 0xffffff).toBe(13);
    expect([...odd.subarray(33)]).toEqual([0, 0, 0]);
  });

  it('an unknown AVP is kept as bytes; an unknown mandatory one is listed for a 5001 answer', () => {
    const unknownOpt = { code: 99999, vendorId: 0, flags: 0, data: Buffer.from('x') };
    const unknownMand = { code: 99998, vendorId: 0, flags: AVP_FLAG.M, data: Buffer.from('yy') };
    const m = decodeMessage(encodeMessage({ ...recordedCcr(), avps: [...recordedCcr().avps, unknownOpt, unknownMand] }), dict);
    expect(m.avps).toHaveLength(13);
    expect(m.unknownMandatory!.map((a) => a.code)).toEqual([99998]);
    expect(m.unknownMandatory![0].data.toString()).toBe('yy');
  });

  it('a bad AVP length is a 5014 DecodeError naming the AVP, with the header kept for the answer', () => {
    const buf = encodeMessage(recordedCcr());
    buf.writeUInt32BE((AVP_FLAG.M << 24) | 2000, 20 + 4); // Session-Id claims 2000 bytes
    try {
      decodeMessage(buf, dict);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).resultCode).toBe(RESULT.INVALID_AVP_LENGTH);
      expect((e as DecodeError).header.hopByHop).toBe(0x57718866);
      expect((e as DecodeError).failedAvp!.code).toBe(263);
    }
    const fixed = encodeMessage({ flags: 0, commandCode: 272, appId: 4, hopByHop: 1, endToEnd: 2, avps: [{ ...A('CC-Time', 1), data: Buffer.from([0, 1]) }] });
    expect(() => decodeMessage(fixed, dict)).toThrow(/CC-Time: Unsigned32 needs 4 bytes/);
  });

  it('reserved header bits or an error-flagged request is a 3008 DecodeError', () => {
    const buf = encodeMessage(recordedCcr());
    buf[4] = CMD_FLAG.R | CMD_FLAG.E;
    expect(() => decodeMessage(buf, dict)).toThrow(expect.objectContaining({ resultCode: RESULT.INVALID_HDR_BITS }));
    buf[4] = 0x01;
    expect(() => decodeMessage(buf, dict)).toThrow(expect.objectContaining({ resultCode: RESULT.INVALID_HDR_BITS }));
  });

  it('agrees with the diameter package both ways (its encoder and decoder as an independent reference)', () => {
    const require = createRequire(import.meta.url);
    const pkg = require('diameter/lib/diameter-codec.js');
    const theirs = pkg.encodeMessage({
      header: { version: 1, commandCode: 272, flags: { request: true, proxiable: true, error: false, potentiallyRetransmitted: false }, applicationId: 4, hopByHopId: 7, endToEndId: 8 },
      body: [
        ['Session-Id', 'abc;1'], ['Origin-Host', 'client.test'], ['CC-Request-Type', 'INITIAL_REQUEST'], ['CC-Request-Number', 0],
        ['Subscription-Id', [['Subscription-Id-Type', 'END_USER_E164'], ['Subscription-Id-Data', '1001']]],
        ['Requested-Service-Unit', [['CC-Time', 300]]], ['CC-Total-Octets', 5000],
      ],
    });
    const m = decodeMessage(theirs, dict);
    expect(avpsToMap(m.avps)).toMatchObject({ 'Session-Id': 'abc;1', 'CC-Request-Type': '1', 'Subscription-Id': { 'Subscription-Id-Data': '1001' }, 'Requested-Service-Unit': { 'CC-Time': '300' }, 'CC-Total-Octets': '5000' });
    const back = pkg.decodeMessage(encodeMessage(recordedCcr()));
    const byName = Object.fromEntries(back.body.map((a: [string, unknown]) => a));
    expect(byName['Session-Id']).toBe('opensips.diameter.test;1;1795351998');
    expect(byName['CC-Request-Type']).toBe('INITIAL_REQUEST');
    expect(byName['Requested-Service-Unit']).toEqual([['CC-Time', 300]]);
  });
});

function decodeOne(a: ReturnType<typeof A>) {
  return decodeMessage(encodeMessage({ flags: 0, commandCode: 272, appId: 4, hopByHop: 1, endToEnd: 1, avps: [a] }), dict).avps[0];
}
