// Issue 13 item 15: what an operator installs with. The systemd unit passes systemd-analyze, the
// Dockerfile copies only what exists and its config is valid (built and run where a Docker daemon
// answers), and help topics and the man page come from the command table.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, ROOT, runCli, tempDir } from '../e2e/harness.js';
import { buildProgram } from '../../src/cli/index.js';

const has = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { timeout: 10_000 }).status === 0;
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('systemd unit', () => {
  it.skipIf(!has('systemd-analyze', '--version'))('passes systemd-analyze verify (with this checkout as the binary)', async () => {
    const unit = await readFile(join(ROOT, 'packaging/accurate.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/accurate engine -config_path \/etc\/accurate/m);
    const d = await tempDir();
    dirs.push(d);
    // A user that exists on any machine, and the binary of this checkout.
    const local = unit.replaceAll('/usr/bin/accurate', BIN).replace(/^User=.*$/m, 'User=daemon').replace(/^Group=.*$/m, 'Group=daemon').replace('-o accurate -g accurate', '-o daemon -g daemon');
    await writeFile(join(d, 'accurate.service'), local);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(d, 'accurate.service')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('Dockerfile', () => {
  it('copies only what exists, and its config is valid with no warnings', async () => {
    const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const copies = [...text.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/).slice(0, -1));
    expect(copies.length).toBeGreaterThan(3);
    for (const src of copies) expect(existsSync(join(ROOT, src)), src).toBe(true);
    const r = await runCli(['engine', '-config_path', join(ROOT, 'packaging/docker'), '-check_config']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).listen.rpc_json).toBe('0.0.0.0:2012');
  });

  it.skipIf(!has('docker', 'info'))('builds, and the engine in it accepts the image config', () => {
    const tag = `accurate-test:${process.pid}`;
    const b = spawnSync('docker', ['build', '-t', tag, ROOT], { encoding: 'utf8', timeout: 600_000 });
    expect(b.status, b.stderr).toBe(0);
    try {
      const r = spawnSync('docker', ['run', '--rm', tag, 'accurate', 'engine', '-config_path', '/etc/accurate', '-check_config'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      spawnSync('docker', ['rmi', '-f', tag]);
    }
  }, 700_000);
});

describe('help and the man page', () => {
  const program = buildProgram({ out: () => undefined, err: () => undefined, tty: false }, () => undefined);

  it('the man page names every command and every flag, and groff renders it without warnings', async () => {
    const r = await runCli(['man']);
    expect(r.code).toBe(0);
    for (const c of program.commands) {
      expect(r.stdout).toContain(`.SS ${c.name().replace(/-/g, '\\-')}`);
      for (const o of c.options) expect(r.stdout, `${c.name()} ${o.flags}`).toContain(o.flags.replace(/-/g, '\\-'));
    }
    if (has('groff', '--version')) {
      const g = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z'], { input: r.stdout, encoding: 'utf8' });
      expect(g.stderr).toBe('');
    }
  });

  it('accurate help COMMAND and help TOPIC; an unknown one is an error', async () => {
    const l = await runCli(['help', 'loader']);
    expect(l.stdout).toMatch(/^Usage: accurate loader \[options\]/);
    const t = await runCli(['help', 'cgrates']);
    expect(t.stdout).toMatch(/^cgrates: which CGRateS settings are honoured/);
    const c = await runCli(['help', 'console-commands']);
    expect(c.stdout).toContain('cost Tenant= Subject= Destination= Usage= [Category=] [AnswerTime=]');
    const bad = await runCli(['help', 'nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('accurate help: no command or topic "nonsense"; accurate help lists them');
  });
});
