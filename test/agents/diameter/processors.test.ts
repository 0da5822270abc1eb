import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { silentLogger } from '../../../src/util/logger.js';
import { compileProcessors, processRequest, ProcessorConfigError, mapToAvps, baseDictionary, avpsToMap, encodeMessage, decodeMessage } from '../../../src/agents/diameter/index.js';

const TUTORIAL = new URL('../../../tutorials/osips_diam/etc/accurate/', import.meta.url).pathname;
const dict = baseDictionary();
// *dryrun must not reach SessionS: anything it would call fails the test.
const neverCalled = {
  authorize: async () => { throw new Error('SessionS must not be called under *dryrun'); },
  initiate: async () => { throw new Error('SessionS must not be called under *dryrun'); },
  update: async () => { throw new Error('SessionS must not be called under *dryrun'); },
  terminate: async () => { throw new Error('SessionS must not be called under *dryrun'); },
  processCDR: async () => { throw new Error('SessionS must not be called under *dryrun'); },
};
const deps = { sessions: neverCalled, log: silentLogger, defaultTenant: 'cgrates.org', timezone: 'UTC' };

function tutorialProcessors(): Record<string, unknown>[] {
  return readdirSync(TUTORIAL).filter((f) => f !== 'accurate.json').sort()
    .flatMap((f) => (parse(readFileSync(join(TUTORIAL, f), 'utf8')) as { diameter_agent: { request_processors: Record<string, unknown>[] } }).diameter_agent.request_processors);
}

const ccrI = {
  'Session-Id': 'abc', 'Origin-Host': 'client.diameter.test', 'Origin-Realm': 'diameter.test', 'Service-Context-Id': 'voice@x',
  'CC-Request-Type': '1', 'CC-Request-Number': '0', 'Event-Timestamp': '2026-11-22T12:53:18Z',
  'Subscription-Id': { 'Subscription-Id-Type': '0', 'Subscription-Id-Data': '1001' },
  'Requested-Service-Unit': { 'CC-Time': '300' },
  'Service-Information': { 'IMS-Information': { 'Calling-Party-Address': '1001', 'Called-Party-Address': '1002' } },
};

describe('Diameter request processors', () => {
  it('every tutorial processor file compiles', () => {
    const procs = compileProcessors(tutorialProcessors());
    expect(procs.map((p) => p.id)).toEqual(['AccountingStart', 'AccountingInterim', 'AccountingStop', 'AccountingEvent', 'SessionProcessCDR', 'SessionAuth', 'SessionInit', 'SessionTerminate']);
  });

  it('a bad processor is refused naming the processor and the field', () => {
    expect(() => compileProcessors([{ id: 'P1', flags: ['*bogus'] }])).toThrow(new ProcessorConfigError('diameter_agent.request_processors[P1].flags: unknown flag *bogus (known: ' + ['*authorize', '*initiate', '*update', '*terminate', '*message', '*event', '*cdrs', '*accounts', '*attributes', '*resources', '*routes', '*thresholds', '*stats', '*log', '*dryrun', '*continue', '*auth', '*fd', '*none'].join(', ') + ')'));
    expect(() => compileProcessors([{ id: 'P2', request_fields: [{ tag: 'X', path: '*cgreq.X', type: '*nope', value: 'a' }] }])).toThrow(/P2.*X.*unsupported type <\*nope>/);
    expect(() => compileProcessors([{ id: 'P3', filters: '*string:a:b' }])).toThrow(/P3\]\.filters: expected a list/);
  });

  it('*vars.*cmd and request fields select the processor; the event is built from *cgreq; *dryrun calls nothing', async () => {
    const raw = tutorialProcessors().map((p) => ({ ...p, flags: ['*dryrun'] }));
    const res = await processRequest(compileProcessors(raw), ccrI, { '*cmd': 'CCR' }, 'c1', deps);
    expect(res.ran).toEqual(['SessionAuth']);
    expect(Object.keys(res.rep)).toEqual(['Session-Id', 'Origin-Host', 'Origin-Realm', 'CC-Request-Type', 'CC-Request-Number', 'Result-Code']);
    expect(res.rep['Result-Code']).toBe('2001');
    const none = await processRequest(compileProcessors(raw), ccrI, { '*cmd': 'ACR' }, 'c1', deps);
    expect(none.ran).toEqual([]);
  });

  it('*continue runs the next matching processor too, sharing *rep', async () => {
    const procs = compileProcessors([
      { id: 'A', flags: ['*dryrun', '*continue'], reply_fields: [{ tag: 'a', path: '*rep.Result-Code', type: '*constant', value: '2001' }] },
      { id: 'B', flags: ['*dryrun'], reply_fields: [{ tag: 'b', path: '*rep.Error-Message', type: '*constant', value: 'b ran' }] },
      { id: 'C', flags: ['*dryrun'], reply_fields: [{ tag: 'c', path: '*rep.Error-Message', type: '*constant', value: 'c ran' }] },
    ]);
    const res = await processRequest(procs, ccrI, {}, 'c1', deps);
    expect(res.ran).toEqual(['A', 'B']);
    expect(res.rep).toEqual({ 'Result-Code': '2001', 'Error-Message': 'b ran' });
  });

  it('the reply map becomes AVPs in template order; nested maps are grouped; a fractional integer is truncated', () => {
    const avps = mapToAvps(dict, { 'Session-Id': 's', 'Result-Code': '2001', 'Granted-Service-Unit': { 'CC-Time': '70.9' } });
    const m = decodeMessage(encodeMessage({ flags: 0, commandCode: 272, appId: 4, hopByHop: 1, endToEnd: 1, avps }), dict);
    expect(m.avps.map((a) => a.def!.name)).toEqual(['Session-Id', 'Result-Code', 'Granted-Service-Unit']);
    expect(avpsToMap(m.avps)['Granted-Service-Unit']).toEqual({ 'CC-Time': '70' });
    expect(() => mapToAvps(dict, { 'No-Such-AVP': '1' })).toThrow(/"No-Such-AVP" is not in the dictionaries/);
  });
});
