// Diameter message ↔ AVP tree (RFC 6733 §3, §4): header, AVP headers with vendor ids and padding,
// grouped AVPs, and every base type's value. Decoding keeps each AVP's raw bytes, so an unknown
// AVP costs nothing and can be echoed back in a Failed-AVP as it came.
import { isIPv4, isIPv6 } from 'node:net';
import type { AvpDef, AvpType, Dictionary } from './dictionary/index.js';
import { HEADER_LENGTH } from './framing.js';

export const CMD_FLAG = { R: 0x80, P: 0x40, E: 0x20, T: 0x10 } as const;
export const AVP_FLAG = { V: 0x80, M: 0x40, P: 0x20 } as const;

/** Result codes the codec and the peer layer produce (RFC 6733 §7.1). */
export const RESULT = {
  SUCCESS: 2001,
  LIMITED_SUCCESS: 2002,
  COMMAND_UNSUPPORTED: 3001,
  UNABLE_TO_DELIVER: 3002,
  APPLICATION_UNSUPPORTED: 3007,
  INVALID_HDR_BITS: 3008,
  INVALID_AVP_BITS: 3009,
  CREDIT_LIMIT_REACHED: 4012,
  AVP_UNSUPPORTED: 5001,
  UNKNOWN_SESSION_ID: 5002,
  INVALID_AVP_VALUE: 5004,
  MISSING_AVP: 5005,
  NO_COMMON_APPLICATION: 5010,
  UNABLE_TO_COMPLY: 5012,
  INVALID_AVP_LENGTH: 5014,
  INVALID_MESSAGE_LENGTH: 5015,
  USER_UNKNOWN: 5030,
} as const;

export interface Avp {
  code: number;
  vendorId: number;
  flags: number;
  /** The value bytes, unpadded. */
  data: Buffer;
  /** Dictionary entry, when known. */
  def?: AvpDef;
  /** Children of a Grouped AVP. */
  children?: Avp[];
}

export interface DiameterMessage {
  flags: number;
  commandCode: number;
  appId: number;
  hopByHop: number;
  endToEnd: number;
  avps: Avp[];
  /** Decoding only: mandatory AVPs the dictionary does not know (answer 5001 with them in Failed-AVP). */
  unknownMandatory?: Avp[];
}

export const isRequest = (m: { flags: number }) => (m.flags & CMD_FLAG.R) !== 0;

/**
 * A message that decodes only partly: `resultCode` says what to answer (3008 bad header bits,
 * 5014 bad AVP length ...), `header` is enough to build that answer, `failedAvp` the culprit.
 */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly resultCode: number,
    readonly header: Omit<DiameterMessage, 'avps'> & { avps: Avp[] },
    readonly failedAvp?: Avp,
  ) {
    super(message);
  }
}

// ---- decoding ------------------------------------------------------------------------------

export function decodeHeader(buf: Buffer): Omit<DiameterMessage, 'avps'> & { length: number } {
  return {
    length: buf.readUInt32BE(0) & 0xffffff,
    flags: buf[4],
    commandCode: buf.readUInt32BE(4) & 0xffffff,
    appId: buf.readUInt32BE(8),
    hopByHop: buf.readUInt32BE(12),
    endToEnd: buf.readUInt32BE(16),
  };
}

/** One framed message (framing.ts checked version and length) → AVP tree. */
export function decodeMessage(buf: Buffer, dict: Dictionary): DiameterMessage {
  const h = decodeHeader(buf);
  const msg: DiameterMessage = { flags: h.flags, commandCode: h.commandCode, appId: h.appId, hopByHop: h.hopByHop, endToEnd: h.endToEnd, avps: [] };
  if (h.length !== buf.length) throw new DecodeError(`message length ${h.length} but ${buf.length} bytes framed`, RESULT.INVALID_MESSAGE_LENGTH, msg);
  // Reserved bits set, or an error-flagged request: RFC 6733 §7.2 asks for 3008.
  if ((h.flags & 0x0f) !== 0 || (isRequest(h) && (h.flags & CMD_FLAG.E) !== 0)) {
    throw new DecodeError(`invalid command flags 0x${h.flags.toString(16)}`, RESULT.INVALID_HDR_BITS, msg);
  }
  const unknown: Avp[] = [];
  msg.avps = decodeAvps(buf, HEADER_LENGTH, buf.length, dict, msg, unknown);
  if (unknown.length) msg.unknownMandatory = unknown;
  return msg;
}

