// Issue 13 item 3: the loader and the engine cannot silently use different databases.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { startEngine, runCli, ROOT, tempDir, type RunningEngine } from './harness.js';

let e: RunningEngine;
let elsewhere: string;
beforeAll(async () => {
  e = await startEngine();
  elsewhere = await tempDir();
});
afterAll(async () => {
  await e?.cleanup();
  await rm(elsewhere, { recursive: true, force: true });
});

describe('loader and engine databases', () => {
  it('CoreSv1.Status reports the absolute paths of the engine databases', async () => {
    const s = await e.call<{ data_db: string; stor_db: string }>('CoreSv1.Status');
    expect(realpathSync(s.data_db)).toBe(realpathSync(join(e.dataDir, 'datadb.sqlite')));
    expect(realpathSync(s.stor_db)).toBe(realpathSync(join(e.dataDir, 'stordb.sqlite')));
  });

  it('the loader prints the database it wrote', async () => {
    const r = await runCli(['loader', '-path', join(ROOT, 'tp'), '-config_path', e.configDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(` into ${join(e.dataDir, 'datadb.sqlite')}: `);
    expect(r.stdout).toMatch(/reloaded the tariff plan/);
  });

  it('a loader whose ./data is not the engine database refuses, says why and writes nothing', async () => {
    // No -config_path: data_db.db_path is ./data relative to where the loader runs.
    await mkdir(join(elsewhere, 'cwd'), { recursive: true });
    const r = await runCli(['loader', '-path', join(ROOT, 'tp'), '-server', e.rpcAddress], { cwd: join(elsewhere, 'cwd') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the engine at ${e.rpcAddress} uses the DataDB `);
    expect(r.stderr).toContain(`this would write ${join(elsewhere, 'cwd', 'data', 'datadb.sqlite')}`);
    expect(existsSync(join(elsewhere, 'cwd', 'data'))).toBe(false);
  });
});
