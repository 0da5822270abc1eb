// A real freeDiameterd (1.2.1, the library OpenSIPS's aaa_diameter is built on) connects to the
// engine running the osips_diam tutorial config: CER/CEA to OPEN, DWR/DWA both ways, DPR/DPA when
// the engine stops. freeDiameterd's own message dump (dbg_msg_dumps) is the witness.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { haveTools } from '../support/tools.js';
import { freePorts, tempDir } from './harness.js';
import { startDiameterEngine, type DiameterEngine } from './diameter-support.js';

const have = haveTools('Diameter e2e with freeDiameterd', 'freeDiameterd');
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** freeDiameterd as client.diameter.test, connecting to the engine; returns its growing log. */
async function startFreeDiameter(e: DiameterEngine, twSeconds: number) {
  const dir = await tempDir('accurate-fd-');
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  // freeDiameter wants TLS credentials even when the peer is No_TLS; the CN must be its Identity.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=client.diameter.test'], { stdio: 'ignore' });
  const [port, secPort] = await freePorts(2);
  await writeFile(join(dir, 'freeDiameter.conf'), [
    'Identity = "client.diameter.test";', 'Realm = "diameter.test";', `Port = ${port};`, `SecPort = ${secPort};`,
    'No_SCTP;', 'No_IPv6;', 'ListenOn = "127.0.0.1";',
    `TLS_Cred = "${join(dir, 'cert.pem')}", "${join(dir, 'key.pem')}";`, `TLS_CA = "${join(dir, 'cert.pem')}";`,
    'TcTimer = 3;', `TwTimer = ${twSeconds};`,
    'LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x0080";',
    `ConnectPeer = "server.diameter.test" { ConnectTo = "127.0.0.1"; Port = ${e.diameterPort}; No_TLS; };`, '',
  ].join('\n'));
  const proc: ChildProcess = spawn('freeDiameterd', ['-dd', '-c', join(dir, 'freeDiameter.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout!.on('data', (d) => (log += d));
  proc.stderr!.on('data', (d) => (log += d));
  cleanups.push(async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(null); }, 20_000); proc.once('exit', () => { clearTimeout(t); r(null); }); });
    }
  });
  const waitFor = async (re: RegExp, ms: number) => {
    const until = Date.now() + ms;
    while (!re.test(log) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(log, `freeDiameterd log should match ${re}`).toMatch(re);
  };
  return { log: () => log, waitFor };
}

// freeDiameter prints each message as "RCV from 'peer':" / "SND to 'peer':" then its name on the next line.
const rcv = (name: string) => new RegExp(`RCV from 'server\\.diameter\\.test':\\s*\\n[^\\n]*'${name}'`);
const snd = (name: string) => new RegExp(`SND to 'server\\.diameter\\.test':\\s*\\n[^\\n]*'${name}'`);

describe.skipIf(!have)('freeDiameterd against the engine (tutorial config)', () => {
  it('reaches OPEN via CER/CEA, answers our DWRs, and gets a DPR when the engine stops', async () => {
    const e = await startDiameterEngine({ watchdog_interval: '1s' });
    cleanups.push(() => e.cleanup());
    const fd = await startFreeDiameter(e, 30);
    await fd.waitFor(/'STATE_WAITCEA'\s*->\s*'STATE_OPEN'\s*'server\.diameter\.test'/, 20_000);
    expect(fd.log()).toMatch(rcv('Capabilities-Exchange-Answer'));
    expect(fd.log()).toMatch(/Auth-Application-Id\(258\)\[-M\]=4 /);
    expect(fd.log()).toMatch(/Acct-Application-Id\(259\)\[-M\]=3 /);
    await fd.waitFor(rcv('Device-Watchdog-Request'), 10_000);
    await fd.waitFor(snd('Device-Watchdog-Answer'), 5_000);
    expect(e.output()).toMatch(/diameter peer client\.diameter\.test \(127\.0\.0\.1:\d+\) OPEN/);
    await e.stop();
    await fd.waitFor(rcv('Disconnect-Peer-Request'), 10_000);
    await fd.waitFor(snd('Disconnect-Peer-Answer'), 5_000);
  }, 90_000);

  it('answers the DWR freeDiameterd sends when the link is idle (its Tw)', async () => {
    const e = await startDiameterEngine({ watchdog_interval: '5m' });
    cleanups.push(() => e.cleanup());
    const fd = await startFreeDiameter(e, 6);
    await fd.waitFor(/'STATE_OPEN'\s*'server\.diameter\.test'/, 20_000);
    // freeDiameter jitters Tw by ±2 s.
    await fd.waitFor(snd('Device-Watchdog-Request'), 20_000);
    await fd.waitFor(rcv('Device-Watchdog-Answer'), 5_000);
    expect(fd.log()).not.toMatch(/'STATE_OPEN'\s*->\s*'STATE_SUSPECT'/);
  }, 90_000);
});
