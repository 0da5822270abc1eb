// The git archive of tariff-plan changes: every load that changes the stored plan is one commit.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import {
  diffTariffPlans, isEmptyDiff, summarizeDiff, ENTITY_KINDS, type TariffPlan, type TariffPlanDiff,
} from '../tariffplan/index.js';
import { describeRateChanges } from './describe.js';
import { fileKind, kindFile, planFromFiles, renderKind } from './files.js';
import { git, HistoryError } from './git.js';

export interface History {
  readonly dir: string;
}

export interface RecordResult {
  committed: boolean;
  /** Full commit hash when committed. */
  commit?: string;
  /** First line of the commit message, e.g. `+12 ~3 -1 rates, +2 destinations`; '' when nothing changed. */
  summary: string;
  diff: TariffPlanDiff;
}

export interface LogEntry {
  commit: string;
  date: string; // ISO 8601
  subject: string;
  body: string;
}

const AUTHOR = { name: 'AccuRate loader', email: 'accurate@localhost' };

/** Who a change is recorded as: a configured name, else the user running the load. */
export function defaultAuthor(configured = ''): { name: string; email: string } {
  if (configured) {
    const m = /^(.*?)\s*<([^>]*)>$/.exec(configured);
    return m ? { name: m[1] || m[2], email: m[2] } : { name: configured, email: `${configured.replace(/\s+/g, '.')}@${hostname()}` };
  }
  let user = process.env.SUDO_USER || process.env.USER || '';
  try {
    user ||= userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return user ? { name: user, email: `${user}@${hostname()}` } : AUTHOR;
}

/** Revisions come from the command line: never let one be read by git as an option. */
export function checkRev(rev: string): string {
  if (rev === '' || rev.startsWith('-') || /[\s\x00-\x1f]/.test(rev)) {
    throw new HistoryError(`"${rev}" is not a revision (a commit hash, HEAD, HEAD~1, a tag ...)`);
  }
  return rev;
}

/** The CSV files of a tariff-plan folder, by name, as the loader read them. */
export async function csvTextsOf(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(folder, { withFileTypes: true })) {
    if (e.isFile() && e.name.toLowerCase().endsWith('.csv')) out[e.name] = await readFile(join(folder, e.name), 'utf8');
  }
  return out;
}

/** Opens (creating and `git init`-ing if needed) the archive folder, with a repo-local identity. */
export async function openHistory(dir: string): Promise<History> {
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true });
  // Look for .git here, not upwards: the archive may sit inside another repository.
  if (!existsSync(join(abs, '.git'))) {
    await git(abs, ['init', '-q']);
    await git(abs, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  }
  // Commits must work on a machine with no global git identity, and never prompt for signing.
  await git(abs, ['config', 'user.name', AUTHOR.name]);
  await git(abs, ['config', 'user.email', AUTHOR.email]);
  await git(abs, ['config', 'commit.gpgsign', 'false']);
  return { dir: abs };
}

async function hasCommits(h: History): Promise<boolean> {
  return (await git(h.dir, ['rev-parse', '--verify', '-q', 'HEAD'], { allowFail: true })).ok;
}

/** The plan as archived at `rev` (empty before the first commit). */
export async function planAt(h: History, rev: string): Promise<TariffPlan> {
  checkRev(rev);
  const texts = new Map<string, string>();
  const ok = (await git(h.dir, ['rev-parse', '--verify', '-q', `${rev}^{commit}`], { allowFail: true })).ok;
  if (ok) {
    for (const k of ENTITY_KINDS) {
      const r = await git(h.dir, ['show', `${rev}:${kindFile(k)}`], { allowFail: true });
      if (r.ok) texts.set(kindFile(k), r.stdout);
    }
  } else if (rev !== 'HEAD' || (await hasCommits(h))) {
    throw new HistoryError(`unknown revision "${rev}"`);
  }
  return planFromFiles((f) => texts.get(f));
}

