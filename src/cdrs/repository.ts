// CDRs and session costs in the StorDB (tables of migration 2). Every query is parameterised; a
// batch of CDRs is stored in one transaction; (CGRID, RunID) is unique.
import type { SqlRunner, StorDB } from '../store/types.js';
import { Money } from '../util/money.js';
import { parseTime } from '../util/time.js';
import { valueAsDuration } from '../filters/index.js';
import type { CDR } from './model.js';

/** CGRateS's CDRsFilter (GetCDRs): lists match any of their values; Not… lists exclude; ranges are [start, end). */
export interface CDRsFilter {
  CGRIDs?: string[];
  NotCGRIDs?: string[];
  RunIDs?: string[];
  NotRunIDs?: string[];
  OriginIDs?: string[];
  NotOriginIDs?: string[];
  OriginHosts?: string[];
  NotOriginHosts?: string[];
  Sources?: string[];
  NotSources?: string[];
  ToRs?: string[];
  NotToRs?: string[];
  RequestTypes?: string[];
  NotRequestTypes?: string[];
  Tenants?: string[];
  NotTenants?: string[];
  Categories?: string[];
  NotCategories?: string[];
  Accounts?: string[];
  NotAccounts?: string[];
  Subjects?: string[];
  NotSubjects?: string[];
  DestinationPrefixes?: string[];
  NotDestinationPrefixes?: string[];
  /** Extra fields equal to a value, or `*exists`; any one matching is enough (as CGRateS). */
  ExtraFields?: Record<string, string>;
  SetupTimeStart?: number | string;
  SetupTimeEnd?: number | string;
  AnswerTimeStart?: number | string;
  AnswerTimeEnd?: number | string;
  MinUsage?: number | string;
  MaxUsage?: number | string;
  /** Cost ≥ MinCost. MinCost 0 with MaxCost −1: rated CDRs only (cost ≥ 0). */
  MinCost?: number | string;
  /** Cost < MaxCost; −1 alone: CDRs that are not rated (cost −1). */
  MaxCost?: number | string;
  OrderIDStart?: number;
  OrderIDEnd?: number;
  /** `OrderID`, `AnswerTime`, `SetupTime`, `Usage` or `Cost`, optionally `;desc`. Default: OrderID. */
  OrderBy?: string;
  Limit?: number;
  Offset?: number;
  /** AccuRate: only CDRs not yet marked exported. */
  UnexportedOnly?: boolean;
  /** Zone for times given as text without one. */
  Timezone?: string;
}

/** SessionS's stored cost of a session run (CGRateS's SMCost). */
export interface SMCost {
  CGRID: string;
  RunID: string;
  OriginHost: string;
  OriginID: string;
  CostSource: string;
  Usage: number;
  CostDetails: Record<string, unknown> | null;
}

export interface StoreResult {
  /** Stored CDRs with their OrderID. */
  stored: CDR[];
  /** CDRs not stored because the same CGRID and RunID already exist (only without allowUpdate). */
  duplicates: CDR[];
}

export class CdrQueryError extends Error {}

interface CdrRow {
  id: number;
  cgrid: string;
  run_id: string;
  origin_host: string;
  source: string;
  origin_id: string;
  tor: string;
  request_type: string;
  tenant: string;
  category: string;
  account: string;
  subject: string;
  destination: string;
  setup_time: number;
  answer_time: number;
  setup_time_ns: number;
  answer_time_ns: number;
  usage: number;
  cost: string;
  cost_source: string;
  extra_fields: string;
  extra_info: string;
  partial: number;
  pre_rated: number;
  cost_details: string | null;
}

const COLUMNS = [
  'cgrid', 'run_id', 'origin_host', 'source', 'origin_id', 'tor', 'request_type', 'tenant', 'category', 'account', 'subject',
  'destination', 'setup_time', 'answer_time', 'usage', 'cost', 'cost_source', 'extra_fields', 'extra_info', 'partial',
  'pre_rated', 'cost_details', 'setup_time_ns', 'answer_time_ns',
];

