// The osips_async tutorial through a real OpenSIPS 3.6 and sipp phones: the tutorial's own
// opensips.cfg and accurate.json (ports and paths substituted), calls of every request type.
import { createSocket } from 'node:dgram';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../support/tools.js';
import { startEngine, tempDir, type RunningEngine } from './harness.js';
import { accurateJson, call, callId, opensipsCfg, rigPorts, sipp, sippPhone, startOpensips, TUTORIAL, rigApi, type Proc, type RigCdr, type RigPorts } from './opensips-rig.js';

const S = 1e9;

describe.skipIf(!haveTools('osips_async e2e', 'opensips', 'sipp'))('osips_async tutorial: real OpenSIPS 3.6 + sipp', () => {
  let dir = '';
  let p: RigPorts;
  let osips: Proc | undefined;
  let engine: RunningEngine | undefined;
  const phones: Proc[] = [];
  let configs: Record<string, string> = {};
  const { rpc, cdrs, cdrsOf, account, balances, consoleCost, close: closeClient } = rigApi(() => p.rpc, () => `${engine?.output().slice(-4000)}\n---- opensips\n${osips?.output().slice(-3000)}`);
  const restart = async () => {
    closeClient();
    await engine!.stop();
    engine = await startEngine({ dir, configs });
  };
  const ok = (r: { code: number | null; output: string }) => expect(r.code, r.output.slice(-3000) + '\n---- opensips:\n' + osips!.output().slice(-3000)).toBe(0);

  beforeAll(async () => {
    dir = await tempDir('accurate-osips-');
    p = await rigPorts();
    await mkdir(join(dir, 'export'), { recursive: true });
    configs = { 'accurate.json': await accurateJson(p, dir) };
    // as the tutorial: OpenSIPS first, then AccuRate
    osips = await startOpensips(await opensipsCfg(p), dir, p);
    engine = await startEngine({ dir, configs });
    expect(await rpc('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(TUTORIAL, 'tp') })).toBe('OK');
    phones.push(sippPhone(p, dir, 'uas.xml', p.uas), sippPhone(p, dir, 'uas_busy.xml', p.busy));
    for (const [user, port] of [['1002', p.uas], ['1003', p.uas], ['1004', p.uas], ['1005', p.busy]] as const) {
      ok(await sipp(p, dir, 'register.xml', ['-s', user, '-key', 'contact_port', String(port)]));
    }
    // the agent subscribed over MI at start
    let st = await rpc<{ Subscriptions: Record<string, { ok: boolean }> }>('OpenSIPSAgentV1.Status');
    for (let i = 0; i < 50 && !st.Subscriptions.E_ACC_CDR?.ok; i++) {
      await new Promise((r) => setTimeout(r, 100));
      st = await rpc('OpenSIPSAgentV1.Status');
    }
    expect(st.Subscriptions.E_ACC_CDR?.ok).toBe(true);
    expect(st.Subscriptions.E_CGR_AUTHORIZE?.ok).toBe(true);
  }, 90_000);

  afterAll(async () => {
    for (const ph of phones) await ph.stop();
    await osips?.stop();
    closeClient();
    await engine?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('1002 postpaid: one CDR, rated and debited as `console cost` says', async () => {
    const before = (await balances('1002', '*monetary'))[0].v;
    ok(await call(p, dir, '1002', '1003', 2000, 'post'));
    const [c] = await cdrsOf('post');
    expect(c).toMatchObject({ RequestType: '*postpaid', Account: '1002', Destination: '1003', RunID: '*default' });
    expect(c.Usage).toBeGreaterThanOrEqual(2 * S);
    expect(c.Usage).toBeLessThan(4 * S);
    expect(c.Cost).toBeGreaterThan(0);
    expect(c.Cost).toBeCloseTo(await consoleCost(c), 10);
    expect((await balances('1002', '*monetary'))[0].v).toBeCloseTo(before - c.Cost, 10);
    expect(await cdrs('post')).toHaveLength(1);
  }, 60_000);

  it('1003 pseudoprepaid: authorized through E_CGR_AUTHORIZE + MI cache_store, charged at the CDR', async () => {
    const before = (await balances('1003', '*monetary'))[0].v;
    ok(await call(p, dir, '1003', '1002', 2000, 'pseudo'));
    const [c] = await cdrsOf('pseudo');
    expect(c.RequestType).toBe('*pseudoprepaid');
    expect(c.Cost).toBeCloseTo(await consoleCost(c), 10);
    expect((await balances('1003', '*monetary'))[0].v).toBeCloseTo(before - c.Cost, 10);
    const st = await rpc<{ Counters: Record<string, number> }>('OpenSIPSAgentV1.Status');
    expect(st.Counters.authorizations).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('1004 and 1007 rated: CDRs with their cost, balances untouched', async () => {
    const b4 = await balances('1004', '*monetary');
    const b7 = await account('1007');
    ok(await call(p, dir, '1004', '1002', 1000, 'rated4'));
    ok(await call(p, dir, '1007', '1003', 1000, 'rated7'));
    for (const tag of ['rated4', 'rated7']) {
      const [c] = await cdrsOf(tag);
      expect(c.RequestType).toBe('*rated');
      expect(c.Cost).toBeCloseTo(await consoleCost(c), 10);
    }
    expect(await balances('1004', '*monetary')).toEqual(b4);
    expect((await account('1007')).BalanceMap).toEqual(b7.BalanceMap);
  }, 60_000);

  it('a busy callee: one failed-call CDR with zero usage and the SIP code kept', async () => {
    ok(await call(p, dir, '1002', '1005', 1000, 'busy'));
    const [c] = await cdrsOf('busy');
    await new Promise((r) => setTimeout(r, 500)); // the E_ACC_EVENT of the failed flag follows: still one CDR
    expect(await cdrs('busy')).toHaveLength(1);
    expect(c.Usage).toBe(0);
    expect(c.ExtraFields.DisconnectCause).toBe('486 Busy Here');
  }, 60_000);

  it('1001 prepaid: debited while it runs, refunded at the end, one CDR', async () => {
    const vb = async () => (await balances('1001', '*voice')).find((b) => b.d === 'DST_1003')!.v;
    const before = await vb();
    const running = call(p, dir, '1001', '1003', 7000, 'pre');
    let during = before;
    for (let i = 0; i < 50 && during === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      during = await vb();
    }
    expect(during).toBeLessThan(before); // the first debit_interval is debited at answer
    ok(await running);
    const [c] = await cdrsOf('pre');
    expect(c.RequestType).toBe('*prepaid');
    const after = await vb();
    // debited in 5 s slices (10 s for a 7 s call), the unused part refunded: what is gone is what was used
    expect(before - after).toBe(Math.ceil(c.Usage / S) * S);
    expect(await cdrs('pre')).toHaveLength(1);
  }, 60_000);

  it('malformed datagrams are counted and logged; good events afterwards still work', async () => {
    const st0 = await rpc<{ Counters: Record<string, number> }>('OpenSIPSAgentV1.Status');
    const sock = createSocket('udp4');
    const bad = [
      Buffer.from('{"jsonrpc":"2.0","method":"E_ACC_CDR","params":{"callid":"x"'),
      Buffer.from([0xff, 0xfe, 0x00, 0x81]),
      Buffer.alloc(64 * 1024 - 100, 0x41),
      Buffer.from('{"jsonrpc":"2.0","method":"E_ACC_CDR","params":{"method":"INVITE"}}'),
      Buffer.from('{"jsonrpc":"2.0","method":"E_NOBODY_KNOWS","params":{}}'),
      Buffer.from('E_ACC_EVENT\nmethod::INVITE\ncallid::a\0b\n\n'),
    ];
    for (const b of bad) await new Promise<void>((r, j) => sock.send(b, p.agent, '127.0.0.1', (e) => (e ? j(e) : r())));
    sock.close();
    let st = st0;
    for (let i = 0; i < 50 && st.Counters.bad_datagrams < st0.Counters.bad_datagrams + bad.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      st = await rpc('OpenSIPSAgentV1.Status');
    }
    expect(st.Counters.bad_datagrams - st0.Counters.bad_datagrams).toBe(bad.length);
    expect(engine!.output()).toMatch(/bad datagram from 127\.0\.0\.1:\d+: datagram contains a NUL byte/);
    ok(await call(p, dir, '1002', '1004', 1000, 'afterbad'));
    expect(await cdrsOf('afterbad')).toHaveLength(1);
  }, 60_000);

  it('event mode (captured 3.x JSON and 2.x text INVITE/BYE pairs): usage is BYE time − INVITE time, one CDR per call', async () => {
    const { eventDatagrams, FIXTURES } = await import('../agents/opensips/captures.js');
    const sock = createSocket('udp4');
    const send = (b: Buffer) => new Promise<void>((r, j) => sock.send(b, p.agent, '127.0.0.1', (e) => (e ? j(e) : r())));
    for (const d of eventDatagrams('02-legacy-mode-answered-call.txt').filter((c) => c.section.includes('E_ACC_'))) await send(d.bytes);
    const text = (await readFile(join(FIXTURES, '00-legacy-text-format.txt'), 'utf8')).split('\n').filter((l) => !l.startsWith('#')).join('\n').trim();
    await send(Buffer.from(text + '\n\n'));
    sock.close();
    const byId = async (id: string) => {
      for (let i = 0; i < 100; i++) {
        const c = await rpc<RigCdr[]>('CDRsV1.GetCDRs', { OriginIDs: [id] }).catch(() => [] as RigCdr[]);
        if (c.length > 0) return c;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no CDR for ${id}`);
    };
    const [json] = await byId('1-21098@127.0.0.1');
    expect(json).toMatchObject({ Account: '1001', RequestType: '*postpaid', Usage: 3 * S });
    const [txt] = await byId('05dac0aaa716c9814f855f0e8fee6936@0:0:0:0:0:0:0:0');
    expect(txt).toMatchObject({ Account: '1002', RequestType: '*pseudoprepaid', Usage: 27 * S });
    const [missed] = await byId('c0965d3f42c720397ca1a5be9619c2ef@0:0:0:0:0:0:0:0');
    expect(missed.Usage).toBe(0);
    expect(missed.ExtraFields.DisconnectCause).toBe('404 Not Found');
  }, 60_000);

  it('a prepaid caller whose credit runs out is hung up over MI dlg_end_dlg at the right second', async () => {
    await rpc('APIerSv1.RemoveBalances', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*monetary' });
    await rpc('APIerSv1.RemoveBalances', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*voice' });
    await rpc('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*voice', Value: 12 * S, Balance: { ID: 'TWELVE_SECONDS' } });
    const max = await rpc<number>('APIerSv1.GetMaxUsage', { Tenant: 'cgrates.org', Account: '1001', Destination: '1002', Category: 'call', Usage: '1h' });
    expect(max).toBe(12 * S);
    const r = await sipp(p, dir, 'uac_until_bye.xml', ['-s', '1002', '-key', 'caller', '1001', '-cid_str', 'dry-%u@%s', '-trace_msg'], 60_000);
    ok(r); // sipp's caller received the BYE (the scenario waits for it) and answered it
    // the BYE is the one dlg_end_dlg asked for: it carries AccuRate's Reason
    const trace = (await readdir(dir)).filter((f) => /^uac_until_bye_\d+_messages\.log$/.test(f));
    expect(trace).toHaveLength(1);
    const msgs = await readFile(join(dir, trace[0]), 'utf8');
    expect(msgs).toMatch(/BYE sip:1001@[\s\S]*Call-ID: dry-1@127\.0\.0\.1[\s\S]*Reason: Q\.850;cause=16;text="AccuRate: insufficient credit"/);
    expect(r.ms).toBeGreaterThan(11_000);
    expect(r.ms).toBeLessThan(16_000);
    const [c] = await cdrsOf('dry');
    expect(c.Usage).toBe(12 * S);
    await new Promise((r2) => setTimeout(r2, 1000)); // the E_ACC_CDR OpenSIPS sends after dlg_end_dlg is not charged again
    expect(await cdrs('dry')).toHaveLength(1);
    const st = await rpc<{ Counters: Record<string, number>; LastEvents: { event: string; callid?: string }[] }>('OpenSIPSAgentV1.Status');
    expect(st.LastEvents.some((e) => e.event === 'E_ACC_CDR' && e.callid === callId('dry'))).toBe(true);
    expect(st.Counters.duplicates).toBeGreaterThanOrEqual(1);
    expect(st.Counters.disconnects).toBeGreaterThanOrEqual(1);
    expect((await balances('1001', '*voice')).find((b) => b.id === 'TWELVE_SECONDS')!.v).toBe(0);
    expect(osips!.output()).not.toMatch(/CRITICAL/);
  }, 90_000);

  it('fail closed: no credit left is a 403, AccuRate not answering is a 503; neither call is relayed', async () => {
    const refusal = async (tag: string) => {
      const r = await sipp(p, dir, 'uac.xml', ['-s', '1002', '-key', 'caller', '1001', '-d', '1000', '-cid_str', `${tag}-%u@%s`, '-trace_msg'], 60_000);
      ok(r);
      const trace = (await readdir(dir)).filter((f) => /^uac_\d+_messages\.log$/.test(f));
      const texts = await Promise.all(trace.map((f) => readFile(join(dir, f), 'utf8')));
      const mine = texts.find((t) => t.includes(callId(tag)))!;
      expect(mine).toBeDefined();
      expect(mine).not.toMatch(/SIP\/2\.0 200 OK[\s\S]*CSeq: 1 INVITE/);
      return mine;
    };
    // 1001's credit is gone (previous test): INSUFFICIENT_FUNDS in the cache, 403 from the script
    expect(await refusal('broke')).toMatch(/SIP\/2\.0 403 Payment Required/);
    closeClient();
    await engine!.stop();
    try {
      // nobody answers E_CGR_AUTHORIZE: the script waits 3 s and refuses
      expect(await refusal('nobody')).toMatch(/SIP\/2\.0 503 Charging unavailable/);
    } finally {
      engine = await startEngine({ dir, configs });
    }
    expect(await cdrs('broke')).toHaveLength(0);
  }, 90_000);

  it('an engine restart mid-call loses no CDR', async () => {
    await rpc('APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*voice', Value: 600 * S, Balance: { ID: 'TEN_MINUTES' } });
    const post = call(p, dir, '1002', '1003', 9000, 'rpost');
    const pre = call(p, dir, '1001', '1002', 9000, 'rpre');
    await new Promise((r) => setTimeout(r, 2500));
    await restart();
    ok(await post);
    ok(await pre);
    const [cp] = await cdrsOf('rpost');
    const [cq] = await cdrsOf('rpre');
    expect(cp.Usage).toBeGreaterThanOrEqual(9 * S);
    expect(cq.Usage).toBeGreaterThanOrEqual(9 * S);
    expect(cp.Cost).toBeCloseTo(await consoleCost(cp), 10);
  }, 90_000);

  it('the CSV export in the tutorial folder has every CDR', async () => {
    const all = await rpc<RigCdr[]>('CDRsV1.GetCDRs', {});
    const reply = await rpc<Record<string, { FileName: string; ExportedCDRs: number }>>('APIerSv1.ExportCDRs', {});
    const rep = Object.values(reply)[0];
    expect(rep.ExportedCDRs).toBe(all.length);
    const files = (await readdir(join(dir, 'export'))).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBeGreaterThan(0);
    const csv = await readFile(rep.FileName, 'utf8');
    for (const tag of ['post', 'pseudo', 'rated4', 'rated7', 'busy', 'pre', 'afterbad', 'dry', 'rpost', 'rpre']) expect(csv).toContain(callId(tag));
  }, 30_000);
});
