// The engine's OpenSIPS side without an OpenSIPS: the `cgrates` module's captured requests
// (30-*, 31-*) replayed over real TCP connections to listen.birpc_json, and the event agent's
// authorization and session TTL driven with datagrams, with a UDP peer standing in for
// OpenSIPS's mi_datagram to see what the agent writes there.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../../src/api/client.js';
import { ROOT, freePorts, startEngine, type RunningEngine } from './harness.js';
import { captures } from '../agents/opensips/captures.js';

const S = 1e9;

/** A raw-JSON TCP connection as the cgrates module holds one: messages in, requests from AccuRate seen. */
class ModuleConn {
  readonly sock: net.Socket;
  private buf = '';
  private readonly waiting: ((m: Record<string, unknown>) => boolean)[] = [];
  readonly inbox: Record<string, unknown>[] = [];

  constructor(port: number) {
    this.sock = net.connect(port, '127.0.0.1');
    this.sock.on('data', (d) => {
      this.buf += d.toString();
      // AccuRate writes one JSON object per message with no delimiter: split on balanced braces
      let depth = 0;
      let inStr = false;
      let esc = false;
      let start = 0;
      for (let i = 0; i < this.buf.length; i++) {
        const c = this.buf[i];
        if (inStr) {
          if (esc) esc = false;
          else if (c === '\\') esc = true;
          else if (c === '"') inStr = false;
        } else if (c === '"') inStr = true;
        else if (c === '{') depth++;
        else if (c === '}' && --depth === 0) {
          const m = JSON.parse(this.buf.slice(start, i + 1));
          start = i + 1;
          this.inbox.push(m);
          for (let k = 0; k < this.waiting.length; k++) if (this.waiting[k](m)) this.waiting.splice(k--, 1);
        }
      }
      this.buf = this.buf.slice(start);
    });
  }

  connected(): Promise<void> {
    return new Promise((r) => (this.sock.readyState === 'open' ? r() : this.sock.once('connect', () => r())));
  }

  next(pred: (m: Record<string, unknown>) => boolean, ms = 15_000): Promise<Record<string, unknown>> {
    const have = this.inbox.find(pred);
    if (have) return Promise.resolve(have);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`nothing matching in ${ms} ms; inbox ${JSON.stringify(this.inbox).slice(0, 2000)}`)), ms);
      this.waiting.push((m) => (pred(m) ? (clearTimeout(t), res(m), true) : false));
    });
  }

  async ask(text: string, id: unknown = JSON.parse(text).id): Promise<Record<string, unknown>> {
    this.sock.write(text);
    return this.next((m) => m.id === id && !('method' in m));
  }
}

/** The captured requests OpenSIPS's cgrates module sent (RECV-FROM records), in order. */
function moduleRequests(file: string): string[] {
  return captures(file).filter((c) => c.head.includes('RECV-FROM')).map((c) => c.bytes.toString());
}

