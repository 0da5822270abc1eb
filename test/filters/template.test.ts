import { describe, expect, it } from 'vitest';
import {
  compileTemplate, processTemplate, fieldTemplateFromRaw, AgentTemplateError, FilterService, type FieldTemplate, type DataMap,
} from '../../src/filters/index.js';

const f = (tag: string, path: string, type: string, value: string, more: Partial<FieldTemplate> = {}): FieldTemplate => ({
  tag, path, type, value, filters: [], ...more,
});
const run = (fields: FieldTemplate[], dp: DataMap, ctx = {}) => processTemplate(compileTemplate('t', fields), dp, ctx);
const req = () => ({
  '*req': {
    cgr_account: '1001', cgr_reqtype: '*prepaid', callid: 'abc@h', from_tag: 'ft', to_tag: null, time: '1700000000',
    duration: '65', ms_duration: '65432', sip_code: '200', Nested: { Deep: { Leaf: 'x' } }, Dest: '+4986517174963',
  },
  '*vars': { OriginHost: 'osips1' },
});

describe('agent template fields', () => {
  it('*constant writes its text', () => {
    const dp = run([f('ToR', '*cgreq.ToR', '*constant', '*voice')], req());
    expect(dp['*cgreq']).toEqual({ ToR: '*voice' });
  });
  it('*variable reads a provider path', () => {
    const dp = run([f('Account', '*cgreq.Account', '*variable', '~*req.cgr_account')], req());
    expect((dp['*cgreq'] as DataMap).Account).toBe('1001');
  });
  it('*variable reads nested paths and other providers (*vars)', () => {
    const dp = run([f('L', '*cgreq.L', '*variable', '~*req.Nested.Deep.Leaf'), f('H', '*cgreq.OriginHost', '*variable', '~*vars.OriginHost')], req());
    expect(dp['*cgreq']).toEqual({ L: 'x', OriginHost: 'osips1' });
  });
  it('; concatenates constants and references', () => {
    const dp = run([f('ID', '*cgreq.OriginID', '*variable', '~*req.callid;-;~*req.from_tag')], req());
    expect((dp['*cgreq'] as DataMap).OriginID).toBe('abc@h-ft');
    const dp2 = run([f('ID', '*cgreq.OriginID', '*variable', '~*req.callid;`;`;~*req.from_tag')], req());
    expect((dp2['*cgreq'] as DataMap).OriginID).toBe('abc@h;ft');
  });
  it(':s/re/repl/ rewrites the value', () => {
    const dp = run([f('D', '*cgreq.Destination', '*variable', '~*req.Dest:s/^\\+49(\\d+)/0${1}/')], req());
    expect((dp['*cgreq'] as DataMap).Destination).toBe('086517174963');
  });
  it('{*converters} apply after reading', () => {
    const dp = run([f('U', '*cgreq.Usage', '*variable', '~*req.ms_duration{*multiply:1000000&*duration}')], req());
    expect((dp['*cgreq'] as DataMap).Usage).toBe('1m5.432s');
  });
  it('*composed appends to what the path already holds', () => {
    const dp = run([f('A', '*cgreq.X', '*composed', '~*req.cgr_account'), f('B', '*cgreq.X', '*composed', '-;~*req.from_tag')], req());
    expect((dp['*cgreq'] as DataMap).X).toBe('1001-ft');
  });
  it('*variable on a written path replaces it', () => {
    const dp = run([f('A', '*cgreq.X', '*constant', 'a'), f('B', '*cgreq.X', '*constant', 'b')], req());
    expect((dp['*cgreq'] as DataMap).X).toBe('b');
  });
  it('later fields read what earlier fields wrote', () => {
    const dp = run([f('A', '*cgreq.Account', '*variable', '~*req.cgr_account'), f('S', '*cgreq.Subject', '*variable', '~*cgreq.Account')], req());
    expect((dp['*cgreq'] as DataMap).Subject).toBe('1001');
  });
  it('an absent source skips a field that is not mandatory', () => {
    const dp = run([f('S', '*cgreq.Supplier', '*variable', '~*req.cgr_supplier')], req());
    expect(dp['*cgreq']).toBeUndefined();
  });
  it('an absent mandatory source is an error naming the tag', () => {
    expect(() => run([f('Supplier', '*cgreq.Supplier', '*variable', '~*req.cgr_supplier', { mandatory: true })], req())).toThrow(
      /mandatory field Supplier is missing \(\*req.cgr_supplier\)/,
    );
  });
  it('empty values (JSON null, empty string) are not written', () => {
    const dp = run([f('T', '*cgreq.ToTag', '*variable', '~*req.to_tag'), f('A', '*cgreq.Account', '*variable', '~*req.cgr_account')], req());
    expect(dp['*cgreq']).toEqual({ Account: '1001' });
  });
  it('field filters decide whether a field runs (inline filters need no FilterService)', () => {
    const dp = run([
      f('Pre', '*cgreq.Kind', '*constant', 'pre', { filters: ['*string:~*req.cgr_reqtype:*prepaid'] }),
      f('Post', '*cgreq.Kind2', '*constant', 'post', { filters: ['*string:~*req.cgr_reqtype:*postpaid'] }),
    ], req());
    expect(dp['*cgreq']).toEqual({ Kind: 'pre' });
  });
  it('filters that name profiles use the FilterService and tenant', () => {
    const fs = new FilterService({
      'cgrates.org:FLT_PRE': { tenant: 'cgrates.org', id: 'FLT_PRE', rules: [{ type: '*string', element: '~*req.cgr_reqtype', values: ['*prepaid'] }], activationInterval: null },
    });
    const dp = run([f('K', '*cgreq.K', '*constant', 'yes', { filters: ['FLT_PRE'] })], req(), { filters: fs, tenant: 'cgrates.org' });
    expect((dp['*cgreq'] as DataMap).K).toBe('yes');
    expect(() => run([f('K', '*cgreq.K', '*constant', 'yes', { filters: ['FLT_PRE'] })], req())).toThrow(/no FilterService/);
  });
  it('a blocker stops the template after its field', () => {
    const dp = run([f('A', '*cgreq.A', '*constant', '1', { blocker: true }), f('B', '*cgreq.B', '*constant', '2')], req());
    expect(dp['*cgreq']).toEqual({ A: '1' });
  });
  it('a blocker whose filters fail does not block', () => {
    const dp = run([
      f('A', '*cgreq.A', '*constant', '1', { blocker: true, filters: ['*string:~*req.cgr_account:9999'] }),
      f('B', '*cgreq.B', '*constant', '2'),
    ], req());
    expect(dp['*cgreq']).toEqual({ B: '2' });
  });
  it('*remove deletes a written field, *removeall empties its map', () => {
    const dp = run([f('A', '*cgreq.A', '*constant', '1'), f('B', '*cgreq.B', '*constant', '2'), f('R', '*cgreq.A', '*remove', '')], req());
    expect(dp['*cgreq']).toEqual({ B: '2' });
    const dp2 = run([f('A', '*cgreq.A', '*constant', '1'), f('R', '*cgreq', '*removeall', '')], req());
    expect(dp2['*cgreq']).toEqual({});
  });
  it('*none writes nothing', () => {
    const dp = run([f('N', '*cgreq.N', '*none', '')], req());
    expect(dp['*cgreq']).toBeUndefined();
  });
  it('*usage_difference is end minus start', () => {
    const dp = run([f('U', '*cgreq.Usage', '*usage_difference', '1700000065;~*req.time')], req());
    expect((dp['*cgreq'] as DataMap).Usage).toBe('1m5s');
  });
  it('*sum and *difference add and subtract numbers and durations', () => {
    const dp = run([f('S', '*cgreq.S', '*sum', '~*req.duration;5'), f('D', '*cgreq.D', '*difference', '1m;10s')], req());
    expect(dp['*cgreq']).toEqual({ S: '70', D: '50s' });
  });
  it('*cc_usage is used + interval × (request number − 1)', () => {
    const dp = run([f('U', '*cgreq.Usage', '*cc_usage', '3;20s;5m')], req());
    expect((dp['*cgreq'] as DataMap).Usage).toBe('10m20s');
  });
  it('*datetime formats with layout and timezone', () => {
    const dp = run([f('A', '*cgreq.AnswerTime', '*datetime', '~*req.time', { layout: '2006-01-02 15:04:05', timezone: 'UTC' })], req());
    expect((dp['*cgreq'] as DataMap).AnswerTime).toBe('2023-11-14 22:13:20');
  });
  it('*unix_timestamp prints seconds since the epoch', () => {
    const dp = run([f('T', '*cgreq.T', '*unix_timestamp', '2023-11-14T22:13:20Z')], req());
    expect((dp['*cgreq'] as DataMap).T).toBe('1700000000');
  });
  it('rounding_decimals rounds numeric output', () => {
    const dp = run([f('C', '*rep.Cost', '*variable', '~*cgrep.Cost', { rounding_decimals: 2 })], { '*cgrep': { Cost: 1.23456 } });
    expect((dp['*rep'] as DataMap).Cost).toBe('1.23');
  });
  it('nested output paths build nested maps, in template order', () => {
    const dp = run([
      f('RC', '*rep.Result-Code', '*constant', '2001'),
      f('T', '*rep.Granted-Service-Unit.CC-Time', '*variable', '~*cgrep.MaxUsage{*duration_seconds}'),
      f('O', '*rep.Origin-Host', '*constant', 'acc'),
    ], { '*cgrep': { MaxUsage: 300_000_000_000 } });
    expect(dp['*rep']).toEqual({ 'Result-Code': '2001', 'Granted-Service-Unit': { 'CC-Time': '300' }, 'Origin-Host': 'acc' });
    expect(Object.keys(dp['*rep'] as DataMap)).toEqual(['Result-Code', 'Granted-Service-Unit', 'Origin-Host']);
  });
  it('writes into any writable prefix (*vars, *diamreq, *cgrep)', () => {
    const dp = run([f('V', '*vars.X', '*constant', '1'), f('D', '*diamreq.Session-Id', '*variable', '~*req.callid')], req());
    expect((dp['*vars'] as DataMap).X).toBe('1');
    expect((dp['*diamreq'] as DataMap)['Session-Id']).toBe('abc@h');
  });
});

