// Issue 13 item 7: a long load shows progress on a terminal. Parsing is synchronous, so progress
// comes from inside the row loop (a spinner on a timer would stay frozen).
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cp, mkdtemp, rm, appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseTariffPlanFiles, PROGRESS_ROWS } from '../../src/tariffplan/folder.js';
import { BIN, ROOT } from '../e2e/harness.js';

const ROWS = 2 * PROGRESS_ROWS + 10;
const bigDestination = () => Array.from({ length: ROWS }, (_, i) => `DST_BIG,${4900000000 + i}`).join('\n') + '\n';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('load progress', () => {
  it(`reports every ${PROGRESS_ROWS} rows, and one destination may hold many prefixes`, () => {
    const seen: string[] = [];
    const r = parseTariffPlanFiles({ 'Destinations.csv': bigDestination() }, { onProgress: (t) => seen.push(t) });
    expect(seen).toEqual([
      `Destinations.csv: ${PROGRESS_ROWS.toLocaleString('en')} of ${ROWS.toLocaleString('en')} rows`,
      `Destinations.csv: ${(2 * PROGRESS_ROWS).toLocaleString('en')} of ${ROWS.toLocaleString('en')} rows`,
    ]);
    expect(r.tp.destinations.DST_BIG.prefixes).toHaveLength(ROWS);
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('the loader shows it on a terminal', async () => {
    const d = await mkdtemp(join(tmpdir(), 'accurate-progress-'));
    dirs.push(d);
    await cp(join(ROOT, 'tp'), join(d, 'tp'), { recursive: true });
    await appendFile(join(d, 'tp', 'Destinations.csv'), bigDestination());
    await writeFile(join(d, 'c.json'), JSON.stringify({ data_db: { db_path: join(d, 'data') }, stor_db: { db_path: join(d, 'data') } }));
    const cmd = `stty cols 120; '${process.execPath}' '${BIN}' loader -path '${join(d, 'tp')}' -config_path '${join(d, 'c.json')}' -dry_run`;
    const out = await new Promise<string>((res) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let o = '';
      child.stdout.on('data', (x) => (o += x));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', () => {
        clearTimeout(timer);
        res(o);
      });
    });
    expect(out).toContain(`Destinations.csv: ${PROGRESS_ROWS.toLocaleString('en')} of`);
    expect(out).toMatch(/dry run: .* is valid/);
  });
});
