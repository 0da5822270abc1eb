import { describe, expect, it } from 'vitest';
import {
  FilterService, FilterRule, FilterError, compileInlineFilter, eventDataProvider, readPath, writePath,
  RSRParser, parseRSRValues, parseAll, GoTime, GoDuration, ifaceAsString, formatGoTime, NotFoundError, FILTER_TYPES,
} from '../../src/filters/index.js';
import type { FilterProfile } from '../../src/tariffplan/model.js';
import { GO_ZERO_TIME } from '../../src/util/time.js';

const ev = {
  Account: '1001', Subject: '1001', Destination: '1002', Usage: '3m', Cost: 1.25, SetupTime: '2014-08-04T13:00:00Z',
  Empty: '', List: ['a', 'b'], Nested: { X: 'y' }, IP: '192.168.1.10',
};
const dp = eventDataProvider({ Tenant: 'cgrates.org', Event: ev, APIOpts: { '*context': '*sessions' } }, { Run: '1' });
const rule = (type: string, element: string, ...values: string[]) => new FilterRule(type, element, values).pass(dp, {
  destinationsFor: (n) => (n.startsWith('100') ? ['DST_1002', 'DST_100X'] : []),
  timingActive: (id, at) => (id === 'PEAK' ? new Date(at).getUTCHours() >= 8 : id === 'OFF' ? false : undefined),
  timezone: 'UTC',
});