function decodeAvps(buf: Buffer, start: number, end: number, dict: Dictionary, msg: DiameterMessage, unknown: Avp[]): Avp[] {
  const out: Avp[] = [];
  let pos = start;
  while (pos < end) {
    if (end - pos < 8) throw new DecodeError(`${end - pos} stray bytes after the last AVP`, RESULT.INVALID_AVP_LENGTH, msg);
    const code = buf.readUInt32BE(pos);
    const flags = buf[pos + 4];
    const length = buf.readUInt32BE(pos + 4) & 0xffffff;
    const vendor = (flags & AVP_FLAG.V) !== 0;
    const hlen = vendor ? 12 : 8;
    if (length < hlen || pos + length > end) {
      const culprit: Avp = { code, vendorId: vendor && end - pos >= 12 ? buf.readUInt32BE(pos + 8) : 0, flags, data: Buffer.alloc(0) };
      throw new DecodeError(`AVP ${code} at byte ${pos}: length ${length} does not fit`, RESULT.INVALID_AVP_LENGTH, msg, culprit);
    }
    const vendorId = vendor ? buf.readUInt32BE(pos + 8) : 0;
    const avp: Avp = { code, vendorId, flags, data: buf.subarray(pos + hlen, pos + length) };
    const def = dict.avp(code, vendorId);
    if (def) {
      avp.def = def;
      if (def.type === 'Grouped') avp.children = decodeAvps(buf, pos + hlen, pos + length, dict, msg, unknown);
      else checkFixedLength(def.type, avp, msg);
    } else if (flags & AVP_FLAG.M) unknown.push(avp);
    out.push(avp);
    pos += (length + 3) & ~3;
  }
  return out;
}

const FIXED: Partial<Record<AvpType, number>> = {
  Integer32: 4, Unsigned32: 4, Enumerated: 4, Float32: 4, Time: 4, Integer64: 8, Unsigned64: 8, Float64: 8,
};

function checkFixedLength(type: AvpType, avp: Avp, msg: DiameterMessage): void {
  const want = FIXED[type];
  if (want !== undefined && avp.data.length !== want) {
    throw new DecodeError(`AVP ${avp.def?.name ?? avp.code}: ${type} needs ${want} bytes, got ${avp.data.length}`, RESULT.INVALID_AVP_LENGTH, msg, avp);
  }
}

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
export const NTP_OFFSET = 2208988800;

/** RFC 6733 Time: NTP seconds, with values below 2^31 in the era that starts in 2036 (RFC 4330 §3). */
export function ntpToDate(secs: number): Date {
  const s = secs < 0x80000000 ? secs + 2 ** 32 : secs;
  return new Date((s - NTP_OFFSET) * 1000);
}

export function dateToNtp(d: Date): number {
  return (Math.floor(d.getTime() / 1000) + NTP_OFFSET) % 2 ** 32;
}

export type AvpValue = string | number | bigint | Date | Buffer | Avp[];

