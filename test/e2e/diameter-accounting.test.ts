// Accounting (ACR/ACA, application 3) and forced disconnect (ASR) with our own Diameter client
// against the tutorial config; tp_cut adds account 1005 with 0.05 at 0.01/s.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { ROOT, freePort, startEngine } from './harness.js';
import { A, ccr, dict, tutorialConfigs, type DiameterEngine } from './diameter-support.js';
import type { Acc, WireCdr } from './tutorial.js';
import { AVP_FLAG, CMD, avpByName, avpString, avpsToMap, baseDictionary, connectPeer, findAvp, type DiameterMessage, type Peer } from '../../src/agents/diameter/index.js';
import { readFileSync } from 'node:fs';

let e: DiameterEngine;
let c: Peer;
const asrs: DiameterMessage[] = [];
const rc = (m: DiameterMessage) => Number(avpString(findAvp(m.avps, 268)!));
async function balance(acc: string): Promise<number> {
  const a = await e.call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: acc });
  return Math.round((a.BalanceMap['*monetary'] ?? []).reduce((s, b) => s + b.Value, 0) * 1e4) / 1e4;
}
async function cdrs(id: string): Promise<WireCdr[]> {
  for (let i = 0; i < 50; i++) {
    const r = await e.call<WireCdr[]>('CDRsV1.GetCDRs', { OriginIDs: [id] }).catch(() => [] as WireCdr[]);
    if (r.length) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  return [];
}
function acr(sessionId: string, type: number, n: number, extra: ReturnType<typeof A>[] = []) {
  return [
    A('Session-Id', sessionId), A('Origin-Host', 'client.diameter.test'), A('Origin-Realm', 'diameter.test'), A('Destination-Realm', 'diameter.test'),
    A('Accounting-Record-Type', type), A('Accounting-Record-Number', n), A('Acct-Application-Id', 3), A('User-Name', '1001'), A('Sip-Uri-User', '1002'),
    A('Event-Timestamp', new Date()), ...extra,
  ];
}

beforeAll(async () => {
  const diameterPort = await freePort();
  e = Object.assign(await startEngine({ configs: await tutorialConfigs(diameterPort) }), { diameterPort });
  expect(await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'test/fixtures/diameter/tp_cut') })).toBe('OK');
  c = await connectPeer({
    port: diameterPort, dict,
    onRequest: async (req) => {
      asrs.push(req);
      return [A('Result-Code', 2001), ...c.originAvps()];
    },
  });
}, 60_000);
afterAll(async () => {
  await c?.close().catch(() => undefined);
  await e?.cleanup();
});

describe('Diameter accounting and forced disconnect', () => {
  it('ACR START starts a session, INTERIM keeps it, STOP ends it with its Sip-Call-Duration and writes the CDR; ACAs echo the record', async () => {
    const start = await c.request(CMD.AC, 3, acr('acc-1', 2, 0));
    expect(rc(start)).toBe(2001);
    expect(avpsToMap(start.avps)).toMatchObject({ 'Accounting-Record-Type': '2', 'Accounting-Record-Number': '0', 'Session-Id': 'acc-1' });
    expect(await balance('1001')).toBe(9.4);
    expect(rc(await c.request(CMD.AC, 3, acr('acc-1', 3, 1)))).toBe(2001);
    const stop = await c.request(CMD.AC, 3, acr('acc-1', 4, 2, [A('Sip-Call-Duration', 90)]));
    expect(rc(stop)).toBe(2001);
    const list = await cdrs('acc-1');
    expect(list).toHaveLength(1);
    // 90 s: 0.6 for the first minute + 30 s × 0.1/60 = 0.65.
    expect(list[0]).toMatchObject({ RequestType: '*prepaid', Account: '1001', Destination: '1002', Cost: 0.65 });
    expect(await balance('1001')).toBe(9.35);
  });

  it('ACR EVENT writes a postpaid CDR', async () => {
    expect(rc(await c.request(CMD.AC, 3, acr('acc-ev', 1, 0, [A('Sip-Call-Duration', 30)])))).toBe(2001);
    const list = await cdrs('acc-ev');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ RequestType: '*postpaid', Cost: 0.6 });
  });

  it('credit exhausted: SessionS ends the session and the agent sends an ASR to the owning peer; a late CCR-T is not charged again', async () => {
    const i = await c.request(CMD.CC, 4, ccr('asr-1', 1, 0, { account: '1005', requested: 300 }));
    expect(rc(i)).toBe(2001);
    expect(avpsToMap(i.avps)['Granted-Service-Unit']).toEqual({ 'CC-Time': '5' });
    expect(rc(await c.request(CMD.CC, 4, ccr('asr-1', 2, 1, { account: '1005', requested: 0 })))).toBe(2001);
    for (let k = 0; k < 150 && asrs.length === 0; k++) await new Promise((r) => setTimeout(r, 100));
    expect(asrs).toHaveLength(1);
    expect(asrs[0].commandCode).toBe(CMD.AS);
    expect(avpsToMap(asrs[0].avps)).toMatchObject({ 'Session-Id': 'asr-1', 'Destination-Host': 'client.diameter.test', 'Auth-Application-Id': '4', 'Origin-Host': 'server.diameter.test' });
    expect(await balance('1005')).toBe(0);
    const t = await c.request(CMD.CC, 4, ccr('asr-1', 3, 2, { account: '1005', used: 6, cause: 6 }));
    expect(rc(t)).toBe(2001);
    expect(await balance('1005')).toBe(0);
    expect(await cdrs('asr-1')).toHaveLength(1);
  });

  it('prepaid on a per-second rate: the debit loop debits every 5 s ahead, CCR-T refunds what was not used', async () => {
    expect(await e.call('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: '1005', BalanceType: '*monetary', Value: 1, Balance: { ID: 'balance_short' } })).toBe('OK');
    const i = await c.request(CMD.CC, 4, ccr('refund-1', 1, 0, { account: '1005', requested: 300 }));
    expect(avpsToMap(i.avps)['Granted-Service-Unit']).toEqual({ 'CC-Time': '100' }); // 1 at 0.01/s
    expect(rc(await c.request(CMD.CC, 4, ccr('refund-1', 2, 1, { account: '1005', requested: 0 })))).toBe(2001);
    expect(await balance('1005')).toBe(0.95); // the first 5 s slice
    for (let k = 0; k < 100 && (await balance('1005')) > 0.9; k++) await new Promise((r) => setTimeout(r, 100));
    expect(await balance('1005')).toBe(0.9); // the next slice, debited ahead
    const t = await c.request(CMD.CC, 4, ccr('refund-1', 3, 2, { account: '1005', used: 7, cause: 1 }));
    expect(rc(t)).toBe(2001);
    expect(await balance('1005')).toBe(0.93); // 3 s of the second slice refunded
    const list = await cdrs('refund-1');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ Cost: 0.07, Usage: 7e9 });
  });

  it('SessionSv1.ForceDisconnect ends a Diameter session and the agent sends an ASR to its peer', async () => {
    asrs.length = 0;
    expect(rc(await c.request(CMD.CC, 4, ccr('api-1', 2, 1, { requested: 0 })))).toBe(2001);
    expect(await e.call('SessionSv1.ForceDisconnect', { OriginID: 'api-1' })).toBe('OK');
    for (let k = 0; k < 50 && asrs.length === 0; k++) await new Promise((r) => setTimeout(r, 100));
    expect(asrs.map((m) => [m.commandCode, avpsToMap(m.avps)['Session-Id']])).toEqual([[CMD.AS, 'api-1']]);
    expect(await cdrs('api-1')).toHaveLength(1);
  });
});

