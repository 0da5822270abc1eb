// Step 2 acceptance through the real binaries: loader, console cost, history.
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { cp, readFile, writeFile, rm } from 'node:fs/promises';
import { startEngine, runCli, ROOT, REFERENCE_TP, tempDir, type RunningEngine } from './harness.js';

let e: RunningEngine;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(async () => e?.cleanup());

describe('loader, cost and history through the CLI', () => {
  it('loads tp/, tells the running engine to reload, and console cost prices a call', async () => {
    const load = await runCli(['loader', '-path', join(ROOT, 'tp'), '-config_path', e.configDir, '-verbose']);
    expect(load.code).toBe(0);
    expect(load.stdout).toMatch(/rating_profiles\s+3/);
    expect(load.stdout).toContain(`engine at ${e.rpcAddress} reloaded the tariff plan`);
    const cost = await runCli(['console', 'cost', 'Tenant=cgrates.org', 'Category=call', 'Subject=1001', 'Destination=1002', 'AnswerTime=2014-08-04T13:00:00Z', 'Usage=2m', '-server', e.rpcAddress]);
    expect(cost.code).toBe(0);
    // RT_20CNT: 0.4 connect fee + 0.2 first minute + 0.1 second minute
    expect(JSON.parse(cost.stdout).Cost).toBe(0.7);
  });

  it('an unknown destination is a clear error', async () => {
    const cost = await runCli(['console', 'cost', 'Tenant=cgrates.org', 'Subject=1001', 'Destination=999', 'AnswerTime=2014-08-04T13:00:00Z', 'Usage=1m', '-server', e.rpcAddress]);
    expect(cost.code).toBe(1);
    expect(cost.stderr).toContain('SERVER_ERROR: UNAUTHORIZED_DESTINATION');
  });

  it('a broken tariff plan is rejected with FILE:LINE:COLUMN errors and the DB unchanged', async () => {
    const dir = await tempDir();
    try {
      await cp(join(ROOT, 'tp'), dir, { recursive: true });
      await writeFile(join(dir, 'Rates.csv'), '#ID,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\nRT_20CNT,0.4,zero,60s,60s,0s\n');
      const r = await runCli(['loader', '-path', dir, '-config_path', e.configDir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Rates\.csv:2:3: /);
      const cost = await e.call<{ Cost: number }>('APIerSv1.GetCost', { Tenant: 'cgrates.org', Category: 'call', Subject: '1001', Destination: '1002', AnswerTime: '2014-08-04T13:00:00Z', Usage: '2m' });
      expect(cost.Cost).toBe(0.7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('two loads of different rates leave two commits and history diff names the change', async () => {
    const dir = await tempDir();
    try {
      await cp(join(ROOT, 'tp'), dir, { recursive: true });
      const rates = await readFile(join(dir, 'Rates.csv'), 'utf8');
      await writeFile(join(dir, 'Rates.csv'), rates.replace('RT_20CNT,0,0.1,60s,1s,60s', 'RT_20CNT,0,0.15,60s,1s,60s'));
      expect((await runCli(['loader', '-path', dir, '-config_path', e.configDir])).code).toBe(0);
      const log = await runCli(['history', 'log', '-config_path', e.configDir]);
      expect(log.code).toBe(0);
      expect(log.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(2);
      const diff = await runCli(['history', 'diff', 'HEAD~1', 'HEAD', '-config_path', e.configDir]);
      expect(diff.code).toBe(0);
      expect(diff.stdout).toContain('RT_20CNT');
      expect(diff.stdout).toMatch(/0\.1 → 0\.15/);
      const cost = await e.call<{ Cost: number }>('APIerSv1.GetCost', { Tenant: 'cgrates.org', Category: 'call', Subject: '1001', Destination: '1002', AnswerTime: '2014-08-04T13:00:00Z', Usage: '2m' });
      expect(cost.Cost).toBe(0.75);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('every reference CGRateS tariff plan loads into a running engine', async () => {
    for (const name of ['tutorial', 'tutorial2', 'oldtutorial', 'testtp', 'tp_destination_with_any', 'osips_diam_tp', 'tutorial_2015_97e85f151', 'engine_loader_csv_test']) {
      const r = await runCli(['loader', '-path', join(REFERENCE_TP, name), '-config_path', e.configDir, '-dry_run']);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    }
  });
});
