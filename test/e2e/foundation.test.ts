import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import net from 'node:net';
import { writeFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngine, runCli, httpCall, tempDir, freePort, type RunningEngine } from './harness.js';

describe('engine foundation over real sockets', () => {
  let eng: RunningEngine;
  beforeAll(async () => {
    eng = await startEngine({
      configs: {
        // A second file, JSONC as in the CGRateS tutorials: comments and trailing commas.
        '10-site.json': `{
          // site overrides
          "general": { "node_id": "site-node", },
          "rals": { "cost_mode": "*cgrates" }, /* exact mode is the default */
        }`,
      },
    });
  });
  afterAll(async () => eng?.cleanup());

  it('answers CoreSv1.Status over TCP with the merged config of two files', async () => {
    const st = await eng.call<Record<string, unknown>>('CoreSv1.Status', {});
    expect(st.node_id).toBe('site-node');
    expect(st.cost_mode).toBe('*cgrates');
    expect(st.version).toMatch(/^AccuRate@\d+\.\d+\.\d+/);
    expect(st.active_sessions).toBe(0);
    expect(st.services).toContain('CoreS');
    expect(typeof st.active_memory).toBe('number');
  });

  it('answers CoreSv1.Status and Ping over HTTP POST /jsonrpc', async () => {
    const r = await httpCall(eng.httpAddress, { method: 'CoreSv1.Status', params: [{}], id: 7 });
    expect(r.status).toBe(200);
    expect((r.json as { id: number; result: { node_id: string }; error: null }).result.node_id).toBe('site-node');
    const p = await httpCall(eng.httpAddress, { method: 'CoreSv1.Ping', params: [{}], id: 8 });
    expect(p.json).toEqual({ id: 8, result: 'Pong', error: null });
  });

  it('answers several pipelined requests on one TCP connection, unknown methods with Go net/rpc errors', async () => {
    const replies = await new Promise<Record<string, unknown>[]>((res, rej) => {
      const sock = net.connect(Number(eng.rpcAddress.split(':')[1]), '127.0.0.1');
      let buf = '';
      sock.on('data', (d) => {
        buf += d;
        const lines = buf.trim().split('\n');
        if (lines.length === 3) {
          sock.end();
          res(lines.map((l) => JSON.parse(l)));
        }
      });
      sock.on('error', rej);
      sock.write('{"method":"CoreSv1.Ping","params":[{}],"id":1}{"method":"Nope.Bar","params":[{}],"id":2}\n{"method":"CoreSv1.Nope","params":[{}],"id":3}');
    });
    const byId = Object.fromEntries(replies.map((r) => [r.id as number, r]));
    expect(byId[1]).toEqual({ id: 1, result: 'Pong', error: null });
    expect(byId[2].error).toBe("rpc: can't find service Nope.Bar");
    expect(byId[3].error).toBe("rpc: can't find method CoreSv1.Nope");
  });

  it('answers a JSON-RPC 2.0 request in the 2.0 shape', async () => {
    const r = await httpCall(eng.httpAddress, { jsonrpc: '2.0', method: 'CoreSv1.Ping', params: {}, id: 'a' });
    expect(r.json).toEqual({ jsonrpc: '2.0', id: 'a', result: 'Pong' });
  });

  it('closes a connection that sends garbage and keeps serving others', async () => {
    const closed = await new Promise<boolean>((res) => {
      const sock = net.connect(Number(eng.rpcAddress.split(':')[1]), '127.0.0.1');
      sock.on('close', () => res(true));
      sock.on('error', () => undefined);
      sock.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x47, 0x45, 0x54]));
    });
    expect(closed).toBe(true);
    const bad = await httpCall(eng.httpAddress, '{"method": "CoreSv1.Ping", "params": [');
    expect(bad.status).toBe(400);
    expect(await eng.call('CoreSv1.Ping')).toBe('Pong');
    const st = await eng.call<{ rpc_bad_input: number }>('CoreSv1.Status');
    expect(st.rpc_bad_input).toBeGreaterThanOrEqual(2);
  });

  it('rejects a request with two parameter objects with an error, not a crash', async () => {
    const r = await httpCall(eng.httpAddress, { method: 'CoreSv1.Ping', params: [{}, {}], id: 9 });
    expect((r.json as { error: string }).error).toMatch(/takes one parameter object/);
    expect(await eng.call('CoreSv1.Ping')).toBe('Pong');
  });

  it('console status prints the engine status as JSON when piped', async () => {
    const r = await runCli(['console', 'status', '-server', eng.rpcAddress]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).node_id).toBe('site-node');
    const q = await runCli(['console', "ping", `-server=${eng.rpcAddress}`]);
    expect(q.stdout.trim()).toBe('"Pong"');
  });

  it('refuses to start a second engine on a port in use, saying which', async () => {
    const dir = await tempDir();
    try {
      await writeFile(join(dir, 'a.json'), JSON.stringify({ listen: { rpc_json: eng.rpcAddress, http: `127.0.0.1:${await freePort()}` }, data_db: { db_path: join(dir, 'd') }, stor_db: { db_path: join(dir, 'd') } }));
      const r = await runCli(['engine', '-config_path', dir, '-logger=*stdout'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`listen.rpc_json cannot listen on ${eng.rpcAddress}: address already in use`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('engine lifecycle', () => {
  it('exits 0 on SIGTERM and on SIGINT', async () => {
    const a = await startEngine();
    try {
      expect(await a.stop('SIGTERM')).toBe(0);
      expect(a.output()).toContain('SIGTERM received, shutting down');
    } finally {
      await a.cleanup();
    }
    const b = await startEngine();
    try {
      expect(await b.stop('SIGINT')).toBe(0);
    } finally {
      await b.cleanup();
    }
  });

  it('a SIGTERM while the engine is still starting ends in a clean stop, not a kill', async () => {
    // The DataDB line comes early in the start, before the listeners and the tariff plan.
    const c = await startEngine({ readyWhen: /DataDB / });
    try {
      expect(await c.stop('SIGTERM')).toBe(0);
      expect(c.output()).toContain('SIGTERM received, shutting down');
    } finally {
      await c.cleanup();
    }
  });

  it('reports a config syntax error as FILE:LINE:COL and exits 1', async () => {
    const dir = await tempDir();
    try {
      const file = join(dir, 'broken.json');
      await writeFile(file, '{\n  "general": {\n    "node_id": "x"\n    "log_level": 7\n  }\n}\n');
      const r = await runCli(['engine', '-config_path', dir], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${file}:4:5: syntax error: expected "," between entries`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a wrong type or unknown value with file and key and exits 1', async () => {
    const dir = await tempDir();
    try {
      const file = join(dir, 'a.json');
      await writeFile(file, '{\n  "rals": {"cost_mode": "*cheap"},\n  "sessions": {"debit_interval": 5}\n}\n');
      const r = await runCli(['engine', '-config_path', dir], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${file}:2:25: rals.cost_mode: "*cheap" is not one of "*exact", "*cgrates"`);
      expect(r.stderr).toContain(`${file}:3:34: sessions.debit_interval: expected a string, got 5`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the merged config with -check_config and exits', async () => {
    const dir = await tempDir();
    try {
      await mkdir(join(dir, 'etc'));
      await writeFile(join(dir, 'etc', 'a.json'), '{"sessions": {"debit_interval": "5s"}, "resources": {"enabled": true}}');
      await writeFile(join(dir, 'etc', 'b.json'), '{"sessions": {"session_ttl": "1h"}}');
      const r = await runCli(['engine', '-check_config', `-config_path=${join(dir, 'etc')}`], { cwd: dir });
      expect(r.code).toBe(0);
      const cfg = JSON.parse(r.stdout);
      expect(cfg.sessions.debit_interval).toBe('5s');
      expect(cfg.sessions.session_ttl).toBe('1h');
      expect(cfg.listen.rpc_json).toBe('127.0.0.1:2012');
      expect(r.stderr).toContain('resources: section not used by AccuRate, ignored');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('console says when no engine answers and exits 1', async () => {
    const port = await freePort();
    const r = await runCli(['console', 'status', '-server', `127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^No AccuRate engine answered at 127\.0\.0\.1:\d+ .*start one with `accurate engine`/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an unknown flag with the usage line', async () => {
    const r = await runCli(['engine', '-no_such_flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
    expect(r.stderr).toContain('--help');
  });
});
