// Step 7 acceptance with the real peer: OpenSIPS 3.6 (aaa_diameter over freeDiameter) running the
// osips_diam tutorial's prepaid, postpaid and accounting cfgs against the engine running the
// tutorial's config, sipp phones calling through it. Balances and CDRs are what rating says.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { haveTools } from '../support/tools.js';
import { ROOT, freePort, startEngine, tempDir } from './harness.js';
import { tutorialConfigs, type DiameterEngine } from './diameter-support.js';
import { call, callId, phone, startOpensips, type OpensipsRig, type Proc } from './diameter-opensips-rig.js';
import type { Acc, WireCdr } from './tutorial.js';

const have = haveTools('OpenSIPS aaa_diameter e2e', 'opensips', 'sipp');
const TP = join(ROOT, 'test/fixtures/diameter/tp_cut');
let e: DiameterEngine;
let dir: string;

async function balance(acc: string): Promise<number> {
  const a = await e.call<Acc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: acc });
  return Math.round((a.BalanceMap['*monetary'] ?? []).reduce((s, b) => s + b.Value, 0) * 1e4) / 1e4;
}
async function cdrOf(originId: string): Promise<WireCdr> {
  for (let i = 0; i < 300; i++) {
    const cdrs = await e.call<WireCdr[]>('CDRsV1.GetCDRs', { OriginIDs: [originId] }).catch(() => [] as WireCdr[]);
    if (cdrs.length) {
      expect(cdrs).toHaveLength(1);
      return cdrs[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no CDR for ${originId}\n${e.output().slice(-4000)}`);
}
const secondsOf = (u: unknown) => (typeof u === 'number' ? u / 1e9 : Number(/^(\d+)s$/.exec(String(u))?.[1] ?? NaN));

async function withOpensips(cfg: string, body: (rig: OpensipsRig) => Promise<void>): Promise<void> {
  const rig = await startOpensips(cfg, await tempDir('accurate-osd-'), e.diameterPort);
  const procs: Proc[] = [];
  try {
    // aaa_diameter's freeDiameter peer reaches OPEN with the engine before calls are placed.
    for (let i = 0; i < 200 && (e.output().match(/diameter peer client\.diameter\.test \(\S+\) OPEN/g) ?? []).length <= opened; i++) {
      if (rig.opensips.proc.exitCode !== null) throw new Error(`opensips exited:\n${rig.opensips.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    opened++;
    expect(e.output()).toMatch(/diameter peer client\.diameter\.test \(\S+\) OPEN/);
    procs.push(await phone(rig, '1002'));
    await body(rig).catch((err: Error) => {
      err.message += `\n--- opensips:\n${rig.opensips.output().slice(-6000)}`;
      throw err;
    });
  } finally {
    for (const p of procs) await p.stop();
    await rig.opensips.stop();
    await rm(rig.dir, { recursive: true, force: true });
  }
}
let opened = 0;

beforeAll(async () => {
  if (!have) return;
  dir = await tempDir();
  const diameterPort = await freePort();
  const engine = await startEngine({ configs: await tutorialConfigs(diameterPort) });
  e = Object.assign(engine, { diameterPort });
  expect(await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: TP })).toBe('OK');
}, 60_000);
afterAll(async () => {
  await e?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!have)('OpenSIPS aaa_diameter with the osips_diam tutorial cfgs', () => {
  it('prepaid: CCR-I authorizes, CCR-U debits, CCR-T refunds; one CDR with what rating says', async () => {
    await withOpensips('opensips_ccr_prepaid.cfg', async (rig) => {
      expect(await balance('1001')).toBe(10);
      const r = await call(rig, '1001', '1002', 'pre', 3000);
      expect(r.code, r.output).toBe(0);
      const cdr = await cdrOf(callId('pre'));
      const secs = secondsOf(cdr.Usage);
      expect(secs).toBeGreaterThanOrEqual(3);
      expect(secs).toBeLessThan(60);
      // Under a minute: the connect fee and the first 60 s increment, 0.4 + 0.2.
      expect(cdr).toMatchObject({ RequestType: '*prepaid', Account: '1001', Destination: '1002', Cost: 0.6 });
      expect(JSON.stringify(cdr)).toContain('"DisconnectCause":"1"');
      expect(await balance('1001')).toBe(9.4);
      expect(rig.opensips.output()).toMatch(/CCR-I for pre-1@127\.0\.0\.1 granted 5700 s/);
    });
  }, 120_000);

  it('prepaid with too little credit: OpenSIPS cuts the call at the granted CC-Time (Termination-Cause 6)', async () => {
    await withOpensips('opensips_ccr_prepaid.cfg', async (rig) => {
      expect(await balance('1005')).toBe(0.05);
      const r = await call(rig, '1005', '1002', 'cut', undefined, 30_000);
      expect(r.code, r.output).toBe(0); // the network's BYE ended it
      // 0.05 at 0.01/s: 5 s granted, and the dialog timeout is what the CCA said.
      expect(rig.opensips.output()).toMatch(/CCR-I for cut-1@127\.0\.0\.1 granted 5 s/);
      const cdr = await cdrOf(callId('cut'));
      const secs = secondsOf(cdr.Usage);
      // Cut around the granted 5 s, never a full minute later: OpenSIPS counts the dialog timeout from
      // before the answer, the cfg counts usage from the answer, in whole seconds, on a loaded machine.
      expect(secs).toBeGreaterThanOrEqual(3);
      expect(secs).toBeLessThanOrEqual(7);
      expect(cdr.Cost).toBe(Math.round(secs * 0.01 * 1e4) / 1e4);
      // SessionS's debit loop ends the session when the 5 s run out, at the moment OpenSIPS's dialog
      // times out: whichever comes first writes the one CDR (the CCR-T's carries Termination-Cause 6),
      // and the other is not charged again.
      const cause = (cdr as { ExtraFields?: Record<string, string> }).ExtraFields?.DisconnectCause ?? (cdr as Record<string, unknown>).DisconnectCause;
      expect([undefined, '', '6']).toContain(cause);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await e.call<WireCdr[]>('CDRsV1.GetCDRs', { OriginIDs: [callId('cut')] })).toHaveLength(1);
      expect(await balance('1005'), e.output().slice(-2500)).toBe(Math.round((0.05 - secs * 0.01) * 1e4) / 1e4);
    });
  }, 120_000);

  it('prepaid with no credit left: CCR-I answered 4012 and the INVITE refused (403)', async () => {
    await withOpensips('opensips_ccr_prepaid.cfg', async (rig) => {
      // The previous call's session must be over (its last refund lands) before the balance is emptied.
      for (let i = 0; i < 100; i++) {
        const active = await e.call<unknown[]>('SessionSv1.GetActiveSessions', {}).catch(() => []);
        if (active.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      const left = await balance('1005');
      if (left > 0) expect(await e.call('APIerSv1.DebitBalance', { Tenant: 'cgrates.org', Account: '1005', BalanceType: '*monetary', Value: left })).toBe('OK');
      expect(await balance('1005')).toBe(0);
      const r = await call(rig, '1005', '1002', 'broke', 1000);
      expect(r.output).toMatch(/403/);
      expect(rig.opensips.output()).toMatch(/CCR-I for broke-1@127\.0\.0\.1 refused: Result-Code=4012/);
    });
  }, 120_000);

  it('postpaid: one CCR EVENT at hangup writes a rated CDR and debits it', async () => {
    await withOpensips('opensips_ccr_postpaid.cfg', async (rig) => {
      const before = await balance('1001');
      const r = await call(rig, '1001', '1002', 'post', 2000);
      expect(r.code, r.output).toBe(0);
      const cdr = await cdrOf(callId('post'));
      expect(cdr).toMatchObject({ RequestType: '*postpaid', Account: '1001', Destination: '1002', Cost: 0.6 });
      expect(await balance('1001')).toBe(Math.round((before - 0.6) * 1e4) / 1e4);
    });
  }, 120_000);

  it('accounting: ACR START at answer starts the session, ACR STOP ends it and writes the CDR', async () => {
    await withOpensips('opensips_acc.cfg', async (rig) => {
      const before = await balance('1001');
      const r = await call(rig, '1001', '1002', 'acct', 2000);
      expect(r.code, r.output).toBe(0);
      const cdr = await cdrOf(callId('acct'));
      expect(cdr).toMatchObject({ RequestType: '*prepaid', Account: '1001', Destination: '1002', Cost: 0.6 });
      expect(await balance('1001')).toBe(Math.round((before - 0.6) * 1e4) / 1e4);
    });
  }, 120_000);
});
