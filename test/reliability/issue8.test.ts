// Issue 8, one test per numbered finding, reproduced against a real engine over its real wire
// (TCP JSON-RPC and HTTP), each asserting the engine lives, answers and changed nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { mkdir, readdir, writeFile, stat } from 'node:fs/promises';
import { startEngine, ROOT, tempDir, type RunningEngine } from '../e2e/harness.js';
import { event } from '../e2e/tutorial.js';
import { RawConn, call, callError, httpPost, rssMb, balances, sleep, deepJson } from './support.js';
import { RpcClient } from '../../src/api/client.js';

let e: RunningEngine;
let exportDir: string;
let outside: string;
const REF = ['1001', '1002', '1003'];

type Bal = { Uuid: string; ID: string; Value: number };
type Acc = { BalanceMap: Record<string, Bal[]> };

async function money(account: string): Promise<Bal> {
  const a = await call<Acc>(e.rpcAddress, 'APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: account });
  return a.BalanceMap['*monetary'][0];
}

beforeAll(async () => {
  exportDir = await tempDir('accurate-hardening-export-');
  outside = await tempDir('accurate-hardening-outside-');
  e = await startEngine({
    configs: {
      '10-hardening.json': {
        ees: { exporters: [{ id: 'billing', export_path: exportDir }] },
        apiers: { tariffplan_roots: [join(ROOT, 'tp')] },
        api: { idle_timeout: '3s', request_timeout: '3s', max_connections: 40, reserved_loopback_connections: 4, max_pending_replies: 16 },
      },
    },
  });
  expect(await call(e.rpcAddress, 'APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') })).toBe('OK');
  // A CDR and a live session to list.
  await call(e.rpcAddress, 'CDRsV1.ProcessEvent', { ...event('h8-cdr-1', { RequestType: '*rated', Account: '1002', Destination: '1003', Usage: '30s' }), Flags: [] });
}, 60_000);
afterAll(async () => {
  await e?.cleanup();
});

describe('1. a reply that cannot be serialised does not kill the engine', () => {
  it('a 10,000-deep unused field in ChargerSv1.ProcessEvent gets an error over TCP and HTTP', async () => {
    const body = `{"method":"ChargerSv1.ProcessEvent","params":[{"Tenant":"cgrates.org","ID":"x","Event":{"Account":"1001","Junk":${deepJson(10_000)}}}],"id":7}`;
    const c = await RawConn.open(e.rpcAddress);
    c.write(body + '\n');
    const [r] = (await c.replies(1)) as { id: number; error: string }[];
    c.close();
    expect(r.id).toBe(7);
    expect(r.error).toMatch(/nested deeper than/);
    const h = await httpPost(e.httpAddress, body);
    expect(JSON.parse(h.text).error).toMatch(/nested deeper than/);
    expect(await call(e.rpcAddress, 'CoreSv1.Ping')).toBe('Pong');
    expect(e.proc.exitCode).toBeNull();
  });

  it('an HTTP batch of 451 CDRsV1.GetCDRs is refused with a clear error; a batch within the limit is answered', async () => {
    const batch = Array.from({ length: 451 }, (_, i) => ({ method: 'CDRsV1.GetCDRs', params: [{}], id: i }));
    const h = await httpPost(e.httpAddress, JSON.stringify(batch));
    expect(h.status).toBe(413);
    expect(JSON.parse(h.text).error).toMatch(/at most 100/);
    const ok = await httpPost(e.httpAddress, JSON.stringify(batch.slice(0, 50)));
    const replies = JSON.parse(ok.text) as { id: number; result: unknown[] }[];
    expect(replies).toHaveLength(50);
    expect(replies[49].result.length).toBeGreaterThan(0);
    expect(await call(e.rpcAddress, 'CoreSv1.Ping')).toBe('Pong');
  });
});

