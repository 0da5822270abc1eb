// The same calls through opensips-cgrates.cfg: OpenSIPS's own `cgrates` module talking raw JSON
// to listen.birpc_json; credit ending comes back as SessionSv1.DisconnectSession on its connection.
import { mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../support/tools.js';
import { MiClient } from '../../src/agents/opensips/mi.js';
import { startEngine, tempDir, type RunningEngine } from './harness.js';
import { accurateJson, call, callId, opensipsCfg, rigPorts, sipp, sippPhone, startOpensips, TUTORIAL, rigApi, type Proc, type RigPorts } from './opensips-rig.js';

type Status = { BiRPC: { Connections: number; requests: number; disconnects_sent: number } };
const S = 1e9;

describe.skipIf(!haveTools('osips_async cgrates-module e2e', 'opensips', 'sipp'))('osips_async with the cgrates module (opensips-cgrates.cfg)', () => {
  let dir = '';
  let p: RigPorts;
  let osips: Proc | undefined;
  let engine: RunningEngine | undefined;
  const phones: Proc[] = [];
  const { rpc, cdrs, cdrsOf, balances, consoleCost, close: closeClient } = rigApi(() => p.rpc, () => `${engine?.output().slice(-4000)}\n---- opensips\n${osips?.output().slice(-3000)}`);
  const ok = (r: { code: number | null; output: string }) => expect(r.code, r.output.slice(-3000) + '\n---- opensips:\n' + osips!.output().slice(-3000)).toBe(0);

  beforeAll(async () => {
    dir = await tempDir('accurate-osips-cgr-');
    p = await rigPorts();
    await mkdir(join(dir, 'export'), { recursive: true });
    engine = await startEngine({ dir, configs: { 'accurate.json': await accurateJson(p, dir) } });
    expect(await rpc('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(TUTORIAL, 'tp') })).toBe('OK');
    osips = await startOpensips(await opensipsCfg(p, 'opensips-cgrates.cfg'), dir, p);
    phones.push(sippPhone(p, dir, 'uas.xml', p.uas), sippPhone(p, dir, 'uas_busy.xml', p.busy));
    for (const [user, port] of [['1002', p.uas], ['1003', p.uas], ['1004', p.uas], ['1005', p.busy]] as const) {
      ok(await sipp(p, dir, 'register.xml', ['-s', user, '-key', 'contact_port', String(port)]));
    }
  }, 90_000);

  afterAll(async () => {
    for (const ph of phones) await ph.stop();
    await osips?.stop();
    closeClient();
    await engine?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('1002 postpaid, 1003 pseudoprepaid: one CDR each, cost as `console cost`, balance debited by it', async () => {
    for (const [acc, dst, tag, type] of [['1002', '1003', 'cpost', '*postpaid'], ['1003', '1002', 'cpseudo', '*pseudoprepaid']]) {
      const before = (await balances(acc, '*monetary'))[0].v;
      ok(await call(p, dir, acc, dst, 2000, tag));
      const got = await cdrsOf(tag);
      expect(got).toHaveLength(1);
      const c = got[0];
      expect(c).toMatchObject({ RequestType: type, Account: acc, Destination: dst });
      // The module sends time(NULL) at the BYE minus time(NULL) at the 200 OK: whole seconds, and the
      // BYE leaves at least 2 s after the answer, so 2 or 3 s. 0 or 1 s meant the dialog expired
      // early (the cfg once read $cgr_ret(MaxUsage), which 3.6.8 gives as 1: a 1 s dialog timeout).
      expect(c.Usage).toBeGreaterThanOrEqual(2 * S);
      expect(c.Usage).toBeLessThanOrEqual(3 * S);
      expect(c.Cost).toBeGreaterThan(0);
      expect(c.Cost).toBeCloseTo(await consoleCost(c), 10);
      expect((await balances(acc, '*monetary'))[0].v).toBeCloseTo(before - c.Cost, 10);
    }
    const st = await rpc<Status>('OpenSIPSAgentV1.Status');
    expect(st.BiRPC.Connections).toBeGreaterThan(0);
  }, 60_000);

  it('1004 and 1007 rated: balances untouched', async () => {
    const b4 = await balances('1004', '*monetary');
    ok(await call(p, dir, '1004', '1002', 1000, 'crated4'));
    ok(await call(p, dir, '1007', '1003', 1000, 'crated7'));
    for (const tag of ['crated4', 'crated7']) {
      const [c] = await cdrsOf(tag);
      expect(c.RequestType).toBe('*rated');
      expect(c.Cost).toBeCloseTo(await consoleCost(c), 10);
    }
    expect(await balances('1004', '*monetary')).toEqual(b4);
  }, 60_000);

  it('a busy callee: one CDR with zero usage, its `Call-ID: x` OriginID mended', async () => {
    ok(await call(p, dir, '1002', '1005', 1000, 'cbusy'));
    const got = await cdrsOf('cbusy');
    expect(got).toHaveLength(1);
    expect(got[0].Usage).toBe(0);
  }, 60_000);

  it('1001 prepaid: debited while it runs, refunded at the end', async () => {
    const vb = async () => (await balances('1001', '*voice')).find((b) => b.d === 'DST_1003')!.v;
    const before = await vb();
    // What the engine grants this call now: it depends on the time of day (peak rates from 08:00 on
    // weekdays), so the dialog's timeout is checked against it, not against a fixed number.
    const { MaxUsage } = await rpc<{ MaxUsage: number }>('SessionSv1.AuthorizeEvent', {
      GetMaxUsage: true, Tenant: 'cgrates.org', ID: 'cpre-auth',
      Event: { Tenant: 'cgrates.org', Category: 'call', RequestType: '*prepaid', Account: '1001', Subject: '1001', Destination: '1003', SetupTime: new Date().toISOString(), AnswerTime: new Date().toISOString() },
    });
    const running = call(p, dir, '1001', '1003', 7000, 'cpre');
    let during = before;
    for (let i = 0; i < 50 && during === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      during = await vb();
    }
    expect(during).toBeLessThan(before);
    // the dialog's safety-net timeout is AccuRate's MaxUsage + 30 s (minutes here), not 1 + 30
    const mi = new MiClient({ address: `127.0.0.1:${p.mi}`, timeout: 5000, retries: 2 });
    const dlgs = JSON.stringify(await mi.call('dlg_list').finally(() => mi.close()));
    const d = (JSON.parse(dlgs) as { Dialogs: { callid: string; timestart: number; timeout: number }[] }).Dialogs.find((x) => x.callid === callId('cpre'));
    expect(d, dlgs).toBeDefined();
    expect(MaxUsage).toBeGreaterThan(600 * S);
    // InitiateSession asks a moment after AuthorizeEvent (a rate increment is at most 60 s here).
    expect(d!.timeout - d!.timestart).toBeGreaterThan(MaxUsage / S + 30 - 61);
    expect(d!.timeout - d!.timestart).toBeLessThanOrEqual(MaxUsage / S + 30 + 1);
    ok(await running);
    const [c] = await cdrsOf('cpre');
    expect(before - (await vb())).toBe(Math.ceil(c.Usage / S) * S);
  }, 60_000);

  it('GetActiveSessionIDs both ways while a call runs', async () => {
    const running = call(p, dir, '1002', '1003', 4000, 'cids');
    let remote: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      remote = await rpc<Record<string, unknown>>('OpenSIPSAgentV1.BiRPCSessionIDs');
      if (JSON.stringify(remote).includes(callId('cids'))) break;
    }
    ok(await running);
    // OpenSIPS answers SessionSv1.GetActiveSessionIDs with the call it holds
    expect(JSON.stringify(remote)).toContain(callId('cids'));
    // and the other way: a client on the BiRPC port asks AccuRate
    const sock = net.connect(p.birpc, '127.0.0.1');
    const reply = await new Promise<string>((res) => {
      let buf = '';
      sock.on('data', (d) => {
        buf += d;
        if (buf.trim().endsWith('}')) res(buf);
      });
      sock.write('{"method":"SessionSv1.GetActiveSessionIDs","params":[""],"id":7}');
    });
    sock.destroy();
    expect(JSON.parse(reply)).toEqual({ id: 7, result: [], error: null });
  }, 60_000);

  it('credit running out: SessionSv1.DisconnectSession back on its connection, OpenSIPS hangs up, one CDR', async () => {
    await rpc('APIerSv1.RemoveBalances', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*monetary' });
    await rpc('APIerSv1.RemoveBalances', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*voice' });
    await rpc('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*voice', Value: 12 * S, Balance: { ID: 'TWELVE_SECONDS' } });
    const before = await rpc<Status>('OpenSIPSAgentV1.Status');
    const r = await sipp(p, dir, 'uac_until_bye.xml', ['-s', '1002', '-key', 'caller', '1001', '-cid_str', 'cdry-%u@%s'], 60_000);
    ok(r);
    expect(r.ms).toBeGreaterThan(11_000);
    // Wall clock includes sipp's start on a loaded machine; the CDR's Usage below pins the second exactly.
    expect(r.ms).toBeLessThan(20_000);
    const after = await rpc<Status>('OpenSIPSAgentV1.Status');
    expect(after.BiRPC.disconnects_sent).toBe(before.BiRPC.disconnects_sent + 1);
    const [c] = await cdrsOf('cdry');
    expect(c.Usage).toBe(12 * S);
    await new Promise((r2) => setTimeout(r2, 1000));
    expect(await cdrs('cdry')).toHaveLength(1);
    expect((await balances('1001', '*voice')).find((b) => b.id === 'TWELVE_SECONDS')!.v).toBe(0);
  }, 90_000);
});