describe('filter rule types', () => {
  it('*string matches any of the values exactly', () => {
    expect(rule('*string', '~*req.Account', '1002', '1001')).toBe(true);
    expect(rule('*string', '~*req.Account', '100')).toBe(false);
  });
  it('*string on an absent field does not match, *notstring then passes', () => {
    expect(rule('*string', '~*req.Missing', '1001')).toBe(false);
    expect(rule('*notstring', '~*req.Missing', '1001')).toBe(true);
  });
  it('*notstring negates', () => expect(rule('*notstring', '~*req.Account', '1001')).toBe(false));
  it('*prefix and *notprefix', () => {
    expect(rule('*prefix', '~*req.Destination', '10', '20')).toBe(true);
    expect(rule('*notprefix', '~*req.Destination', '10')).toBe(false);
  });
  it('*suffix and *notsuffix', () => {
    expect(rule('*suffix', '~*req.Destination', '02')).toBe(true);
    expect(rule('*notsuffix', '~*req.Destination', '03')).toBe(true);
  });
  it('*contains and *notcontains', () => {
    expect(rule('*contains', '~*req.Destination', '00')).toBe(true);
    expect(rule('*notcontains', '~*req.Destination', '99')).toBe(true);
  });
  it('*empty: empty string, absent field, empty list; *notempty negates', () => {
    expect(rule('*empty', '~*req.Empty')).toBe(true);
    expect(rule('*empty', '~*req.Missing')).toBe(true);
    expect(rule('*empty', '~*req.Account')).toBe(false);
    expect(rule('*notempty', '~*req.Account')).toBe(true);
  });
  it('*exists and *notexists', () => {
    expect(rule('*exists', '~*req.Empty')).toBe(true);
    expect(rule('*exists', '~*req.Missing')).toBe(false);
    expect(rule('*notexists', '~*req.Missing')).toBe(true);
  });
  it('*gt/*gte/*lt/*lte compare durations as durations', () => {
    expect(rule('*gte', '~*req.Usage', '3m')).toBe(true);
    expect(rule('*gt', '~*req.Usage', '3m')).toBe(false);
    expect(rule('*lt', '~*req.Usage', '3m1s')).toBe(true);
    expect(rule('*lte', '~*req.Usage', '180s')).toBe(true);
    expect(rule('*lt', '~*req.Usage', '3m')).toBe(false);
  });
  it('*gt compares numbers exactly (int with float)', () => {
    expect(rule('*gt', '~*req.Cost', '1.24')).toBe(true);
    expect(rule('*gte', '~*req.Cost', '1.25')).toBe(true);
    expect(rule('*gt', '~*req.Cost', '1')).toBe(true);
    expect(rule('*lt', '~*req.Cost', '2')).toBe(true);
  });
  it('*gte compares times', () => {
    expect(rule('*gte', '~*req.SetupTime', '2014-08-04T12:59:59Z')).toBe(true);
    expect(rule('*lt', '~*req.SetupTime', '2014-08-04T13:00:00Z')).toBe(false);
  });
  it('*gt between a string and a number is an error, as CGRateS', () => {
    expect(() => rule('*gt', '~*req.Account', 'abc')).toThrow(/filter \*gt/);
  });
  it('*eq and *noteq', () => {
    expect(rule('*eq', '~*req.Cost', '1.250')).toBe(true);
    expect(rule('*noteq', '~*req.Cost', '1.25')).toBe(false);
  });
  it('*regex uses Go syntax and *notregex negates', () => {
    expect(rule('*regex', '~*req.Account', '^10\\d{2}$')).toBe(true);
    expect(rule('*regex', '~*req.Account', '(?P<n>^2)')).toBe(false);
    expect(rule('*notregex', '~*req.Account', '^2')).toBe(true);
  });
  it('*rsr: regex, prefix/suffix forms, negation', () => {
    expect(rule('*rsr', '~*req.Subject', '~^1.*1$')).toBe(true);
    expect(rule('*rsr', '~*req.Destination', '1002')).toBe(true);
    expect(rule('*rsr', '~*req.Destination', '^10')).toBe(true);
    expect(rule('*rsr', '~*req.Destination', '!^10')).toBe(false);
    expect(rule('*rsr', '~*req.Cost', '>=1.2')).toBe(true);
    expect(rule('*rsr', '~*req.Missing', '^$')).toBe(true);
    expect(rule('*notrsr', '~*req.Destination', '1002')).toBe(false);
  });
  it('*destinations asks the injected lookup; *notdestinations negates', () => {
    expect(rule('*destinations', '~*req.Destination', 'DST_1002')).toBe(true);
    expect(rule('*destinations', '~*req.Destination', 'DST_OTHER')).toBe(false);
    expect(rule('*notdestinations', '~*req.Destination', 'DST_OTHER')).toBe(true);
  });
  it('*destinations without the lookup is a clear error', () => {
    expect(() => new FilterRule('*destinations', '~*req.Destination', ['X']).pass(dp)).toThrow(/destinationsFor/);
  });
  it('*timings asks the injected checker; unknown timings are skipped', () => {
    expect(rule('*timings', '~*req.SetupTime', 'PEAK')).toBe(true);
    expect(rule('*timings', '~*req.SetupTime', 'OFF', 'NOPE')).toBe(false);
    expect(rule('*nottimings', '~*req.SetupTime', 'OFF')).toBe(true);
  });
  it('*ipnet matches CIDRs', () => {
    expect(rule('*ipnet', '~*req.IP', '192.168.1.0/24')).toBe(true);
    expect(rule('*notipnet', '~*req.IP', '10.0.0.0/8')).toBe(true);
  });
  it('*ai: after start, before end', () => {
    expect(rule('*ai', '~*req.SetupTime', '2014-01-01T00:00:00Z')).toBe(true);
    expect(rule('*ai', '~*req.SetupTime', '', '2014-01-01T00:00:00Z')).toBe(false);
    expect(rule('*ai', '~*req.SetupTime', '2014-01-01T00:00:00Z', '2015-01-01T00:00:00Z')).toBe(true);
  });
  it('values may be references to other fields', () => {
    expect(rule('*string', '~*req.Account', '~*req.Subject')).toBe(true);
  });
  it('the element may carry converters', () => {
    expect(rule('*string', '~*req.Usage{*duration_seconds}', '180')).toBe(true);
  });
  it('*nistring behaves as *string', () => expect(rule('*nistring', '~*req.Account', '1001')).toBe(true));
  it('reads *opts, *vars, nested maps and list indexes', () => {
    expect(rule('*string', '~*opts.*context', '*sessions')).toBe(true);
    expect(rule('*string', '~*vars.Run', '1')).toBe(true);
    expect(rule('*string', '~*req.Nested.X', 'y')).toBe(true);
    expect(rule('*string', '~*req.List[1]', 'b')).toBe(true);
  });
  it('unknown types, comparisons negated, and missing values are rejected at compile time', () => {
    expect(() => new FilterRule('*bogus', '~*req.A', ['1'])).toThrow(FilterError);
    expect(() => new FilterRule('*notgt', '~*req.A', ['1'])).toThrow(/Unsupported filter Type/);
    expect(() => new FilterRule('*string', '~*req.A', [])).toThrow(/Values is mandatory/);
    expect(() => new FilterRule('*string', '', ['1'])).toThrow(/Element is mandatory/);
    expect(() => new FilterRule('*exists', '~*req.A', ['x'])).toThrow(/takes no values/);
  });
  it('every negatable type has a *not variant listed', () => {
    for (const t of ['*notstring', '*notprefix', '*notsuffix', '*notempty', '*notexists', '*notregex', '*notrsr', '*notdestinations', '*nottimings', '*noteq', '*notai', '*notipnet', '*notcontains']) {
      expect(FILTER_TYPES).toContain(t);
    }
  });
});

