// One request object in, one response object out: the Go net/rpc JSON codec shape
// ({id, result, error}) or JSON-RPC 2.0 when the request says so. Never throws.
import type { MethodTable } from './table.js';
import { AccurateError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

export interface RpcRequest {
  id?: unknown;
  method?: unknown;
  params?: unknown;
  jsonrpc?: unknown;
}

export async function dispatch(table: MethodTable, req: unknown, log: Logger): Promise<Record<string, unknown>> {
  const r = (typeof req === 'object' && req !== null && !Array.isArray(req) ? req : {}) as RpcRequest;
  const v2 = r.jsonrpc === '2.0';
  const id = r.id ?? null;
  const fail = (message: string, code = -32000) => (v2 ? { jsonrpc: '2.0', id, error: { code, message } } : { id, result: null, error: message });
  if (typeof r.method !== 'string' || r.method === '') return fail('rpc: request has no "method" string', -32600);
  let params: unknown = r.params;
  if (Array.isArray(params)) {
    if (params.length > 1) return fail(`rpc: ${r.method} takes one parameter object, got ${params.length}`, -32602);
    params = params[0];
  }
  try {
    const result = await table.call(r.method, params ?? null);
    return v2 ? { jsonrpc: '2.0', id, result: result ?? null } : { id, result: result ?? null, error: null };
  } catch (err) {
    if (err instanceof AccurateError) return fail(err.message, err.message.startsWith("rpc: can't find") ? -32601 : -32000);
    const msg = err instanceof Error ? err.message : String(err);
    log.err(`API ${r.method} failed: ${err instanceof Error && err.stack ? err.stack : msg}`);
    return fail(`SERVER_ERROR: ${msg}`);
  }
}
