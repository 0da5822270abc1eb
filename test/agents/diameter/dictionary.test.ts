import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { baseDictionary, DictionaryError, parseTextDictionary } from '../../../src/agents/diameter/dictionary/index.js';

describe('Diameter dictionaries', () => {
  it('the package data is indexed once: RFC 6733, RFC 4006 and 3GPP AVPs by code+vendor and by name', () => {
    const d = baseDictionary();
    expect(d.size).toBeGreaterThan(1500);
    expect(d.avp(420)).toMatchObject({ name: 'CC-Time', type: 'Unsigned32' });
    expect(d.avp(873, 10415)).toMatchObject({ name: 'Service-Information', type: 'Grouped' });
    expect(d.avpByName('Event-Timestamp')).toMatchObject({ code: 55, vendorId: 0, type: 'Time' });
    expect(d.avpByName('CC-Request-Type')!.enumByName!.get('TERMINATION_REQUEST')).toBe(3);
    expect(d.avpByName('Host-IP-Address')!.type).toBe('Address');
    expect(d.command(272)!.name).toBe('Credit-Control');
  });

  it('Failed-AVP, which the package leaves untyped, is Grouped', () => {
    expect(baseDictionary().avp(279)!.type).toBe('Grouped');
  });

  it('each copy is independent: loading a file into one does not change another', () => {
    const a = baseDictionary();
    a.loadText('ATTRIBUTE My-Own 99001 string', 'x');
    expect(a.avpByName('My-Own')).toBeDefined();
    expect(baseDictionary().avpByName('My-Own')).toBeUndefined();
  });

  it('the tutorial dictionary.opensips loads: applications, vendor AVPs, grouped blocks, requests and answers', () => {
    const text = readFileSync(new URL('../../fixtures/diameter/dictionary.opensips', import.meta.url), 'utf8');
    const t = parseTextDictionary(text, 'dictionary.opensips');
    expect(t.applications).toEqual([{ id: 4, name: 'Charging Control' }]);
    expect(t.vendors.get(10415)).toBe('TGPP');
    expect(t.avps.find((a) => a.name === 'Calling-Party-Address')).toMatchObject({ code: 831, vendorId: 10415, type: 'UTF8String' });
    expect(t.avps.find((a) => a.name === 'Value-Digits')).toMatchObject({ type: 'Integer64' });
    expect(t.commands.map((c) => c.code)).toEqual([272, 272]);
    const d = baseDictionary();
    d.loadText(text, 'dictionary.opensips');
    // `unsigned32` in the file for an Enumerated AVP keeps the enumeration the package knows.
    expect(d.avpByName('CC-Request-Type')!.enumByCode!.get(1)).toBe('INITIAL_REQUEST');
  });

  it('OpenSIPS-style custom AVPs (integer, string) are added', () => {
    const d = baseDictionary();
    d.loadText('ATTRIBUTE rated_duration 234 integer\nATTRIBUTE out_gw 232 string\n', 'custom');
    expect(d.avp(234)).toMatchObject({ name: 'rated_duration', type: 'Integer32' });
    expect(d.avpByName('out_gw')!.code).toBe(232);
  });

  it('a bad line is an error naming file and line', () => {
    expect(() => parseTextDictionary('ATTRIBUTE A 1 string\nATTRIBUTE B x string', 'f.txt')).toThrow(new DictionaryError('f.txt:2: AVP code must be a number, got "x"'));
    expect(() => parseTextDictionary('ATTRIBUTE A 1 bogus', 'f.txt')).toThrow(/f.txt:1: unknown AVP type "bogus"/);
    expect(() => parseTextDictionary('FOO 1', 'f.txt')).toThrow(/f.txt:1: unknown keyword "FOO"/);
    expect(() => parseTextDictionary('ATTRIBUTE G 1 grouped\n{\n A | REQUIRED | 1\n', 'f.txt')).toThrow(/not closed/);
  });
});