/** The typed value of a decoded AVP (unknown AVPs: their bytes). */
export function avpValue(avp: Avp): AvpValue {
  const d = avp.data;
  switch (avp.def?.type) {
    case undefined:
      return d;
    case 'OctetString':
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
      return d.toString('utf8');
    case 'Address':
      return decodeAddress(d);
    case 'Time':
      return ntpToDate(d.readUInt32BE(0));
    case 'Integer32':
    case 'Enumerated':
      return d.readInt32BE(0);
    case 'Unsigned32':
      return d.readUInt32BE(0);
    case 'Integer64':
      return d.readBigInt64BE(0);
    case 'Unsigned64':
      return d.readBigUInt64BE(0);
    case 'Float32':
      return d.readFloatBE(0);
    case 'Float64':
      return d.readDoubleBE(0);
    case 'Grouped':
      return avp.children ?? [];
  }
}

/** The value as the templates and filters see it: numbers in decimal, Time as RFC 3339 UTC. */
export function avpString(avp: Avp): string {
  const v = avpValue(avp);
  if (v instanceof Date) return v.toISOString().replace(/\.000Z$/, 'Z');
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return '';
  return String(v);
}

function decodeAddress(d: Buffer): string {
  if (d.length < 2) return d.toString('hex');
  const family = d.readUInt16BE(0);
  if (family === 1 && d.length === 6) return `${d[2]}.${d[3]}.${d[4]}.${d[5]}`;
  if (family === 2 && d.length === 18) {
    const parts: string[] = [];
    for (let i = 2; i < 18; i += 2) parts.push(d.readUInt16BE(i).toString(16));
    return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  return d.subarray(2).toString('hex');
}

// ---- encoding ------------------------------------------------------------------------------

/** The bytes of a value of `type`, from what templates produce (strings) or typed values. */
export function encodeValue(type: AvpType, v: unknown, def?: AvpDef): Buffer {
  switch (type) {
    case 'OctetString':
    case 'UTF8String':
    case 'DiameterIdentity':
    case 'DiameterURI':
      return Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');
    case 'Address':
      return encodeAddress(String(v));
    case 'Time': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(dateToNtp(toDate(v)));
      return b;
    }
    case 'Integer32':
    case 'Enumerated': {
      const b = Buffer.alloc(4);
      const named = typeof v === 'string' ? def?.enumByName?.get(v) : undefined;
      b.writeInt32BE(named ?? intOf(v, -(2 ** 31), 2 ** 31 - 1, type));
      return b;
    }
    case 'Unsigned32': {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(intOf(v, 0, 2 ** 32 - 1, type));
      return b;
    }
    case 'Integer64': {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(bigOf(v, type));
      return b;
    }
    case 'Unsigned64': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(bigOf(v, type));
      return b;
    }
    case 'Float32': {
      const b = Buffer.alloc(4);
      b.writeFloatBE(floatOf(v, type));
      return b;
    }
    case 'Float64': {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(floatOf(v, type));
      return b;
    }
    case 'Grouped':
      if (!Array.isArray(v)) throw new TypeError('a Grouped AVP takes a list of AVPs');
      return Buffer.concat((v as Avp[]).map(encodeAvp));
  }
}

function intOf(v: unknown, min: number, max: number, type: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(String(v).trim());
  if (!Number.isInteger(n) || n < min || n > max) throw new TypeError(`${JSON.stringify(String(v))} is not a valid ${type}`);
  return n;
}

function bigOf(v: unknown, type: string): bigint {
  try {
    const b = typeof v === 'bigint' ? v : BigInt(typeof v === 'number' ? v : String(v).trim());
    if (type === 'Unsigned64' ? b < 0n || b >= 2n ** 64n : b < -(2n ** 63n) || b >= 2n ** 63n) throw new Error();
    return b;
  } catch {
    throw new TypeError(`${JSON.stringify(String(v))} is not a valid ${type}`);
  }
}

function floatOf(v: unknown, type: string): number {
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (Number.isNaN(n) && String(v).trim() !== 'NaN') throw new TypeError(`${JSON.stringify(String(v))} is not a valid ${type}`);
  return n;
}

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v * 1000);
  const s = String(v).trim();
  const d = /^\d+$/.test(s) ? new Date(Number(s) * 1000) : new Date(s);
  if (Number.isNaN(d.getTime())) throw new TypeError(`${JSON.stringify(s)} is not a valid Time`);
  return d;
}

