// What every benchmark scenario returns (the results.json schema) and receives.

export interface BenchContext {
  quick: boolean;
  /** A temporary folder for this run; each scenario uses a subfolder of its own. */
  dir: string;
  /** Start engines under `node --cpu-prof` writing into this folder (npm run bench -- --profile). */
  profileDir?: string;
}

/** Legacy micro-benchmarks (bench/suites.ts): plain throughput. */
export interface BenchResult {
  name: string;
  ops: number;
  ms: number;
  note?: string;
}

export interface ScenarioResult {
  name: string;
  metric: string;
  value: number;
  unit: string;
  /** The target value (≥ for rates, ≤ for costs: see `lowerIsBetter`), null when none. */
  target: number | null;
  met: boolean | null;
  /** The same-run baseline this scenario is judged against (null when none). */
  baseline: number | null;
  /** value / baseline. */
  ratio: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  rss_mb: number | null;
  note?: string;
}

export interface Scenario {
  name: string;
  run(ctx: BenchContext): Promise<ScenarioResult | ScenarioResult[]>;
}

/** A module of scenarios: bench/index.ts lists them. */
export interface ScenarioModule {
  scenarios: Scenario[];
}

export function percentile(sortedMs: number[], p: number): number | null {
  if (sortedMs.length === 0) return null;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return Math.round(sortedMs[i] * 1000) / 1000;
}

export function result(r: Partial<ScenarioResult> & Pick<ScenarioResult, 'name' | 'metric' | 'value' | 'unit'>): ScenarioResult {
  return { target: null, met: null, baseline: null, ratio: null, p50_ms: null, p99_ms: null, rss_mb: null, ...r };
}
