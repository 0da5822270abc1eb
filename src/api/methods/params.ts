// Reading JSON-RPC parameter objects: each reader names the field when the value is wrong, so a
// client gets `SERVER_ERROR: Usage: "x" is not a duration` rather than a crash.
import { AccurateError, ERR, mandatoryMissing } from '../../util/errors.js';
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

/** A CGREvent-shaped argument: Tenant, ID, Event, APIOpts and the method's flags. */
export interface CgrEventArgs {
  Tenant?: string;
  ID?: string;
  Event: Params;
  APIOpts?: Params;
  [flag: string]: unknown;
}

/** Unwraps a CGREvent argument, flat or nested under `CGREvent` as older clients send it; Event is required. */
export function cgrEventArgs(params: unknown): CgrEventArgs {
  const args = (params ?? {}) as Params & { CGREvent?: unknown };
  const inner = (args.CGREvent && typeof args.CGREvent === 'object' ? args.CGREvent : args) as Params;
  if (!inner.Event || typeof inner.Event !== 'object') throw mandatoryMissing(['Event']);
  return { ...args, ...inner } as CgrEventArgs;
}

/** The flat event of a CGREvent argument with its Tenant filled in (what SessionS and CDRs take). */
export function eventOf(params: unknown, defaultTenant: string): { ev: Params; args: CgrEventArgs } {
  if (!params || typeof params !== 'object') throw mandatoryMissing(['CGREvent']);
  const args = cgrEventArgs(params);
  const ev: Params = { ...args.Event };
  ev.Tenant = (ev.Tenant as string) || args.Tenant || defaultTenant;
  return { ev, args };
}