function rowValues(c: CDR): unknown[] {
  return [
    c.CGRID, c.RunID, c.OriginHost, c.Source, c.OriginID, c.ToR, c.RequestType, c.Tenant, c.Category, c.Account, c.Subject,
    c.Destination, c.SetupTime, c.AnswerTime, c.Usage, c.Cost.toFixed(), c.CostSource, JSON.stringify(c.ExtraFields ?? {}),
    c.ExtraInfo, c.Partial ? 1 : 0, c.PreRated ? 1 : 0, c.CostDetails ? JSON.stringify(c.CostDetails) : null,
    c.SetupTimeSubNs ?? 0, c.AnswerTimeSubNs ?? 0,
  ];
}

function fromRow(r: CdrRow): CDR {
  return {
    CGRID: r.cgrid, RunID: r.run_id, OrderID: r.id, OriginHost: r.origin_host, Source: r.source, OriginID: r.origin_id,
    ToR: r.tor, RequestType: r.request_type, Tenant: r.tenant, Category: r.category, Account: r.account, Subject: r.subject,
    Destination: r.destination, SetupTime: r.setup_time, AnswerTime: r.answer_time,
    ...(r.setup_time_ns ? { SetupTimeSubNs: r.setup_time_ns } : {}), ...(r.answer_time_ns ? { AnswerTimeSubNs: r.answer_time_ns } : {}), Usage: r.usage,
    ExtraFields: JSON.parse(r.extra_fields) as Record<string, string>, ExtraInfo: r.extra_info,
    Partial: r.partial === 1, PreRated: r.pre_rated === 1, CostSource: r.cost_source, Cost: new Money(r.cost),
    CostDetails: r.cost_details ? (JSON.parse(r.cost_details) as Record<string, unknown>) : null,
  };
}

const LIST_FILTERS: [keyof CDRsFilter, keyof CDRsFilter, string][] = [
  ['CGRIDs', 'NotCGRIDs', 'cgrid'], ['RunIDs', 'NotRunIDs', 'run_id'], ['OriginIDs', 'NotOriginIDs', 'origin_id'],
  ['OriginHosts', 'NotOriginHosts', 'origin_host'], ['Sources', 'NotSources', 'source'], ['ToRs', 'NotToRs', 'tor'],
  ['RequestTypes', 'NotRequestTypes', 'request_type'], ['Tenants', 'NotTenants', 'tenant'],
  ['Categories', 'NotCategories', 'category'], ['Accounts', 'NotAccounts', 'account'], ['Subjects', 'NotSubjects', 'subject'],
];

const ORDER_COLUMNS: Record<string, string> = { OrderID: 'id', AnswerTime: 'answer_time', SetupTime: 'setup_time', Usage: 'usage', Cost: 'CAST(cost AS REAL)' };

