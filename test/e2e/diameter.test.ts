// Step 7 acceptance over TCP with our own Diameter client: the osips_diam tutorial's config and tariff plan.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { A, ccr, dict, startDiameterEngine, type DiameterEngine } from './diameter-support.js';
import type { Acc, WireCdr } from './tutorial.js';
import {
  AVP_FLAG, CMD, CMD_FLAG, Framer, avpString, avpsToMap, connectPeer, decodeMessage, encodeMessage, findAvp, type DiameterMessage, type Peer,
} from '../../src/agents/diameter/index.js';

let e: DiameterEngine;
let c: Peer;

const rc = (m: DiameterMessage) => Number(avpString(findAvp(m.avps, 268)!));
const names = (m: DiameterMessage) => m.avps.map((a) => a.def?.name ?? String(a.code));
async function balance(acc: string): Promise<number> {
  const a = await e.call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: acc });
  return (a.BalanceMap['*monetary'] ?? []).reduce((s, b) => s + b.Value, 0);
}
const cdrsOf = (id: string) => e.call<WireCdr[]>('CDRsV1.GetCDRs', { OriginIDs: [id] }).catch(() => [] as WireCdr[]);
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

beforeAll(async () => {
  e = await startDiameterEngine();
  c = await connectPeer({ port: e.diameterPort, dict });
}, 60_000);
afterAll(async () => {
  await c?.close().catch(() => undefined);
  await e?.cleanup();
});

