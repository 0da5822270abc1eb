// Raw wire access to a running engine for the hardening tests: bytes over TCP, HTTP with chosen
// headers, the engine's RSS, and snapshots of reference accounts.
import net from 'node:net';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { rpcCall } from '../../src/api/client.js';
import { splitHostPort } from '../../src/api/server.js';

/** One call on a fresh connection (the engines here close idle connections quickly). */
export function call<T = unknown>(address: string, method: string, params: unknown = {}): Promise<T> {
  return rpcCall<T>(address, method, params, { timeoutMs: 60_000 });
}

/** The error text of a call that must fail. */
export async function callError(address: string, method: string, params: unknown = {}): Promise<string> {
  try {
    await call(address, method, params);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${method} succeeded but should have failed`);
}

/** A raw TCP connection: write bytes, collect newline-separated replies, see when the engine closes it. */
export class RawConn {
  readonly socket: net.Socket;
  private buf = '';
  readonly lines: string[] = [];
  closed = false;
  private readonly closedP: Promise<void>;
  private waiters: (() => void)[] = [];

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 1);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
    this.closedP = new Promise((res) => socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
      res();
    }));
  }

  static open(address: string, opts: { paused?: boolean } = {}): Promise<RawConn> {
    const { host, port } = splitHostPort(address);
    return new Promise((res, rej) => {
      const s = net.connect({ host, port }, () => {
        const c = new RawConn(s);
        if (opts.paused) s.pause();
        res(c);
      });
      s.once('error', rej);
    });
  }

  /** Everything received so far, complete lines and the unterminated rest (BiRPC replies carry no newline). */
  received(): string {
    return [...this.lines, this.buf].join('\n');
  }

  write(data: string | Buffer): boolean {
    return this.socket.write(data);
  }

  /** Waits for `n` reply lines (or the close), at most `ms`. */
  async replies(n: number, ms = 60_000): Promise<unknown[]> {
    const until = Date.now() + ms;
    while (this.lines.length < n && !this.closed && Date.now() < until) {
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.lines.map((l) => JSON.parse(l));
  }

  /** Resolves true when the engine closed the connection within `ms`. */
  async closedWithin(ms: number): Promise<boolean> {
    return Promise.race([this.closedP.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** POST to the HTTP listener with the given headers; status and body text. */
export function httpPost(address: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }, path = '/jsonrpc'): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  const { host, port } = splitHostPort(address);
  return new Promise((res, rej) => {
    const req = http.request({ host, port, path, method: 'POST', headers: { 'Content-Length': Buffer.byteLength(body), ...headers } }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (d) => (text += d));
      r.on('end', () => res({ status: r.statusCode ?? 0, text, headers: r.headers }));
    });
    req.on('error', rej);
    req.end(body);
  });
}

/** Resident memory of a process in MB (Linux /proc). */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : 0;
}

type Bal = { Uuid: string; ID: string; Value: number };
type Acc = { BalanceMap: Record<string, Bal[]> };

/** Balances of accounts as uuid → value, to compare before and after. */
export async function balances(address: string, accounts: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const a of accounts) {
    const acc = await call<Acc>(address, 'APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: a });
    for (const [type, list] of Object.entries(acc.BalanceMap)) for (const b of list) out[`${a}/${type}/${b.ID || b.Uuid}`] = b.Value;
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A 10,000-deep object as JSON text, built without recursion. */
export function deepJson(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
