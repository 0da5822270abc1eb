// Reading JSON-RPC parameter objects: each reader names the field when the value is wrong, so a
// client gets `SERVER_ERROR: Usage: "x" is not a duration` rather than a crash.
import { AccurateError, ERR } from '../../util/errors.js';
import { parseDuration } from '../../util/duration.js';
import { parseTime } from '../../util/time.js';

export type Params = Record<string, unknown>;

function bad(message: string): AccurateError {
  return new AccurateError(`${ERR.SERVER_ERROR}: ${message}`, ERR.SERVER_ERROR);
}

export function obj(params: unknown): Params {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw bad('params must be a JSON object');
  return params as Params;
}

export function str(p: Params, field: string): string {
  const v = p[field];
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw bad(`${field} must be a string`);
}

export function optNum(p: Params, field: string): number | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw bad(`${field} must be a number`);
  return n;
}

export function num(p: Params, field: string): number {
  return optNum(p, field) ?? 0;
}

export function optBool(p: Params, field: string): boolean | undefined {
  const v = p[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw bad(`${field} must be true or false`);
}

export function optObj(p: Params, field: string): Params | undefined {
  const v = p[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(`${field} must be an object`);
  return v as Params;
}

/** A duration field: Go syntax or a number of nanoseconds. */
export function usage(p: Params, field: string): number {
  const v = p[field];
  try {
    return typeof v === 'number' ? Math.round(v) : parseDuration(str(p, field));
  } catch (e) {
    if (e instanceof AccurateError) throw e;
    throw bad(`${field}: ${(e as Error).message}`);
  }
}

/** A time field in any layout parseTime knows. */
export function time(p: Params, field: string, tz: string): number {
  try {
    return parseTime(str(p, field), tz);
  } catch (e) {
    if (e instanceof AccurateError) throw e;
    throw bad(`${field}: ${(e as Error).message}`);
  }
}