describe('forced_disconnect *rar with a custom rar_template', () => {
  let e2: DiameterEngine;
  let c2: Peer;
  const rars: DiameterMessage[] = [];
  beforeAll(async () => {
    const diameterPort = await freePort();
    // A custom template from the `templates` section, as CGRateS configs name them in rar_template.
    const myRar = [
      { tag: 'SessionId', path: '*diamreq.Session-Id', type: '*variable', value: '~*req.Session-Id', mandatory: true },
      { tag: 'DestinationRealm', path: '*diamreq.Destination-Realm', type: '*variable', value: '~*req.Origin-Realm', mandatory: true },
      { tag: 'DestinationHost', path: '*diamreq.Destination-Host', type: '*variable', value: '~*req.Origin-Host', mandatory: true },
      { tag: 'AuthApplicationId', path: '*diamreq.Auth-Application-Id', type: '*variable', value: '~*vars.*appid', mandatory: true },
      { tag: 'ReAuthRequestType', path: '*diamreq.Re-Auth-Request-Type', type: '*constant', value: '1' },
      { tag: 'Account', path: '*diamreq.User-Name', type: '*variable', value: '~*cgreq.Account' },
    ];
    e2 = Object.assign(await startEngine({
      configs: {
        ...(await tutorialConfigs(diameterPort, { forced_disconnect: '*rar', rar_template: 'my_rar', dictionaries_path: join(ROOT, 'test/fixtures/diameter/dict') })),
        '30-templates.json': { templates: { my_rar: myRar } },
      },
    }), { diameterPort });
    expect(await e2.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'test/fixtures/diameter/tp_cut') })).toBe('OK');
    c2 = await connectPeer({ port: diameterPort, dict, onRequest: async (req) => { rars.push(req); return [A('Result-Code', 2001), ...c2.originAvps()]; } });
  }, 60_000);
  afterAll(async () => {
    await c2?.close().catch(() => undefined);
    await e2?.cleanup();
  });

  it('sends a Re-Auth-Request built from rar_template (a custom template)', async () => {
    expect(rc(await c2.request(CMD.CC, 4, ccr('rar-1', 2, 1, { requested: 0 })))).toBe(2001);
    expect(await e2.call('SessionSv1.ForceDisconnect', { OriginID: 'rar-1' })).toBe('OK');
    for (let k = 0; k < 50 && rars.length === 0; k++) await new Promise((r) => setTimeout(r, 100));
    expect(rars).toHaveLength(1);
    expect(rars[0].commandCode).toBe(CMD.RA);
    expect(avpsToMap(rars[0].avps)).toMatchObject({ 'Session-Id': 'rar-1', 'Re-Auth-Request-Type': '1', 'Auth-Application-Id': '4', 'User-Name': '1001', 'Origin-Host': 'server.diameter.test' });
  });

  it('dictionaries_path: AVPs from its text files are known, so a mandatory one is not refused', async () => {
    const d2 = baseDictionary();
    d2.loadText(readFileSync(join(ROOT, 'test/fixtures/diameter/dict/custom.dict'), 'utf8'), 'custom.dict');
    const custom = avpByName(d2, 'AccuRate-Test-Group', [avpByName(d2, 'AccuRate-Test-Tag', 'x')]);
    expect(custom.flags & AVP_FLAG.M).toBe(AVP_FLAG.M);
    const a = await c2.request(CMD.CC, 4, ccr('dict-1', 1, 0, { requested: 60, extra: [custom] }));
    expect(rc(a)).toBe(2001);
    expect(e2.output()).toMatch(/diameter dictionaries: 1 file\(s\) from .*test\/fixtures\/diameter\/dict/);
  });
});
