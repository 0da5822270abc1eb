// `npm run bench [-- --quick] [-- --only=TEXT] [-- --profile]`: runs every scenario and writes
// bench/results.md and bench/results.json. Numbers, never assertions: tests do not time anything.
// To add scenarios, write a module exporting `scenarios: Scenario[]` and list it in MODULES.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benches } from './suites.js';
import durable from './durable.js';
import loader from './loader.js';
import { result, type Scenario, type ScenarioModule, type ScenarioResult } from './types.js';

export type { BenchContext, BenchResult, Scenario, ScenarioResult, ScenarioModule } from './types.js';

/** The micro-benchmarks of bench/suites.ts, reported as throughput scenarios without a target. */
const legacy: ScenarioModule = {
  scenarios: benches.map((b): Scenario => ({
    name: b.name,
    async run(ctx) {
      const r = await b.run(ctx);
      return result({ name: r.name, metric: 'ops_per_sec', value: Math.round(r.ops / (r.ms / 1000)), unit: 'ops/s', note: r.note });
    },
  })),
};

/** Every scenario module, in run order. Add yours here. */
export const MODULES: ScenarioModule[] = [durable, loader, legacy];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const here = dirname(fileURLToPath(import.meta.url));
  const benchDir = join(here, '..', '..', 'bench'); // dist/bench → bench/ in the source tree
  const profileDir = process.argv.includes('--profile') ? join(benchDir, 'profiles') : undefined;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'accurate-bench-'));
  const started = Date.now();
  const results: ScenarioResult[] = [];
  try {
    for (const m of MODULES) {
      for (const s of m.scenarios) {
        if (only && !s.name.includes(only)) continue;
        const t0 = Date.now();
        let out: ScenarioResult | ScenarioResult[];
        try {
          out = await s.run({ quick, dir, profileDir });
        } catch (e) {
          // One broken scenario is reported, and the others still run.
          out = result({ name: s.name, metric: 'error', value: 0, unit: '', met: false, note: `failed: ${(e as Error).message.split('\n')[0].slice(0, 300)}` });
          process.exitCode = 1;
        }
        for (const r of Array.isArray(out) ? out : [out]) {
          results.push(r);
          console.log(line(r));
        }
        console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? '?', ram: `${(totalmem() / 2 ** 30).toFixed(0)} GiB`, node: process.version };
  const date = new Date().toISOString();
  await writeFile(join(benchDir, 'results.json'), JSON.stringify({ date, quick, seconds: Math.round((Date.now() - started) / 1000), machine, scenarios: results }, null, 2) + '\n');
  const md = [
    '# Benchmark results',
    '',
    `Run ${date} on Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ${machine.ram}${quick ? ', --quick' : ''}; ${Math.round((Date.now() - started) / 1000)} s.`,
    'Ratios are against baselines measured in the same run, on the same disk, through the same sqlite3 driver.',
    '',
    '| scenario | value | target | met | baseline | ratio | p50 ms | p99 ms | RSS MB | note |',
    '| --- | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map((r) => `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.target === null ? '' : fmt(r.target)} | ${r.met === null ? '' : r.met ? 'yes' : 'no'} | ${r.baseline === null ? '' : fmt(r.baseline)} | ${r.ratio ?? ''} | ${r.p50_ms ?? ''} | ${r.p99_ms ?? ''} | ${r.rss_mb ?? ''} | ${r.note ?? ''} |`),
    '',
  ];
  await writeFile(join(benchDir, 'results.md'), md.join('\n'));
  console.log(`written ${join(benchDir, 'results.md')} and results.json`);
}

function line(r: ScenarioResult): string {
  const extra = [r.target !== null ? `target ${fmt(r.target)} (${r.met ? 'met' : 'NOT met'})` : '', r.ratio !== null ? `ratio ${r.ratio}` : '', r.p99_ms !== null ? `p50 ${r.p50_ms} ms p99 ${r.p99_ms} ms` : '', r.rss_mb !== null ? `RSS ${r.rss_mb} MB` : '']
    .filter(Boolean)
    .join(', ');
  return `${r.name.padEnd(60)} ${fmt(r.value).padStart(10)} ${r.unit}  ${extra}`;
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 1000) / 1000);
}

await main();
