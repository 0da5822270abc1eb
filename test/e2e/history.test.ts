// Issue 13 item 13: an archive operators can read. The CSVs as loaded are in it (git log -p shows
// the operator's rows), restore loads a revision back as a new change, commits carry the user's
// name, show prints its summary once, and revisions are never taken as git options.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { execa } from 'execa';
import { startEngine, runCli, ROOT, tempDir, type RunningEngine } from './harness.js';

let e: RunningEngine;
let work: string;
const cost = async () => (await e.call<{ Cost: number }>('APIerSv1.GetCost', { Tenant: 'cgrates.org', Category: 'call', Subject: '1001', Destination: '1002', AnswerTime: '2014-08-04T13:00:00Z', Usage: '2m' })).Cost;

beforeAll(async () => {
  e = await startEngine();
  work = await tempDir();
  await cp(join(ROOT, 'tp'), join(work, 'tp'), { recursive: true });
});
afterAll(async () => {
  await e?.cleanup();
  await rm(work, { recursive: true, force: true });
});

const history = (...args: string[]) => runCli(['history', '-config_path', e.configDir, ...args]);
const archive = () => join(e.dir, 'history');

describe('history for operators', () => {
  it('loads, changes a rate, and restores the first revision as a new change', async () => {
    expect((await runCli(['loader', '-path', join(work, 'tp'), '-config_path', e.configDir])).code).toBe(0);
    const first = (await execa('git', ['rev-parse', 'HEAD'], { cwd: archive() })).stdout.trim();
    const before = await cost();
    const rates = join(work, 'tp', 'Rates.csv');
    await writeFile(rates, (await readFile(rates, 'utf8')).replace('RT_20CNT,0.4,0.2,60s,60s,0s', 'RT_20CNT,0.4,0.3,60s,60s,0s'));
    expect((await runCli(['loader', '-path', join(work, 'tp'), '-config_path', e.configDir])).code).toBe(0);
    expect(await cost()).not.toBe(before);

    // git log -p in the archive shows the operator's own CSV row.
    const log = await execa('git', ['log', '-p', '-n1', '--', 'Rates.csv'], { cwd: archive() });
    expect(log.stdout).toContain('-RT_20CNT,0.4,0.2,60s,60s,0s');
    expect(log.stdout).toContain('+RT_20CNT,0.4,0.3,60s,60s,0s');
    // history show REV Rates.csv prints the file as loaded then.
    const shown = await history('show', first, 'Rates.csv');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('RT_20CNT,0.4,0.2,60s,60s,0s');

    const r = await history('restore', first);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^restored ${first.slice(0, 10)} into .*datadb\\.sqlite: ~1 rates; history [0-9a-f]{10}`));
    expect(r.stdout).toContain('reloaded the tariff plan');
    expect(await cost()).toBe(before);
    const subjects = (await execa('git', ['log', '--format=%s'], { cwd: archive() })).stdout.split('\n');
    expect(subjects).toHaveLength(3);
    expect(subjects[0]).toBe(`restore ${first.slice(0, 10)}`);
    expect(await readFile(join(archive(), 'Rates.csv'), 'utf8')).toContain('RT_20CNT,0.4,0.2,60s,60s,0s');
  });

  it('commits are authored by the user who ran the load', async () => {
    const author = (await execa('git', ['log', '-1', '--format=%an'], { cwd: archive() })).stdout.trim();
    expect(author).toBe(process.env.SUDO_USER || process.env.USER || userInfo().username);
  });

  it('history show prints its summary once', async () => {
    const r = await history('show', 'HEAD~1');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/~1 rates/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/^Author: /m);
  });

  it('a revision that looks like an option is refused, and writes nothing', async () => {
    const target = join(work, 'x');
    for (const args of [['show', '--', `--output=${target}`], ['diff', '--', `--output=${target}`], ['restore', '--', '--help']]) {
      const r = await history(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/is not a revision/);
    }
    expect(existsSync(target)).toBe(false);
  });
});
