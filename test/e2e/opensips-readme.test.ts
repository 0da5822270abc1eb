// The osips_async README followed literally: every ```sh line runs, in order, from the tutorial
// folder, with only ports and paths substituted (free ports, a temp folder) — the init scripts,
// the console, sipp and git as a user types them.
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { haveTools, opensipsPrefix } from '../support/tools.js';
import { BIN, tempDir } from './harness.js';
import { accurateJson, opensipsCfg, rigPorts, TUTORIAL } from './opensips-rig.js';

function sh(line: string, cwd: string, env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    const c = spawn('bash', ['-c', line], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    const t = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.on('close', (code) => {
      clearTimeout(t);
      res({ code, out });
    });
  });
}

describe.skipIf(!haveTools('osips_async README', 'opensips', 'sipp'))('osips_async README, followed literally', () => {
  let dir = '';
  const bgPids: number[] = [];
  let env: Record<string, string> = {};

  afterAll(async () => {
    for (const pid of bgPids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    if (dir) {
      // whatever the README's stop lines did not stop (a failed run)
      await sh(`${TUTORIAL}/accurate/etc/init.d/accurate stop; ${TUTORIAL}/opensips/etc/init.d/opensips stop`, TUTORIAL, env);
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('every command of the README works', async () => {
    dir = await tempDir('accurate-readme-');
    const p = await rigPorts();
    await mkdir(join(dir, 'etc'), { recursive: true });
    await mkdir(join(dir, 'export'), { recursive: true });
    await mkdir(join(dir, 'bin'), { recursive: true });
    await writeFile(join(dir, 'opensips.cfg'), await opensipsCfg(p));
    await writeFile(join(dir, 'etc', 'accurate.json'), await accurateJson(p, dir));
    await writeFile(join(dir, 'bin', 'accurate'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    await chmod(join(dir, 'bin', 'accurate'), 0o755);
    env = {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`, RUN_DIR: join(dir, 'run'), OPENSIPS_CFG: join(dir, 'opensips.cfg'),
      ACCURATE_CONFIG_DIR: join(dir, 'etc'), OPENSIPS_PREFIX: opensipsPrefix()!,
    };
    const readme = await readFile(join(TUTORIAL, 'README.md'), 'utf8');
    const lines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n')).filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(15);
    const subst = (l: string) =>
      l
        .split('127.0.0.1:5060').join(`127.0.0.1:${p.sip}`)
        .split('contact_port 5080').join(`contact_port ${p.uas}`)
        .split('contact_port 5081').join(`contact_port ${p.busy}`)
        .split('-p 5080').join(`-p ${p.uas}`)
        .split('-p 5081').join(`-p ${p.busy}`)
        .replace(/-p 507\d/, '-p 0')
        .split('/tmp/cgr_history').join(join(dir, 'cgr_history'))
        .split('accurate console ').join(`accurate console -server 127.0.0.1:${p.rpc} `);
    const outputs: Record<string, string> = {};
    for (const line of lines) {
      const cmd = subst(line);
      const r = await sh(cmd, TUTORIAL, env);
      const bg = /PID=\[(\d+)\]/.exec(r.out);
      if (bg) bgPids.push(Number(bg[1]));
      // sipp -bg exits 99 once its phone runs in the background, as documented
      expect(r.code, `${line}\n${r.out}`).toBe(line.includes(' -bg') && bg ? 99 : 0);
      outputs[line] = r.out;
    }
    expect(outputs['accurate console opensips_mi Method=version']).toContain('OpenSIPS (3.6');
    expect(outputs['accurate console cdrs']).toContain('1001');
    expect(outputs['git -C /tmp/cgr_history log --oneline'].trim()).not.toBe('');
    expect(outputs['accurate/etc/init.d/accurate stop']).toContain('accurate stopped');
  }, 240_000);
});
