// A classic pcap file from recorded TCP payloads (Ethernet/IPv4/TCP with a handshake and exact
// sequence numbers), so tshark can dissect traffic a test captured through a relay.
import { writeFileSync } from 'node:fs';

export interface Segment {
  /** true: client → server. */
  fromClient: boolean;
  data: Buffer;
}

function ipChecksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += h.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function writePcap(path: string, segments: Segment[], ports: { client: number; server: number }): void {
  const records: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  records.push(global);
  let t = Date.now() * 1000;
  const seq = { client: 1000, server: 5000 };
  let id = 1;
  const packet = (fromClient: boolean, flags: number, data: Buffer) => {
    const tcp = Buffer.alloc(20);
    tcp.writeUInt16BE(fromClient ? ports.client : ports.server, 0);
    tcp.writeUInt16BE(fromClient ? ports.server : ports.client, 2);
    tcp.writeUInt32BE((fromClient ? seq.client : seq.server) >>> 0, 4);
    tcp.writeUInt32BE(flags & 0x10 ? (fromClient ? seq.server : seq.client) >>> 0 : 0, 8);
    tcp[12] = 5 << 4;
    tcp[13] = flags;
    tcp.writeUInt16BE(65535, 14);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 20 + data.length, 2);
    ip.writeUInt16BE(id++ & 0xffff, 4);
    ip.writeUInt16BE(0x4000, 6);
    ip[8] = 64;
    ip[9] = 6;
    Buffer.from([127, 0, 0, fromClient ? 2 : 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, fromClient ? 1 : 2]).copy(ip, 16);
    ip.writeUInt16BE(ipChecksum(ip), 10);
    const eth = Buffer.from([0, 0, 0, 0, 0, fromClient ? 1 : 2, 0, 0, 0, 0, 0, fromClient ? 2 : 1, 0x08, 0x00]);
    const frame = Buffer.concat([eth, ip, tcp, data]);
    const rec = Buffer.alloc(16);
    t += 1000;
    rec.writeUInt32LE(Math.floor(t / 1e6), 0);
    rec.writeUInt32LE(t % 1e6, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    records.push(rec, frame);
    const adv = data.length + (flags & 0x02 ? 1 : 0);
    if (fromClient) seq.client += adv;
    else seq.server += adv;
  };
  const SYN = 0x02, ACK = 0x10, PSH = 0x08;
  packet(true, SYN, Buffer.alloc(0));
  packet(false, SYN | ACK, Buffer.alloc(0));
  packet(true, ACK, Buffer.alloc(0));
  for (const s of segments) packet(s.fromClient, PSH | ACK, s.data);
  writeFileSync(path, Buffer.concat(records));
}