describe('2. no unbounded work in one request', () => {
  it('RefundIncrements with CompressFactor 1e9 on a real balance answers at once (no per-unit loop)', async () => {
    const b = await money('1002');
    const inc = { Duration: 1e9, Cost: 0, CompressFactor: 1e9, BalanceInfo: { AccountID: 'cgrates.org:1002', Monetary: { UUID: b.Uuid } } };
    // One zero-cost run: accepted in one step; a loop of 1e9 would time this test out.
    await call(e.rpcAddress, 'Responder.RefundIncrements', { Tenant: 'cgrates.org', Account: '1002', ToR: '*voice', Increments: [inc] });
    expect((await money('1002')).Value).toBe(b.Value);
    const tooMany = await callError(e.rpcAddress, 'Responder.RefundIncrements', { Tenant: 'cgrates.org', Account: '1002', Increments: [{ ...inc, CompressFactor: 1e12 }] });
    expect(tooMany).toMatch(/CompressFactor/);
  });

  it('a *sessionsDebitInterval beyond what a timer holds is refused, naming the option', async () => {
    const ev = event('h8-interval', { RequestType: '*prepaid', Account: '1003', Destination: '1002', Usage: '1m' });
    const err = await callError(e.rpcAddress, 'SessionSv1.InitiateSession', { InitSession: true, ...ev, APIOpts: { '*sessionsDebitInterval': 2 ** 31 * 1e6 } });
    expect(err).toMatch(/SERVER_ERROR: APIOpts\.\*sessionsDebitInterval/);
    expect(await call(e.rpcAddress, 'SessionSv1.GetActiveSessionsCount')).toBe(0);
  });
});

describe('3. money only from valid numbers', () => {
  for (const bad of ['Infinity', '-Infinity', 'NaN', '1e999999', '0x10', '1_000', '', ' ', '1,5', true, [], {}]) {
    it(`AddBalance/SetBalance/DebitBalance refuse Value ${JSON.stringify(bad)} and change nothing`, async () => {
      const before = await balances(e.rpcAddress, REF);
      for (const m of ['APIerSv1.AddBalance', 'APIerSv1.DebitBalance']) {
        const err = await callError(e.rpcAddress, m, { Tenant: 'cgrates.org', Account: '1003', BalanceType: '*monetary', Value: bad });
        expect(err).toMatch(bad === '' || bad === ' ' ? /Value/ : /^SERVER_ERROR: Value/);
      }
      const err = await callError(e.rpcAddress, 'APIerSv1.SetBalance', { Tenant: 'cgrates.org', Account: '1003', BalanceType: '*monetary', Balance: { ID: 'b', Value: bad === '' ? 'x' : bad } });
      expect(err).toMatch(/Balance\.Value|Value/);
      expect(await balances(e.rpcAddress, REF)).toEqual(before);
    });
  }
  it('decimal strings and JSON numbers still work', async () => {
    const before = (await money('1003')).Value;
    await call(e.rpcAddress, 'APIerSv1.AddBalance', { Tenant: 'cgrates.org', Account: '1003', BalanceType: '*monetary', Value: '1.25' });
    await call(e.rpcAddress, 'APIerSv1.DebitBalance', { Tenant: 'cgrates.org', Account: '1003', BalanceType: '*monetary', Value: 1.25 });
    expect((await money('1003')).Value).toBe(before);
  });
});

describe('4. a refund gives back only what this engine debited', () => {
  it('a made-up increment does not raise a balance', async () => {
    const b = await money('1004');
    const err = await callError(e.rpcAddress, 'Responder.RefundIncrements', {
      Tenant: 'cgrates.org', Account: '1004', ToR: '*voice',
      Increments: [{ Duration: 1e9, Cost: 1_000_000, CompressFactor: 1, BalanceInfo: { AccountID: 'cgrates.org:1004', Monetary: { UUID: b.Uuid } } }],
    });
    expect(err).toMatch(/exceeds what this engine debited/);
    expect((await money('1004')).Value).toBe(b.Value);
  });

  it('the increments of a real debit are refunded once, not twice', async () => {
    const before = (await money('1005')).Value;
    type CC = { Timespans: { Increments: unknown[] }[] };
    const cc = await call<CC>(e.rpcAddress, 'Responder.Debit', {
      Tenant: 'cgrates.org', Category: 'call', Subject: '1005', Account: '1005', Destination: '1002', ToR: '*voice',
      TimeStart: '2014-08-04T13:00:00Z', TimeEnd: '2014-08-04T13:01:00Z',
    });
    const debited = (await money('1005')).Value;
    expect(debited).toBeLessThan(before);
    const incs = cc.Timespans.flatMap((t) => t.Increments);
    const refund = { Tenant: 'cgrates.org', Account: '1005', ToR: '*voice', Increments: incs };
    await call(e.rpcAddress, 'Responder.RefundIncrements', refund);
    expect((await money('1005')).Value).toBeCloseTo(before, 10);
    expect(await callError(e.rpcAddress, 'Responder.RefundIncrements', refund)).toMatch(/exceeds what this engine debited/);
    expect((await money('1005')).Value).toBeCloseTo(before, 10);
  });

  it('a negative increment cost is refused', async () => {
    const b = await money('1004');
    const err = await callError(e.rpcAddress, 'Responder.RefundIncrements', {
      Tenant: 'cgrates.org', Account: '1004', Increments: [{ Duration: 1e9, Cost: -5, BalanceInfo: { AccountID: 'cgrates.org:1004', Monetary: { UUID: b.Uuid } } }],
    });
    expect(err).toMatch(/Cost.*negative/);
  });
});

