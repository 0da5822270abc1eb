// Problems found in a tariff-plan folder, each pinned to FILE:LINE:COLUMN so a user can jump to it.

export interface TpIssue {
  file: string; // e.g. "Rates.csv"
  line: number; // 1-based line in the file; 0 for a problem with the whole file or folder
  column: number; // 1-based CSV column; 1 for a whole-row problem; 0 with line 0
  message: string;
}

export function formatIssue(i: TpIssue): string {
  return i.line > 0 ? `${i.file}:${i.line}:${i.column}: ${i.message}` : `${i.file}: ${i.message}`;
}

/** Checking stops after this many problems: a garbage file would otherwise yield millions. */
export const MAX_ISSUES = 1000;

/** Thrown when a folder does not validate; carries every problem found, not just the first. */
export class TariffPlanError extends Error {
  readonly issues: TpIssue[];
  /** True when checking stopped at MAX_ISSUES: there may be more. */
  readonly stopped: boolean;
  constructor(issues: TpIssue[], opts: { stopped?: boolean } = {}) {
    const sorted = [...issues].sort(compareIssues);
    super(`tariff plan has ${sorted.length} error${sorted.length === 1 ? '' : 's'}:\n` + sorted.map(formatIssue).join('\n'));
    this.name = 'TariffPlanError';
    this.issues = sorted;
    this.stopped = opts.stopped ?? false;
  }

  /** One `FILE:LINE:COLUMN: what is wrong` line per problem. */
  get lines(): string[] {
    return this.issues.map(formatIssue);
  }
}

function compareIssues(a: TpIssue, b: TpIssue): number {
  return a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1;
}
