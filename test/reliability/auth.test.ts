// Issue 8 item 9: API keys with per-method rules, TLS listeners, a warning for exposed listeners,
// secrets masked by -check_config, and CoreSv1.Status revealing internals only to trusted callers.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import tls from 'node:tls';
import { writeFile, mkdir } from 'node:fs/promises';
import { startEngine, runCli, tempDir, freePort, type RunningEngine } from '../e2e/harness.js';
import { call, callError } from './support.js';
import { exposureWarnings } from '../../src/api/config.js';
import { MethodTable, dispatch } from '../../src/api/index.js';
import { register as core } from '../../src/api/methods/core.js';
import { silentLogger } from '../../src/util/logger.js';
import { defaultConfig } from '../../src/config/index.js';
import type { Services } from '../../src/engine/services.js';
import { splitHostPort } from '../../src/api/server.js';

const KEY_ALL = 'all-methods-key-0123456789';
const KEY_READ = 'read-only-key-0123456789ab';

describe('exposed listeners are warned about', () => {
  it('a JSON-RPC listener beyond loopback without keys, or with keys but no TLS, gets a startup warning', () => {
    const c = defaultConfig();
    expect(exposureWarnings(c)).toEqual([]);
    c.listen.rpc_json = '0.0.0.0:2012';
    expect(exposureWarnings(c)[0]).toMatch(/listen\.rpc_json 0\.0\.0\.0:2012 is reachable beyond loopback WITHOUT authentication/);
    c.api.api_keys = [{ key: KEY_ALL, methods: ['*any'] }];
    expect(exposureWarnings(c)[0]).toMatch(/without TLS/);
    c.listen.rpc_json = '127.0.0.1:2012';
    c.listen.rpc_json_tls = '[::]:2022';
    expect(exposureWarnings(c)).toEqual([]);
  });
});

describe('CoreSv1.Status tells remote callers without a key no pid, paths or versions', () => {
  it('anonymous remote callers get liveness only; loopback gets everything', async () => {
    const table = new MethodTable();
    const config = defaultConfig();
    core(table, {
      config, nodeId: 'n1', version: '1.0', startedAt: Date.now(), running: [], listeners: {}, rpcStats: { requests: 0, badInput: 0 },
      activeSessions: () => 0, dataDb: { path: '/secret/data' }, storDb: { path: '/secret/stor' },
    } as unknown as Services);
    const remote = await dispatch(table, { method: 'CoreSv1.Status', params: [{}], id: 1 }, silentLogger, { peer: 'x', loopback: false });
    expect(JSON.stringify(remote.result)).not.toMatch(/pid|secret|node_version|v\d+\./);
    expect((remote.result as Record<string, unknown>).node_id).toBe('n1');
    const local = await dispatch(table, { method: 'CoreSv1.Status', params: [{}], id: 2 }, silentLogger, { peer: 'x', loopback: true });
    expect(local.result).toMatchObject({ pid: process.pid, data_db: '/secret/data' });
    // With keys configured, a remote caller needs one; a key makes it trusted.
    const auth = { keys: [{ key: KEY_READ, methods: ['CoreSv1.*'] }] };
    expect((await dispatch(table, { method: 'CoreSv1.Status', params: [{}], id: 3 }, silentLogger, { peer: 'x', loopback: false, auth })).error).toBe('MANDATORY_IE_MISSING: [APIKey]');
    const keyed = await dispatch(table, { method: 'CoreSv1.Status', params: [{ APIOpts: { '*apiKey': KEY_READ } }], id: 4 }, silentLogger, { peer: 'x', loopback: false, auth });
    expect(keyed.result).toMatchObject({ pid: process.pid });
  });
});

