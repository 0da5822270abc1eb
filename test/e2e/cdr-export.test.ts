// Issue 13 item 14: export templates with CGRateS's header and trailer fields (*hdr, *trl, and the
// exporter metrics ~*em.*), and the default export folder working for a user who is not root.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { BIN, ROOT, runCli, tempDir } from './harness.js';
import { CdrRepository, cdrFromEvent } from '../../src/cdrs/index.js';
import { openSqliteStorDB } from '../../src/store/index.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function setup(eesOf: (dir: string) => unknown): Promise<{ dir: string; config: string }> {
  const dir = await tempDir();
  dirs.push(dir);
  await chmod(dir, 0o777);
  const db = join(dir, 'db');
  const config = join(dir, 'accurate.json');
  const ees = eesOf(dir);
  await writeFile(config, JSON.stringify({ general: { default_timezone: 'UTC' }, data_db: { db_path: db }, stor_db: { db_path: db }, ...(ees ? { ees } : {}) }));
  const s = await openSqliteStorDB(db);
  const defaults = { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' };
  await new CdrRepository(s).storeCDRs([
    cdrFromEvent({ OriginID: 'a', OriginHost: 'h', Account: '1001', Destination: '1002', AnswerTime: '2014-08-04T13:00:01Z', Usage: '60s', Cost: '0.6' }, defaults),
    cdrFromEvent({ OriginID: 'b', OriginHost: 'h', Account: '1002', Destination: '1001', AnswerTime: '2014-08-04T14:00:01Z', Usage: '90s', Cost: '1.2' }, defaults),
  ]);
  await s.close();
  await chmod(db, 0o777);
  for (const f of await readdir(db)) await chmod(join(db, f), 0o666);
  return { dir, config };
}

describe('export header and trailer', () => {
  it('a *hdr row names the columns and a *trl row carries the totals', async () => {
    const { dir, config } = await setup((dir) => ({
      exporters: [{
        id: 'billing', type: '*file_csv', export_path: join(dir, 'out'),
        fields: [
          { tag: 'H1', path: '*hdr.Account', type: '*constant', value: 'Account' },
          { tag: 'H2', path: '*hdr.Cost', type: '*constant', value: 'Cost' },
          { tag: 'Account', path: '*exp.Account', type: '*variable', value: '~*req.Account' },
          { tag: 'Cost', path: '*exp.Cost', type: '*variable', value: '~*req.Cost' },
          { tag: 'T1', path: '*trl.Count', type: '*variable', value: '~*em.NumberOfEvents' },
          { tag: 'T2', path: '*trl.Total', type: '*variable', value: '~*em.TotalCost' },
          { tag: 'T3', path: '*trl.Seconds', type: '*variable', value: '~*em.TotalDuration{*duration_seconds}' },
          { tag: 'T4', path: '*trl.Last', type: '*variable', value: '~*em.LastEventATime' },
        ],
      }],
    }));
    const r = await runCli(['cdr-export', '-config_path', config, '-template', 'billing', '-file_name', 'x.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'out', 'x.csv'), 'utf8')).toBe('Account,Cost\n1001,0.6\n1002,1.2\n2,1.8,150,2014-08-04T14:00:01Z\n');
  });
});

describe('the default export folder', () => {
  const root = process.getuid?.() === 0;
  it(`works for a user who is not root${root ? ' (run as nobody)' : ''}`, async () => {
    const { dir, config } = await setup(() => undefined);
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => {
      const child = spawn(process.execPath, [BIN, 'cdr-export', '-config_path', config], {
        cwd: ROOT, env: { ...process.env, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'], ...(root ? { uid: 65534, gid: 65534 } : {}),
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => res({ code, stdout, stderr }));
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(`/var/spool/accurate/ees is not writable for this user; exporting to ${join(dir, 'db', 'ees')}`);
    expect(out.stdout).toMatch(new RegExp(`^exported 2 CDRs, total cost 1.8, to ${join(dir, 'db', 'ees')}/`));
    await mkdir(join(dir, 'db', 'ees'), { recursive: true });
    expect(await readdir(join(dir, 'db', 'ees'))).toHaveLength(1);
  });
});
