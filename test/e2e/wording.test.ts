// Issue 13 item 16: wording. Singular counts, quoted values instead of <abc>, no line:column where
// there is no line, a header on the verbose table, no "note: ... warning:" double prefixes.
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { rm, writeFile } from 'node:fs/promises';
import { runCli, ROOT, REFERENCE_TP, tempDir } from './harness.js';
import { CdrRepository, cdrFromEvent } from '../../src/cdrs/index.js';
import { openSqliteStorDB } from '../../src/store/index.js';

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await tempDir();
  config = join(dir, 'accurate.json');
  await writeFile(config, JSON.stringify({ data_db: { db_path: join(dir, 'db') }, stor_db: { db_path: join(dir, 'db') }, listen: { rpc_json: '127.0.0.1:1' } }));
  const s = await openSqliteStorDB(join(dir, 'db'));
  await new CdrRepository(s).storeCDRs([cdrFromEvent({ OriginID: 'a', OriginHost: 'h', Account: '1001', Destination: '1002', AnswerTime: '2014-08-04T13:00:01Z', Usage: '60s', Cost: '0.6' }, { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' })]);
  await s.close();
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('wording', () => {
  it('one CDR is "1 CDR"', async () => {
    const r = await runCli(['cdr-export', '-config_path', config, '-dry_run']);
    expect(r.stdout.trim()).toBe('dry run: 1 CDR would be exported with template *default, total cost 0.6');
  });

  it('a bad -min_cost is quoted, not <abc>', async () => {
    const r = await runCli(['cdr-export', '-config_path', config, '-min_cost', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('accurate cdr-export: -min_cost "abc" is not a number');
  });

  it('the loader -verbose table has a header, and notes carry no second "warning:" prefix', async () => {
    const r = await runCli(['loader', '-path', join(REFERENCE_TP, 'testtp'), '-config_path', config, '-verbose', '-dry_run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^entity\s+count\s+changes$/);
    const notes = r.stderr.split('\n').filter((l) => l.startsWith('note: '));
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n).not.toMatch(/warning:/);
  });

  it('a folder that does not exist has no line:column', async () => {
    const r = await runCli(['loader', '-path', join(ROOT, 'no-such-tp')]);
    expect(r.stderr.trim()).toBe(`accurate loader: -path ${join(ROOT, 'no-such-tp')}: no such folder`);
  });
});