const NO_AI = null;
function profile(id: string, rules: FilterProfile['rules'], activationInterval: FilterProfile['activationInterval'] = NO_AI): FilterProfile {
  return { tenant: 'cgrates.org', id, rules, activationInterval };
}

describe('FilterService', () => {
  const profiles: Record<string, FilterProfile> = {
    'cgrates.org:FLTR_1': profile('FLTR_1', [
      { type: '*string', element: '~*req.Account', values: ['1001', '1002'] },
      { type: '*prefix', element: '~*req.Destination', values: ['10', '20'] },
    ]),
    'cgrates.org:FLTR_OLD': profile('FLTR_OLD', [{ type: '*string', element: '~*req.Account', values: ['nobody'] }], {
      activationTime: Date.parse('2010-01-01T00:00:00Z'), expiryTime: Date.parse('2011-01-01T00:00:00Z'),
    }),
    'cgrates.org:FLTR_FUTURE': profile('FLTR_FUTURE', [{ type: '*string', element: '~*req.Account', values: ['1001'] }], {
      activationTime: Date.parse('2100-01-01T00:00:00Z'), expiryTime: GO_ZERO_TIME,
    }),
  };
  const fs = new FilterService(profiles, { timezone: 'UTC' });

  it('no filters pass', () => expect(fs.pass('cgrates.org', [], dp)).toBe(true));
  it('a profile ANDs its rules', () => {
    expect(fs.pass('cgrates.org', ['FLTR_1'], dp)).toBe(true);
    const other = eventDataProvider({ Event: { Account: '1001', Destination: '3002' } });
    expect(fs.pass('cgrates.org', ['FLTR_1'], other)).toBe(false);
  });
  it('inline filters: *string:~*req.Account:1001|1002', () => {
    expect(fs.pass('cgrates.org', ['*string:~*req.Account:1002|1001'], dp)).toBe(true);
    expect(fs.pass('cgrates.org', ['*string:~*req.Account:1002'], dp)).toBe(false);
  });
  it('profile and inline filters are all required', () => {
    expect(fs.pass('cgrates.org', ['FLTR_1', '*prefix:~*req.Destination:2'], dp)).toBe(false);
  });
  it('a filter outside its activation interval is skipped', () => {
    // FLTR_OLD would fail, but it expired in 2011: skipped.
    expect(fs.pass('cgrates.org', ['FLTR_1', 'FLTR_OLD'], dp, Date.parse('2014-08-04T13:00:00Z'))).toBe(true);
    expect(fs.pass('cgrates.org', ['FLTR_OLD'], dp, Date.parse('2010-06-01T00:00:00Z'))).toBe(false);
  });
  it('when every listed filter is inactive the event does not pass', () => {
    expect(fs.pass('cgrates.org', ['FLTR_FUTURE'], dp, Date.parse('2014-08-04T13:00:00Z'))).toBe(false);
  });
  it('an unknown filter id is NOT_FOUND:<id>', () => {
    expect(() => fs.pass('cgrates.org', ['FLTR_NOPE'], dp)).toThrow('NOT_FOUND:FLTR_NOPE');
  });
  it('filters belong to a tenant', () => {
    expect(() => fs.pass('other.org', ['FLTR_1'], dp)).toThrow('NOT_FOUND:FLTR_1');
  });
  it('a malformed inline filter is a clear error', () => {
    expect(() => fs.pass('cgrates.org', ['*string:~*req.Account'], dp)).toThrow(/inline parse error/);
    expect(() => compileInlineFilter('t', '*nope:~*req.A:1')).toThrow(/Unsupported filter Type/);
  });
  it('a bad profile names the filter', () => {
    const bad = new FilterService({ x: profile('FLTR_BAD', [{ type: '*gt', element: '~*req.A', values: [] }]) });
    expect(() => bad.pass('cgrates.org', ['FLTR_BAD'], dp)).toThrow(/cgrates.org:FLTR_BAD rule 1/);
  });
  it('the testtp FLTR_1 (*rsr Subject ~^1.*1$) matches 1001 → 1002', () => {
    const p = profile('FLTR_1', [
      { type: '*string', element: '~*req.Account', values: ['1001', '1002'] },
      { type: '*prefix', element: '~*req.Destination', values: ['10', '20'] },
      { type: '*rsr', element: '~*req.Subject', values: ['~^1.*1$'] },
      { type: '*rsr', element: '~*req.Destination', values: ['1002'] },
    ]);
    expect(new FilterService({ a: p }).pass('cgrates.org', ['FLTR_1'], dp)).toBe(true);
  });
});