describe('5. no coercion changes meaning', () => {
  const cd = { Tenant: 'cgrates.org', Category: 'call', Subject: '1006', Account: '1006', Destination: '1002', ToR: '*voice', TimeStart: '2014-08-04T13:00:00Z', TimeEnd: '2014-08-04T13:00:30Z' };
  it('DryRun "false" is false (the debit happens) and DryRun "maybe" is refused', async () => {
    const before = (await money('1006')).Value;
    await call(e.rpcAddress, 'Responder.Debit', { ...cd, DryRun: 'false' });
    expect((await money('1006')).Value).toBeLessThan(before);
    expect(await callError(e.rpcAddress, 'Responder.Debit', { ...cd, DryRun: 'maybe' })).toMatch(/SERVER_ERROR: DryRun must be true or false/);
    expect(await callError(e.rpcAddress, 'Responder.Debit', { ...cd, PerformRounding: 1 })).toMatch(/PerformRounding/);
  });
  it('Flush "false" on LoadTariffPlanFromFolder is false; "x" is refused', async () => {
    expect(await callError(e.rpcAddress, 'APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp'), Flush: 'x' })).toMatch(/Flush/);
    expect(await call(e.rpcAddress, 'APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp'), Flush: 'false', DryRun: 'true' })).toBe('OK');
  });
  it('LoopIndex "x" is refused rather than dropping the first-minute charge', async () => {
    expect(await callError(e.rpcAddress, 'Responder.GetCost', { ...cd, LoopIndex: 'x' })).toMatch(/SERVER_ERROR: LoopIndex/);
    expect(await callError(e.rpcAddress, 'Responder.Debit', { ...cd, LoopIndex: 'x' })).toMatch(/SERVER_ERROR: LoopIndex/);
  });
  it('a negative Usage at terminate is refused and refunds nothing', async () => {
    const ev = event('h8-neg', { RequestType: '*prepaid', Account: '1006', Destination: '1002', Usage: '1m' });
    await call(e.rpcAddress, 'SessionSv1.InitiateSession', { InitSession: true, ...ev });
    const during = (await money('1006')).Value;
    const err = await callError(e.rpcAddress, 'SessionSv1.TerminateSession', { TerminateSession: true, ...ev, Event: { ...ev.Event, Usage: '-1h' } });
    expect(err).toMatch(/SERVER_ERROR: Usage: .* is negative/);
    expect((await money('1006')).Value).toBe(during);
    await call(e.rpcAddress, 'SessionSv1.TerminateSession', { TerminateSession: true, ...ev, Event: { ...ev.Event, Usage: '1m' } });
  });
  it('RemoveBalances with Balance.ID [] is refused and removes nothing', async () => {
    const before = await balances(e.rpcAddress, ['1001']);
    const err = await callError(e.rpcAddress, 'APIerSv1.RemoveBalances', { Tenant: 'cgrates.org', Account: '1001', BalanceType: '*monetary', Balance: { ID: [] } });
    expect(err).toMatch(/Balance\.ID must be a string/);
    expect(await balances(e.rpcAddress, ['1001'])).toEqual(before);
  });
  it('an account id of 2^53+1 as a JSON number is refused, not rounded', async () => {
    const c = await RawConn.open(e.rpcAddress);
    c.write('{"method":"APIerSv1.SetAccount","params":[{"Tenant":"cgrates.org","Account":9007199254740993}],"id":1}\n');
    const [r] = (await c.replies(1)) as { error: string }[];
    c.close();
    expect(r.error).toMatch(/Account: .* cannot be read exactly/);
    expect(await callError(e.rpcAddress, 'APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: '9007199254740992' })).toBe('NOT_FOUND');
  });
  it('a 7 MB account id is refused', async () => {
    const err = await callError(e.rpcAddress, 'APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'x'.repeat(7 * 1024 * 1024) });
    expect(err).toMatch(/Account is longer than 1024 characters/);
  });
  it('ExportTemplate "constructor" or "__proto__" is no template', async () => {
    for (const t of ['constructor', '__proto__', 'toString']) {
      expect(await callError(e.rpcAddress, 'APIerSv1.ExportCDRs', { ExportTemplate: t })).toMatch(/no export template|not allowed as an id/);
    }
  });
});

describe('6. one absurd time cannot poison listings', () => {
  it('a CDR or a session with AnswerTime 1e308 is refused and listings keep working', async () => {
    const bad = event('h8-time', { RequestType: '*rated', Account: '1002', Destination: '1003', Usage: '10s', AnswerTime: 1e308 });
    expect(await callError(e.rpcAddress, 'CDRsV1.ProcessEvent', bad)).toMatch(/SERVER_ERROR: AnswerTime: .* out of range/);
    expect(await callError(e.rpcAddress, 'CDRsV1.ProcessCDR', { CDR: { ...bad.Event, Tenant: 'cgrates.org', RunID: '*default', Cost: 1 } })).toMatch(/AnswerTime/);
    expect(await callError(e.rpcAddress, 'SessionSv1.InitiateSession', { InitSession: true, ...bad, Event: { ...bad.Event, RequestType: '*prepaid' } })).toMatch(/AnswerTime/);
    expect(await callError(e.rpcAddress, 'CDRsV1.ProcessEvent', event('h8-time2', { Account: '1002', SetupTime: '99999-01-01T00:00:00Z' }))).toMatch(/SetupTime/);
    expect((await call<unknown[]>(e.rpcAddress, 'CDRsV1.GetCDRs', {})).length).toBeGreaterThan(0);
    const live = event('h8-live', { RequestType: '*prepaid', Account: '1003', Destination: '1002', Usage: '1m' });
    await call(e.rpcAddress, 'SessionSv1.InitiateSession', { InitSession: true, ...live });
    expect((await call<unknown[]>(e.rpcAddress, 'SessionSv1.GetActiveSessions', {})).length).toBe(1);
    await call(e.rpcAddress, 'SessionSv1.TerminateSession', { TerminateSession: true, ...live, Event: { ...live.Event, Usage: '20s' } });
  });
});

describe('7. no web page can drive the HTTP API', () => {
  const add = JSON.stringify({ method: 'APIerSv1.AddBalance', params: [{ Tenant: 'cgrates.org', Account: '1002', BalanceType: '*monetary', Value: 1000 }], id: 1 });
  it('text/plain, a foreign Origin or a foreign Host is refused and changes nothing; no CORS headers', async () => {
    const before = (await money('1002')).Value;
    const plain = await httpPost(e.httpAddress, add, { 'Content-Type': 'text/plain', Origin: 'http://evil.example' });
    expect(plain.status).toBe(403);
    const plainLocal = await httpPost(e.httpAddress, add, { 'Content-Type': 'text/plain' });
    expect(plainLocal.status).toBe(415);
    const origin = await httpPost(e.httpAddress, add, { 'Content-Type': 'application/json', Origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
    const host = await httpPost(e.httpAddress, add, { 'Content-Type': 'application/json', Host: 'evil.example' });
    expect(host.status).toBe(403);
    for (const r of [plain, plainLocal, origin, host]) expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect((await money('1002')).Value).toBe(before);
    // The engine's own origin still works.
    const own = await httpPost(e.httpAddress, JSON.stringify({ method: 'CoreSv1.Ping', params: [{}], id: 2 }), { 'Content-Type': 'application/json; charset=utf-8', Origin: `http://${e.httpAddress}` });
    expect(JSON.parse(own.text).result).toBe('Pong');
  });
});

describe('8. API paths stay inside configured folders', () => {
  it('ExportCDRs refuses a folder outside the export folders, names with folders, and existing files', async () => {
    expect(await callError(e.rpcAddress, 'APIerSv1.ExportCDRs', { ExporterIDs: ['billing'], ExportPath: join(outside, 'made') })).toMatch(/outside the configured export folders/);
    expect(await callError(e.rpcAddress, 'APIerSv1.ExportCDRs', { ExporterIDs: ['billing'], ExportFileName: 'x/../../victim/file.txt' })).toMatch(/not a plain file name/);
    expect(await callError(e.rpcAddress, 'APIerSv1.ExportCDRs', { ExporterIDs: ['billing'], ExportPath: join(exportDir, '..', 'escape') })).toMatch(/outside/);
    await writeFile(join(exportDir, 'keep.csv'), 'precious');
    expect(await callError(e.rpcAddress, 'APIerSv1.ExportCDRs', { ExporterIDs: ['billing'], ExportFileName: 'keep.csv' })).toMatch(/exists already/);
    expect(await readdir(outside)).toEqual([]);
    // Inside the export folder, a new plain name works.
    await mkdir(join(exportDir, 'sub'), { recursive: true });
    const r = await call<Record<string, { FileName: string }>>(e.rpcAddress, 'APIerSv1.ExportCDRs', { ExporterIDs: ['billing'], ExportPath: join(exportDir, 'sub'), ExportFileName: 'run1.csv' });
    expect(r.billing.FileName).toBe(join(exportDir, 'sub', 'run1.csv'));
    expect((await stat(r.billing.FileName)).size).toBeGreaterThan(0);
  });
  it('LoadTariffPlanFromFolder reads only inside apiers.tariffplan_roots', async () => {
    expect(await callError(e.rpcAddress, 'APIerSv1.LoadTariffPlanFromFolder', { FolderPath: '/etc' })).toMatch(/outside apiers.tariffplan_roots/);
    expect(await callError(e.rpcAddress, 'APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp', '..', 'src') })).toMatch(/outside/);
  });
});

describe('10. resources are bounded', () => {
  it('20,000 pipelined GetCDRs whose replies are not read keep the engine small; reading then gets them all', async () => {
    const c = await RawConn.open(e.rpcAddress, { paused: true });
    const req = '{"method":"CDRsV1.GetCDRs","params":[{}],"id":1}\n';
    const all = req.repeat(20_000);
    c.write(all);
    await sleep(4000);
    const rss = await rssMb(e.proc.pid!);
    expect(rss).toBeLessThan(400);
    expect(await call(e.rpcAddress, 'CoreSv1.Ping')).toBe('Pong');
    c.socket.resume();
    const replies = await c.replies(20_000, 120_000);
    if (replies.length !== 20_000) console.log(e.output().split("\n").filter((l) => /closing|WARN|ERR/.test(l)).slice(-5).join("\n"));
    c.close();
    expect(replies.length).toBe(20_000);
  }, 180_000);

  it('idle connections are closed; a half-sent request (slowloris) is closed', async () => {
    const idle = await RawConn.open(e.rpcAddress);
    expect(await idle.closedWithin(10_000)).toBe(true);
    const slow = await RawConn.open(e.rpcAddress);
    slow.write('{"method":"CoreSv1.Ping","par');
    const drip = setInterval(() => slow.write(' '), 500);
    const closed = await slow.closedWithin(10_000);
    clearInterval(drip);
    expect(closed).toBe(true);
  }, 30_000);

  it('a full connection table still lets the console in', async () => {
    const held: RawConn[] = [];
    for (let i = 0; i < 60; i++) {
      try {
        held.push(await RawConn.open(e.rpcAddress));
      } catch {
        break;
      }
    }
    await sleep(300);
    const c = await RpcClient.connect(e.rpcAddress, { timeoutMs: 20_000 });
    expect(await c.call('CoreSv1.Ping')).toBe('Pong');
    c.close();
    expect(held.filter((h) => !h.closed).length).toBeLessThanOrEqual(40);
    for (const h of held) h.close();
  }, 30_000);
});

describe('11. one escaped WARNING line per bad request, no stack traces', () => {
  it('a newline inside a parameter cannot forge a log line', async () => {
    const marker = `FORGED${Date.now() % 100000}`;
    await callError(e.rpcAddress, 'APIerSv1.AddBalance', { Tenant: 'cgrates.org', Account: '1003', BalanceType: '*monetary', Value: `1\nEMERGENCY: ${marker}` });
    await callError(e.rpcAddress, 'APIerSv1.GetCost', { Tenant: 'cgrates.org', Destination: '1002', Usage: `1\r\nEMERGENCY: ${marker}` });
    await sleep(300);
    const lines = e.output().split('\n');
    const about = lines.filter((l) => l.includes(marker));
    expect(about.length).toBe(2);
    for (const l of about) expect(l).toMatch(/ WARNING: API "APIerSv1\.(AddBalance|GetCost)"/);
    expect(lines.some((l) => /^\s+at /.test(l))).toBe(false);
    expect(e.output()).not.toMatch(/ ERROR: API/);
  });
});

describe('2. a request for more usage than rals.max_computed_usage does no rating work', () => {
  it('GetMaxUsage of 25 days is MAX_USAGE_EXCEEDED (it used to exhaust the heap); 1 minute still answers', async () => {
    expect(await callError(e.rpcAddress, 'APIerSv1.GetMaxUsage', { Tenant: 'cgrates.org', Account: '1002', Destination: '1003', Usage: 2 ** 31 * 1e6 })).toBe('MAX_USAGE_EXCEEDED');
    expect(await callError(e.rpcAddress, 'Responder.MaxDebit', { Tenant: 'cgrates.org', Account: '1002', Destination: '1003', TimeStart: '2014-08-04T13:00:00Z', TimeEnd: '2014-09-04T13:00:00Z' })).toBe('MAX_USAGE_EXCEEDED');
    expect(await callError(e.rpcAddress, 'SessionSv1.AuthorizeEvent', { GetMaxUsage: true, ...event('h8-long', { RequestType: '*prepaid', Account: '1002', Destination: '1003', Usage: '800h' }) })).toBe('MAX_USAGE_EXCEEDED');
    expect(await call(e.rpcAddress, 'APIerSv1.GetMaxUsage', { Tenant: 'cgrates.org', Account: '1002', Destination: '1003', Usage: '1m' })).toBe(60e9);
  });
});

describe('1. the cgrates-module BiRPC port survives the same deep request', () => {
  it('a 10,000-deep field on listen.birpc_json gets an error reply; the port keeps answering', async () => {
    const { freePort } = await import('../e2e/harness.js');
    const port = await freePort();
    const b = await startEngine({ configs: { '10-birpc.json': { listen: { birpc_json: `127.0.0.1:${port}` }, opensips_agent: { birpc: true } } } });
    try {
      const c = await RawConn.open(`127.0.0.1:${port}`);
      c.write(`{"method":"SessionSv1.ProcessEvent","params":[{"Tenant":"cgrates.org","Event":{"Junk":${deepJson(10_000)}}}],"id":5}`);
      const waitFor = async (re: RegExp) => {
        for (let i = 0; i < 200 && !re.test(c.received()) && !c.closed; i++) await sleep(100);
        return c.received();
      };
      expect(await waitFor(/"id":5/)).toMatch(/"id":5,"result":null,"error":"SERVER_ERROR: request nested deeper than/);
      c.write('{"method":"CoreSv1.Ping","params":[{}],"id":6}');
      expect(await waitFor(/"id":6/)).toMatch(/"id":6,"result":"Pong"/);
      c.close();
      expect(b.proc.exitCode).toBeNull();
    } finally {
      await b.cleanup();
    }
  }, 60_000);
});

describe('4. the engine\'s own refunds pass the ledger in both cost modes', () => {
  it.each(['*exact', '*cgrates'])('%s: a prepaid session terminated early gets its unused increments back', async (mode) => {
    const g = await startEngine({ configs: { '10-mode.json': { rals: { cost_mode: mode } } } });
    try {
      expect(await call(g.rpcAddress, 'APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') })).toBe('OK');
      const before = (await call<Acc>(g.rpcAddress, 'APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: '1002' })).BalanceMap['*monetary'][0].Value;
      const ev = event(`h8-refund-${mode}`, { RequestType: '*prepaid', Account: '1002', Destination: '1003', Usage: '5m' });
      await call(g.rpcAddress, 'SessionSv1.InitiateSession', { InitSession: true, ...ev });
      const during = (await call<Acc>(g.rpcAddress, 'APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: '1002' })).BalanceMap['*monetary'][0].Value;
      await call(g.rpcAddress, 'SessionSv1.TerminateSession', { TerminateSession: true, ...ev, Event: { ...ev.Event, Usage: '61s' } });
      const after = (await call<Acc>(g.rpcAddress, 'APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: '1002' })).BalanceMap['*monetary'][0].Value;
      const cost = await call<{ Cost: number }>(g.rpcAddress, 'APIerSv1.GetCost', { Tenant: 'cgrates.org', Category: 'call', Subject: '1002', Destination: '1003', AnswerTime: '2014-08-04T13:00:00Z', Usage: '61s' });
      expect(during).toBeLessThan(after);
      // *cgrates rounds each increment as CGRateS does, so its debits may differ from GetCost in the 4th decimal.
      expect(before - after).toBeCloseTo(cost.Cost, mode === '*exact' ? 9 : 3);
      expect(g.output()).not.toMatch(/exceeds what this engine debited/);
    } finally {
      await g.cleanup();
    }
  }, 60_000);
});