describe('API keys and TLS on a real engine', () => {
  let e: RunningEngine;
  let tlsAddress: string;
  let cert: string;
  beforeAll(async () => {
    const dir = await tempDir('accurate-tls-');
    cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    tlsAddress = `127.0.0.1:${await freePort()}`;
    e = await startEngine({
      configs: {
        '10-auth.json': {
          listen: { rpc_json_tls: tlsAddress },
          tls: { server_certificate: cert, server_key: key },
          api: { require_keys_on_loopback: true, api_keys: [{ key: KEY_ALL, methods: ['*any'] }, { key: KEY_READ, methods: ['CoreSv1.*', 'APIerSv2.GetAccount'] }] },
          data_db: { db_password: 'hunter2-db-secret' },
        },
      },
    });
  }, 60_000);
  afterAll(async () => e?.cleanup());

  it('without a key: MANDATORY_IE_MISSING; a wrong key or a method outside the rules: UNAUTHORIZED_API', async () => {
    expect(await callError(e.rpcAddress, 'CoreSv1.Ping')).toBe('MANDATORY_IE_MISSING: [APIKey]');
    expect(await callError(e.rpcAddress, 'CoreSv1.Ping', { APIOpts: { '*apiKey': 'guess-guess-guess-guess' } })).toBe('UNAUTHORIZED_API');
    expect(await call(e.rpcAddress, 'CoreSv1.Ping', { APIOpts: { '*apiKey': KEY_READ } })).toBe('Pong');
    expect(await callError(e.rpcAddress, 'APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'k1', APIOpts: { '*apiKey': KEY_READ } })).toBe('UNAUTHORIZED_API');
    expect(await call(e.rpcAddress, 'APIerSv1.SetAccount', { Tenant: 'cgrates.org', Account: 'k1', APIOpts: { '*apiKey': KEY_ALL } })).toBe('OK');
    const res = await fetch(`http://${e.httpAddress}/jsonrpc`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY_READ}` },
      body: JSON.stringify({ method: 'APIerSv2.GetAccount', params: [{ Tenant: 'cgrates.org', Account: 'k1' }], id: 1 }),
    });
    expect(((await res.json()) as { result: { ID: string } }).result.ID).toBe('cgrates.org:k1');
    // Keys never reach the log.
    expect(e.output()).not.toContain(KEY_READ);
    expect(e.output()).not.toContain('guess-guess');
  });

  it('the TLS listener answers JSON-RPC over TLS and refuses plain text', async () => {
    const { host, port } = splitHostPort(tlsAddress);
    const reply = await new Promise<string>((res, rej) => {
      const s = tls.connect({ host, port, ca: [execFileSync('cat', [cert])] }, () => {
        s.write(JSON.stringify({ method: 'CoreSv1.Ping', params: [{ APIOpts: { '*apiKey': KEY_READ } }], id: 9 }) + '\n');
      });
      let buf = '';
      s.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) {
          s.end();
          res(buf);
        }
      });
      s.on('error', rej);
    });
    expect(JSON.parse(reply)).toMatchObject({ id: 9, result: 'Pong' });
    expect(await callError(tlsAddress, 'CoreSv1.Ping').catch((x: Error) => x.message)).toMatch(/closed|timeout|no reply|ECONNRESET/);
  }, 30_000);

  it('-check_config masks passwords and API keys', async () => {
    const r = await runCli(['engine', '-config_path', e.configDir, '-check_config']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('hunter2-db-secret');
    expect(r.stdout).not.toContain(KEY_ALL);
    expect(r.stdout).toContain('*****');
    expect(JSON.parse(r.stdout).api.api_keys[0].methods).toEqual(['*any']);
  });
});

describe('config checks of the new keys', () => {
  it('a short API key, a missing methods list, or a lone TLS certificate are errors naming the key', async () => {
    const dir = await tempDir('accurate-apicfg-');
    await mkdir(join(dir, 'etc'));
    await writeFile(join(dir, 'etc', 'a.json'), JSON.stringify({ api: { api_keys: [{ key: 'short' }], max_batch: 0 }, tls: { server_certificate: '/x' } }));
    const r = await runCli(['engine', '-config_path', join(dir, 'etc'), '-check_config']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/api\.api_keys\.0\.key/);
    expect(r.stderr).toMatch(/api\.api_keys\.0\.methods/);
    expect(r.stderr).toMatch(/api\.max_batch/);
    expect(r.stderr).toMatch(/tls/);
  });
});

describe('LoadTariffPlanFromFolder without apiers.tariffplan_roots', () => {
  it('reads any folder for loopback callers only; anonymous remote callers are refused', async () => {
    const { register } = await import('../../src/api/methods/loader.js');
    const table = new MethodTable();
    const config = defaultConfig();
    register(table, { config, log: silentLogger, reloadTariffPlan: async () => undefined } as unknown as Services);
    const remote = await dispatch(table, { method: 'APIerSv1.LoadTariffPlanFromFolder', params: [{ FolderPath: '/etc', DryRun: true }], id: 1 }, silentLogger, { peer: 'x', loopback: false });
    expect(remote.error).toMatch(/remote callers need apiers\.tariffplan_roots/);
    const local = await dispatch(table, { method: 'APIerSv1.LoadTariffPlanFromFolder', params: [{ FolderPath: '/nonexistent-folder', DryRun: true }], id: 2 }, silentLogger, { peer: 'x', loopback: true });
    expect(local.error).toBe('INVALID_PATH');
  });
});
