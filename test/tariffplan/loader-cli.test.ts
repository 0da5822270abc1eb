import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/loader.js';
import { run as runHistory } from '../../src/cli/history.js';
import { openSqliteDataDB } from '../../src/store/index.js';
import { loadStoredTariffPlan } from '../../src/tariffplan/index.js';
import { MethodTable, startTcpJsonRpc, type Listener } from '../../src/api/index.js';
import { register } from '../../src/api/methods/loader.js';
import { defaultConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/util/logger.js';
import type { Services } from '../../src/engine/services.js';

const TP = join(import.meta.dirname, '../../tp');
const BROKEN = join(import.meta.dirname, '../fixtures/tp-broken/references');

let dir: string;
let out: string[];
let err: string[];
const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), tty: false };

async function writeConfig(rpc = '127.0.0.1:1'): Promise<string> {
  const cfg = join(dir, 'etc');
  await mkdir(cfg, { recursive: true });
  await writeFile(join(cfg, 'accurate.json'), JSON.stringify({
    data_db: { db_path: join(dir, 'data') },
    stor_db: { db_path: join(dir, 'data') },
    history: { history_dir: join(dir, 'history') },
    listen: { rpc_json: rpc },
  }));
  return cfg;
}

async function storedRates(): Promise<string[]> {
  const db = await openSqliteDataDB(join(dir, 'data'));
  try {
    return Object.keys((await loadStoredTariffPlan(db)).rates).sort();
  } finally {
    await db.close();
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-loader-'));
  out = [];
  err = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('accurate loader', () => {
  it('loads a valid folder, archives it, and says no engine answered', async () => {
    const code = await run({ path: TP, configPath: await writeConfig() }, io);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(await storedRates()).toEqual(['RT_10CNT', 'RT_1CNT', 'RT_20CNT', 'RT_40CNT']);
    expect(out[0]).toMatch(/^loaded .*tp into .*datadb\.sqlite: 46 entities from 14 files, \+4 timings, .* \+1 chargers; history [0-9a-f]{10}$/);
    expect(out[1]).toBe('no engine answered at 127.0.0.1:1; it will use the new tariff plan when it starts');
  });

  it('an invalid folder prints every error, returns 1 and leaves the DB untouched', async () => {
    const cfg = await writeConfig();
    await run({ path: TP, configPath: cfg }, io);
    out = [];
    const code = await run({ path: BROKEN, configPath: cfg, flush: true }, io);
    expect(code).toBe(1);
    expect(err.filter((l) => /^\w+\.csv:\d+:\d+: /.test(l))).toHaveLength(10);
    expect(err.at(-1)).toMatch(/^10 errors in .*references; nothing was loaded$/);
    expect(await storedRates()).toEqual(['RT_10CNT', 'RT_1CNT', 'RT_20CNT', 'RT_40CNT']);
  });

  it('-verbose prints counts per entity kind', async () => {
    await run({ path: TP, configPath: await writeConfig(), verbose: true }, io);
    expect(out).toContain('rates                   4   (+4 ~0 -0)');
    expect(out).toContain('account_actions         7   (+7 ~0 -0)');
  });

  it('-dry_run validates and writes nothing', async () => {
    const code = await run({ path: TP, configPath: await writeConfig(), dryRun: true }, io);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^dry run: .* is valid \(46 entities from 14 files\); would change: \+4 timings/);
    expect(await storedRates()).toEqual([]);
  });

  it('loading the same folder twice reports no changes the second time', async () => {
    const cfg = await writeConfig();
    await run({ path: TP, configPath: cfg }, io);
    out = [];
    await run({ path: TP, configPath: cfg }, io);
    expect(out[0]).toMatch(/, no changes$/);
  });

  it('asks a running engine to reload', async () => {
    let reloads = 0;
    const config = defaultConfig();
    const db = await openSqliteDataDB(join(dir, 'engine-data'));
    const table = new MethodTable();
    register(table, { config, log: silentLogger, dataDb: db, reloadTariffPlan: async () => void reloads++ } as unknown as Services);
    const l: Listener = await startTcpJsonRpc({ name: 'test', address: '127.0.0.1:0', table, log: silentLogger, stats: { requests: 0, badInput: 0 } });
    try {
      const code = await run({ path: TP, configPath: await writeConfig(), server: l.address }, io);
      expect(code).toBe(0);
      expect(out[1]).toBe(`engine at ${l.address} reloaded the tariff plan`);
      expect(reloads).toBe(1);
    } finally {
      await l.close();
      await db.close();
    }
  });
});

describe('accurate history', () => {
  it('log, show and diff read the archive the loader wrote', async () => {
    const cfg = await writeConfig();
    await run({ path: TP, configPath: cfg }, io);
    const tp2 = join(dir, 'tp2');
    await mkdir(tp2);
    await writeFile(join(tp2, 'Rates.csv'), 'RT_20CNT,0.4,0.25,60s,60s,0s\nRT_20CNT,0,0.1,60s,1s,60s\n');
    expect(await run({ path: tp2, configPath: cfg }, io)).toBe(0);
    out = [];
    expect(await runHistory({ sub: 'log', args: [], configPath: cfg }, io)).toBe(0);
    expect(out[0].split('\n')).toHaveLength(2);
    expect(out[0].split('\n')[0]).toMatch(/~1 rates {2}\(source: .*tp2\)$/);
    out = [];
    expect(await runHistory({ sub: 'diff', args: ['HEAD~1'], configPath: cfg }, io)).toBe(0);
    expect(out[0]).toContain('RT_20CNT: rate 0.2 → 0.25 (slot 1)');
    out = [];
    expect(await runHistory({ sub: 'show', args: ['HEAD', 'rates.json'], configPath: cfg }, io)).toBe(0);
    expect(JSON.parse(out[0]).RT_20CNT.slots[0].rate).toBe('0.25');
  });

  it('a bad sub-command prints usage (exit 2); a bad revision is an error (exit 1)', async () => {
    const cfg = await writeConfig();
    await run({ path: TP, configPath: cfg }, io);
    expect(await runHistory({ sub: 'blame', args: [], configPath: cfg }, io)).toBe(2);
    expect(await runHistory({ sub: 'diff', args: ['nope'], configPath: cfg }, io)).toBe(1);
    expect(err.at(-1)).toBe('accurate history: unknown revision "nope"');
  });
});
