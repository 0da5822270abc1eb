// Issue 13 items 9-12: the console through the real binary, piped and on a real terminal (a pty
// made by script(1)): parameter errors named, empty lists as answers, tables and durations for
// people, cost -verbose as a table, --json anywhere, NO_COLOR, and the interactive console.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFile, rm } from 'node:fs/promises';
import { startEngine, runCli, BIN, ROOT, tempDir, type RunningEngine } from './harness.js';

const haveScript = spawnSync('script', ['--version']).status === 0;

/** Runs the CLI on a pseudo-terminal; returns what the terminal showed. */
function onTty(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((res) => {
    // A terminal as a person has it: chalk turns colours off whenever CI is set, as it is in CI runs.
    const { CI: _ci, ...base } = process.env;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...base, COLUMNS: '120', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, out: out.replace(/\r/g, '') });
    });
  });
}

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

let e: RunningEngine;
beforeAll(async () => {
  e = await startEngine();
  const r = await runCli(['loader', '-path', join(ROOT, 'tp'), '-config_path', e.configDir]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => e?.cleanup());

const call = ['Tenant=cgrates.org', 'Subject=1001', 'Destination=1002', 'AnswerTime=2014-08-04T13:00:00Z'];

describe('parameters are checked (item 9)', () => {
  it('a misspelt parameter is an error naming it, exit 2, no call made', async () => {
    const r = await runCli(['console', '-server', e.rpcAddress, 'cost', ...call, 'Usag=2m']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('accurate console: cost: unknown parameter Usag (did you mean Usage?); missing Usage; usage: cost Tenant= Subject= Destination= Usage= [Category=] [AnswerTime=]');
  });

  it('cost with nothing names what is missing instead of pricing year 1', async () => {
    const r = await runCli(['console', '-server', e.rpcAddress, 'cost']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cost: missing Tenant, Subject, Destination, Usage/);
  });

  it('balance_set help shows an example that works, and Balance=promo is the balance with ID promo', async () => {
    const h = await runCli(['console', 'help', 'balance_set']);
    expect(h.code).toBe(0);
    const example = /example: accurate console (balance_set [^(]*?)\s+\(/.exec(h.stdout)![1].split(' ');
    const set = await runCli(['console', '-server', e.rpcAddress, ...example]);
    expect(set.code, set.stderr).toBe(0);
    const acc = await e.call<{ BalanceMap: Record<string, { ID: string; Value: number }[]> }>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: '1001' });
    expect(acc.BalanceMap['*monetary'].find((b) => b.ID === 'promo')?.Value).toBe(10);
  });
});

describe('empty results are answers (item 10)', () => {
  for (const [cmd, text] of [['sessions', 'no active sessions'], ['scheduler_queue', 'no scheduled actions'], ['cdrs', 'no CDRs']]) {
    it(`${cmd} with nothing to list prints "${text}" and exits 0`, async () => {
      const r = await runCli(['console', '-server', e.rpcAddress, cmd, ...(cmd === 'scheduler_queue' ? ['Account=nobody'] : [])]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(text);
    });
  }
  it('--json prints the empty list as JSON, in any position', async () => {
    expect((await runCli(['console', '--json', '-server', e.rpcAddress, 'sessions'])).stdout.trim()).toBe('[]');
    expect((await runCli(['console', '-server', e.rpcAddress, 'sessions', '-json'])).stdout.trim()).toBe('[]');
  });
});

describe.skipIf(!haveScript)('on a terminal (item 11)', () => {
  it('status is a table of keys and values with the database paths', async () => {
    const r = await onTty(['console', '-server', e.rpcAddress, 'status']);
    expect(r.code).toBe(0);
    expect(plain(r.out)).toMatch(/^data_db\s+\S+datadb\.sqlite$/m);
    expect(plain(r.out)).toMatch(/^listeners\s+rpc_json 127\.0\.0\.1:\d+, http/m);
  });

  it('max_usage is a duration, destination and ratingplan are tables', async () => {
    const m = await onTty(['console', '-server', e.rpcAddress, 'max_usage', 'Tenant=cgrates.org', 'Account=1002', 'Destination=1001']);
    expect(plain(m.out).trim()).toMatch(/^(\d+h)?(\d+m)?[\d.]+s$|^unlimited$/);
    const d = await onTty(['console', '-server', e.rpcAddress, 'destination', 'ID=DST_1002']);
    expect(plain(d.out)).toMatch(/^Prefixes\s+1002$/m);
    const p = await onTty(['console', '-server', e.rpcAddress, 'ratingplan', 'ID=RP_RETAIL1']);
    expect(plain(p.out)).toMatch(/^Destination\s+Timing\s+Weight\s+ConnectFee\s+Rounding\s+Rates$/m);
    expect(plain(p.out)).toMatch(/^DST_FS\s+PEAK weekdays 1,2,3,4,5 from 08:00:00 .* from 0s: 0\.4 per 1m0s, in 30s steps/m);
  });

  it('cdrs_export is a table of exporters', async () => {
    const r = await onTty(['console', '-server', e.rpcAddress, 'cdrs_export', 'Accounts=nobody', 'DryRun=true']);
    expect(r.code).toBe(0);
    const lines = plain(r.out).trim().split('\n');
    expect(lines[0]).toMatch(/^Exporter\s+CDRs\s+TotalCost\s+File\s+Skipped$/);
    expect(lines[1]).toMatch(/^\*default\s+0\s+0/);
  });

  it('cost --verbose explains the price: one row per timespan with timing, rate, increments and subtotal', async () => {
    const r = await onTty(['console', '-server', e.rpcAddress, 'cost', ...call, 'Usage=2m', '--verbose']);
    const out = plain(r.out).trim().split('\n');
    expect(out[0]).toMatch(/^Cost: 0\.7 /);
    expect(out[1]).toMatch(/^Start\s+Usage\s+Timing\s+Rate\s+Increments\s+Subtotal$/);
    expect(out[2]).toMatch(/^\+0s\s+1m0s\s+weekdays 1,2,3,4,5 from 08:00:00\s+0\.2 per 1m0s\s+connect fee 0\.4, 1 x 1m0s\s+0\.6$/);
    expect(out[3]).toMatch(/^\+1m0s\s+1m0s\s+.*0\.1 per 1m0s\s+60 x 1s\s+0\.1$/);
    expect(out).toHaveLength(4);
  });

  it('--json is JSON on a terminal too; NO_COLOR turns colours off', async () => {
    const j = await onTty(['console', '-server', e.rpcAddress, '--json', 'destination', 'ID=DST_1002']);
    expect(JSON.parse(plain(j.out))).toEqual({ Id: 'DST_1002', Prefixes: ['1002'] });
    const c = await onTty(['console', '-server', e.rpcAddress, 'status']);
    expect(c.out).toMatch(/\x1b\[/);
    const n = await onTty(['console', '-server', e.rpcAddress, 'status'], { NO_COLOR: '1' });
    expect(n.out).not.toMatch(/\x1b\[/);
  });

  it('the sessions table fits 120 columns', async () => {
    const c = await e.client();
    const ev = { Tenant: 'cgrates.org', ID: 'x', Event: { ToR: '*voice', OriginID: 'a-very-long-origin-id-from-a-real-switch-0123456789@10.0.0.1', OriginHost: '127.0.0.1', RequestType: '*prepaid', Account: '1001', Subject: '1001', Destination: '1002-and-a-very-long-destination-number-0123456789', SetupTime: '*now', AnswerTime: '*now', Usage: '1h' } };
    await c.call('SessionSv1.InitiateSession', { InitSession: true, CGREvent: ev });
    const r = await onTty(['console', '-server', e.rpcAddress, 'sessions']);
    await c.call('SessionSv1.TerminateSession', { TerminateSession: true, CGREvent: { ...ev, Event: { ...ev.Event, Usage: '1s' } } });
    const lines = plain(r.out).trim().split('\n');
    expect(lines[0]).toMatch(/^OriginID\s+RunID\s+RequestType\s+Account\s+Destination\s+AnswerTime\s+Usage\s+DebitInterval$/);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(120);
  });
});

describe.skipIf(!haveScript)('interactive console (item 12)', () => {
  it('opens with no command on a terminal: Tab completes, commands run, history is kept', async () => {
    const home = await tempDir();
    try {
      const cmd = `'${process.execPath}' '${BIN}' console -server ${e.rpcAddress}`;
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ACCURATE_HISTORY_DIR: home, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      // What the terminal shows, without readline's cursor movements.
      const shown = () => out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
      const waitFor = async (re: RegExp) => {
        for (let i = 0; i < 200 && !re.test(shown()); i++) await new Promise((r) => setTimeout(r, 50));
        expect(shown()).toMatch(re);
      };
      await waitFor(/> $/);
      child.stdin.write('destinat\t');
      await waitFor(/destination $/);
      child.stdin.write('I\t');
      await waitFor(/destination ID=$/);
      child.stdin.write('DST_1002\r');
      await waitFor(/Prefixes\s+1002/);
      child.stdin.write('quit\r');
      await new Promise((r) => child.on('close', r));
      expect(await readFile(join(home, '.accurate_console_history'), 'utf8')).toBe('destination ID=DST_1002\n');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