describe('agent template compile errors name template and field', () => {
  it('unknown type', () => expect(() => compileTemplate('rq', [f('A', '*cgreq.A', '*bogus', 'x')])).toThrow(/template rq field A: unsupported type <\*bogus>/));
  it('reading prefix used as output', () => expect(() => compileTemplate('rq', [f('A', '*req.A', '*constant', 'x')])).toThrow(/field A: cannot write <\*req>/));
  it('empty path', () => expect(() => compileTemplate('rq', [f('A', '', '*constant', 'x')])).toThrow(/field A: empty path/));
  it('empty value', () => expect(() => compileTemplate('rq', [f('A', '*cgreq.A', '*variable', '')])).toThrow(/field A: empty value/));
  it('bad regexp', () => expect(() => compileTemplate('rq', [f('A', '*cgreq.A', '*variable', '~*req.x:s/(/y/')])).toThrow(/field A:.*regular expression/));
  it('bad inline filter', () => expect(() => compileTemplate('rq', [f('A', '*cgreq.A', '*constant', 'x', { filters: ['*nope:~*req.a:1'] })])).toThrow(/field A:/));
  it('*usage_difference needs two values', () => expect(() => compileTemplate('rq', [f('U', '*cgreq.U', '*usage_difference', '~*req.a')])).toThrow(/field U: \*usage_difference needs 2/));
  it('a runtime value error names the field', () => {
    const t = compileTemplate('rq', [f('U', '*cgreq.U', '*usage_difference', '~*req.a;~*req.b')]);
    expect(() => processTemplate(t, { '*req': { a: 'not-a-time', b: '1' } })).toThrow(/template rq field U:/);
  });
});

describe('agent template fields from config JSON', () => {
  it('reads snake_case keys, defaults type to *variable and tag to path', () => {
    const t = fieldTemplateFromRaw({ path: '*cgreq.Account', value: '~*req.cgr_account', mandatory: true, rounding_decimals: 2, filters: ['*string:~*req.a:1'] }, 'x[0]');
    expect(t).toEqual({ tag: '*cgreq.Account', path: '*cgreq.Account', type: '*variable', value: '~*req.cgr_account', filters: ['*string:~*req.a:1'], mandatory: true, rounding_decimals: 2 });
  });
  it('rejects a non-object and a bad rounding_decimals', () => {
    expect(() => fieldTemplateFromRaw('x', 'opensips_agent.request_fields[2]')).toThrow(AgentTemplateError);
    expect(() => fieldTemplateFromRaw({ path: '*cgreq.A', rounding_decimals: 'two' }, 'w')).toThrow(/w \(\*cgreq.A\): rounding_decimals/);
  });
});
