// The API edge's readers: one per kind of value, each naming the field and never coercing across meanings.
import { describe, it, expect } from 'vitest';
import { moneyValue, str, id, optBool, optNum, durationValue, timeValue, checkEvent } from '../../src/api/methods/params.js';
import { serialiseReply, depthExceeds } from '../../src/api/server.js';
import { escapeLogLine, silentLogger } from '../../src/util/logger.js';
import { parseMoney } from '../../src/util/money.js';
import { redactSecrets } from '../../src/config/index.js';
import { methodAllowed } from '../../src/api/auth.js';

describe('money is a finite decimal written as CGRateS clients write it', () => {
  it('accepts JSON numbers and decimal strings', () => {
    expect(moneyValue(1.25, 'Value').toFixed()).toBe('1.25');
    expect(moneyValue('-0.5', 'Value').toFixed()).toBe('-0.5');
    expect(moneyValue('1e3', 'Value').toFixed()).toBe('1000');
  });
  it.each(['Infinity', '-Infinity', 'NaN', '1e999999', '0x10', '1_000', '1,5', '', 'ten', Infinity, NaN, true, null, [], {}])('refuses %s naming the field', (v) => {
    expect(() => moneyValue(v, 'Value')).toThrow(/^SERVER_ERROR: Value: /);
  });
  it('refuses magnitudes of 10^18 and more (so "1e999999" is no balance)', () => {
    expect(() => moneyValue('1e18', 'Value')).toThrow(/out of range/);
    expect(moneyValue('999999999999999999', 'Value').toFixed()).toBe('999999999999999999');
    expect(() => parseMoney('1e999999')).toThrow(/out of range/);
    expect(parseMoney('0.0001').toFixed()).toBe('0.0001');
  });
});

describe('strings, ids and numbers', () => {
  it('an integer beyond 2^53 cannot be an id (it was rounded by JSON already)', () => {
    expect(() => str({ Account: 2 ** 53 }, 'Account')).toThrow(/cannot be read exactly/);
    expect(str({ Account: 1001 }, 'Account')).toBe('1001');
  });
  it('ids are at most 1024 characters; lists and objects are not strings', () => {
    expect(() => id({ Account: 'x'.repeat(1025) }, 'Account')).toThrow(/longer than 1024/);
    expect(() => str({ ID: [] }, 'ID')).toThrow(/ID must be a string/);
  });
  it('"false" is false, anything but true/false is refused', () => {
    expect(optBool({ DryRun: 'false' }, 'DryRun')).toBe(false);
    expect(() => optBool({ DryRun: 'no' }, 'DryRun')).toThrow(/DryRun must be true or false/);
    expect(() => optBool({ DryRun: 0 }, 'DryRun')).toThrow(/DryRun/);
  });
  it('numbers are finite, integers when asked, within range', () => {
    expect(() => optNum({ LoopIndex: 'x' }, 'LoopIndex')).toThrow(/LoopIndex must be a number/);
    expect(() => optNum({ L: 1.5 }, 'L', { integer: true })).toThrow(/integer/);
    expect(() => optNum({ L: -1 }, 'L', { min: 0 })).toThrow(/at least 0/);
    expect(optNum({ L: '12' }, 'L', { integer: true })).toBe(12);
  });
});

describe('durations and times are in range', () => {
  it('negative or absurd durations are refused where they mean usage', () => {
    expect(() => durationValue('-1h', 'Usage', { min: 0 })).toThrow(/Usage: .* is negative/);
    expect(() => durationValue(1e300, 'Usage')).toThrow(/Usage/);
    expect(durationValue('1m30s', 'Usage')).toBe(90e9);
  });
  it('times outside years 1..9999 are refused', () => {
    expect(() => timeValue(1e308, 'AnswerTime', 'UTC')).toThrow(/AnswerTime: .* out of range/);
    expect(() => timeValue({}, 'AnswerTime', 'UTC')).toThrow(/AnswerTime/);
    expect(timeValue('2014-08-04T13:00:00Z', 'AnswerTime', 'UTC')).toBe(Date.UTC(2014, 7, 4, 13));
  });
  it('an event is checked field by field', () => {
    expect(() => checkEvent({ Account: { a: 1 } })).toThrow(/Account must be a string/);
    expect(() => checkEvent({ LastUsed: '-5s' })).toThrow(/LastUsed/);
    expect(() => checkEvent({ Cost: 'Infinity' })).toThrow(/Cost/);
    expect(() => checkEvent({ Cost: -1, Usage: 0, AnswerTime: '' })).not.toThrow();
  });
});

describe('replies and logs', () => {
  it('a reply that cannot be serialised becomes an error reply, never a throw', () => {
    const cyclic: Record<string, unknown> = { id: 3 };
    cyclic.result = cyclic;
    expect(JSON.parse(serialiseReply(cyclic, 1e6, silentLogger))).toMatchObject({ id: 3, error: expect.stringMatching(/could not be serialised/) });
    expect(JSON.parse(serialiseReply({ id: 4, result: 'x'.repeat(100), error: null }, 50, silentLogger)).error).toMatch(/larger than 50 bytes/);
  });
  it('depth is measured without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(depthExceeds(deep, 64)).toBe(true);
    expect(depthExceeds({ a: [{ b: 1 }] }, 64)).toBe(false);
  });
  it('a log line cannot be split by a client value', () => {
    expect(escapeLogLine('a\nb\r\u0000c')).toBe('a\\nb\\r\\u0000c');
  });
  it('secrets are masked for -check_config, the rest is kept', () => {
    expect(redactSecrets({ data_db: { db_password: 'p', db_path: '/d' }, api: { api_keys: [{ key: 'k', methods: ['*any'] }] } }))
      .toEqual({ data_db: { db_password: '*****', db_path: '/d' }, api: { api_keys: [{ key: '*****', methods: ['*any'] }] } });
  });
  it('method rules: *any, Service.* and exact names', () => {
    expect(methodAllowed(['CoreSv1.*'], 'CoreSv1.Ping')).toBe(true);
    expect(methodAllowed(['CoreSv1.*'], 'CoreSv10.Ping')).toBe(false);
    expect(methodAllowed(['APIerSv2.GetAccount'], 'APIerSv2.GetAccounts')).toBe(false);
    expect(methodAllowed(['*any'], 'X.Y')).toBe(true);
  });
});
