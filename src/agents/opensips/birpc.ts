// The OpenSIPS `cgrates` module's side: raw JSON objects over TCP with no delimiter, in both
// directions on the same connections (listen.birpc_json). OpenSIPS asks SessionSv1.* (or the
// compat_mode SMGenericV1.* names); AccuRate answers on the connection the request came on and,
// when credit ends, sends SessionSv1.DisconnectSession back over the connection that initiated
// the session. Each connection is independent: a slow or dead one never blocks the others.
import net from 'node:net';
import { JsonStreamSplitter, FrameError } from '../../api/framing.js';
import { dispatch } from '../../api/dispatch.js';
import { serialiseReply, depthExceeds, DEFAULT_RPC_LIMITS } from '../../api/server.js';
import { isLoopback } from '../../api/auth.js';
import type { MethodTable } from '../../api/index.js';
import { AccurateError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import type { EventMap, Session, SessionManager } from '../../sessions/index.js';
import { splitHostPort } from '../../util/address.js';

const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface BiRpcOptions {
  address: string;
  sessions: SessionManager;
  /** Every other method (CoreSv1.Status ...) is served from the engine's table. */
  table: MethodTable;
  log: Logger;
  defaultTenant: string;
  /** ns InitiateSession answers while a debit loop runs the call (general.max_call_duration, as CGRateS). */
  maxCallDuration: number;
  /** ms to wait for OpenSIPS's answer to a request AccuRate sends. */
  replyTimeout?: number;
  /** ns a session started over BiRPC may live without its TerminateSession; 0 = never expires. */
  sessionTtl?: number;
}

interface Conn {
  id: string;
  socket: net.Socket;
  pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>;
  unregister: () => void;
}

type Params = { Tenant?: string; Event?: EventMap; APIOpts?: Record<string, unknown>; [k: string]: unknown };

/** 3.6.8 sends a missed call's OriginID as the raw header line. */
function mendOriginId(ev: EventMap): EventMap {
  const o = ev.OriginID;
  if (typeof o === 'string' && /^call-id:\s*/i.test(o)) return { ...ev, OriginID: o.replace(/^call-id:\s*/i, '').trim() };
  return ev;
}

export class BiRpcServer {
  private server?: net.Server;
  private readonly conns = new Map<string, Conn>();
  private seq = 0;
  private boundAddress = '';
  private ttlTimer?: NodeJS.Timeout;
  readonly stats = { requests: 0, bad_input: 0, disconnects_sent: 0 };

  constructor(private readonly o: BiRpcOptions) {}

  get address(): string {
    return this.boundAddress;
  }

  get connections(): number {
    return this.conns.size;
  }

  async start(): Promise<void> {
    const { host, port } = splitHostPort(this.o.address, 'listen.birpc_json');
    const server = net.createServer((s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const a = server.address() as net.AddressInfo;
    this.boundAddress = `${a.address}:${a.port}`;
    const ttl = this.o.sessionTtl ?? 0;
    if (ttl > 0) {
      // A session whose TerminateSession never comes (OpenSIPS restarted, connection lost) ends with its CDR.
      this.ttlTimer = setInterval(() => {
        const now = Date.now();
        for (const x of this.o.sessions.list()) {
          if (x.clientId?.startsWith('*birpc:') && (now - x.lastActivity) * 1e6 > ttl) void this.o.sessions.forceEnd(x.cgrid, 'SESSION_TTL');
        }
      }, Math.max(200, Math.min(5000, Math.floor(ttl / 4e6))));
      this.ttlTimer.unref();
    }
    this.o.log.info(`BiRPC JSON (OpenSIPS cgrates module) listening on ${this.boundAddress}`);
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const id = `*birpc:${socket.remoteAddress}:${socket.remotePort}`;
    const conn: Conn = { id, socket, pending: new Map(), unregister: () => undefined };
    conn.unregister = this.o.sessions.onDisconnect(id, (s, reason) => this.disconnect(conn, s, reason));
    this.conns.set(id, conn);
    const splitter = new JsonStreamSplitter(MAX_MESSAGE_BYTES);
    socket.on('data', (chunk: Buffer) => {
      let texts: string[];
      try {
        texts = splitter.push(chunk);
      } catch (e) {
        this.stats.bad_input++;
        this.o.log.warning(`birpc_json: closing ${id}: ${e instanceof FrameError ? e.message : String(e)}`);
        socket.destroy();
        return;
      }
      for (const text of texts) {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(text);
        } catch (e) {
          this.stats.bad_input++;
          this.o.log.warning(`birpc_json: closing ${id}: invalid JSON: ${(e as Error).message}`);
          socket.destroy();
          return;
        }
        if (typeof msg.method === 'string') void this.request(conn, msg);
        else this.reply(conn, msg);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.conns.delete(id);
      conn.unregister();
      for (const p of conn.pending.values()) p.reject(new Error(`connection ${id} closed`));
      conn.pending.clear();
    });
  }

  private send(conn: Conn, msg: unknown): void {
    // A reply that cannot be serialised (or is too large) becomes an error reply, never a throw.
    if (!conn.socket.destroyed) conn.socket.write(serialiseReply(msg as Record<string, unknown>, DEFAULT_RPC_LIMITS.maxReplyBytes, this.o.log));
  }

  private reply(conn: Conn, msg: Record<string, unknown>): void {
    const p = conn.pending.get(Number(msg.id));
    if (!p) return;
    conn.pending.delete(Number(msg.id));
    if (msg.error !== null && msg.error !== undefined) p.reject(new Error(String(msg.error)));
    else p.resolve(msg.result);
  }

  private async request(conn: Conn, msg: Record<string, unknown>): Promise<void> {
    this.stats.requests++;
    const method = msg.method as string;
    if (depthExceeds(msg, DEFAULT_RPC_LIMITS.maxDepth)) {
      this.stats.bad_input++;
      this.send(conn, { id: typeof msg.id === 'number' ? msg.id : null, result: null, error: `SERVER_ERROR: request nested deeper than ${DEFAULT_RPC_LIMITS.maxDepth} levels` });
      return;
    }
    const raw = Array.isArray(msg.params) ? msg.params[0] : msg.params;
    const params = (raw ?? {}) as Params;
    try {
      const result = await this.handle(conn, method, params);
      if (result === undefined) {
        // Only the session API and liveness go to the table: this port has no API keys, so account
        // and tariff-plan methods stay on the JSON-RPC listeners.
        if (!/^(SessionSv1|CoreSv1)\./.test(method)) throw new AccurateError(`rpc: can't find method ${method} (listen.birpc_json serves SessionSv1 and CoreSv1)`, 'NOT_FOUND');
        this.send(conn, await dispatch(this.o.table, msg, this.o.log, { peer: `birpc_json ${conn.id}`, loopback: isLoopback(conn.socket.remoteAddress) }));
        return;
      }
      this.send(conn, { id: msg.id ?? null, result, error: null });
    } catch (e) {
      const message = e instanceof AccurateError ? e.message : `SERVER_ERROR: ${(e as Error).message}`;
      if (!(e instanceof AccurateError)) this.o.log.err(`birpc_json ${method} from ${conn.id}: ${(e as Error).message}`);
      this.send(conn, { id: msg.id ?? null, result: null, error: message });
    }
  }

  private event(p: Params): EventMap {
    const ev = mendOriginId({ ...(p.Event ?? {}) });
    if (ev.Tenant === undefined) ev.Tenant = p.Tenant || this.o.defaultTenant;
    return ev;
  }

  /** The session methods, with this connection as the session's owner; undefined: not ours, use the table. */
  private async handle(conn: Conn, method: string, p: Params): Promise<unknown> {
    const s = this.o.sessions;
    const ns = (v: number) => (v === -1 ? this.o.maxCallDuration : v);
    switch (method) {
      case 'SessionSv1.AuthorizeEventWithDigest':
        return { MaxUsage: Math.floor(ns(await s.authorize(this.event(p))) / 1e9) };
      case 'SessionSv1.AuthorizeEvent':
        return { MaxUsage: ns(await s.authorize(this.event(p))) };
      case 'SessionSv1.InitiateSession':
      case 'SessionSv1.InitiateSessionWithDigest': {
        const max = ns(await s.initiate(this.event(p), { clientId: conn.id }));
        return { MaxUsage: method.endsWith('Digest') ? Math.floor(max / 1e9) : max };
      }
      case 'SessionSv1.UpdateSession':
        return { MaxUsage: ns(await s.update(this.event(p), { clientId: conn.id })) };
      case 'SessionSv1.TerminateSession':
        await s.terminate(this.event(p), { clientId: conn.id });
        return 'OK';
      case 'SessionSv1.ProcessCDR':
        await s.processCDR(this.event(p));
        return 'OK';
      case 'SessionSv1.GetActiveSessionIDs':
        return s.list().filter((x) => x.clientId === conn.id).map((x) => ({ OriginID: x.originId, OriginHost: x.originHost }));
      // compat_mode (pre-rc8): the params are the flat event; max usages in seconds.
      case 'SMGenericV1.GetMaxUsage':
        return Math.floor(ns(await s.authorize(this.flat(p))) / 1e9);
      case 'SMGenericV1.InitiateSession':
        return Math.floor(ns(await s.initiate(this.flat(p), { clientId: conn.id })) / 1e9);
      case 'SMGenericV1.UpdateSession':
        return Math.floor(ns(await s.update(this.flat(p), { clientId: conn.id })) / 1e9);
      case 'SMGenericV1.TerminateSession':
        await s.terminate(this.flat(p), { clientId: conn.id });
        return 'OK';
      case 'SMGenericV1.ProcessCDR':
        await s.processCDR(this.flat(p));
        return 'OK';
      default:
        return undefined;
    }
  }

  private flat(p: Params): EventMap {
    const ev = mendOriginId({ ...p });
    if (ev.Tenant === undefined || ev.Tenant === '') ev.Tenant = this.o.defaultTenant;
    return ev;
  }

  /** Sends a request to OpenSIPS over a connection and waits (bounded) for its answer. */
  call(connId: string, method: string, params: unknown): Promise<unknown> {
    const conn = this.conns.get(connId);
    if (!conn) return Promise.reject(new Error(`no BiRPC connection ${connId}`));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        conn.pending.delete(id);
        reject(new Error(`${method} to ${connId}: no answer in ${this.o.replyTimeout ?? 2000} ms`));
      }, this.o.replyTimeout ?? 2000);
      conn.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.send(conn, { method, params: [params], id });
    });
  }

  /** SessionS ended a call this connection started: DisconnectSession with the start event (DialogID/DialogEntry). */
  private async disconnect(conn: Conn, s: Session, reason: string): Promise<void> {
    this.stats.disconnects_sent++;
    try {
      await this.call(conn.id, 'SessionSv1.DisconnectSession', { Reason: reason, EventStart: s.event });
    } catch (e) {
      this.o.log.err(`birpc_json: DisconnectSession of ${s.originId} over ${conn.id}: ${(e as Error).message}`);
    }
  }

  /** The sessions OpenSIPS holds on each connection (SessionSv1.GetActiveSessionIDs the other way). */
  async remoteSessionIDs(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    await Promise.all([...this.conns.keys()].map(async (id) => {
      try {
        out[id] = await this.call(id, 'SessionSv1.GetActiveSessionIDs', '');
      } catch (e) {
        out[id] = { error: (e as Error).message };
      }
    }));
    return out;
  }

  async close(): Promise<void> {
    if (this.ttlTimer) clearInterval(this.ttlTimer);
    const s = this.server;
    this.server = undefined;
    for (const c of this.conns.values()) c.socket.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
