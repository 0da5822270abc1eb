// The MI client against a UDP peer that answers with the replies captured from OpenSIPS 3.6.8
// (10-mi-datagram-basic.txt, 11-*): matching by id, error replies, timeouts, retries with back-off.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MiClient, MiError } from '../../../src/agents/opensips/mi.js';
import { captures } from './captures.js';

/** Captured request method → captured reply body (the id is put back to the asker's). */
function capturedReplies(): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const file of ['10-mi-datagram-basic.txt', '11-mi-event-subscribe-and-dlg-end-dlg.txt']) {
    const c = captures(file);
    for (let i = 0; i + 1 < c.length; i++) {
      if (!c[i].head.includes('request') || !c[i + 1].head.includes('reply')) continue;
      try {
        const req = JSON.parse(c[i].bytes.toString());
        const rep = JSON.parse(c[i + 1].bytes.toString());
        const key = `${req.method}:${JSON.stringify(req.params ?? null)}`;
        if (!out.has(key)) out.set(key, rep);
      } catch {
        /* the non-JSON probes */
      }
    }
  }
  return out;
}

interface Peer {
  sock: Socket;
  port: number;
  got: { at: number; msg: Record<string, unknown> }[];
}

async function peer(answer: (msg: Record<string, unknown>, n: number) => Buffer | undefined): Promise<Peer> {
  const sock = createSocket('udp4');
  const got: Peer['got'] = [];
  sock.on('message', (buf, r) => {
    const msg = JSON.parse(buf.toString());
    got.push({ at: Date.now(), msg });
    const reply = answer(msg, got.length);
    if (reply) sock.send(reply, r.port, r.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return { sock, port: sock.address().port, got };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup(answer: Parameters<typeof peer>[0], opts: { timeout?: number; retries?: number } = {}) {
  const p = await peer(answer);
  const mi = new MiClient({ address: `127.0.0.1:${p.port}`, timeout: opts.timeout ?? 200, retries: opts.retries ?? 2 });
  cleanup.push(async () => {
    await mi.close();
    await new Promise<void>((r) => p.sock.close(() => r()));
  });
  return { p, mi };
}

describe('MI client (JSON-RPC over mi_datagram)', () => {
  const replies = capturedReplies();
  const replay = (msg: Record<string, unknown>) => {
    const rep = replies.get(`${String(msg.method)}:${JSON.stringify(msg.params ?? null)}`);
    return rep ? Buffer.from(JSON.stringify({ ...rep, id: msg.id })) : undefined;
  };

  it('sends a JSON-RPC 2.0 request with an id and returns the result', async () => {
    const { p, mi } = await setup(replay);
    expect(await mi.call('version')).toEqual({ Server: 'OpenSIPS (3.6.8 (x86_64/linux))' });
    expect(p.got[0].msg).toMatchObject({ jsonrpc: '2.0', method: 'version' });
    expect(p.got[0].msg.id).toBeTruthy();
  });
  it('named params as OpenSIPS 3.x takes them (event_subscribe with expire)', async () => {
    const { mi } = await setup(replay);
    expect(await mi.call('event_subscribe', { event: 'E_ACC_CDR', socket: 'udp:127.0.0.1:2022', expire: 120 })).toBe('OK');
  });
  it('an error reply is an MiError with its code and message', async () => {
    const { mi } = await setup(replay);
    const e = await mi.call('dlg_end_dlg', { dialog_id: '123.456' }).catch((x) => x);
    expect(e).toBeInstanceOf(MiError);
    expect(e.code).toBe(404);
    expect(e.message).toBe('Requested Dialog not found');
    const e2 = await mi.call('no_such_cmd').catch((x) => x);
    expect(e2.code).toBe(-32601);
  });
  it('no reply: retried with a doubling wait, then an error saying OpenSIPS may not be running', async () => {
    const { p, mi } = await setup(() => undefined, { timeout: 100, retries: 2 });
    const e = await mi.call('version').catch((x) => x);
    expect(e).toBeInstanceOf(MiError);
    expect(e.message).toMatch(/no reply after 3 tries \(is OpenSIPS running/);
    expect(p.got).toHaveLength(3);
    const gap1 = p.got[1].at - p.got[0].at;
    const gap2 = p.got[2].at - p.got[1].at;
    expect(gap2).toBeGreaterThan(gap1); // 100 ms, then 200 ms
    expect(mi.stats.timeouts).toBe(1);
  });
  it('a reply to a retry is taken (the first datagram was lost)', async () => {
    const { p, mi } = await setup((msg, n) => (n >= 2 ? replay(msg) : undefined), { timeout: 100 });
    expect(await mi.call('version')).toEqual({ Server: 'OpenSIPS (3.6.8 (x86_64/linux))' });
    expect(p.got).toHaveLength(2);
  });
  it("OpenSIPS's plain-text `400 Parse_error` and replies to other ids are ignored", async () => {
    const { mi } = await setup((msg) => (msg.method === 'version' ? Buffer.from('400 Parse_error') : Buffer.from(JSON.stringify({ jsonrpc: '2.0', result: 'x', id: 'other' }))), { timeout: 50, retries: 0 });
    await expect(mi.call('version')).rejects.toThrow(/no reply/);
    await expect(mi.call('uptime')).rejects.toThrow(/no reply/);
  });
  it('concurrent requests are matched by id', async () => {
    const { mi } = await setup((msg) => Buffer.from(JSON.stringify({ jsonrpc: '2.0', result: msg.method, id: msg.id })));
    expect(await Promise.all(['a', 'b', 'c'].map((m) => mi.call(m)))).toEqual(['a', 'b', 'c']);
  });
});
