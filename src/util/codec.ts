// The one way to persist state that holds Money as JSON and get it back exact: `encode` turns a value
// into plain JSON data (Money and bigint tagged, an object reached twice written once and referenced
// after, so the rate intervals a session's costs share are stored once and shared again when revived),
// `decode` rebuilds it. Plain data with no Money, bigint or shared objects encodes as itself. Like
// JSON, it takes no cycles; an array reached twice is written twice.
import { Money } from './money.js';

type Obj = Record<string, unknown>;

// Tags: only objects with exactly one of these keys (and `$v` beside `$ref`) are codec values.
const MONEY = '$m';
const BIGINT = '$n';
const REF = '$ref';
const VALUE = '$v';

/** Plain JSON data for `value` (what JSON.stringify of it gives, plus exact Money, bigint and sharing). */
export function encode(value: unknown): unknown {
  const seen = new Map<object, { id: number; out: Obj }>();
  let next = 0;
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'bigint') return { [BIGINT]: v.toString() };
      return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
    }
    if (v instanceof Money) return { [MONEY]: v.toString() };
    if (Array.isArray(v)) return v.map((x) => walk(x) ?? null);
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return walk((v as { toJSON: () => unknown }).toJSON());
    const again = seen.get(v);
    if (again) {
      // the second time an object is reached: its first occurrence becomes {$ref, $v}, this one {$ref}
      if (!(REF in again.out && VALUE in again.out)) {
        const body = { ...again.out };
        for (const k of Object.keys(again.out)) delete again.out[k];
        again.out[REF] = again.id;
        again.out[VALUE] = body;
      }
      return { [REF]: again.id };
    }
    const out: Obj = {};
    seen.set(v, { id: next++, out });
    for (const [k, x] of Object.entries(v)) {
      const e = walk(x);
      if (e !== undefined) out[k] = e;
    }
    return out;
  };
  return walk(value);
}

/** The value `encode` was given, rebuilt from its JSON data (Money as Money, shared objects shared again). */
export function decode(data: unknown): unknown {
  const refs = new Map<number, unknown>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    const o = v as Obj;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === MONEY && typeof o[MONEY] === 'string') return new Money(o[MONEY]);
    if (keys.length === 1 && keys[0] === BIGINT && typeof o[BIGINT] === 'string') return BigInt(o[BIGINT]);
    if (keys.length === 1 && keys[0] === REF && typeof o[REF] === 'number') return refs.get(o[REF]) ?? null;
    if (keys.length === 2 && REF in o && VALUE in o && typeof o[REF] === 'number') {
      const body = o[VALUE];
      // registered before its members are walked, so a reference from inside resolves too
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const out: Obj = {};
        refs.set(o[REF], out);
        for (const [k, x] of Object.entries(body)) out[k] = walk(x);
        return out;
      }
      const out = walk(body);
      refs.set(o[REF], out);
      return out;
    }
    const out: Obj = {};
    for (const k of keys) out[k] = walk(o[k]);
    return out;
  };
  return walk(data);
}
