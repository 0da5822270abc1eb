// A CCR-I/U/T flow between our client and the engine, recorded through a TCP relay and written as a
// pcap: Wireshark's Diameter dissector (tshark) must decode every frame with no Malformed packet and
// no expert error or warning, and see what we meant (commands, CC-Time, Result-Code).
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { haveTools } from '../support/tools.js';
import { writePcap, type Segment } from '../support/pcap.js';
import { tempDir } from './harness.js';
import { ccr, dict, startDiameterEngine, type DiameterEngine } from './diameter-support.js';
import { CMD, connectPeer } from '../../src/agents/diameter/index.js';

const have = haveTools('Diameter capture decoded by tshark', 'tshark');
let e: DiameterEngine;
let relay: net.Server;
const segments: Segment[] = [];
const cleanupDirs: string[] = [];

beforeAll(async () => {
  if (!have) return;
  e = await startDiameterEngine();
  relay = net.createServer((client) => {
    const upstream = net.connect({ port: e.diameterPort, host: '127.0.0.1' });
    client.on('data', (d) => { segments.push({ fromClient: true, data: Buffer.from(d) }); upstream.write(d); });
    upstream.on('data', (d) => { segments.push({ fromClient: false, data: Buffer.from(d) }); client.write(d); });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
}, 60_000);
afterAll(async () => {
  relay?.close();
  await e?.cleanup();
  for (const d of cleanupDirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!have)('tshark decodes a captured CCR-I/U/T flow', () => {
  it('no Malformed frame, no expert error or warning, and the CCAs carry what the engine answered', async () => {
    const c = await connectPeer({ port: (relay.address() as net.AddressInfo).port, dict });
    await c.request(CMD.CC, 4, ccr('tshark-1', 1, 0, { requested: 300 }));
    await c.request(CMD.CC, 4, ccr('tshark-1', 2, 1, { requested: 0 }));
    await c.request(CMD.CC, 4, ccr('tshark-1', 3, 2, { used: 30, cause: 1 }));
    await c.close();
    const dir = await tempDir('accurate-pcap-');
    cleanupDirs.push(dir);
    const file = join(dir, 'ccr.pcap');
    writePcap(file, segments, { client: 40000, server: 3868 });

    const fields = execFileSync('tshark', ['-r', file, '-Y', 'diameter', '-T', 'fields', '-E', 'separator=|',
      '-e', 'diameter.cmd.code', '-e', 'diameter.flags.request', '-e', 'diameter.CC-Request-Type', '-e', 'diameter.Result-Code', '-e', 'diameter.CC-Time'], { encoding: 'utf8' });
    const rows = fields.trim().split('\n').map((l) => l.split('|'));
    // CER, CEA, 3 × (CCR, CCA), DPR, DPA
    expect(rows.map((r) => r[0])).toEqual(['257', '257', '272', '272', '272', '272', '272', '272', '282', '282']);
    const ccas = rows.filter((r) => r[0] === '272' && (r[1] === '0' || r[1] === 'False'));
    expect(ccas.map((r) => r[3])).toEqual(['2001', '2001', '2001']);
    expect(ccas[0][4]).toBe('300'); // Granted CC-Time 300 s

    const all = execFileSync('tshark', ['-r', file, '-V'], { encoding: 'utf8' });
    expect(all).not.toMatch(/Malformed/i);
    expect(all).toMatch(/Credit-Control/);
    const expert = execFileSync('tshark', ['-r', file, '-q', '-z', 'expert'], { encoding: 'utf8' });
    expect(expert).not.toMatch(/^\s*Errors\s*\(/m);
    expect(expert).not.toMatch(/^\s*Warnings\s*\(/m);
  });
});