describe('the cgrates module side (listen.birpc_json) and the event agent, replayed', () => {
  let engine: RunningEngine;
  let rpcc: RpcClient;
  let birpc = 0;
  let agentPort = 0;
  let mi: UdpSocket;
  const miGot: Record<string, unknown>[] = [];
  const conns: ModuleConn[] = [];
  const rpc = <T = unknown>(m: string, p: unknown = {}) => rpcc.call(m, p) as Promise<T>;
  const conn = async () => {
    const c = new ModuleConn(birpc);
    conns.push(c);
    await c.connected();
    return c;
  };
  const cdrsOf = async (id: string, tries = 150) => {
    for (let i = 0; i < tries; i++) {
      const c = await rpc<Record<string, unknown>[]>('CDRsV1.GetCDRs', { OriginIDs: [id] }).catch(() => []);
      if (c.length > 0) return c;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no CDR for ${id}\n${engine.output().slice(-3000)}`);
  };
  const sendEvent = (name: string, params: Record<string, unknown>) =>
    new Promise<void>((r, j) => {
      const s = createSocket('udp4');
      s.send(JSON.stringify({ jsonrpc: '2.0', method: name, params }), agentPort, '127.0.0.1', (e) => (s.close(), e ? j(e) : r()));
    });

  beforeAll(async () => {
    const [rpcPort, bp, ap] = await freePorts(3);
    birpc = bp;
    agentPort = ap;
    // OpenSIPS's mi_datagram, stood in for: answers OK and records what the agent asks
    mi = createSocket('udp4');
    mi.on('message', (buf, r) => {
      const m = JSON.parse(buf.toString());
      miGot.push(m);
      mi.send(JSON.stringify({ jsonrpc: '2.0', result: 'OK', id: m.id }), r.port, r.address);
    });
    await new Promise<void>((r) => mi.bind(0, '127.0.0.1', () => r()));
    engine = await startEngine({
      configs: {
        'zz-osips.json': {
          listen: { rpc_json: `127.0.0.1:${rpcPort}`, birpc_json: `127.0.0.1:${birpc}` },
          sessions: { debit_interval: '5s' },
          opensips_agent: {
            enabled: true, birpc: true, listen: `127.0.0.1:${agentPort}`, mi_addr: `127.0.0.1:${mi.address().port}`,
            events_subscribe_interval: '0s', session_ttl: '10s',
          },
        },
      },
    });
    rpcc = await RpcClient.connect(`127.0.0.1:${rpcPort}`, { timeoutMs: 30_000 });
    expect(await rpc('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tutorials/osips_async/tp') })).toBe('OK');
  }, 60_000);

  afterAll(async () => {
    for (const c of conns) c.sock.destroy();
    rpcc?.close();
    await engine?.cleanup();
    mi?.close();
  }, 30_000);

  it('a captured call (30-*): authorize answers seconds, initiate nanoseconds, terminate and CDR OK, one CDR', async () => {
    const [auth, init, term, cdr] = moduleRequests('30-cgrates-module-jsonrpc.txt');
    const c = await conn();
    // the first request split across two writes (no delimiter, TCP cuts anywhere)
    c.sock.write(auth.slice(0, 37));
    await new Promise((r) => setTimeout(r, 50));
    const a = await c.ask(auth.slice(37), JSON.parse(auth).id);
    expect(a.error).toBeNull();
    const max = (a.result as { MaxUsage: number }).MaxUsage;
    expect(Number.isInteger(max)).toBe(true);
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(3 * 3600); // seconds, not nanoseconds
    const i = await c.ask(init);
    expect(i).toMatchObject({ error: null, result: { MaxUsage: 3 * 3600 * S } }); // a debit loop runs the call: max_call_duration, in ns
    expect(await c.ask(term)).toMatchObject({ result: 'OK', error: null });
    expect(await c.ask(cdr)).toMatchObject({ result: 'OK', error: null });
    const cdrs = await cdrsOf('1-25964@127.0.0.1');
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0]).toMatchObject({ Account: '1001', RequestType: '*prepaid', Usage: 3 * S });
  }, 30_000);

  it("a missed call's `Call-ID: x` OriginID is mended; two requests in one write both answered", async () => {
    const [, , , , auth2, cdr2] = moduleRequests('30-cgrates-module-jsonrpc.txt');
    const c = await conn();
    const id1 = JSON.parse(auth2).id;
    const id2 = JSON.parse(cdr2).id;
    c.sock.write(auth2 + cdr2);
    const r1 = await c.next((m) => m.id === id1);
    const r2 = await c.next((m) => m.id === id2);
    expect(r1.error).toBeNull();
    expect(r2).toMatchObject({ result: 'OK', error: null });
    const cdrs = await cdrsOf('1-25966@127.0.0.1');
    expect(cdrs[0]).toMatchObject({ Usage: 0, Destination: '1003' });
  }, 30_000);

  it('string unix times and Go durations accepted; compat_mode SMGenericV1 names', async () => {
    const c = await conn();
    const r = await c.ask(JSON.stringify({ method: 'SMGenericV1.GetMaxUsage', params: [{ Tenant: 'cgrates.org', Account: '1002', Subject: '1002', Destination: '1003', Category: 'call', RequestType: '*pseudoprepaid', OriginID: 'compat-1', SetupTime: '1795352079', Usage: '1m' }], id: 5 }));
    expect(r).toMatchObject({ id: 5, result: 60, error: null });
  });

  it('fail closed: an authorization that cannot be answered says so and grants nothing', async () => {
    const c = await conn();
    const r = await c.ask(JSON.stringify({ method: 'SessionSv1.AuthorizeEventWithDigest', params: [{ Tenant: 'cgrates.org', Event: { Account: 'nobody', Subject: 'nobody', Destination: '1002', Category: 'call', RequestType: '*prepaid', OriginID: 'nobody-1', SetupTime: '1795352079' }, GetMaxUsage: true }], id: 9 }));
    expect(r.result).toBeNull();
    expect(String(r.error)).toMatch(/NOT_FOUND|ACCOUNT/);
  });

  it('a dead connection (half a request, then silence) never blocks the others; several connections at once', async () => {
    const dead = await conn();
    dead.sock.write('{ "method": "SessionSv1.AuthorizeEventWithDigest", "id": 1, "params": [ { "Tenant": "cgr');
    const many = await Promise.all([conn(), conn(), conn()]);
    const replies = await Promise.all(many.map((c, k) => c.ask(JSON.stringify({ method: 'CoreSv1.Ping', params: [{}], id: 100 + k }))));
    expect(replies.map((r) => r.result)).toEqual(['Pong', 'Pong', 'Pong']);
    // nothing but the session API and liveness on this key-less port
    const denied = await many[0].ask(JSON.stringify({ method: 'APIerSv1.SetBalance', params: [{ Tenant: 'cgrates.org', Account: '1002', BalanceType: '*monetary', Value: 1000 }], id: 200 }));
    expect(denied).toMatchObject({ result: null, error: expect.stringMatching(/can't find method APIerSv1.SetBalance/) });
  });

  it('credit ending: SessionSv1.DisconnectSession on the connection that initiated, EventStart echoing DialogID/DialogEntry (31-*)', async () => {
    await rpc('APIerSv1.RemoveBalances', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*monetary' });
    await rpc('APIerSv1.RemoveBalances', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*voice' });
    await rpc('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*voice', Value: 7 * S, Balance: { ID: 'SEVEN' } });
    const [, init] = moduleRequests('31-cgrates-module-disconnect-session.txt');
    const other = await conn();
    const c = await conn();
    const now = String(Math.floor(Date.now() / 1000));
    const started = Date.now();
    const i = await c.ask(init.replace(/"1795352102"/g, `"${now}"`));
    expect(i.error).toBeNull();
    const d = await c.next((m) => m.method === 'SessionSv1.DisconnectSession', 20_000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThan(6000);
    expect(elapsed).toBeLessThan(10_000);
    const p = (d.params as Record<string, unknown>[])[0] as { Reason: string; EventStart: Record<string, unknown> };
    expect(p.Reason).toBe('INSUFFICIENT_CREDIT');
    expect(p.EventStart).toMatchObject({ OriginID: '1-26067@127.0.0.1', DialogID: 13564405, DialogEntry: 773 });
    c.sock.write(JSON.stringify({ error: null, result: 'OK', id: d.id }));
    expect(other.inbox.some((m) => m.method === 'SessionSv1.DisconnectSession')).toBe(false);
    const cdrs = await cdrsOf('1-26067@127.0.0.1');
    expect(cdrs[0]).toMatchObject({ Usage: 7 * S });
    const st = await rpc<{ BiRPC: { disconnects_sent: number } }>('OpenSIPSAgentV1.Status');
    expect(st.BiRPC.disconnects_sent).toBe(1);
  }, 40_000);

  it('session_ttl for the cgrates module: a session whose TerminateSession never comes is ended, DisconnectSession sent, CDR written', async () => {
    const c = await conn();
    const now = String(Math.floor(Date.now() / 1000));
    const i = await c.ask(JSON.stringify({ method: 'SessionSv1.InitiateSession', params: [{ Tenant: 'cgrates.org', Event: { Account: '1002', Subject: '1002', Destination: '1003', Category: 'call', RequestType: '*postpaid', OriginID: 'birpc-ttl@h', SetupTime: now, AnswerTime: now }, InitSession: true }], id: 77 }));
    expect(i.error).toBeNull();
    const d = await c.next((m) => m.method === 'SessionSv1.DisconnectSession', 25_000);
    expect((d.params as { Reason: string }[])[0].Reason).toBe('SESSION_TTL');
    c.sock.write(JSON.stringify({ error: null, result: 'OK', id: d.id }));
    const [cdr] = await cdrsOf('birpc-ttl@h');
    expect(cdr.Usage as number).toBeGreaterThanOrEqual(10 * S);
  }, 40_000);

  it('E_CGR_AUTHORIZE: answered into the local cache over MI; an unknown account gets its error and 0 s', async () => {
    await sendEvent('E_CGR_AUTHORIZE', { callid: 'auth-ok@h', from_tag: 'a', cgr_reqtype: '*pseudoprepaid', cgr_tenant: 'cgrates.org', cgr_account: '1002', cgr_subject: '1002', cgr_destination: '1003', cgr_category: 'call', time: String(Math.floor(Date.now() / 1000)) });
    await sendEvent('E_CGR_AUTHORIZE', { callid: 'auth-no@h', from_tag: 'b', cgr_reqtype: '*prepaid', cgr_tenant: 'cgrates.org', cgr_account: 'nobody', cgr_subject: 'nobody', cgr_destination: '1003', cgr_category: 'call', time: String(Math.floor(Date.now() / 1000)) });
    const stored = (attr: string) => miGot.find((m) => m.method === 'cache_store' && (m.params as { attr: string }).attr === attr)?.params as { system: string; value: string } | undefined;
    for (let i = 0; i < 50 && !(stored('auth-ok@h/cgr_notify') && stored('auth-no@h/cgr_notify')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stored('auth-ok@h/cgr_notify')).toMatchObject({ system: 'local', value: 'AUTH_OK' });
    expect(Number(stored('auth-ok@h/cgr_maxdur')!.value)).toBeGreaterThan(0);
    expect(stored('auth-no@h/cgr_notify')!.value).not.toBe('AUTH_OK');
    expect(stored('auth-no@h/cgr_maxdur')!.value).toBe('0');
    // cgr_maxdur is stored before cgr_notify: the script reads it once notify is there
    const order = miGot.filter((m) => m.method === 'cache_store').map((m) => (m.params as { attr: string }).attr);
    expect(order.indexOf('auth-ok@h/cgr_maxdur')).toBeLessThan(order.indexOf('auth-ok@h/cgr_notify'));
  }, 20_000);

  it('E_OPENSIPS_START (params-less notification): the agent subscribes again at once', async () => {
    const before = miGot.filter((m) => m.method === 'event_subscribe').length;
    await new Promise<void>((r, j) => {
      const s = createSocket('udp4');
      s.send('{"jsonrpc":"2.0","method":"E_OPENSIPS_START"}', agentPort, '127.0.0.1', (e) => (s.close(), e ? j(e) : r()));
    });
    for (let i = 0; i < 50 && miGot.filter((m) => m.method === 'event_subscribe').length === before; i++) await new Promise((r) => setTimeout(r, 100));
    const subs = miGot.filter((m) => m.method === 'event_subscribe').slice(before).map((m) => (m.params as { event: string; socket: string }));
    expect(subs.map((x) => x.event)).toContain('E_ACC_CDR');
    expect(subs[0].socket).toBe(`udp:127.0.0.1:${agentPort}`);
  });

  it('session_ttl: a prepaid call whose end never arrives still ends in a CDR (and is hung up over MI)', async () => {
    await rpc('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*voice', Value: 600 * S, Balance: { ID: 'TEN_MIN' } });
    const now = Math.floor(Date.now() / 1000);
    await sendEvent('E_ACC_EVENT', { method: 'INVITE', from_tag: 'ft', to_tag: 'tt', callid: 'lost-bye@h', sip_code: '200', sip_reason: 'OK', time: now, cgr_reqtype: '*prepaid', cgr_tenant: 'cgrates.org', cgr_account: '1001', cgr_subject: '1001', cgr_destination: '1002', dialog_id: 'abc.123' });
    const [c] = await cdrsOf('lost-bye@h', 250);
    expect(c).toMatchObject({ RequestType: '*prepaid', Account: '1001' });
    const end = miGot.find((m) => m.method === 'dlg_end_dlg' && (m.params as { dialog_id: string }).dialog_id === 'abc.123');
    expect(end).toBeDefined();
    expect((end!.params as { extra_hdrs: string }).extra_hdrs).toMatch(/^Reason: Q\.850;cause=16;text="AccuRate: session expired"\r\n$/);
    await new Promise((r) => setTimeout(r, 3000)); // later sweeps do not write it again
    expect(await cdrsOf('lost-bye@h')).toHaveLength(1);
  }, 30_000);

  it('a postpaid event-mode call whose BYE is lost is written as a CDR after session_ttl', async () => {
    const now = Math.floor(Date.now() / 1000);
    await sendEvent('E_ACC_EVENT', { method: 'INVITE', from_tag: 'ft', to_tag: 'tt', callid: 'lost-post@h', sip_code: '200', sip_reason: 'OK', time: now, cgr_reqtype: '*postpaid', cgr_tenant: 'cgrates.org', cgr_account: '1002', cgr_subject: '1002', cgr_destination: '1003' });
    const [c] = await cdrsOf('lost-post@h', 250);
    expect(c.ExtraFields).toMatchObject({ DisconnectCause: 'SESSION_TTL' });
    expect(c.Usage as number).toBeGreaterThanOrEqual(10 * S);
    await new Promise((r) => setTimeout(r, 3000)); // later sweeps do not write it again
    expect(await cdrsOf('lost-post@h')).toHaveLength(1);
  }, 30_000);

  it("a dialog that ended without its E_ACC_CDR (lost datagram): the session ends with the dialog's usage", async () => {
    const now = Math.floor(Date.now() / 1000);
    await sendEvent('E_ACC_EVENT', { method: 'INVITE', from_tag: 'ft', to_tag: 'tt', callid: 'lost-cdr@h', sip_code: '200', sip_reason: 'OK', time: now, cgr_reqtype: '*prepaid', cgr_tenant: 'cgrates.org', cgr_account: '1001', cgr_subject: '1001', cgr_destination: '1002', dialog_id: 'def.456' });
    await new Promise((r) => setTimeout(r, 500));
    await sendEvent('E_DLG_STATE_CHANGED', { id: 'def.456', db_id: '1', callid: 'lost-cdr@h', from_tag: 'ft', to_tag: 'tt', old_state: 4, new_state: 5 });
    const [c] = await cdrsOf('lost-cdr@h');
    expect(c.Usage as number).toBeLessThan(2.5 * S); // ended at the dialog's end, not at session_ttl (10 s) with a debit slice
    expect(miGot.some((m) => m.method === 'dlg_end_dlg' && (m.params as { dialog_id: string }).dialog_id === 'def.456')).toBe(false);
  }, 30_000);
});
