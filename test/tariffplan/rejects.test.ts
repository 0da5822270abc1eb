// Issue 13 item 6: the loader rejects at load what would break later, each with FILE:LINE:COL.
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseTariffPlanFiles, readTariffPlanFolder, TariffPlanError } from '../../src/tariffplan/index.js';
import { ACTION_TYPES_RUN } from '../../src/tariffplan/schemas.js';
import { ACTION_TYPES } from '../../src/accounts/index.js';
import { firstInvalidUtf8 } from '../../src/tariffplan/utf8.js';
import { ROOT, runCli } from '../e2e/harness.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tpCopy(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'accurate-rejects-'));
  dirs.push(d);
  await cp(join(ROOT, 'tp'), d, { recursive: true });
  return d;
}

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof TariffPlanError) return e.lines;
    throw e;
  }
  return [];
}

describe('tariff-plan rows that would break later are rejected at load', () => {
  it('non-UTF-8 bytes: FILE:LINE:COL: not UTF-8, nothing stored as U+FFFD', async () => {
    const d = await tpCopy();
    await writeFile(join(d, 'Destinations.csv'), Buffer.concat([Buffer.from('#Id,Prefix\nDST_1002,1002\nDST_M'), Buffer.from([0xfc]), Buffer.from('NCHEN,49\n')]));
    await expect(readTariffPlanFolder(d)).rejects.toThrow(/Destinations\.csv:3:1: not UTF-8 \(byte 0xfc\)/);
  });

  it('the UTF-8 check accepts what is valid and finds overlongs and surrogates', () => {
    expect(firstInvalidUtf8(Buffer.from('München, 東京, 😀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xe2, 0x82]))).toBe(1);
  });

  it('an unknown action type is rejected with the known types listed and the likely one', () => {
    const lines = errorsOf(() => parseTariffPlanFiles({ 'Actions.csv': 'TOPUP10,*topup_rest,,,,*monetary,,*any,,,*unlimited,,10,10,false,false,10\n' }));
    expect(lines).toEqual([`Actions.csv:1:2: unknown action type "*topup_rest" (did you mean *topup_reset?); known: ${ACTION_TYPES_RUN.join(', ')}`]);
  });

  it('a CGRateS action AccuRate does not run still loads, with a notice', () => {
    const r = parseTariffPlanFiles({ 'Actions.csv': 'POST,*http_post,http://127.0.0.1/x,,,,,,,,,,,,,,10\n' });
    expect(r.notices).toContain('Actions.csv:1:2: *http_post is a CGRateS action AccuRate does not run; executing Actions POST will fail');
  });

  it('the action types the loader accepts are exactly the ones the accounts run', () => {
    expect([...ACTION_TYPES_RUN].sort()).toEqual([...ACTION_TYPES].sort());
  });

  it('a prefix with a space is rejected', () => {
    expect(errorsOf(() => parseTariffPlanFiles({ 'Destinations.csv': 'DST_X,49 89\n' }))).toEqual(['Destinations.csv:1:2: Prefix "49 89" contains a space']);
  });

  it('a duplicate rate slot is rejected, naming the first', () => {
    expect(errorsOf(() => parseTariffPlanFiles({ 'Rates.csv': 'RT_1,0,0.1,60s,60s,0s\nRT_1,0,0.2,60s,60s,60s\nRT_1,0,0.3,60s,1s,0s\n' }))).toEqual([
      'Rates.csv:3:6: duplicate rate slot: Rate RT_1 already has a slot from GroupIntervalStart 0s (line 1)',
    ]);
  });

  it('a missing file is named as missing, once, not as every reference to it', async () => {
    const d = await tpCopy();
    await rm(join(d, 'Rates.csv'));
    const e = await readTariffPlanFolder(d).catch((x) => x as TariffPlanError);
    expect(e).toBeInstanceOf(TariffPlanError);
    expect(e.lines).toHaveLength(1);
    expect(e.lines[0]).toMatch(/^Rates\.csv: missing from the folder, yet \d+ references need a Rate \(first: DestinationRates\.csv:\d+:3 /);
  });

  it('no such folder has no line:column', async () => {
    await expect(readTariffPlanFolder('/nonexistent/tp')).rejects.toThrow(/^tariff plan has 1 error:\n\/nonexistent\/tp: no such folder$/);
  });
});

describe('error output is capped', () => {
  it('a garbage file prints the first 100 errors and a count', async () => {
    const d = await tpCopy();
    await writeFile(join(d, 'Rates.csv'), Array.from({ length: 5000 }, (_, i) => `RT_${i},x,y,z,w,v`).join('\n'));
    await writeFile(join(d, 'cfg.json'), JSON.stringify({ data_db: { db_path: join(d, 'data') }, stor_db: { db_path: join(d, 'data') } }));
    const r = await runCli(['loader', '-path', d, '-config_path', join(d, 'cfg.json'), '-dry_run']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => /^\w+\.csv:\d+:\d+: /.test(l))).toHaveLength(100);
    expect(lines.filter((l) => /^Rates\.csv:\d+:\d+: /.test(l)).length).toBeGreaterThan(90);
    expect(r.stderr).toMatch(/^\.\.\. and 900 more errors \(checking stopped after 1000\)$/m);
    expect(lines.length).toBeLessThan(110);
  });

  it('a big garbage file is judged by its head: checking stops, the rest is never parsed', async () => {
    const d = await tpCopy();
    const line = 'RT_X,abc,def,ghi,jkl,mno\n';
    await writeFile(join(d, 'Rates.csv'), line.repeat(Math.ceil((5 << 20) / line.length)));
    const e = await readTariffPlanFolder(d).catch((x) => x as TariffPlanError);
    expect(e).toBeInstanceOf(TariffPlanError);
    expect(e.stopped).toBe(true);
    expect(e.issues).toHaveLength(1000);
    // Only the first lines were read.
    expect(Math.max(...e.issues.map((i) => i.line))).toBeLessThanOrEqual(2000);
  });
});
