// Issue 13 item 8: CGRateS configs load. Foreign database types are accepted with one warning
// (SQLite is used), unknown keys are warned about with a did-you-mean and kept out of the merged
// config, and *syslog with no syslog reachable says so.
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { startEngine, runCli, tempDir } from './harness.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function configDir(files: Record<string, string>): Promise<string> {
  const d = await tempDir();
  dirs.push(d);
  await mkdir(join(d, 'etc'));
  for (const [n, t] of Object.entries(files)) await writeFile(join(d, 'etc', n), t);
  return join(d, 'etc');
}

describe('CGRateS configs', () => {
  for (const dbType of ['*redis', '*mongo', '*mysql', '*postgres']) {
    it(`data_db ${dbType} (with its host, port and password) is one warning, and SQLite is used`, async () => {
      const dir = await configDir({
        'cgrates.json': `{
  // as in CGRateS's tutorials
  "data_db": { "db_type": "${dbType}", "db_host": "127.0.0.1", "db_port": 6379, "db_name": "10", "db_password": "secret" },
}`,
      });
      const r = await runCli(['engine', '-config_path', dir, '-check_config']);
      expect(r.code, r.stderr).toBe(0);
      const warnings = r.stderr.trim().split('\n');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toBe(`warning: ${join(dir, 'cgrates.json')}:3:27: data_db.db_type: ${dbType} is not available in AccuRate yet; the embedded SQLite is used (db_path)`);
      expect(r.stderr).not.toContain('secret');
      expect(JSON.parse(r.stdout).data_db).toEqual({ db_type: dbType, db_path: './data' });
    });
  }

  it('a misspelt key or section gets a did-you-mean, and is not echoed into the merged config', async () => {
    const dir = await configDir({ 'a.json': '{"sessions": {"debit_intervall": "5s"}, "sesions": {}, "resources": {"enabled": true}}' });
    const r = await runCli(['engine', '-config_path', dir, '-check_config']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('sessions.debit_intervall: unknown key, ignored (did you mean debit_interval?)');
    expect(r.stderr).toContain('sesions: section not used by AccuRate, ignored (did you mean sessions?)');
    expect(r.stderr).toMatch(/resources: section not used by AccuRate, ignored\n/);
    const merged = JSON.parse(r.stdout);
    expect(merged.sessions).not.toHaveProperty('debit_intervall');
    expect(merged).not.toHaveProperty('sesions');
    expect(merged).not.toHaveProperty('resources');
  });

  it.skipIf(existsSync('/dev/log'))('-logger=*syslog with no syslog reachable says so on stderr, and the engine still runs', async () => {
    const e = await startEngine({ extraArgs: ['-logger=*syslog'] });
    try {
      expect(e.output()).toContain('-logger=*syslog but no syslog is reachable (/dev/log does not exist');
      expect(await e.call('CoreSv1.Ping')).toBe('Pong');
    } finally {
      await e.cleanup();
    }
  });
});