function likePrefix(p: string): string {
  return p.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

function timeParam(v: number | string, name: string, tz: string): number {
  if (typeof v === 'number') return v;
  try {
    return parseTime(v, tz);
  } catch (e) {
    throw new CdrQueryError(`${name}: ${(e as Error).message}`);
  }
}

function costParam(v: number | string, name: string): string {
  const s = String(v).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new CdrQueryError(`${name} "${s}" is not a number`);
  return new Money(s).toFixed();
}

/** Builds the WHERE clause; values only ever travel as parameters. */
export function whereClause(f: CDRsFilter): { sql: string; params: unknown[] } {
  const conds: string[] = [];
  const params: unknown[] = [];
  const tz = f.Timezone ?? 'UTC';
  for (const [inKey, notKey, col] of LIST_FILTERS) {
    const inList = f[inKey] as string[] | undefined;
    const notList = f[notKey] as string[] | undefined;
    if (inList && inList.length > 0) {
      conds.push(`${col} IN (${inList.map(() => '?').join(', ')})`);
      params.push(...inList);
    }
    if (notList && notList.length > 0) {
      conds.push(`${col} NOT IN (${notList.map(() => '?').join(', ')})`);
      params.push(...notList);
    }
  }
  if (f.DestinationPrefixes && f.DestinationPrefixes.length > 0) {
    conds.push(`(${f.DestinationPrefixes.map(() => "destination LIKE ? ESCAPE '\\'").join(' OR ')})`);
    params.push(...f.DestinationPrefixes.map(likePrefix));
  }
  if (f.NotDestinationPrefixes && f.NotDestinationPrefixes.length > 0) {
    conds.push(`(${f.NotDestinationPrefixes.map(() => "destination NOT LIKE ? ESCAPE '\\'").join(' AND ')})`);
    params.push(...f.NotDestinationPrefixes.map(likePrefix));
  }
  if (f.ExtraFields && Object.keys(f.ExtraFields).length > 0) {
    const ors: string[] = [];
    for (const [field, value] of Object.entries(f.ExtraFields)) {
      const path = '$."' + field.replace(/"/g, '""') + '"';
      if (value === '*exists') {
        ors.push('json_type(extra_fields, ?) IS NOT NULL');
        params.push(path);
      } else {
        ors.push('json_extract(extra_fields, ?) = ?');
        params.push(path, value);
      }
    }
    conds.push(`(${ors.join(' OR ')})`);
  }
  const range = (col: string, start: unknown, end: unknown) => {
    if (start !== undefined && start !== null && start !== '') {
      conds.push(`${col} >= ?`);
      params.push(start);
    }
    if (end !== undefined && end !== null && end !== '') {
      conds.push(`${col} < ?`);
      params.push(end);
    }
  };
  const t = (v: number | string | undefined, n: string) => (v === undefined || v === '' ? undefined : timeParam(v, n, tz));
  range('setup_time', t(f.SetupTimeStart, 'SetupTimeStart'), t(f.SetupTimeEnd, 'SetupTimeEnd'));
  range('answer_time', t(f.AnswerTimeStart, 'AnswerTimeStart'), t(f.AnswerTimeEnd, 'AnswerTimeEnd'));
  const u = (v: number | string | undefined, n: string) => {
    if (v === undefined || v === '') return undefined;
    try {
      return valueAsDuration(v);
    } catch (e) {
      throw new CdrQueryError(`${n}: ${(e as Error).message}`);
    }
  };
  range('usage', u(f.MinUsage, 'MinUsage'), u(f.MaxUsage, 'MaxUsage'));
  range('id', f.OrderIDStart, f.OrderIDEnd);
  // Costs are exact decimal text; SQLite compares them numerically through REAL, which orders any
  // two costs correctly up to 15 significant digits.
  const min = f.MinCost === undefined || f.MinCost === '' ? undefined : costParam(f.MinCost, 'MinCost');
  const max = f.MaxCost === undefined || f.MaxCost === '' ? undefined : costParam(f.MaxCost, 'MaxCost');
  if (min !== undefined && max !== undefined && new Money(min).isZero() && new Money(max).eq(-1)) {
    conds.push('CAST(cost AS REAL) >= 0');
  } else if (min === undefined && max !== undefined && new Money(max).eq(-1)) {
    conds.push('CAST(cost AS REAL) < 0');
  } else {
    if (min !== undefined) {
      conds.push('CAST(cost AS REAL) >= CAST(? AS REAL)');
      params.push(min);
    }
    if (max !== undefined) {
      conds.push('CAST(cost AS REAL) < CAST(? AS REAL)');
      params.push(max);
    }
  }
  if (f.UnexportedOnly) conds.push('exported_at IS NULL');
  return { sql: conds.length ? ' WHERE ' + conds.join(' AND ') : '', params };
}

function orderLimit(f: CDRsFilter): { sql: string; params: unknown[] } {
  let order = 'id';
  if (f.OrderBy) {
    const [field, dir] = f.OrderBy.split(';');
    // Own keys only: "constructor" must not become SQL text.
    const col = Object.prototype.hasOwnProperty.call(ORDER_COLUMNS, field) ? ORDER_COLUMNS[field] : undefined;
    if (!col) throw new CdrQueryError(`Invalid value : ${field} (OrderBy takes OrderID, AnswerTime, SetupTime, Usage or Cost, optionally ;desc)`);
    order = col + (dir === 'desc' ? ' DESC' : '') + ', id';
  }
  let sql = ` ORDER BY ${order}`;
  const params: unknown[] = [];
  const limit = f.Limit;
  const offset = f.Offset;
  for (const [n, v] of [['Limit', limit], ['Offset', offset]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new CdrQueryError(`${n} must be a non-negative integer, have <${String(v)}>`);
  }
  if (limit !== undefined || offset !== undefined) {
    sql += ' LIMIT ? OFFSET ?';
    params.push(limit ?? -1, offset ?? 0);
  }
  return { sql, params };
}

/** CDR rows per INSERT statement (24 parameters each: under every SQLite build's parameter limit). */
const INSERT_ROWS = 40;

interface Joining {
  cdrs: readonly CDR[];
  now: number;
  resolve: (r: StoreResult) => void;
  reject: (e: unknown) => void;
}

/** Inserts (no update) in as few statements as the rows need; only the (cgrid, run_id) conflict is tolerated. */
async function insertRows(tx: SqlRunner, rows: readonly { c: CDR; now: number }[]): Promise<Map<{ c: CDR; now: number }, number | undefined>> {
  const placeholders = COLUMNS.map(() => '?').join(', ');
  const out = new Map<{ c: CDR; now: number }, number | undefined>();
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    const chunk = rows.slice(i, i + INSERT_ROWS);
    // The first of equal keys wins, as row by row; RETURNING says which rows went in.
    const got = await tx.all<{ id: number; cgrid: string; run_id: string }>(
      `INSERT INTO cdrs (${COLUMNS.join(', ')}, created_at, updated_at) VALUES ${chunk.map(() => `(${placeholders}, ?, ?)`).join(', ')}
       ON CONFLICT (cgrid, run_id) DO NOTHING RETURNING id, cgrid, run_id`,
      chunk.flatMap((r) => [...rowValues(r.c), r.now, r.now]),
    );
    const ids = new Map(got.map((r) => [`${r.cgrid}\u0000${r.run_id}`, r.id]));
    for (const r of chunk) {
      const key = `${r.c.CGRID}\u0000${r.c.RunID}`;
      out.set(r, ids.get(key));
      ids.delete(key);
    }
  }
  return out;
}

function outcome(rows: readonly { c: CDR; now: number }[], ids: Map<{ c: CDR; now: number }, number | undefined>): StoreResult {
  const stored: CDR[] = [];
  const duplicates: CDR[] = [];
  for (const r of rows) {
    const id = ids.get(r);
    if (id === undefined) duplicates.push(r.c);
    else stored.push({ ...r.c, OrderID: id });
  }
  return { stored, duplicates };
}

/** Every waiter's CDRs together; when that fails, each waiter alone in a savepoint (its error is its outcome). */
async function insertAll(tx: SqlRunner, ws: readonly Joining[]): Promise<(StoreResult | Error)[]> {
  const per = ws.map((w) => w.cdrs.map((c) => ({ c, now: w.now })));
  if (ws.length === 1) return [outcome(per[0], await insertRows(tx, per[0]))];
  await tx.run('SAVEPOINT cdrs_joined');
  try {
    const ids = await insertRows(tx, per.flat());
    await tx.run('RELEASE cdrs_joined');
    return per.map((rows) => outcome(rows, ids));
  } catch {
    await tx.run('ROLLBACK TO cdrs_joined');
    await tx.run('RELEASE cdrs_joined');
  }
  const out: (StoreResult | Error)[] = [];
  for (const rows of per) {
    await tx.run('SAVEPOINT cdrs_one');
    try {
      out.push(outcome(rows, await insertRows(tx, rows)));
      await tx.run('RELEASE cdrs_one');
    } catch (e) {
      await tx.run('ROLLBACK TO cdrs_one');
      await tx.run('RELEASE cdrs_one');
      out.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return out;
}

export class CdrRepository {
  private readonly sql: SqlRunner;
  /** Stores waiting for the transaction that will insert them together (insertJoined). */
  private joining: Joining[] = [];

  constructor(db: StorDB | SqlRunner) {
    this.sql = 'sql' in db ? db.sql : db;
  }

  /**
   * Stores CDRs in one transaction. Without allowUpdate a CDR whose CGRID and RunID exist is not
   * stored again and is returned among the duplicates; with allowUpdate it replaces the stored one
   * (keeping its OrderID) and becomes unexported again.
   */
  async storeCDRs(cdrs: readonly CDR[], opts: { allowUpdate?: boolean; now?: number } = {}): Promise<StoreResult> {
    const now = opts.now ?? Date.now();
    for (const c of cdrs) {
      if (!c.CGRID || !c.RunID) throw new CdrQueryError(`a CDR needs CGRID and RunID (OriginID ${c.OriginID || '?'})`);
    }
    if (!opts.allowUpdate) return this.insertJoined(cdrs, now);
    return this.sql.transaction(async (tx) => {
      const stored: CDR[] = [];
      const duplicates: CDR[] = [];
      const placeholders = COLUMNS.map(() => '?').join(', ');
      const updates = COLUMNS.filter((col) => col !== 'cgrid' && col !== 'run_id').map((col) => `${col} = excluded.${col}`).join(', ');
      for (const c of cdrs) {
        await tx.run(
          `INSERT INTO cdrs (${COLUMNS.join(', ')}, created_at, updated_at) VALUES (${placeholders}, ?, ?)
           ON CONFLICT (cgrid, run_id) DO UPDATE SET ${updates}, updated_at = excluded.updated_at, exported_at = NULL, export_id = NULL`,
          [...rowValues(c), now, now],
        );
        const row = await tx.get<{ id: number }>('SELECT id FROM cdrs WHERE cgrid = ? AND run_id = ?', [c.CGRID, c.RunID]);
        stored.push({ ...c, OrderID: row!.id });
      }
      return { stored, duplicates };
    });
  }

  /**
   * Stores that arrive while the StorDB is busy (its last commit, other bodies) wait together and go
   * in as one body with multi-row INSERTs: a CDR costs no statement of its own, yet each caller is
   * answered only after the COMMIT that covers its CDRs. A caller whose rows fail (a constraint other
   * than the CGRID+RunID one) fails alone: the joined statements are undone and each caller retried
   * in its own savepoint.
   */
  private insertJoined(cdrs: readonly CDR[], now: number): Promise<StoreResult> {
    return new Promise<StoreResult>((resolve, reject) => {
      this.joining.push({ cdrs, now, resolve, reject });
      if (this.joining.length > 1) return;
      let ws: Joining[] | undefined;
      this.sql
        .transaction(async (tx) => {
          ws = this.joining.splice(0);
          return insertAll(tx, ws);
        })
        .then(
          (outcomes) => ws!.forEach((w, i) => {
            const o = outcomes[i];
            if (o instanceof Error) w.reject(o);
            else w.resolve(o);
          }),
          // The COMMIT failed, or no transaction could start (then the body never took its waiters).
          (e: unknown) => (ws ?? this.joining.splice(0)).forEach((w) => w.reject(e)),
        );
    });
  }

  /** CDRs matching the filter, in OrderID order unless OrderBy says otherwise. */
  async getCDRs(filter: CDRsFilter = {}): Promise<CDR[]> {
    const w = whereClause(filter);
    const o = orderLimit(filter);
    const rows = await this.sql.all<CdrRow>(`SELECT * FROM cdrs${w.sql}${o.sql}`, [...w.params, ...o.params]);
    return rows.map(fromRow);
  }

  /** How many CDRs match (GetCDRsCount); Limit and Offset are ignored, as CGRateS. */
  async countCDRs(filter: CDRsFilter = {}): Promise<number> {
    const w = whereClause(filter);
    const row = await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM cdrs${w.sql}`, w.params);
    return row?.n ?? 0;
  }

  /** Deletes matching CDRs (RemoveCDRs); returns how many. */
  async removeCDRs(filter: CDRsFilter): Promise<number> {
    const w = whereClause(filter);
    if (!w.sql) throw new CdrQueryError('refusing to remove CDRs without a filter');
    const r = await this.sql.run(`DELETE FROM cdrs${w.sql}`, w.params);
    return r.changes;
  }

  /** Marks CDRs (by OrderID) as exported under an export id, in one transaction. */
  async markExported(orderIds: readonly number[], exportId: string, at: number = Date.now()): Promise<number> {
    return this.sql.transaction(async (tx) => {
      let n = 0;
      // Chunks keep each statement under SQLite's parameter limit.
      for (let i = 0; i < orderIds.length; i += 500) {
        const chunk = orderIds.slice(i, i + 500);
        const r = await tx.run(`UPDATE cdrs SET exported_at = ?, export_id = ? WHERE id IN (${chunk.map(() => '?').join(', ')})`, [at, exportId, ...chunk]);
        n += r.changes;
      }
      return n;
    });
  }

  /** The export id and time of a CDR, undefined while unexported. */
  async exportMark(orderId: number): Promise<{ exportId: string; exportedAt: number } | undefined> {
    const r = await this.sql.get<{ export_id: string | null; exported_at: number | null }>('SELECT export_id, exported_at FROM cdrs WHERE id = ?', [orderId]);
    if (!r || r.exported_at === null) return undefined;
    return { exportId: r.export_id ?? '', exportedAt: r.exported_at };
  }

  /** Stores (or replaces) a session run's cost. */
  async storeSessionCost(sc: SMCost, now: number = Date.now()): Promise<void> {
    await this.sql.run(
      `INSERT INTO sm_costs (cgrid, run_id, origin_host, origin_id, cost_source, usage, cost_details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (cgrid, run_id) DO UPDATE SET origin_host = excluded.origin_host, origin_id = excluded.origin_id,
       cost_source = excluded.cost_source, usage = excluded.usage, cost_details = excluded.cost_details, created_at = excluded.created_at`,
      [sc.CGRID, sc.RunID, sc.OriginHost, sc.OriginID, sc.CostSource, sc.Usage, sc.CostDetails ? JSON.stringify(sc.CostDetails) : null, now],
    );
  }

  /** Session costs by CGRID, optionally narrowed by RunID, OriginHost and an OriginID prefix (CGRateS's GetSMCosts). */
  async getSessionCosts(q: { cgrid?: string; runId?: string; originHost?: string; originIdPrefix?: string }): Promise<SMCost[]> {
    const conds: string[] = [];
    const params: unknown[] = [];
    const add = (cond: string, value: unknown) => {
      conds.push(cond);
      params.push(value);
    };
    if (q.cgrid) add('cgrid = ?', q.cgrid);
    if (q.runId) add('run_id = ?', q.runId);
    if (q.originHost) add('origin_host = ?', q.originHost);
    if (q.originIdPrefix) add("origin_id LIKE ? ESCAPE '\\'", likePrefix(q.originIdPrefix));
    const rows = await this.sql.all<{ cgrid: string; run_id: string; origin_host: string; origin_id: string; cost_source: string; usage: number; cost_details: string | null }>(
      `SELECT * FROM sm_costs${conds.length ? ' WHERE ' + conds.join(' AND ') : ''} ORDER BY created_at, cgrid, run_id`,
      params,
    );
    return rows.map((r) => ({
      CGRID: r.cgrid, RunID: r.run_id, OriginHost: r.origin_host, OriginID: r.origin_id, CostSource: r.cost_source, Usage: r.usage,
      CostDetails: r.cost_details ? (JSON.parse(r.cost_details) as Record<string, unknown>) : null,
    }));
  }

  async getSessionCost(cgridValue: string, runId: string): Promise<SMCost | undefined> {
    return (await this.getSessionCosts({ cgrid: cgridValue, runId }))[0];
  }

  async removeSessionCosts(cgridValue: string, runId?: string): Promise<number> {
    const r = runId
      ? await this.sql.run('DELETE FROM sm_costs WHERE cgrid = ? AND run_id = ?', [cgridValue, runId])
      : await this.sql.run('DELETE FROM sm_costs WHERE cgrid = ?', [cgridValue]);
    return r.changes;
  }
}
