// JSON-RPC listeners: raw TCP (Go net/rpc JSON codec, pipelined objects on one connection) and
// HTTP POST /jsonrpc, optionally over TLS. Every request gets an answer, errors included; no input
// stops the process: nesting, request, reply and batch sizes are bounded, replies a client does not
// read pause reading its connection, idle and half-sent connections are closed, and the connection
// cap always leaves room for the console (a loopback client evicts the longest-idle connection).
import net from 'node:net';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import os from 'node:os';
import { JsonStreamSplitter, FrameError } from './framing.js';
import { dispatch, type DispatchContext } from './dispatch.js';
import type { MethodTable } from './table.js';
import type { Logger } from '../util/logger.js';
import { isLoopback, type ApiAuth } from './auth.js';
import { ListenError, splitHostPort, listenError } from '../util/address.js';

export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** Bounds of one listener; every field has a safe default (DEFAULT_RPC_LIMITS). */
export interface RpcLimits {
  /** Open connections per listener. */
  maxConnections: number;
  /** Of those, kept for loopback peers (the console) when remote peers fill the rest. */
  reservedLoopbackConnections: number;
  /** Requests of one connection being answered or waiting; beyond it the connection is not read. */
  maxPendingReplies: number;
  /** Unsent reply bytes of one connection beyond which it is not read. */
  maxUnsentBytes: number;
  /** A connection with no complete request for this long is closed. */
  idleTimeoutMs: number;
  /** A request must arrive whole within this time once begun (slow senders are closed). */
  requestTimeoutMs: number;
  maxRequestBytes: number;
  maxReplyBytes: number;
  /** Requests in one HTTP batch (a JSON array). */
  maxBatch: number;
  /** Nesting of objects and arrays in a request. */
  maxDepth: number;
}

export const DEFAULT_RPC_LIMITS: RpcLimits = {
  maxConnections: 1024,
  reservedLoopbackConnections: 16,
  maxPendingReplies: 64,
  maxUnsentBytes: 1024 * 1024,
  idleTimeoutMs: 300_000,
  requestTimeoutMs: 30_000,
  maxRequestBytes: MAX_REQUEST_BYTES,
  maxReplyBytes: 64 * 1024 * 1024,
  maxBatch: 100,
  maxDepth: 64,
};

export interface Listener {
  readonly name: string;
  readonly address: string;
  close(): Promise<void>;
}

export { ListenError, splitHostPort };

