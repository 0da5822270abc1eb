// Issue 13 items 4 and 5: every CLI failure is one line saying what and where, exits non-zero,
// and is found before anything is written (no database files after a failed start or a dry run).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { startEngine, runCli, freePorts, ROOT, tempDir, type RunningEngine } from './harness.js';
import { CdrRepository, cdrFromEvent } from '../../src/cdrs/index.js';
import { openSqliteStorDB } from '../../src/store/index.js';

/** One line on stderr, no stack frames. */
function oneLine(stderr: string): string {
  expect(stderr).not.toMatch(/^\s+at /m);
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0];
}

let e: RunningEngine;
let dir: string;
beforeAll(async () => {
  e = await startEngine();
  dir = await tempDir();
});
afterAll(async () => {
  await e?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** A config folder whose databases live in a fresh folder of their own. */
async function isolatedConfig(name: string, extra: Record<string, unknown> = {}): Promise<{ configDir: string; dataDir: string }> {
  const base = join(dir, name);
  const configDir = join(base, 'etc');
  const dataDir = join(base, 'data');
  await mkdir(configDir, { recursive: true });
  const [rpc, http, birpc] = await freePorts(3);
  await writeFile(join(configDir, 'a.json'), JSON.stringify({
    general: { default_timezone: 'UTC' },
    listen: { rpc_json: `127.0.0.1:${rpc}`, http: `127.0.0.1:${http}`, birpc_json: `127.0.0.1:${birpc}` },
    data_db: { db_path: dataDir }, stor_db: { db_path: dataDir }, history: { history_dir: join(base, 'history') },
    ...extra,
  }));
  return { configDir, dataDir };
}

describe('no stack traces', () => {
  it('console pointed at the HTTP port says it is not a JSON-RPC/TCP listener', async () => {
    const r = await runCli(['console', '--server', e.httpAddress, 'status']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`${e.httpAddress} does not speak JSON-RPC over TCP.*HTTP port`));
  });

  it('loader -server <the HTTP port> says so and loads nothing', async () => {
    const { configDir, dataDir } = await isolatedConfig('loader-http');
    const r = await runCli(['loader', '-path', join(ROOT, 'tp'), '-config_path', configDir, '-server', e.httpAddress]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/does not speak JSON-RPC over TCP.*Nothing was loaded/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a port out of range in the config is a config error naming file, line and key', async () => {
    const { configDir } = await isolatedConfig('port', { listen: { rpc_json: '127.0.0.1:99999' } });
    const r = await runCli(['engine', '-config_path', configDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at |RangeError/m);
    expect(r.stderr).toMatch(/a\.json:1:\d+: listen\.rpc_json: port 99999 is out of range/);
  });

  it('cdr-export -export_path <a file> is one clear error and writes nothing', async () => {
    const { configDir, dataDir } = await isolatedConfig('export');
    const db = await openSqliteStorDB(dataDir);
    await new CdrRepository(db).storeCDRs([cdrFromEvent({ OriginID: 'x', OriginHost: 'h', Account: '1001', Destination: '1002', AnswerTime: '2014-08-04T13:00:01Z', Usage: '60s', Cost: '0.6' }, { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' })]);
    await db.close();
    const file = join(dir, 'export', 'not-a-folder');
    await writeFile(file, 'x');
    const r = await runCli(['cdr-export', '-config_path', configDir, '-export_path', file]);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toBe(`accurate cdr-export: export folder ${file} cannot be used: a file of that name is in the way, not a folder`);
  });
});

describe('an unusable data folder', () => {
  it('engine and loader say which path and why, in one line', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const { configDir } = await isolatedConfig('unusable', { data_db: { db_path: join(file, 'data') }, stor_db: { db_path: join(file, 'data') } });
    const eng = await runCli(['engine', '-config_path', configDir]);
    expect(eng.code).toBe(1);
    expect(oneLine(eng.stderr)).toBe(`accurate engine: ${join(file, 'data')}: a part of the path is a file, not a folder`);
    expect(eng.stdout).not.toMatch(/^\s+at /m);
    const load = await runCli(['loader', '-path', join(ROOT, 'tp'), '-config_path', configDir]);
    expect(load.code).toBe(1);
    expect(oneLine(load.stderr)).toBe(`accurate loader: ${join(file, 'data')}: a part of the path is a file, not a folder`);
  });
});

describe('flags are checked before anything is done', () => {
  it('loader -server nonsense is refused before loading', async () => {
    const { configDir, dataDir } = await isolatedConfig('nonsense');
    const r = await runCli(['loader', '-path', join(ROOT, 'tp'), '-config_path', configDir, '-server', 'nonsense']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('accurate loader: -server "nonsense" is not HOST:PORT (e.g. 127.0.0.1:2012)');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('loader -path to a missing folder is named as missing', async () => {
    const r = await runCli(['loader', '-path', join(dir, 'nope')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`accurate loader: -path ${join(dir, 'nope')}: no such folder`);
  });

  it('loader -dry_run creates no database files', async () => {
    const { configDir, dataDir } = await isolatedConfig('dry');
    const r = await runCli(['loader', '-path', join(ROOT, 'tp'), '-config_path', configDir, '-dry_run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dry run: .* is valid/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('an engine that cannot listen (port in use) leaves no database files behind', async () => {
    const { configDir, dataDir } = await isolatedConfig('busy', { listen: { rpc_json: e.rpcAddress } });
    const r = await runCli(['engine', '-config_path', configDir, '-logger=*stderr']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/listen\.rpc_json cannot listen on .*address already in use/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(dataDir) ? await readdir(dataDir) : []).toEqual([]);
  });

  it('console -server with no port is refused without connecting', async () => {
    const r = await runCli(['console', '--server', 'localhost', 'status']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe('accurate console: -server "localhost" is not HOST:PORT (e.g. 127.0.0.1:2012)');
  });
});