/**
 * Archives the whole stored plan `tp`; commits only if something changed, with a message saying
 * what (`+12 ~3 -1 rates, +2 destinations`) and the source folder in the body.
 */
export interface RecordOptions {
  source?: string;
  /** The CSV files as loaded: archived beside the JSON so `git log -p` shows the operator's rows. */
  csv?: Record<string, string>;
  /** The CSV files replace every archived one (a flush or a restore), instead of updating by name. */
  replaceCsv?: boolean;
  /** Commit author; default the user running the load. */
  author?: { name: string; email: string };
  /** Commit subject instead of the diff summary (e.g. a restore). */
  subject?: string;
}

export async function recordTariffPlan(h: History, tp: TariffPlan, opts: RecordOptions = {}): Promise<RecordResult> {
  const before = await planAt(h, 'HEAD');
  const diff = diffTariffPlans(before, tp);
  for (const k of ENTITY_KINDS) await writeFile(join(h.dir, kindFile(k)), renderKind(tp, k));
  if (opts.csv) {
    if (opts.replaceCsv) for (const f of await archivedCsv(h)) await rm(join(h.dir, f), { force: true });
    for (const [name, text] of Object.entries(opts.csv)) await writeFile(join(h.dir, name), text);
  }
  await git(h.dir, ['add', '-A', '--', '.']);
  const staged = !(await git(h.dir, ['diff', '--cached', '--quiet'], { allowFail: true })).ok;
  if (!staged) return { committed: false, summary: '', diff };
  const summary = summarizeDiff(diff) || 'tariff plan archived (no entity changes)';
  const body: string[] = [];
  if (opts.subject) body.push(summary, '');
  if (opts.source) body.push(`source: ${opts.source}`);
  const rateLines = describeRateChanges(before.rates, tp.rates);
  if (rateLines.length > 0 && rateLines.length <= 50) body.push('', ...rateLines);
  const author = opts.author ?? defaultAuthor();
  const env = { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email };
  await git(h.dir, ['commit', '-q', '--no-verify', '-m', opts.subject ?? summary, ...(body.length ? ['-m', body.join('\n')] : [])], { env });
  const commit = (await git(h.dir, ['rev-parse', 'HEAD'])).stdout.trim();
  return { committed: true, commit, summary, diff };
}

async function archivedCsv(h: History): Promise<string[]> {
  return (await readdir(h.dir)).filter((f) => f.toLowerCase().endsWith('.csv'));
}

/** The CSV files archived at `rev`, by name. */
export async function csvAt(h: History, rev: string): Promise<Record<string, string>> {
  checkRev(rev);
  const ls = await git(h.dir, ['ls-tree', '--name-only', `${rev}^{commit}`], { allowFail: true });
  if (!ls.ok) throw new HistoryError(`unknown revision "${rev}"`);
  const out: Record<string, string> = {};
  for (const f of ls.stdout.split('\n').filter((x) => x.toLowerCase().endsWith('.csv'))) out[f] = (await git(h.dir, ['show', `${rev}:${f}`])).stdout;
  return out;
}

const SEP = '\u001f';
const END = '\u001e';

export async function historyEntries(h: History, opts: { limit?: number } = {}): Promise<LogEntry[]> {
  if (!(await hasCommits(h))) return [];
  const args = ['log', `--format=%H${SEP}%cI${SEP}%s${SEP}%b${END}`];
  if (opts.limit) args.push(`-n${opts.limit}`);
  const { stdout } = await git(h.dir, args);
  return stdout
    .split(END)
    .map((s) => s.replace(/^\n/, ''))
    .filter((s) => s.trim() !== '')
    .map((rec) => {
      const [commit, date, subject, body = ''] = rec.split(SEP);
      return { commit, date, subject, body: body.trim() };
    });
}

