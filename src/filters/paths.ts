// Data providers and field paths: `~*req.Account`, `*cgreq.Field`, `*rep.X`, `~*req.List[0]`.
// A data provider is a nested map `{ '*req': event, '*opts': ..., '*vars': ... }`; the same paths
// are read by filters and attributes and written by agent request/reply templates.
import { ifaceAsString } from './values.js';

export type DataMap = Record<string, unknown>;

/** The field is absent (CGRateS's NOT_FOUND): filters treat it as "does not match". */
export class NotFoundError extends Error {
  constructor(readonly path: string) {
    super(`NOT_FOUND:${path}`);
    this.name = 'NotFoundError';
  }
}

export class PathError extends Error {}

export const DYNAMIC_PREFIX = '~';

/**
 * A node of a data provider that resolves the rest of a path itself, under this symbol: Diameter's
 * `*req`, where repeated AVPs and `[n]`/`[~Name(filter)]` selectors need the AVP tree, not a map.
 */
export const RESOLVE_PATH = Symbol('accurate.resolvePath');
export type PathResolver = (rest: readonly string[]) => { found: boolean; value?: unknown };

/** Splits on `sep` outside `[...]` into at most `n` parts (n <= 0: all), as CGRateS's SplitPath. */
export function splitPath(rule: string, sep: string, n = -1): string[] {
  if (n === 1) return [rule];
  const out: string[] = [];
  let nest = 0;
  let pos = 0;
  for (let i = 0; i < rule.length; i++) {
    const c = rule[i];
    if (c === '[') nest++;
    else if (c === ']') nest--;
    else if (c === sep && nest === 0) {
      out.push(rule.slice(pos, i));
      pos = i + 1;
      if (n > 0 && out.length === n - 1) break;
    }
  }
  out.push(rule.slice(pos));
  return out;
}

/** `~*req.Account` or `*cgreq.Account` → ['*req', 'Account']. */
export function parsePath(text: string): string[] {
  const t = text.startsWith(DYNAMIC_PREFIX) ? text.slice(1) : text;
  if (t === '') throw new PathError(`empty field path "${text}"`);
  const parts = splitPath(t, '.');
  if (parts.some((p) => p.trim() === '')) throw new PathError(`empty segment in field path "${text}"`);
  return parts;
}

/** `Field[0]` → { name: 'Field', index: '0' }. */
function segmentIndex(seg: string): { name: string; index?: string } {
  if (!seg.endsWith(']')) return { name: seg };
  const open = seg.indexOf('[');
  if (open <= 0) return { name: seg };
  return { name: seg.slice(0, open), index: seg.slice(open + 1, -1) };
}

function isMap(v: unknown): v is DataMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function child(v: unknown, key: string): { found: boolean; value?: unknown } {
  if (Array.isArray(v)) {
    if (!/^\d+$/.test(key)) return { found: false };
    const i = Number(key);
    return i < v.length ? { found: true, value: v[i] } : { found: false };
  }
  if (isMap(v) && Object.prototype.hasOwnProperty.call(v, key)) return { found: true, value: v[key] };
  return { found: false };
}

/** The value at `path` or `{ found: false }`. Nested maps and `[index]`/`[key]` segments are walked. */
export function lookupField(dp: DataMap, path: readonly string[]): { found: boolean; value?: unknown } {
  if (path.length === 0) return { found: false };
  let cur: unknown = dp;
  for (let i = 0; i < path.length; i++) {
    if (typeof cur === 'object' && cur !== null && RESOLVE_PATH in cur) return (cur as { [RESOLVE_PATH]: PathResolver })[RESOLVE_PATH](path.slice(i));
    const { name, index } = segmentIndex(path[i]);
    let r = child(cur, name);
    if (!r.found) return r;
    if (index !== undefined) {
      r = child(r.value, index);
      if (!r.found) return r;
    }
    cur = r.value;
  }
  return { found: true, value: cur };
}

/** Throws NotFoundError when absent. */
export function fieldAsInterface(dp: DataMap, path: readonly string[]): unknown {
  const r = lookupField(dp, path);
  if (!r.found) throw new NotFoundError(path.join('.'));
  return r.value;
}

export function fieldAsString(dp: DataMap, path: readonly string[]): string {
  return ifaceAsString(fieldAsInterface(dp, path));
}

/** A dynamic reference (`~*req.X`) is read from the provider; anything else is a constant. */
export function dynamicInterface(text: string, dp: DataMap): unknown {
  if (text.startsWith(DYNAMIC_PREFIX) && text !== DYNAMIC_PREFIX) return fieldAsInterface(dp, parsePath(text));
  return text;
}

export function dynamicString(text: string, dp: DataMap): string {
  if (text.startsWith(DYNAMIC_PREFIX) && text !== DYNAMIC_PREFIX) return fieldAsString(dp, parsePath(text));
  return text;
}

/** Reads `~*req.Field` (the `~` is optional here). */
export function readPath(dp: DataMap, path: string): unknown {
  return fieldAsInterface(dp, parsePath(path));
}

/** Writes a value at a path, creating intermediate maps; `List[2]` writes into an array. */
export function setField(dp: DataMap, path: readonly string[], value: unknown): void {
  if (path.length === 0) throw new PathError('cannot set an empty path');
  let cur: DataMap = dp;
  for (let i = 0; i < path.length; i++) {
    const last = i === path.length - 1;
    const { name, index } = segmentIndex(path[i]);
    if (index === undefined) {
      if (last) {
        cur[name] = value;
        return;
      }
      if (!isMap(cur[name])) cur[name] = {};
      cur = cur[name] as DataMap;
      continue;
    }
    let container = cur[name];
    if (/^\d+$/.test(index)) {
      if (!Array.isArray(container)) cur[name] = container = [];
      const arr = container as unknown[];
      const k = Number(index);
      if (last) {
        arr[k] = value;
        return;
      }
      if (!isMap(arr[k])) arr[k] = {};
      cur = arr[k] as DataMap;
    } else {
      if (!isMap(container)) cur[name] = container = {};
      const m = container as DataMap;
      if (last) {
        m[index] = value;
        return;
      }
      if (!isMap(m[index])) m[index] = {};
      cur = m[index] as DataMap;
    }
  }
}

/** Writes `*cgreq.Field` / `~*req.Field`. */
export function writePath(dp: DataMap, path: string, value: unknown): void {
  setField(dp, parsePath(path), value);
}

export function removeField(dp: DataMap, path: readonly string[]): boolean {
  const parent = path.length === 1 ? { found: true, value: dp } : lookupField(dp, path.slice(0, -1));
  if (!parent.found || !isMap(parent.value)) return false;
  const { name } = segmentIndex(path[path.length - 1]);
  if (!Object.prototype.hasOwnProperty.call(parent.value, name)) return false;
  delete parent.value[name];
  return true;
}
