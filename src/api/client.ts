// JSON-RPC client over TCP (Go net/rpc JSON codec), for the console, the loader and tests.
import net from 'node:net';
import { JsonStreamSplitter } from './framing.js';
import { splitHostPort } from './server.js';

export class RpcUnavailableError extends Error {}

/** Something answered, but not a JSON-RPC engine (e.g. the HTTP port, or another service). */
export class RpcProtocolError extends RpcUnavailableError {}

/** The engine answered with an error string (CGRateS's wire error). */
export class RpcRemoteError extends Error {}

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly splitter = new JsonStreamSplitter(256 * 1024 * 1024);

  private constructor(
    private readonly socket: net.Socket,
    private readonly timeoutMs: number,
    private readonly address = '',
  ) {
    socket.on('data', (chunk: Buffer) => {
      let texts: string[];
      try {
        texts = this.splitter.push(chunk);
      } catch (e) {
        // e.g. the HTTP listener's "HTTP/1.1 400" answer: the peer is not a JSON-RPC/TCP engine.
        failAll(RpcProtocolError, `${this.address} does not speak JSON-RPC over TCP (${(e as Error).message}); is that the HTTP port? Use the listen.rpc_json address`);
        socket.destroy();
        return;
      }
      for (const text of texts) {
        let msg: { id: number; result: unknown; error: unknown };
        try {
          msg = JSON.parse(text) as { id: number; result: unknown; error: unknown };
        } catch {
          failAll(RpcProtocolError, `${this.address} sent a reply that is not JSON`);
          socket.destroy();
          return;
        }
        const p = this.pending.get(msg.id);
        if (!p) continue;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.error !== null && msg.error !== undefined) p.reject(new RpcRemoteError(typeof msg.error === 'string' ? msg.error : JSON.stringify(msg.error)));
        else p.resolve(msg.result);
      }
    });
    const failAll = (Kind: typeof RpcUnavailableError, why: string) => {
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Kind(why));
        this.pending.delete(id);
      }
    };
    socket.on('close', () => failAll(RpcUnavailableError, 'connection closed by the engine'));
    socket.on('error', (e) => failAll(RpcUnavailableError, e.message));
  }

  static connect(address: string, opts: { timeoutMs?: number } = {}): Promise<RpcClient> {
    const { host, port } = splitHostPort(address);
    const timeoutMs = opts.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RpcUnavailableError(`no engine answered at ${address} (timeout)`));
      }, Math.min(timeoutMs, 5000));
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new RpcClient(socket, timeoutMs, address));
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new RpcUnavailableError(`no engine answered at ${address} (${e.code ?? e.message})`));
      });
    });
  }

  call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RpcUnavailableError(`${method}: no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.write(JSON.stringify({ method, params: [params], id }) + '\n');
    });
  }

  close(): void {
    this.socket.end();
  }
}

/** One call on a fresh connection. */
export async function rpcCall<T = unknown>(address: string, method: string, params: unknown = {}, opts: { timeoutMs?: number } = {}): Promise<T> {
  const c = await RpcClient.connect(address, opts);
  try {
    return await c.call<T>(method, params);
  } finally {
    c.close();
  }
}