/** One line per archived load, newest first: `abc1234  2026-11-22T13:00:00Z  +7 rates  (source: tp/)`. */
export async function historyLog(h: History, opts: { limit?: number } = {}): Promise<string> {
  const entries = await historyEntries(h, opts);
  if (entries.length === 0) return 'no tariff-plan changes archived yet\n';
  return entries
    .map((e) => {
      const src = /^source: (.*)$/m.exec(e.body)?.[1];
      return `${e.commit.slice(0, 10)}  ${e.date}  ${e.subject}${src ? `  (source: ${src})` : ''}`;
    })
    .join('\n') + '\n';
}

/** A commit's message and its changes; with `file` (e.g. rates.json or `rates`), that file's content at `rev`. */
export async function historyShow(h: History, rev: string, file?: string): Promise<string> {
  checkRev(rev);
  if (file) {
    // A CSV as loaded (Rates.csv), or an archive file (rates.json, or rates).
    const name = /\.csv$/i.test(file) || file.endsWith('.json') ? file : `${file}.json`;
    if (!/\.csv$/i.test(name) && !fileKind(name)) throw new HistoryError(`unknown archive file "${file}" (a loaded CSV such as Rates.csv, or one of ${ENTITY_KINDS.map(kindFile).join(', ')})`);
    if (name.includes('/') || name.startsWith('-')) throw new HistoryError(`unknown archive file "${file}"`);
    const r = await git(h.dir, ['show', `${rev}:${name}`], { allowFail: true });
    if (!r.ok) throw new HistoryError(`no ${name} at revision "${rev}"`);
    return r.stdout;
  }
  const meta = await git(h.dir, ['show', '-s', '--format=commit %H%nAuthor: %an <%ae>%nDate:   %cI%n%n%B', `${rev}^{commit}`], { allowFail: true });
  if (!meta.ok) throw new HistoryError(`unknown revision "${rev}"`);
  const parent = (await git(h.dir, ['rev-parse', '--verify', '-q', `${rev}^`], { allowFail: true })).ok ? `${rev}^` : undefined;
  // The message already carries the summary: print the details only.
  return meta.stdout.trimEnd() + '\n\n' + (await describeBetween(h, parent, rev, false));
}

/** What changed from `rev1` to `rev2` (default HEAD): rates field by field, other kinds by id plus git's diff. */
export async function historyDiff(h: History, rev1: string, rev2 = 'HEAD'): Promise<string> {
  checkRev(rev1);
  checkRev(rev2);
  return describeBetween(h, rev1, rev2);
}

async function describeBetween(h: History, rev1: string | undefined, rev2: string, withSummary = true): Promise<string> {
  const before = rev1 === undefined ? planFromFiles(() => undefined) : await planAt(h, rev1);
  const after = await planAt(h, rev2);
  const diff = diffTariffPlans(before, after);
  if (isEmptyDiff(diff)) return 'no changes\n';
  const out: string[] = withSummary ? [summarizeDiff(diff), ''] : [];
  for (const k of ENTITY_KINDS) {
    const d = diff[k];
    if (d.added.length + d.changed.length + d.removed.length === 0) continue;
    out.push(`${kindFile(k)}:`);
    if (k === 'rates') {
      out.push(...describeRateChanges(before.rates, after.rates).map((l) => `  ${l}`));
    } else {
      for (const id of d.added) out.push(`  + ${id}`);
      for (const id of d.removed) out.push(`  - ${id}`);
      if (d.changed.length > 0) {
        out.push(`  ~ ${d.changed.join(', ')}`);
        const range = rev1 === undefined ? [] : [rev1, rev2];
        if (range.length) {
          const g = await git(h.dir, ['diff', '--no-color', ...range.map(checkRev), '--', kindFile(k)]);
          out.push(...g.stdout.trimEnd().split('\n').map((l) => `  ${l}`));
        }
      }
    }
    out.push('');
  }
  return out.join('\n');
}
