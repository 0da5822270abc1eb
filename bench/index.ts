// `npm run bench [-- --quick]`: measures throughput of the hot paths and writes bench/results.md.
// Numbers, never assertions: tests do not time anything.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benches } from './suites.js';

export interface BenchResult {
  name: string;
  ops: number;
  ms: number;
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  dir: string;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const dir = await mkdtemp(join(tmpdir(), 'accurate-bench-'));
  const results: BenchResult[] = [];
  try {
    for (const b of benches) {
      if (only && !b.name.includes(only)) continue;
      const r = await b.run({ quick, dir });
      results.push(r);
      console.log(`${r.name.padEnd(48)} ${fmt(r.ops / (r.ms / 1000)).padStart(12)} ops/s  (${r.ops} ops in ${r.ms.toFixed(0)} ms)${r.note ? '  ' + r.note : ''}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/bench → bench/results.md in the source tree
  const out = join(here, '..', '..', 'bench', 'results.md');
  const lines = [
    '# Benchmark results',
    '',
    `Run ${new Date().toISOString()} on Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB${quick ? ', --quick' : ''}.`,
    '',
    '| benchmark | ops/s | ops | ms | note |',
    '| --- | ---: | ---: | ---: | --- |',
    ...results.map((r) => `| ${r.name} | ${fmt(r.ops / (r.ms / 1000))} | ${r.ops} | ${r.ms.toFixed(0)} | ${r.note ?? ''} |`),
    '',
  ];
  await writeFile(out, lines.join('\n'));
  console.log(`written ${out}`);
}

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2);
}

await main();