function listenOn(server: net.Server, name: string, address: string): Promise<string> {
  const { host, port } = splitHostPort(address);
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(name, address, err));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const a = server.address() as net.AddressInfo;
      resolve(`${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
    });
  });
}

export interface RpcStats {
  requests: number;
  badInput: number;
}

export interface RpcListenerOptions {
  name: string;
  address: string;
  table: MethodTable;
  log: Logger;
  stats: RpcStats;
  limits?: Partial<RpcLimits>;
  auth?: ApiAuth;
  /** PEM certificate and key: the listener speaks TLS. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** True when the address binds beyond loopback (0.0.0.0, ::, a LAN address, a name). */
export function bindsBeyondLoopback(address: string): boolean {
  const { host } = splitHostPort(address);
  return !(host === 'localhost' || isLoopback(host));
}

/** Deepest nesting of objects/arrays in a parsed value, stopping once past `limit` (no recursion). */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > limit) return true;
    for (const k in v as object) stack.push([(v as Record<string, unknown>)[k], d + 1]);
  }
  return false;
}

/** A JSON-RPC error reply as text (for requests we answer without dispatching). */
function errorReply(req: unknown, message: string): Record<string, unknown> {
  const r = (req && typeof req === 'object' && !Array.isArray(req) ? req : {}) as Record<string, unknown>;
  const id = typeof r.id === 'number' || (typeof r.id === 'string' && r.id.length <= 256) ? r.id : null;
  return r.jsonrpc === '2.0' ? { jsonrpc: '2.0', id, error: { code: -32600, message } } : { id, result: null, error: message };
}

/** Serialises a reply; one that cannot be (cycles, too deep) or is too large becomes an error reply. */
export function serialiseReply(resp: Record<string, unknown>, maxBytes: number, log: Logger): string {
  let text: string;
  try {
    text = JSON.stringify(resp);
  } catch (e) {
    log.warning(`API reply could not be serialised: ${(e as Error).message}`);
    return JSON.stringify(errorReply(resp, `SERVER_ERROR: the reply could not be serialised (${(e as Error).message})`));
  }
  if (text.length > maxBytes) {
    log.warning(`API reply of ${text.length} bytes refused (limit ${maxBytes})`);
    return JSON.stringify(errorReply(resp, `SERVER_ERROR: the reply is larger than ${maxBytes} bytes; narrow the request (Limit, filters)`));
  }
  return text;
}

/** Answers one parsed request as text; never throws. */
async function answerOne(req: unknown, o: { table: MethodTable; log: Logger; limits: RpcLimits; ctx: DispatchContext; stats: RpcStats }): Promise<string> {
  o.stats.requests++;
  if (depthExceeds(req, o.limits.maxDepth)) {
    o.stats.badInput++;
    o.log.warning(`API request from ${o.ctx.peer} refused: nested deeper than ${o.limits.maxDepth}`);
    return JSON.stringify(errorReply(req, `SERVER_ERROR: request nested deeper than ${o.limits.maxDepth} levels`));
  }
  try {
    const resp = await dispatch(o.table, req, o.log, o.ctx);
    return serialiseReply(resp, o.limits.maxReplyBytes, o.log);
  } catch (e) {
    // dispatch does not throw; this is the last line of defence for the process.
    o.log.err(`API dispatch failed: ${(e as Error).message}`);
    return JSON.stringify(errorReply(req, 'SERVER_ERROR: internal error'));
  }
}

/** Logs at most one line per `everyMs` for a repeated event, with the count of the ones skipped. */
function throttled(log: Logger, everyMs = 10_000): (msg: string) => void {
  let last = 0;
  let skipped = 0;
  return (msg) => {
    const now = Date.now();
    if (now - last < everyMs) {
      skipped++;
      return;
    }
    log.warning(skipped > 0 ? `${msg} (and ${skipped} more since the last report)` : msg);
    last = now;
    skipped = 0;
  };
}

interface Conn {
  socket: net.Socket;
  loopback: boolean;
  lastActive: number;
  busy(): boolean;
}

/** Admission under the connection cap: remote peers leave the reserve free; a loopback peer at the cap evicts the longest-idle connection. */
function admit(conns: Set<Conn>, loopback: boolean, limits: RpcLimits): boolean | Conn {
  const remoteCap = Math.max(1, limits.maxConnections - limits.reservedLoopbackConnections);
  if (!loopback) return conns.size < remoteCap;
  if (conns.size < limits.maxConnections) return true;
  let victim: Conn | undefined;
  for (const c of conns) if (!c.busy() && (!victim || c.lastActive < victim.lastActive)) victim = c;
  return victim ?? false;
}

export async function startTcpJsonRpc(opts: RpcListenerOptions): Promise<Listener> {
  const { table, log, stats } = opts;
  const limits: RpcLimits = { ...DEFAULT_RPC_LIMITS, ...opts.limits };
  const conns = new Set<Conn>();
  const capWarning = throttled(log);
  const onConnection = (socket: net.Socket) => {
    socket.on('error', () => undefined);
    const loopback = isLoopback(socket.remoteAddress);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const admitted = admit(conns, loopback, limits);
    if (admitted === false) {
      capWarning(`${opts.name}: connection limit (${limits.maxConnections}) reached, refusing ${peer}`);
      socket.destroy();
      return;
    }
    if (admitted !== true) {
      capWarning(`${opts.name}: connection limit (${limits.maxConnections}) reached, closing the longest idle connection for ${peer}`);
      admitted.socket.destroy();
      conns.delete(admitted);
    }
    socket.setNoDelay(true);
    const splitter = new JsonStreamSplitter(limits.maxRequestBytes);
    const queue: string[] = [];
    let inflight = 0;
    let paused = false;
    let frameTimer: NodeJS.Timeout | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    // Busy: answering, or holding replies the client has yet to read (bounded by maxUnsentBytes).
    const conn: Conn = { socket, loopback, lastActive: Date.now(), busy: () => inflight > 0 || queue.length > 0 || socket.writableLength > 0 };
    conns.add(conn);
    const ctx: DispatchContext = { peer: `${opts.name} ${peer}`, loopback, auth: opts.auth };
    const close = (why: string, level: 'warning' | 'debug' = 'warning') => {
      if (socket.destroyed) return;
      if (level === 'warning') stats.badInput++;
      log[level](`${opts.name}: closing connection from ${peer}: ${why}`);
      socket.destroy();
    };
    const touch = () => {
      conn.lastActive = Date.now();
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => (conn.busy() ? touch() : close(`idle for ${limits.idleTimeoutMs} ms`, 'debug')), limits.idleTimeoutMs);
      idleTimer.unref();
    };
    touch();
    // A begun request must arrive whole in time, counted only while we read (not while we hold back).
    const armFrameTimer = () => {
      if (!paused && splitter.inFrame) {
        if (!frameTimer) {
          frameTimer = setTimeout(() => close(`request not complete within ${limits.requestTimeoutMs} ms`), limits.requestTimeoutMs);
          frameTimer.unref();
        }
      } else if (frameTimer) {
        clearTimeout(frameTimer);
        frameTimer = undefined;
      }
    };
    // Back-pressure: stop reading while replies wait to be computed or sent.
    const flow = () => {
      if (socket.destroyed) return;
      const hold = queue.length > 0 || inflight >= limits.maxPendingReplies || socket.writableLength > limits.maxUnsentBytes;
      if (hold && !paused) {
        socket.pause();
        paused = true;
      } else if (!hold && paused) {
        socket.resume();
        paused = false;
      }
      armFrameTimer();
    };
    const pump = () => {
      while (!socket.destroyed && queue.length > 0 && inflight < limits.maxPendingReplies && socket.writableLength <= limits.maxUnsentBytes) {
        const text = queue.shift()!;
        let req: unknown;
        try {
          req = JSON.parse(text);
        } catch (e) {
          queue.length = 0;
          return close(`invalid JSON: ${(e as Error).message}`);
        }
        inflight++;
        void answerOne(req, { table, log, limits, ctx, stats }).then((line) => {
          inflight--;
          if (!socket.destroyed) {
            socket.write(line + '\n');
            touch();
          }
          pump();
        });
      }
      flow();
    };
    socket.on('drain', pump);
    socket.on('data', (chunk: Buffer) => {
      let texts: string[];
      try {
        texts = splitter.push(chunk);
      } catch (e) {
        return close(e instanceof FrameError ? e.message : String(e));
      }
      if (texts.length > 0) touch();
      for (const t of texts) queue.push(t);
      pump();
    });
    socket.on('close', () => {
      conns.delete(conn);
      if (frameTimer) clearTimeout(frameTimer);
      if (idleTimer) clearTimeout(idleTimer);
    });
  };
  const server = opts.tls
    ? tls.createServer({ cert: opts.tls.cert, key: opts.tls.key, handshakeTimeout: limits.requestTimeoutMs }, onConnection)
    : net.createServer(onConnection);
  if (opts.tls) server.on('tlsClientError', () => undefined);
  const bound = await listenOn(server, opts.name, opts.address);
  return {
    name: opts.name,
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of conns) c.socket.end();
        setTimeout(() => conns.forEach((c) => c.socket.destroy()), 1000).unref();
      }),
  };
}

/** Host names a request may name in Host/Origin: the bound address, loopback names, the machine's addresses, configured extras. */
export function ownHosts(bound: string, extra: readonly string[] = []): Set<string> {
  const { host, port } = splitHostPort(bound);
  const names = new Set<string>(['localhost', '127.0.0.1', '[::1]', ...extra.map((h) => h.toLowerCase())]);
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]';
  if (!wildcard) names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  else {
    for (const list of Object.values(os.networkInterfaces())) {
      for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
    }
    names.add(os.hostname().toLowerCase());
  }
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n}:${port}`);
    if (port === 80 || port === 443) out.add(n); // browsers omit the default port
  }
  for (const e of extra) {
    const l = e.toLowerCase();
    if (/:\d+$/.test(l) && !l.endsWith(']')) out.add(l);
  }
  return out;
}

