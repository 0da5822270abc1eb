// event_datagram framing: one UDP payload → the OpenSIPS events it carries. OpenSIPS 3.x sends one
// JSON-RPC 2.0 notification per datagram ({"jsonrpc":"2.0","method":"E_X","params":{...}}); 1.x/2.x
// send text (`NAME\nkey::value\n...\n\n`, several events may share a datagram). Anything else is a
// DatagramError saying what is wrong, so the listener can count and log it.

/** An attribute value as OpenSIPS sends it: strings, JSON numbers, or null for an unset extra. */
export type OsipsValue = string | number | boolean | null;

export interface OsipsEvent {
  name: string;
  attrs: Record<string, OsipsValue>;
}

export class DatagramError extends Error {}

/** Real events are under 2 KB; a larger datagram is refused unread (a 64 KB one is an attack or a bug). */
export const MAX_DATAGRAM_BYTES = 16 * 1024;

const EVENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

export function parseDatagram(buf: Uint8Array): OsipsEvent[] {
  if (buf.length === 0) throw new DatagramError('empty datagram');
  if (buf.length > MAX_DATAGRAM_BYTES) throw new DatagramError(`datagram of ${buf.length} bytes is larger than ${MAX_DATAGRAM_BYTES}`);
  if (buf.includes(0)) throw new DatagramError('datagram contains a NUL byte');
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    throw new DatagramError('datagram is not UTF-8 text');
  }
  const t = text.trimStart();
  return t.startsWith('{') ? [parseJsonRpc(t)] : parseText(text);
}

function parseJsonRpc(text: string): OsipsEvent {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch (e) {
    throw new DatagramError(`JSON-RPC event is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new DatagramError('JSON-RPC event is not an object');
  const m = msg as Record<string, unknown>;
  if (typeof m.method !== 'string' || !EVENT_NAME.test(m.method)) throw new DatagramError('JSON-RPC event has no valid "method" (the event name)');
  const params = m.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new DatagramError(`event ${m.method}: "params" is not an object`);
  const attrs: Record<string, OsipsValue> = {};
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attrs[k] = v;
    else attrs[k] = JSON.stringify(v); // nested values are kept as their JSON text
  }
  return { name: m.method, attrs };
}

function parseText(text: string): OsipsEvent[] {
  const out: OsipsEvent[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l !== '');
    if (lines.length === 0) continue;
    const name = lines[0].trim();
    if (!EVENT_NAME.test(name)) throw new DatagramError(`text event name <${name.slice(0, 40)}> is not an event name`);
    const attrs: Record<string, OsipsValue> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf('::');
      // A line without `::` is a bare value (1.x positional attribute), kept under its position.
      if (i < 0) attrs[String(Object.keys(attrs).length)] = line;
      else attrs[line.slice(0, i)] = line.slice(i + 2);
    }
    out.push({ name, attrs });
  }
  if (out.length === 0) throw new DatagramError('datagram holds no event');
  return out;
}
