import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/cdr-export.js';
import { CdrRepository, cdrFromEvent } from '../../src/cdrs/index.js';
import { openSqliteStorDB } from '../../src/store/index.js';

const defaults = { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' };
let dir: string;
let out: string[];
let err: string[];
const io = () => ({ out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), tty: false });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-cdrexp-'));
  out = [];
  err = [];
  await writeFile(join(dir, 'accurate.json'), JSON.stringify({
    general: { default_timezone: 'UTC' },
    stor_db: { db_path: join(dir, 'db') },
    data_db: { db_path: join(dir, 'db') },
  }));
  const db = await openSqliteStorDB(join(dir, 'db'));
  const mk = (id: string, account: string, cost: string, runId = '*default') =>
    cdrFromEvent({ OriginID: id, OriginHost: 'h', Account: account, Destination: '1002', SetupTime: '2014-08-04T13:00:00Z', AnswerTime: '2014-08-04T13:00:01Z', Usage: '60s', Cost: cost, RunID: runId }, defaults);
  await new CdrRepository(db).storeCDRs([mk('a', '1001', '0.6'), mk('b', '1002', '1.2'), mk('a', '1001', '-1', '*raw')]);
  await db.close();
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('accurate cdr-export', () => {
  it('exports the matching CDRs and prints count, total and file', async () => {
    const code = await run({ configPath: dir, exportPath: join(dir, 'out'), fileName: 'x.csv', runIds: ['*default'] }, io());
    expect(code).toBe(0);
    expect(out.join('\n')).toBe(`exported 2 CDRs, total cost 1.8, to ${join(dir, 'out', 'x.csv')}`);
    const lines = (await readFile(join(dir, 'out', 'x.csv'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => l.split(',')[7])).toEqual(['1001', '1002']);
  });

  it('-dry_run counts only', async () => {
    const code = await run({ configPath: dir, exportPath: join(dir, 'out'), dryRun: true, accounts: ['1001'] }, io());
    expect(code).toBe(0);
    expect(out[0]).toBe('dry run: 2 CDRs would be exported with template *default, total cost 0.6');
    await expect(readdir(join(dir, 'out'))).rejects.toThrow();
  });

  it('-only_new exports each CDR once and marks it', async () => {
    expect(await run({ configPath: dir, exportPath: join(dir, 'out'), onlyNew: true, accounts: ['1001'] }, io())).toBe(0);
    expect(out[0]).toMatch(/^exported 2 CDRs/);
    out = [];
    expect(await run({ configPath: dir, exportPath: join(dir, 'out'), onlyNew: true }, io())).toBe(0);
    expect(out[0]).toMatch(/^exported 1 CDR, total cost 1.2/);
    out = [];
    expect(await run({ configPath: dir, exportPath: join(dir, 'out'), onlyNew: true }, io())).toBe(0);
    expect(out[0]).toMatch(/^no CDRs to export/);
    expect(await readdir(join(dir, 'out'))).toHaveLength(2);
  });

  it('an unknown template and a bad time filter are clear errors', async () => {
    expect(await run({ configPath: dir, template: 'nope' }, io())).toBe(1);
    expect(err[0]).toMatch(/no export template "nope"/);
    expect(await run({ configPath: dir, setupTimeStart: 'whenever' }, io())).toBe(2);
    expect(err[1]).toMatch(/SetupTimeStart/);
  });
});