function encodeAddress(s: string): Buffer {
  if (isIPv4(s)) return Buffer.from([0, 1, ...s.split('.').map(Number)]);
  if (isIPv6(s)) {
    const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    const b = Buffer.alloc(18);
    b.writeUInt16BE(2, 0);
    groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), 2 + 2 * i));
    return b;
  }
  throw new TypeError(`${JSON.stringify(s)} is not an IPv4 or IPv6 address`);
}

/** Builds an AVP from its dictionary entry and a value (a list of AVPs for Grouped). */
export function makeAvp(def: AvpDef, value: unknown, flags?: number): Avp {
  const f = flags ?? ((def.mandatory ? AVP_FLAG.M : 0) | (def.vendorId ? AVP_FLAG.V : 0));
  if (def.type === 'Grouped') {
    const children = value as Avp[];
    return { code: def.code, vendorId: def.vendorId, flags: f, def, children, data: encodeValue('Grouped', children) };
  }
  return { code: def.code, vendorId: def.vendorId, flags: f, def, data: encodeValue(def.type, value, def) };
}

/** Builds an AVP by name; throws naming the AVP when the dictionary does not know it. */
export function avpByName(dict: Dictionary, name: string, value: unknown): Avp {
  const def = dict.avpByName(name);
  if (!def) throw new TypeError(`unknown AVP "${name}" (not in the dictionaries)`);
  try {
    return makeAvp(def, value);
  } catch (e) {
    throw new TypeError(`AVP ${name}: ${(e as Error).message}`);
  }
}

export function avpLength(a: Avp): number {
  return (a.flags & AVP_FLAG.V ? 12 : 8) + a.data.length;
}

function writeAvp(a: Avp, out: Buffer, pos: number): number {
  const len = avpLength(a);
  out.writeUInt32BE(a.code, pos);
  out.writeUInt32BE(len, pos + 4);
  out[pos + 4] = a.flags;
  let p = pos + 8;
  if (a.flags & AVP_FLAG.V) {
    out.writeUInt32BE(a.vendorId, p);
    p += 4;
  }
  a.data.copy(out, p);
  const padded = (len + 3) & ~3;
  out.fill(0, pos + len, pos + padded);
  return pos + padded;
}

export function encodeAvp(a: Avp): Buffer {
  const out = Buffer.alloc((avpLength(a) + 3) & ~3);
  writeAvp(a, out, 0);
  return out;
}

/** One buffer for the whole message: lengths are summed first, then every AVP written in place. */
export function encodeMessage(m: DiameterMessage): Buffer {
  let total = HEADER_LENGTH;
  for (const a of m.avps) total += (avpLength(a) + 3) & ~3;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out[0] = 1;
  out.writeUInt32BE(m.commandCode, 4);
  out[4] = m.flags;
  out.writeUInt32BE(m.appId >>> 0, 8);
  out.writeUInt32BE(m.hopByHop >>> 0, 12);
  out.writeUInt32BE(m.endToEnd >>> 0, 16);
  let pos = HEADER_LENGTH;
  for (const a of m.avps) pos = writeAvp(a, out, pos);
  return out;
}

// ---- lookups -------------------------------------------------------------------------------

export function findAvp(avps: readonly Avp[], code: number, vendorId = 0): Avp | undefined {
  for (const a of avps) if (a.code === code && a.vendorId === vendorId) return a;
  return undefined;
}

/** AVP tree → nested map of strings by AVP name (the `*req` of templates and filters); the first of repeated AVPs wins, unknown AVPs are left out. */
export function avpsToMap(avps: readonly Avp[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of avps) {
    if (!a.def || a.def.name in out) continue;
    out[a.def.name] = a.children ? avpsToMap(a.children) : avpString(a);
  }
  return out;
}
