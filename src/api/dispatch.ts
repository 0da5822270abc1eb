// One request object in, one response object out: the Go net/rpc JSON codec shape
// ({id, result, error}) or JSON-RPC 2.0 when the request says so. Never throws.
import type { MethodTable, CallContext } from './table.js';
import { AccurateError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { authorize, type ApiAuth } from './auth.js';

export interface RpcRequest {
  id?: unknown;
  method?: unknown;
  params?: unknown;
  jsonrpc?: unknown;
}

/** Who is calling: the listener fills it in; absent means an in-process (trusted) caller. */
export interface DispatchContext {
  /** `listen.rpc_json from 127.0.0.1:5555`, for log lines. */
  peer?: string;
  /** The peer's address is loopback (the console, a local switch). */
  loopback?: boolean;
  /** Credentials checked when API keys are configured. */
  auth?: ApiAuth;
  /** An API key from a transport header (HTTP `Authorization: Bearer`/`X-API-Key`). */
  headerKey?: string;
}

/** Codes that say the request itself was wrong (logged once, at WARNING); others are answers (NOT_FOUND ...). */
const BAD_REQUEST = /^(SERVER_ERROR|MANDATORY_IE_MISSING|UNAUTHORIZED|rpc:|INVALID_PATH)/;

/** An id travels back only when it is a plain JSON scalar (a nested id could not be echoed safely). */
function replyId(id: unknown): unknown {
  if (id === undefined || id === null) return null;
  if (typeof id === 'number' || typeof id === 'string' || typeof id === 'boolean') return typeof id === 'string' && id.length > 256 ? null : id;
  return null;
}

/** A value quoted for a log line: short; the logger escapes control characters. */
function q(s: string, max = 200): string {
  return JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
}

export async function dispatch(table: MethodTable, req: unknown, log: Logger, ctx: DispatchContext = {}): Promise<Record<string, unknown>> {
  const r = (typeof req === 'object' && req !== null && !Array.isArray(req) ? req : {}) as RpcRequest;
  const v2 = r.jsonrpc === '2.0';
  const id = replyId(r.id);
  const from = ctx.peer ? ` from ${ctx.peer}` : '';
  const fail = (message: string, code = -32000) => (v2 ? { jsonrpc: '2.0', id, error: { code, message } } : { id, result: null, error: message });
  if (typeof r.method !== 'string' || r.method === '' || r.method.length > 256) {
    log.warning(`API request${from} refused: no "method" string`);
    return fail('rpc: request has no "method" string', -32600);
  }
  const method = r.method;
  let params: unknown = r.params;
  if (Array.isArray(params)) {
    if (params.length > 1) {
      log.warning(`API ${q(method)}${from} refused: ${params.length} parameters`);
      return fail(`rpc: ${method} takes one parameter object, got ${params.length}`, -32602);
    }
    params = params[0];
  }
  try {
    const call: CallContext = { trusted: true };
    if (ctx.peer !== undefined) call.trusted = authorize(ctx.auth, method, params, ctx) === 'trusted';
    const result = await table.call(method, params ?? null, call);
    return v2 ? { jsonrpc: '2.0', id, result: result ?? null } : { id, result: result ?? null, error: null };
  } catch (err) {
    if (err instanceof AccurateError) {
      if (BAD_REQUEST.test(err.message)) log.warning(`API ${q(method)}${from}: ${q(err.message, 300)}`);
      return fail(err.message, err.message.startsWith("rpc: can't find") ? -32601 : -32000);
    }
    // Not a domain error: usually input no reader anticipated. One line, the first frame for the
    // developer, never the whole stack (a hostile client could fill the log with them).
    const msg = err instanceof Error ? err.message : String(err);
    const at = err instanceof Error && err.stack ? /\n\s+at ([^\n]+)/.exec(err.stack)?.[1] : undefined;
    log.warning(`API ${q(method)}${from} failed: ${q(msg, 300)}${at ? ` (at ${at.slice(0, 200)})` : ''}`);
    return fail(`SERVER_ERROR: ${msg.length > 500 ? msg.slice(0, 500) + '…' : msg}`);
  }
}
