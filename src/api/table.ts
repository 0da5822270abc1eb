// The one table of API methods: every JSON-RPC listener dispatches from it. Console commands
// name methods of this table (src/api/commands.ts); a test checks that each one exists.
import { AccurateError } from '../util/errors.js';

export type ApiHandler = (params: any, ctx?: CallContext) => Promise<unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a handler may know about its caller. */
export interface CallContext {
  /** Loopback, in-process or authenticated by an API key: may see pid, paths and versions. */
  trusted: boolean;
}

export interface MethodInfo {
  name: string;
  handler: ApiHandler;
}

/** Go net/rpc services are case-sensitive; CGRateS also answers the legacy `ApierV1`/`ApierV2` names. */
const SERVICE_ALIASES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { ApierV1: 'APIerSv1', ApierV2: 'APIerSv2', APIerSV1: 'APIerSv1' });

export class MethodTable {
  private readonly methods = new Map<string, MethodInfo>();

  add(name: string, handler: ApiHandler): this {
    if (this.methods.has(name)) throw new Error(`API method ${name} registered twice`);
    this.methods.set(name, { name, handler });
    return this;
  }

  resolve(name: string): MethodInfo | undefined {
    if (typeof name !== 'string') return undefined;
    const direct = this.methods.get(name);
    if (direct) return direct;
    const dot = name.indexOf('.');
    if (dot < 0) return undefined;
    const alias = SERVICE_ALIASES[name.slice(0, dot)];
    return alias ? this.methods.get(alias + name.slice(dot)) : undefined;
  }

  /** Calls a method; unknown names fail with Go net/rpc's wording. */
  async call(name: string, params: unknown, ctx: CallContext = { trusted: true }): Promise<unknown> {
    const m = this.resolve(name);
    if (!m) {
      const dot = name.indexOf('.');
      const service = dot > 0 ? name.slice(0, dot) : name;
      const known = [...this.methods.keys()].some((k) => k.startsWith(service + '.') || k.startsWith((SERVICE_ALIASES[service] ?? '\0') + '.'));
      throw new AccurateError(known ? `rpc: can't find method ${name}` : `rpc: can't find service ${name}`, 'NOT_FOUND');
    }
    return m.handler(params, ctx);
  }

  list(): MethodInfo[] {
    return [...this.methods.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get size(): number {
    return this.methods.size;
  }
}
