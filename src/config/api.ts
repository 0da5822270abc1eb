// Checks of the `api` section (API keys, JSON-RPC bounds) and the `tls` pair, with dot-paths.
import type { Problem } from './validate.js';

const POSITIVE_INTS = ['max_connections', 'max_pending_replies', 'max_request_bytes', 'max_reply_bytes', 'max_batch', 'max_depth'] as const;

export function apiConfigProblems(file: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const api = file.api as Record<string, unknown> | undefined;
  if (api && typeof api === 'object' && !Array.isArray(api)) {
    for (const k of POSITIVE_INTS) {
      const v = api[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)) {
        problems.push({ path: ['api', k], message: `must be a positive integer, got ${JSON.stringify(v)}`, severity: 'error' });
      }
    }
    const r = api.reserved_loopback_connections;
    if (r !== undefined && (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 0)) {
      problems.push({ path: ['api', 'reserved_loopback_connections'], message: `must be a non-negative integer, got ${JSON.stringify(r)}`, severity: 'error' });
    }
    const keys = api.api_keys;
    if (Array.isArray(keys)) {
      keys.forEach((k, i) => {
        const e = k as Record<string, unknown>;
        if (!e || typeof e !== 'object' || Array.isArray(e)) {
          problems.push({ path: ['api', 'api_keys', i], message: 'must be an object {"key": "...", "methods": ["*any"]}', severity: 'error' });
          return;
        }
        if (typeof e.key !== 'string' || e.key.length < 16) problems.push({ path: ['api', 'api_keys', i, 'key'], message: 'must be a string of at least 16 characters', severity: 'error' });
        if (!Array.isArray(e.methods) || e.methods.length === 0 || e.methods.some((m) => typeof m !== 'string' || m === '')) {
          problems.push({ path: ['api', 'api_keys', i, 'methods'], message: 'must be a non-empty list of method patterns ("*any", "CoreSv1.*", "APIerSv2.GetAccount")', severity: 'error' });
        }
      });
    }
  }
  const tls = file.tls as Record<string, unknown> | undefined;
  if (tls && typeof tls === 'object' && Boolean(tls.server_certificate) !== Boolean(tls.server_key)) {
    problems.push({ path: ['tls'], message: 'server_certificate and server_key go together', severity: 'error' });
  }
  return problems;
}