describe('Diameter agent: the tutorial prepaid, postpaid and error flows over TCP', () => {
  it('prepaid CCR-I grants CC-Time from the balance, CCR-U starts debiting, CCR-T refunds and writes one CDR', async () => {
    const before = await balance('1001');
    expect(before).toBe(10);
    const i = await c.request(CMD.CC, 4, ccr('pp-1', 1, 0, { requested: 10800 }));
    expect(rc(i)).toBe(2001);
    // 10 units at RT_20CNT: 0.4 connect + 0.2 for the first minute, then 0.1/min per second: 60 + 9.4/0.1×60 = 5700 s.
    expect(avpsToMap(i.avps)['Granted-Service-Unit']).toEqual({ 'CC-Time': '5700' });
    // Answer AVPs in the reply template's order (the OpenSIPS cfg reads them by position).
    expect(names(i)).toEqual(['Session-Id', 'Origin-Host', 'Origin-Realm', 'Auth-Application-Id', 'CC-Request-Type', 'CC-Request-Number', 'Result-Code', 'Granted-Service-Unit']);
    expect(avpsToMap(i.avps)).toMatchObject({ 'Session-Id': 'pp-1', 'Origin-Host': 'server.diameter.test', 'Origin-Realm': 'diameter.test', 'CC-Request-Type': '1', 'CC-Request-Number': '0' });
    expect(await balance('1001')).toBe(10); // authorize does not debit

    const u = await c.request(CMD.CC, 4, ccr('pp-1', 2, 1, { requested: 0 }));
    expect(rc(u)).toBe(2001);
    expect(round4(await balance('1001'))).toBe(9.4); // the first 60 s increment, connect fee included
    const active = await e.call<{ OriginID: string }[]>('SessionSv1.GetActiveSessions', {});
    expect(active.map((s) => s.OriginID)).toContain('pp-1');

    const t = await c.request(CMD.CC, 4, ccr('pp-1', 3, 2, { used: 65, cause: 1 }));
    expect(rc(t)).toBe(2001);
    // 65 s: 0.6 for the first minute + 5 s × 0.1/60 = 0.00833 → *up 4 → 0.6084.
    expect(round4(await balance('1001'))).toBe(round4(10 - 0.6084));
    let cdrs: WireCdr[] = [];
    for (let k = 0; k < 40 && cdrs.length === 0; k++) {
      cdrs = await cdrsOf('pp-1');
      if (!cdrs.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0]).toMatchObject({ RequestType: '*prepaid', Account: '1001', Destination: '1002', Cost: 0.6084 });
    expect(cdrs[0].Usage === '1m5s' || cdrs[0].Usage === 65e9).toBe(true);
    expect(JSON.stringify(cdrs[0])).toContain('"DisconnectCause":"1"');
  });

  it('postpaid EVENT (CC-Request-Type 4) writes a rated CDR and debits it', async () => {
    const before = await balance('1001');
    const ev = await c.request(CMD.CC, 4, ccr('post-1', 4, 0, { used: 120, cause: 1 }));
    expect(rc(ev)).toBe(2001);
    let cdrs: WireCdr[] = [];
    for (let k = 0; k < 40 && cdrs.length === 0; k++) {
      cdrs = await cdrsOf('post-1');
      if (!cdrs.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(cdrs).toHaveLength(1);
    // 120 s: 0.6 + 60 × 0.1/60 = 0.7.
    expect(cdrs[0]).toMatchObject({ RequestType: '*postpaid', Cost: 0.7 });
    expect(round4(await balance('1001'))).toBe(round4(before - 0.7));
  });

  it('no credit: CCR-I is answered 4012', async () => {
    await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'poor' });
    const a = await c.request(CMD.CC, 4, ccr('poor-1', 1, 0, { account: 'poor', requested: 300 }));
    expect(rc(a)).toBe(4012);
    expect(findAvp(a.avps, 431)).toBeUndefined();
  });

  it('an account allowed to go negative is granted what it asked, not an "unlimited" -1', async () => {
    await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: '1001', AllowNegative: true });
    try {
      const a = await c.request(CMD.CC, 4, ccr('neg-1', 1, 0, { requested: 600 }));
      expect(rc(a)).toBe(2001);
      expect(avpsToMap(a.avps)['Granted-Service-Unit']).toEqual({ 'CC-Time': '600' });
    } finally {
      await e.call('APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: '1001', AllowNegative: false });
    }
  });

  it('an unknown account is answered as the reply template says (5030)', async () => {
    const a = await c.request(CMD.CC, 4, ccr('nobody-1', 1, 0, { account: 'nobody', requested: 300 }));
    expect(rc(a)).toBe(5030);
  });

  it('unknown optional AVP ignored; unknown mandatory AVP gets 5001 with Failed-AVP; the next request is answered', async () => {
    type St = { Counters: { bad_input: number; requests: number; peers_open: number }; Peers: { Peer: string; State: string }[] };
    const before = await e.call<St>('DiameterAgentV1.Status', {});
    const opt = await c.request(CMD.CC, 4, ccr('x-1', 1, 0, { requested: 60, extra: [{ code: 77777, vendorId: 0, flags: 0, data: Buffer.from('ignored') }] }));
    expect(rc(opt)).toBe(2001);
    const m = await c.request(CMD.CC, 4, ccr('x-2', 1, 0, { requested: 60, extra: [{ code: 77778, vendorId: 0, flags: AVP_FLAG.M, data: Buffer.from('must') }] }));
    expect(rc(m)).toBe(5001);
    expect(findAvp(m.avps, 279)!.children![0].code).toBe(77778);
    expect(rc(await c.request(CMD.CC, 4, ccr('x-3', 1, 0, { requested: 60 })))).toBe(2001);
    // The malformed request is counted where an operator looks: DiameterAgentV1.Status.
    const after = await e.call<St>('DiameterAgentV1.Status', {});
    expect(after.Counters.bad_input - before.Counters.bad_input).toBe(1);
    expect(after.Counters.peers_open).toBeGreaterThanOrEqual(1);
    expect(after.Peers.some((p) => p.State === 'open')).toBe(true);
  });

  it('two CCRs in one TCP write are both answered, and a CCR split byte by byte is answered', async () => {
    const s = net.connect({ port: e.diameterPort, host: '127.0.0.1' });
    await new Promise((r) => s.once('connect', r));
    const framer = new Framer();
    const got: DiameterMessage[] = [];
    s.on('data', (d) => got.push(...framer.push(d).map((f) => decodeMessage(f, dict))));
    const wait = async (n: number) => {
      for (let k = 0; k < 300 && got.length < n; k++) await new Promise((r) => setTimeout(r, 20));
      expect(got.length).toBe(n);
    };
    const msg = (cmd: number, app: number, avps: ReturnType<typeof A>[], hbh: number) =>
      encodeMessage({ flags: CMD_FLAG.R | (cmd === CMD.CC ? CMD_FLAG.P : 0), commandCode: cmd, appId: app, hopByHop: hbh, endToEnd: hbh, avps });
    s.write(msg(CMD.CE, 0, [A('Origin-Host', 'raw.diameter.test'), A('Origin-Realm', 'diameter.test'), A('Host-IP-Address', '127.0.0.1'), A('Vendor-Id', 0), A('Product-Name', 'raw'), A('Auth-Application-Id', 4)], 1));
    await wait(1);
    expect(rc(got[0])).toBe(2001);
    s.write(Buffer.concat([msg(CMD.CC, 4, ccr('two-1', 1, 0, { requested: 60 }), 2), msg(CMD.CC, 4, ccr('two-2', 1, 0, { requested: 60 }), 3)]));
    await wait(3);
    expect(got.slice(1).map((m) => [m.hopByHop, rc(m)]).sort()).toEqual([[2, 2001], [3, 2001]]);
    const split = msg(CMD.CC, 4, ccr('split-1', 1, 0, { requested: 60 }), 4);
    for (const b of split) {
      s.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    await wait(4);
    expect(got[3].hopByHop).toBe(4);
    expect(rc(got[3])).toBe(2001);
    expect(avpsToMap(got[3].avps)['Granted-Service-Unit']).toEqual({ 'CC-Time': '60' });
    s.destroy();
  });

  it('a request no processor matches still gets an answer (5012), never silence', async () => {
    const a = await c.request(CMD.CC, 4, ccr('nomatch-1', 1, 0, { requested: 60 }).map((x) => (x.code === 461 ? A('Service-Context-Id', 'data@x') : x)));
    expect(rc(a)).toBe(5012);
    // An unknown command is a protocol error: 3001 with the E bit; an application we do not serve, 3007.
    const unknown = await c.request(99001, 4, ccr('cmd-1', 1, 0));
    expect(rc(unknown)).toBe(3001);
    expect(unknown.flags & CMD_FLAG.E).toBe(CMD_FLAG.E);
    const noVoice = ccr('app-1', 1, 0, { requested: 60 }).map((x) => (x.code === 461 ? A('Service-Context-Id', 'data@x') : x));
    expect(rc(await c.request(CMD.CC, 16777238, noVoice))).toBe(3007);
  });
});
