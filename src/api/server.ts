// JSON-RPC listeners: raw TCP (Go net/rpc JSON codec, pipelined objects on one connection) and
// HTTP POST /jsonrpc. Malformed or oversized input closes that connection only.
import net from 'node:net';
import http from 'node:http';
import { JsonStreamSplitter, FrameError } from './framing.js';
import { dispatch } from './dispatch.js';
import type { MethodTable } from './table.js';
import type { Logger } from '../util/logger.js';

export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

export interface Listener {
  readonly name: string;
  readonly address: string;
  close(): Promise<void>;
}

export class ListenError extends Error {}

export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(address);
  if (!m) throw new ListenError(`"${address}" is not host:port`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

function listenOn(server: net.Server, name: string, address: string): Promise<string> {
  const { host, port } = splitHostPort(address);
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'address already in use (is another engine running?)' : err.code === 'EACCES' ? 'permission denied' : err.message;
      reject(new ListenError(`${name} cannot listen on ${address}: ${why}`));
    };
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

export async function startTcpJsonRpc(opts: { name: string; address: string; table: MethodTable; log: Logger; stats: RpcStats }): Promise<Listener> {
  const { table, log, stats } = opts;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const splitter = new JsonStreamSplitter(MAX_REQUEST_BYTES);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const reject = (why: string) => {
      stats.badInput++;
      log.warning(`${opts.name}: closing connection from ${peer}: ${why}`);
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      let texts: string[];
      try {
        texts = splitter.push(chunk);
      } catch (e) {
        return reject(e instanceof FrameError ? e.message : String(e));
      }
      for (const text of texts) {
        let req: unknown;
        try {
          req = JSON.parse(text);
        } catch (e) {
          return reject(`invalid JSON: ${(e as Error).message}`);
        }
        stats.requests++;
        void dispatch(table, req, log).then((resp) => {
          if (!socket.destroyed) socket.write(JSON.stringify(resp) + '\n');
        });
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.maxConnections = 10_000;
  const bound = await listenOn(server, opts.name, opts.address);
  return {
    name: opts.name,
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.end();
        setTimeout(() => sockets.forEach((s) => s.destroy()), 1000).unref();
      }),
  };
}

export async function startHttpJsonRpc(opts: { address: string; path: string; table: MethodTable; log: Logger; stats: RpcStats }): Promise<Listener> {
  const { table, log, stats } = opts;
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.url?.split('?')[0] !== opts.path) return send(404, { error: `not found; JSON-RPC is served at POST ${opts.path}` });
    if (req.method !== 'POST') return send(405, { error: `use POST ${opts.path}` });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        stats.badInput++;
        send(413, { id: null, result: null, error: `request larger than ${MAX_REQUEST_BYTES} bytes` });
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        stats.badInput++;
        return send(400, { id: null, result: null, error: `invalid JSON: ${(e as Error).message}` });
      }
      stats.requests++;
      if (Array.isArray(body)) {
        void Promise.all(body.map((b) => dispatch(table, b, log))).then((r) => send(200, r));
      } else {
        void dispatch(table, body, log).then((r) => send(200, r));
      }
    });
    req.on('error', () => undefined);
  });
  server.keepAliveTimeout = 5000;
  const bound = await listenOn(server, 'listen.http', opts.address);
  return {
    name: 'listen.http',
    address: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