describe('paths and values', () => {
  it('readPath/writePath: ~*req.Field, *cgreq.Field, *rep.X', () => {
    const m: Record<string, unknown> = { '*req': { A: '1' } };
    expect(readPath(m, '~*req.A')).toBe('1');
    writePath(m, '*cgreq.Account', '1001');
    writePath(m, '*rep.Result.Code', 2001);
    expect(m['*cgreq']).toEqual({ Account: '1001' });
    expect(readPath(m, '*rep.Result.Code')).toBe(2001);
    expect(() => readPath(m, '~*req.B')).toThrow(NotFoundError);
  });
  it('RSR search and replace expands Go templates on the first match', () => {
    expect(new RSRParser('~*req.Destination:s/^1(\\d+)/+49${1}/').parse(dp)).toBe('+49002');
    expect(new RSRParser('~*req.Destination:s/^9(\\d+)/x$1/').parse(dp)).toBe('1002');
  });
  it('RSR values concatenate and constants pass through', () => {
    expect(parseAll(parseRSRValues('~*req.Account;-;~*req.Destination'), dp)).toBe('1001-1002');
    expect(parseAll(parseRSRValues('`a;b`'), dp)).toBe('a;b');
  });
  it('converters: *duration_seconds, *round, *multiply, *divide', () => {
    expect(new RSRParser('~*req.Usage{*duration_seconds}').parse(dp)).toBe('180');
    expect(new RSRParser('~*req.Cost{*multiply:3&*round:2}').parse(dp)).toBe('3.75');
    expect(new RSRParser('~*req.Cost{*round:1:*up}').parse(dp)).toBe('1.3');
    expect(new RSRParser('~*req.Cost{*divide:4}').parse(dp)).toBe('0.3125');
    expect(() => new RSRParser('~*req.Cost{*nope}')).toThrow(/unsupported converter/);
  });
  it('dynamic path parts <...>', () => {
    const m = eventDataProvider({ Event: { Which: 'Account', Account: '1001' } });
    expect(new RSRParser('~*req.<~*req.Which>').parse(m)).toBe('1001');
  });
  it('values print as Go does', () => {
    expect(ifaceAsString(new GoDuration(90e9))).toBe('1m30s');
    expect(ifaceAsString(new GoTime(Date.parse('2014-08-04T13:00:00Z')))).toBe('2014-08-04T13:00:00Z');
    expect(ifaceAsString(0.1)).toBe('0.1');
    expect(ifaceAsString(true)).toBe('true');
  });
  it('Go layouts format times', () => {
    const t = Date.parse('2014-08-04T13:05:09.120Z');
    expect(formatGoTime(t, '2006-01-02T15:04:05Z07:00')).toBe('2014-08-04T13:05:09Z');
    expect(formatGoTime(t, '2006-01-02 15:04:05.000')).toBe('2014-08-04 13:05:09.120');
    expect(formatGoTime(t, 'Jan _2 3:04PM Monday')).toBe('Aug  4 1:05PM Monday');
    expect(formatGoTime(t, '02/01/06 15:04:05 -0700', 'Europe/Berlin')).toBe('04/08/14 15:05:09 +0200');
    expect(formatGoTime(t, '2006-01-02T15:04:05Z07:00', 'Europe/Berlin')).toBe('2014-08-04T15:05:09+02:00');
  });
});
