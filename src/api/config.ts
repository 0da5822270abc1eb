// The `api`, `tls` and listen-address settings of the config, as the JSON-RPC listeners take them,
// and the startup warnings for listeners exposed beyond loopback.
import { readFileSync } from 'node:fs';
import { parseDuration } from '../util/duration.js';
import { bindsBeyondLoopback, type RpcLimits } from './server.js';
import type { ApiAuth } from './auth.js';

interface ApiConfigView {
  listen: { rpc_json?: string; http?: string; rpc_json_tls?: string; http_tls?: string };
  tls?: { server_certificate?: string; server_key?: string };
  api?: Partial<{
    api_keys: { key: string; methods: string[] }[];
    require_keys_on_loopback: boolean;
    http_allowed_hosts: string[];
    max_connections: number;
    reserved_loopback_connections: number;
    max_pending_replies: number;
    idle_timeout: string;
    request_timeout: string;
    max_request_bytes: number;
    max_reply_bytes: number;
    max_batch: number;
    max_depth: number;
  }>;
}

export function rpcLimitsOf(c: ApiConfigView): Partial<RpcLimits> {
  const a = c.api ?? {};
  const out: Partial<RpcLimits> = {};
  if (a.max_connections) out.maxConnections = a.max_connections;
  if (a.reserved_loopback_connections !== undefined) out.reservedLoopbackConnections = a.reserved_loopback_connections;
  if (a.max_pending_replies) out.maxPendingReplies = a.max_pending_replies;
  if (a.idle_timeout) out.idleTimeoutMs = Math.max(1, Math.round(parseDuration(a.idle_timeout) / 1e6));
  if (a.request_timeout) out.requestTimeoutMs = Math.max(1, Math.round(parseDuration(a.request_timeout) / 1e6));
  if (a.max_request_bytes) out.maxRequestBytes = a.max_request_bytes;
  if (a.max_reply_bytes) out.maxReplyBytes = a.max_reply_bytes;
  if (a.max_batch) out.maxBatch = a.max_batch;
  if (a.max_depth) out.maxDepth = a.max_depth;
  return out;
}

export function apiAuthOf(c: ApiConfigView): ApiAuth {
  return { keys: c.api?.api_keys ?? [], require_on_loopback: c.api?.require_keys_on_loopback ?? false };
}

/** The TLS certificate and key, read once at start; undefined when not configured. */
export function tlsOf(c: ApiConfigView): { cert: Buffer; key: Buffer } | undefined {
  const t = c.tls ?? {};
  if (!t.server_certificate || !t.server_key) return undefined;
  return { cert: readFileSync(t.server_certificate), key: readFileSync(t.server_key) };
}

/** One warning per JSON-RPC listener reachable from beyond loopback without keys or without TLS. */
export function exposureWarnings(c: ApiConfigView): string[] {
  const keys = (c.api?.api_keys ?? []).length > 0;
  const out: string[] = [];
  const check = (key: string, address: string | undefined, encrypted: boolean) => {
    if (!address || !bindsBeyondLoopback(address)) return;
    if (!keys) out.push(`listen.${key} ${address} is reachable beyond loopback WITHOUT authentication: anyone who can reach it can change balances; set api.api_keys (and TLS) or bind it to 127.0.0.1`);
    else if (!encrypted) out.push(`listen.${key} ${address} is reachable beyond loopback without TLS: API keys travel in clear; prefer listen.${key}_tls with tls.server_certificate/server_key`);
  };
  check('rpc_json', c.listen.rpc_json, false);
  check('http', c.listen.http, false);
  check('rpc_json_tls', c.listen.rpc_json_tls, true);
  check('http_tls', c.listen.http_tls, true);
  return out;
}