export interface HttpListenerOptions extends Omit<RpcListenerOptions, 'name'> {
  name?: string;
  path: string;
  /** Extra Host/Origin names (host:port) this listener answers to, e.g. behind a proxy. */
  allowedHosts?: readonly string[];
}

export async function startHttpJsonRpc(opts: HttpListenerOptions): Promise<Listener> {
  const { table, log, stats } = opts;
  const name = opts.name ?? 'listen.http';
  const limits: RpcLimits = { ...DEFAULT_RPC_LIMITS, ...opts.limits };
  let hosts = new Set<string>();
  const refusals = throttled(log, 5_000);
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const send = (status: number, body: unknown) => {
      if (res.headersSent) return;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
      res.end(text);
    };
    const refuse = (status: number, why: string) => {
      stats.badInput++;
      refusals(`${name}: refused a request from ${peer}: ${why}`);
      send(status, { id: null, result: null, error: why });
    };
    if (req.url?.split('?')[0] !== opts.path) return send(404, { error: `not found; JSON-RPC is served at POST ${opts.path}` });
    if (req.method !== 'POST') return send(405, { error: `use POST ${opts.path}` });
    // Web pages must not drive the API: a browser sends a foreign Origin (or, after DNS rebinding,
    // a foreign Host), and can only avoid a CORS preflight with non-JSON content types.
    const host = (req.headers.host ?? '').toLowerCase();
    if (!hosts.has(host)) return refuse(403, `Host ${JSON.stringify(host.slice(0, 100))} is not this engine's address`);
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let originHost = '';
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        originHost = '';
      }
      if (!hosts.has(originHost)) return refuse(403, `Origin ${JSON.stringify(origin.slice(0, 100))} is not allowed`);
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return refuse(415, 'Content-Type must be application/json');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxRequestBytes) {
      refuse(413, `request larger than ${limits.maxRequestBytes} bytes`);
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limits.maxRequestBytes) {
        refuse(413, `request larger than ${limits.maxRequestBytes} bytes`);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded || res.headersSent) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        return refuse(400, `invalid JSON: ${(e as Error).message.slice(0, 200)}`);
      }
      const headerKey = bearer(req.headers.authorization) ?? (typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined);
      const loopback = isLoopback(req.socket.remoteAddress);
      const ctx: DispatchContext = { peer: `${name} ${peer}`, loopback, auth: opts.auth, headerKey };
      const o = { table, log, limits, ctx, stats };
      if (Array.isArray(body)) {
        if (body.length > limits.maxBatch) return refuse(413, `batch of ${body.length} requests; at most ${limits.maxBatch}`);
        void Promise.all(body.map((b) => answerOne(b, o))).then((parts) => {
          // The whole batch reply is bounded too: past the limit, each later reply becomes an error.
          let total = 2;
          const out = parts.map((p, i) => {
            total += p.length + 1;
            return total > limits.maxReplyBytes ? JSON.stringify(errorReply(body[i], `SERVER_ERROR: the batch reply is larger than ${limits.maxReplyBytes} bytes`)) : p;
          });
          send(200, `[${out.join(',')}]`);
        });
      } else {
        void answerOne(body, o).then((r) => send(200, r));
      }
    });
    req.on('error', () => undefined);
  };
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 5000;
  server.headersTimeout = Math.min(limits.requestTimeoutMs, 60_000);
  server.requestTimeout = limits.requestTimeoutMs;
  server.timeout = limits.idleTimeoutMs;
  server.maxConnections = limits.maxConnections;
  const bound = await listenOn(server, name, opts.address);
  hosts = ownHosts(bound, opts.allowedHosts);
  return {
    name,
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function bearer(h: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(h ?? '');
  return m ? m[1] : undefined;
}
