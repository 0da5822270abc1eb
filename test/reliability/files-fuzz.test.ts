// Acceptance of issue 8 for files: seeded hostile tariff-plan CSVs through the loader (the running
// engine's LoadTariffPlanFromFolder and the `accurate loader` CLI) and hostile config folders through
// the one config loader and `-check_config`. Each gets a clear answer or error, nothing changes,
// nothing crashes or hangs. Replay a failure with ACCURATE_FUZZ_SEED=<seed>.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { mkdir, readdir, readFile, writeFile, rm } from 'node:fs/promises';
import { startEngine, runCli, ROOT, tempDir, type RunningEngine } from '../e2e/harness.js';
import { call, callError, balances } from './support.js';
import { rng, mutateTariffPlan, configCase } from './fuzz-gen.js';
import { loadConfigWithInfo, ConfigError } from '../../src/config/index.js';

const SEED = Number(process.env.ACCURATE_FUZZ_SEED ?? 20261129);
const CSV_CASES = 120;
const CONFIG_CASES = 400;

let e: RunningEngine;
let fuzzRoot: string;
let tpFiles: Record<string, string>;

beforeAll(async () => {
  fuzzRoot = await tempDir('accurate-fuzz-tp-');
  tpFiles = {};
  for (const f of await readdir(join(ROOT, 'tp'))) if (f.endsWith('.csv')) tpFiles[f] = await readFile(join(ROOT, 'tp', f), 'utf8');
  e = await startEngine({ configs: { '10-fuzz.json': { general: { log_level: 6 }, apiers: { tariffplan_roots: [join(ROOT, 'tp'), fuzzRoot] } } } });
  expect(await call(e.rpcAddress, 'APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(ROOT, 'tp') })).toBe('OK');
}, 60_000);
afterAll(async () => {
  await e?.cleanup();
  await rm(fuzzRoot, { recursive: true, force: true });
});

describe(`tariff-plan CSV fuzz (seed ${SEED})`, () => {
  it(`${CSV_CASES} mutated tariff plans through LoadTariffPlanFromFolder: an answer each, the loaded plan unchanged`, async () => {
    const r = rng(SEED + 10);
    const cost = () => call<{ Cost: number }>(e.rpcAddress, 'APIerSv1.GetCost', { Tenant: 'cgrates.org', Category: 'call', Subject: '1002', Destination: '1002', AnswerTime: '2014-08-04T13:00:00Z', Usage: '1m' });
    const before = await cost();
    const accounts = await balances(e.rpcAddress, ['1001', '1002']);
    let ok = 0;
    let refused = 0;
    for (let i = 0; i < CSV_CASES; i++) {
      const dir = join(fuzzRoot, `case-${i}`);
      await mkdir(dir);
      for (const [name, text] of Object.entries(mutateTariffPlan(r, tpFiles))) await writeFile(join(dir, name), text);
      try {
        // DryRun: validated and merged in full, never saved (a valid mutation must not change the reference plan).
        expect(await call(e.rpcAddress, 'APIerSv1.LoadTariffPlanFromFolder', { FolderPath: dir, DryRun: true })).toBe('OK');
        ok++;
      } catch (err) {
        const msg = (err as Error).message;
        expect(msg, `case ${i} (seed ${SEED + 10})`).toMatch(/^(SERVER_ERROR|INVALID_PATH|MANDATORY_IE_MISSING)/);
        expect(msg, `case ${i}: a crash, not a validation error`).not.toMatch(/Cannot read prop|is not a function|is not iterable|Maximum call stack|Invalid time value/);
        refused++;
      }
      await rm(dir, { recursive: true, force: true });
    }
    expect(ok + refused).toBe(CSV_CASES);
    expect(refused).toBeGreaterThan(0);
    expect(e.proc.exitCode).toBeNull();
    expect(await cost()).toEqual(before);
    expect(await balances(e.rpcAddress, ['1001', '1002'])).toEqual(accounts);
  }, 120_000);

  it('a few mutated plans through `accurate loader --dry-run`: exit 0 or 1 with file:line errors, never a stack trace', async () => {
    const r = rng(SEED + 11);
    const etc = join(fuzzRoot, 'etc');
    await mkdir(etc, { recursive: true });
    await writeFile(join(etc, 'a.json'), JSON.stringify({ data_db: { db_path: join(fuzzRoot, 'data') }, stor_db: { db_path: join(fuzzRoot, 'data') }, history: { enabled: false } }));
    for (let i = 0; i < 4; i++) {
      const dir = join(fuzzRoot, `cli-${i}`);
      await mkdir(dir);
      for (const [name, text] of Object.entries(mutateTariffPlan(r, tpFiles))) await writeFile(join(dir, name), text);
      const res = await runCli(['loader', '-config_path', etc, '-path', dir, '--dry-run'], { timeoutMs: 60_000 });
      expect([0, 1], `case ${i}: ${res.stderr.slice(0, 500)}`).toContain(res.code);
      expect(res.stderr).not.toMatch(/^\s+at /m);
    }
  }, 120_000);
});

describe(`config fuzz (seed ${SEED})`, () => {
  it(`${CONFIG_CASES} hostile config folders through the one config loader: a config or a ConfigError, nothing else`, async () => {
    const r = rng(SEED + 20);
    const dir = await tempDir('accurate-fuzz-cfg-');
    let good = 0;
    let bad = 0;
    for (let i = 0; i < CONFIG_CASES; i++) {
      const text = configCase(r);
      await writeFile(join(dir, 'fuzz.json'), text);
      try {
        const { config } = await loadConfigWithInfo(dir);
        // What loads must be usable: no prototype pollution, the known sections still objects.
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(typeof config.general).toBe('object');
        good++;
      } catch (err) {
        expect(err, `case ${i} (seed ${SEED + 20}): ${text.slice(0, 200)}`).toBeInstanceOf(ConfigError);
        bad++;
      }
    }
    expect(good + bad).toBe(CONFIG_CASES);
    expect(bad).toBeGreaterThan(0);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('a few through `accurate engine -check_config`: exit 0 or 1, problems named, secrets masked, no stack trace', async () => {
    const r = rng(SEED + 21);
    const dir = await tempDir('accurate-fuzz-cc-');
    for (let i = 0; i < 4; i++) {
      await writeFile(join(dir, 'fuzz.json'), configCase(r));
      await writeFile(join(dir, 'secret.json'), JSON.stringify({ data_db: { db_password: 'fuzz-secret-pw' } }));
      const res = await runCli(['engine', '-config_path', dir, '-check_config'], { timeoutMs: 30_000 });
      expect([0, 1]).toContain(res.code);
      expect(res.stdout + res.stderr).not.toContain('fuzz-secret-pw');
      expect(res.stderr).not.toMatch(/^\s+at /m);
    }
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});
