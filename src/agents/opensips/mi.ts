// OpenSIPS MI over mi_datagram (3.x: JSON-RPC 2.0 over UDP). One socket, replies matched by id; a
// request without reply in `timeout` is sent again, `retries` times, each wait twice the last.
// OpenSIPS not running is an MiError the caller logs; it never throws out of the event loop.
import { createSocket, type Socket } from 'node:dgram';
import { splitHostPort } from '../../util/address.js';

export class MiError extends Error {
  constructor(
    message: string,
    /** JSON-RPC error code (404 dialog not found, -32601 no such command ...); 0 for transport errors. */
    readonly code = 0,
  ) {
    super(message);
    this.name = 'MiError';
  }
}

export interface MiClientOptions {
  /** host:port of mi_datagram. */
  address: string;
  /** ms to wait for the first reply (default 1000). */
  timeout?: number;
  /** Sends after the first (default 2). */
  retries?: number;
}

export interface MiStats {
  requests: number;
  errors: number;
  timeouts: number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}


export class MiClient {
  private sock?: Socket;
  private ready?: Promise<Socket>;
  private seq = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly host: string;
  private readonly port: number;
  readonly stats: MiStats = { requests: 0, errors: 0, timeouts: 0 };

  constructor(private readonly o: MiClientOptions) {
    const { host, port } = splitHostPort(o.address, 'mi_addr');
    this.host = host;
    this.port = port;
  }

  get address(): string {
    return this.o.address;
  }

  private open(): Promise<Socket> {
    this.ready ??= new Promise<Socket>((resolve, reject) => {
      const s = createSocket(this.host.includes(':') ? 'udp6' : 'udp4');
      s.on('message', (buf) => this.onReply(buf));
      s.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(new MiError(`MI ${this.o.address}: ${e.message}`));
        this.pending.clear();
      });
      s.once('error', reject);
      s.bind(0, this.host.includes(':') ? '::1' : '127.0.0.1', () => {
        s.off('error', reject);
        s.unref();
        this.sock = s;
        resolve(s);
      });
    });
    return this.ready;
  }

  private onReply(buf: Buffer): void {
    let msg: { id?: unknown; result?: unknown; error?: { code?: number; message?: string; data?: unknown } };
    try {
      msg = JSON.parse(buf.toString('utf8'));
    } catch {
      // 3.x answers unparsable requests with plain `400 Parse_error` (no id): nothing to match.
      return;
    }
    const p = this.pending.get(String(msg.id));
    if (!p) return;
    this.pending.delete(String(msg.id));
    if (msg.error) p.reject(new MiError(`${msg.error.message ?? 'error'}${msg.error.data ? `: ${String(msg.error.data)}` : ''}`, msg.error.code ?? 0));
    else p.resolve(msg.result);
  }

  /** Runs one MI command; MiError on an error reply, or when no reply came after the retries. */
  async call(method: string, params?: Record<string, unknown> | unknown[]): Promise<unknown> {
    const s = await this.open();
    const id = `a${++this.seq}`;
    const payload = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}), id }));
    this.stats.requests++;
    const retries = this.o.retries ?? 2;
    let wait = this.o.timeout ?? 1000;
    try {
      for (let attempt = 0; ; attempt++) {
        const reply = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
        s.send(payload, this.port, this.host, (e) => {
          if (e) this.pending.get(id)?.reject(new MiError(`MI ${this.o.address}: ${e.message}`));
        });
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), wait)));
        const r = await Promise.race([reply, timeout]).finally(() => clearTimeout(timer));
        if (r !== 'timeout') return r;
        if (attempt >= retries) {
          this.stats.timeouts++;
          throw new MiError(`MI ${method} to ${this.o.address}: no reply after ${attempt + 1} tries (is OpenSIPS running with mi_datagram there?)`);
        }
        wait *= 2;
      }
    } catch (e) {
      this.stats.errors++;
      throw e;
    } finally {
      this.pending.delete(id);
    }
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) p.reject(new MiError('MI client closed'));
    this.pending.clear();
    const s = this.sock;
    this.sock = undefined;
    this.ready = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
