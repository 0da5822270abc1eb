// What `-check_config` may print: the merged config with secrets (passwords, keys, tokens) masked,
// so the output can be pasted into a ticket or a chat.

const SECRET_KEY = /(pass(word|wd)?|secret|token|private|credential|server_key|client_key|^key$|^api_?key$)/i;
export const REDACTED = '*****';

/** A deep copy of `value` where every non-empty value under a secret-sounding key is masked. */
export function redactSecrets<T>(value: T): T {
  const walk = (v: unknown, secret: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, secret));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = walk(x, secret || SECRET_KEY.test(k));
      return out;
    }
    if (secret && v !== '' && v !== null && v !== undefined && typeof v !== 'boolean') return REDACTED;
    return v;
  };
  return walk(value, false) as T;
}
