// API keys for JSON-RPC callers beyond loopback, with per-key method rules in the spirit of
// CGRateS's dispatcher `*apiKey` + allowed-methods profiles. A key travels as APIOpts["*apiKey"]
// in the params (any transport) or as an HTTP `Authorization: Bearer` / `X-API-Key` header.
import { timingSafeEqual, createHash } from 'node:crypto';
import { AccurateError, ERR } from '../util/errors.js';

export interface ApiKeyRule {
  key: string;
  /** Method patterns: `*any`, `Service.*` or an exact `Service.Method`. */
  methods: string[];
}

export interface ApiAuth {
  keys: ApiKeyRule[];
  /** Also require a key from loopback peers (default: loopback is trusted, so the console just works). */
  require_on_loopback?: boolean;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function sameKey(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function methodAllowed(patterns: readonly string[], method: string): boolean {
  return patterns.some((p) => p === '*any' || p === method || (p.endsWith('.*') && method.startsWith(p.slice(0, -1))));
}

/** The key a request carries: APIOpts["*apiKey"] of its params, else the transport's header. */
export function requestKey(params: unknown, headerKey?: string): string | undefined {
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    const opts = (params as Record<string, unknown>).APIOpts;
    if (opts && typeof opts === 'object' && !Array.isArray(opts)) {
      const k = (opts as Record<string, unknown>)['*apiKey'];
      if (typeof k === 'string' && k !== '') return k;
    }
  }
  return headerKey || undefined;
}

/**
 * Decides a call: 'trusted' (loopback, or a key that allows the method) or 'anonymous' (no keys
 * configured: the listener is open, callers see no internals); throws UNAUTHORIZED otherwise.
 */
export function authorize(auth: ApiAuth | undefined, method: string, params: unknown, peer: { loopback?: boolean; headerKey?: string }): 'trusted' | 'anonymous' {
  const keys = auth?.keys ?? [];
  const needKey = keys.length > 0 && (!peer.loopback || auth?.require_on_loopback === true);
  if (!needKey) return peer.loopback ? 'trusted' : 'anonymous';
  const key = requestKey(params, peer.headerKey);
  if (!key) throw new AccurateError(`${ERR.MANDATORY_IE_MISSING}: [APIKey]`, ERR.MANDATORY_IE_MISSING);
  const rule = keys.find((r) => sameKey(r.key, key));
  if (!rule || !methodAllowed(rule.methods, method)) throw new AccurateError('UNAUTHORIZED_API', 'UNAUTHORIZED');
  return 'trusted';
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.') || a === 'localhost';
}
