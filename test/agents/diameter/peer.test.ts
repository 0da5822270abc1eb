import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { silentLogger } from '../../../src/util/logger.js';
import { baseDictionary } from '../../../src/agents/diameter/dictionary/index.js';
import { APP, CMD, Peer } from '../../../src/agents/diameter/peer.js';
import { connectPeer } from '../../../src/agents/diameter/client.js';
import { AVP_FLAG, CMD_FLAG, RESULT, avpByName, avpString, avpsToMap, decodeMessage, encodeMessage, findAvp, type DiameterMessage } from '../../../src/agents/diameter/codec.js';
import { Framer } from '../../../src/agents/diameter/framing.js';

const dict = baseDictionary();
const A = (n: string, v: unknown) => avpByName(dict, n, v);
const serverIdentity = {
  originHost: 'server.diameter.test', originRealm: 'diameter.test', vendorId: 0, productName: 'AccuRate', hostIpAddresses: ['127.0.0.1'],
  authAppIds: [APP.CREDIT_CONTROL], acctAppIds: [APP.ACCOUNTING], supportedVendorIds: [10415], originStateId: 7,
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A responder whose application echoes the CC-Request-Number and answers 2001. */
async function server(opts: { watchdogMs?: number; synced?: boolean } = {}) {
  const peers: Peer[] = [];
  const srv = net.createServer((socket) => {
    peers.push(new Peer({
      socket, dict, local: serverIdentity, role: 'responder', log: silentLogger, watchdogMs: opts.watchdogMs ?? 0, synced: opts.synced,
      onRequest: async (req) => {
        const n = findAvp(req.avps, 415);
        if (n && avpString(n) === '666') throw new Error('boom');
        // Request number 100 is slow: shows whether later requests overtake it.
        if (n && avpString(n) === '100') await new Promise((r) => setTimeout(r, 200));
        return [A('Result-Code', 2001), ...(n ? [n] : [])];
      },
    }));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => { for (const p of peers) p.close().catch(() => undefined); srv.close(() => r()); }));
  return { port: (srv.address() as net.AddressInfo).port, peers };
}

function ccr(n: number, extra: ReturnType<typeof A>[] = []): ReturnType<typeof A>[] {
  return [A('Session-Id', `s;${n}`), A('Origin-Host', 'client.diameter.test'), A('Origin-Realm', 'diameter.test'), A('Auth-Application-Id', 4), A('CC-Request-Type', 1), A('CC-Request-Number', n), ...extra];
}

/** A raw TCP client that does the CER itself, for byte-level tests. */
async function rawClient(port: number) {
  const s = net.connect({ port, host: '127.0.0.1' });
  await new Promise((r) => s.once('connect', r));
  const framer = new Framer();
  const got: DiameterMessage[] = [];
  s.on('data', (c) => got.push(...framer.push(c).map((f) => decodeMessage(f, dict))));
  cleanups.push(() => void s.destroy());
  const waitFor = async (n: number) => {
    for (let i = 0; i < 200 && got.length < n; i++) await new Promise((r) => setTimeout(r, 25));
    expect(got.length).toBeGreaterThanOrEqual(n);
    return got;
  };
  const req = (cmd: number, app: number, avps: ReturnType<typeof A>[], hbh: number): Buffer =>
    encodeMessage({ flags: CMD_FLAG.R, commandCode: cmd, appId: app, hopByHop: hbh, endToEnd: hbh, avps });
  return { s, got, waitFor, req };
}

const resultOf = (m: DiameterMessage) => Number(avpString(findAvp(m.avps, 268)!));

describe('Diameter peer (RFC 6733)', () => {
  it('CER/CEA: the initiator reaches OPEN and the CEA advertises Credit-Control (4) and Accounting (3)', async () => {
    const { port, peers } = await server();
    const c = await connectPeer({ port });
    cleanups.push(() => c.close());
    expect(c.state).toBe('open');
    expect(c.remoteHost).toBe('server.diameter.test');
    expect(peers[0].state).toBe('open');
    expect(peers[0].remoteHost).toBe('client.diameter.test');
  });

  it('a CER with no common application gets 5010', async () => {
    const { port } = await server();
    await expect(connectPeer({ port, local: { authAppIds: [16777238], acctAppIds: [] } })).rejects.toThrow(/5010/);
  });

  it('DWR is answered by DWA with the Origin-State-Id', async () => {
    const { port } = await server();
    const c = await connectPeer({ port });
    cleanups.push(() => c.close());
    const dwa = await c.request(CMD.DW, APP.COMMON, c.originAvps());
    expect(resultOf(dwa)).toBe(2001);
    expect(avpString(findAvp(dwa.avps, 278)!)).toBe('7');
  });

  it('the watchdog probes a silent peer with DWR, both ways', async () => {
    const { port, peers } = await server({ watchdogMs: 200 });
    const c = await connectPeer({ port, watchdogMs: 200 });
    cleanups.push(() => c.close());
    for (let i = 0; i < 100 && (c.stats.requests === 0 || peers[0].stats.requests < 2); i++) await new Promise((r) => setTimeout(r, 20));
    expect(c.stats.requests).toBeGreaterThan(0); // the server's DWRs reached the client
    expect(peers[0].stats.requests).toBeGreaterThan(1); // CER + the client's DWRs
    expect(c.state).toBe('open');
  });

  it('a peer that leaves our DWR unanswered is disconnected (RFC 3539)', async () => {
    const { port, peers } = await server({ watchdogMs: 150 });
    const r = await rawClient(port); // answers nothing after the CER
    r.s.write(r.req(CMD.CE, 0, [A('Origin-Host', 'mute.test'), A('Origin-Realm', 'test'), A('Auth-Application-Id', 4)], 1));
    await r.waitFor(2); // CEA, then our DWR
    expect(r.got[1].commandCode).toBe(CMD.DW);
    await peers[0].closed();
    expect(peers[0].state).toBe('closed');
  });

  it('DPR/DPA on close: both sides end the connection', async () => {
    const { port, peers } = await server();
    const c = await connectPeer({ port });
    await c.close();
    await peers[0].closed();
    expect(peers[0].state).toBe('closed');
  });

  it('an application error still gets an answer (5012), and the connection keeps serving', async () => {
    const { port } = await server();
    const c = await connectPeer({ port });
    cleanups.push(() => c.close());
    const bad = await c.request(CMD.CC, 4, ccr(666));
    expect(resultOf(bad)).toBe(RESULT.UNABLE_TO_COMPLY);
    expect(avpString(findAvp(bad.avps, 281)!)).toBe('boom');
    expect(resultOf(await c.request(CMD.CC, 4, ccr(1)))).toBe(2001);
  });

  it('unknown optional AVP ignored; unknown mandatory AVP answered 5001 with it in Failed-AVP; next request answered', async () => {
    const { port } = await server();
    const c = await connectPeer({ port });
    cleanups.push(() => c.close());
    const opt = { code: 99999, vendorId: 0, flags: 0, data: Buffer.from('x') };
    expect(resultOf(await c.request(CMD.CC, 4, ccr(1, [opt])))).toBe(2001);
    const mand = { code: 99998, vendorId: 0, flags: AVP_FLAG.M, data: Buffer.from('yyyy') };
    const a = await c.request(CMD.CC, 4, ccr(2, [mand]));
    expect(resultOf(a)).toBe(RESULT.AVP_UNSUPPORTED);
    const failed = findAvp(a.avps, 279)!;
    expect(failed.children![0]).toMatchObject({ code: 99998 });
    expect(failed.children![0].data.toString()).toBe('yyyy');
    expect(avpString(findAvp(a.avps, 263)!)).toBe('s;2');
    expect(resultOf(await c.request(CMD.CC, 4, ccr(3)))).toBe(2001);
  });

  it('two requests in one TCP write are both answered; one split byte by byte is answered', async () => {
    const { port } = await server();
    const r = await rawClient(port);
    r.s.write(r.req(CMD.CE, 0, [A('Origin-Host', 'raw.test'), A('Origin-Realm', 'test'), A('Host-IP-Address', '127.0.0.1'), A('Vendor-Id', 0), A('Product-Name', 'raw'), A('Auth-Application-Id', 4)], 1));
    await r.waitFor(1);
    expect(resultOf(r.got[0])).toBe(2001);
    r.s.write(Buffer.concat([r.req(CMD.CC, 4, ccr(10), 10), r.req(CMD.CC, 4, ccr(11), 11)]));
    await r.waitFor(3);
    expect(r.got.slice(1, 3).map((m) => avpsToMap(m.avps)['CC-Request-Number']).sort()).toEqual(['10', '11']);
    const split = r.req(CMD.CC, 4, ccr(12), 12);
    for (const b of split) {
      r.s.write(Buffer.from([b]));
      await new Promise((res) => setImmediate(res));
    }
    await r.waitFor(4);
    expect(r.got[3].hopByHop).toBe(12);
    expect(resultOf(r.got[3])).toBe(2001);
  });

  it('a bad AVP length gets 5014 and bad header bits 3008, and the connection stays usable', async () => {
    const { port } = await server();
    const r = await rawClient(port);
    r.s.write(r.req(CMD.CE, 0, [A('Origin-Host', 'raw.test'), A('Origin-Realm', 'test'), A('Auth-Application-Id', 4)], 1));
    await r.waitFor(1);
    const bad = r.req(CMD.CC, 4, ccr(20), 20);
    bad.writeUInt32BE((AVP_FLAG.M << 24) | 4000, 24);
    r.s.write(bad);
    await r.waitFor(2);
    expect(resultOf(r.got[1])).toBe(RESULT.INVALID_AVP_LENGTH);
    expect(r.got[1].flags & CMD_FLAG.E).toBe(0);
    const bits = r.req(CMD.CC, 4, ccr(21), 21);
    bits[4] = CMD_FLAG.R | 0x01;
    r.s.write(bits);
    await r.waitFor(3);
    expect(resultOf(r.got[2])).toBe(RESULT.INVALID_HDR_BITS);
    expect(r.got[2].flags & CMD_FLAG.E).toBe(CMD_FLAG.E);
    r.s.write(r.req(CMD.CC, 4, ccr(22), 22));
    await r.waitFor(4);
    expect(resultOf(r.got[3])).toBe(2001);
  });

  it('requests on one connection run concurrently, or one at a time with synced_conn_requests', async () => {
    for (const synced of [false, true]) {
      const { port } = await server({ synced });
      const r = await rawClient(port);
      r.s.write(r.req(CMD.CE, 0, [A('Origin-Host', 'raw.test'), A('Origin-Realm', 'test'), A('Auth-Application-Id', 4)], 1));
      await r.waitFor(1);
      r.s.write(Buffer.concat([r.req(CMD.CC, 4, ccr(100), 100), r.req(CMD.CC, 4, ccr(101), 101)]));
      await r.waitFor(3);
      expect(r.got.slice(1).map((m) => m.hopByHop)).toEqual(synced ? [100, 101] : [101, 100]);
    }
  });

  it('an application request before the CER is refused (3010), not processed', async () => {
    const { port } = await server();
    const r = await rawClient(port);
    r.s.write(r.req(CMD.CC, 4, ccr(1), 5));
    await r.waitFor(1);
    expect(resultOf(r.got[0])).toBe(3010);
  });
});
