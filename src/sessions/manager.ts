// SessionS: live sessions for every agent. Authorize (max usage), initiate, update (debit every
// debit_interval, reserving ahead), terminate (refund unused increments), CDRs, forced disconnect
// when credit ends, TTL for sessions nobody terminates, and persistence across restarts.
import { KeyedMutex } from '../util/mutex.js';
import { AccurateError, ERR, mandatoryMissing } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { KVStore, KVTx } from '../store/index.js';
import { Money } from '../util/money.js';
import { decode, encode } from '../util/codec.js';
import { applyLastUsed, planDebit, afterDebit } from './reserve.js';
import { str, durationField, chargeStart } from './event.js';
import type { ChargingPort, DisconnectHandler, EventMap, RunResult, Session, SessionRun } from './types.js';

/** setTimeout fires at once (every 1 ms, a busy loop) past 2^31-1 ms: longer delays are capped. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Request types whose max usage is checked against balances (CGRateS's authReqs). */
export const AUTH_REQUEST_TYPES = new Set(['*prepaid', '*pseudoprepaid', '*dynaprepaid']);
/** Request types debited while the call runs. */
export const PREPAID_TYPES = new Set(['*prepaid', '*dynaprepaid']);

export interface SessionManagerOptions {
  charging: ChargingPort;
  /**
   * Where live sessions and closed sessions' costs are kept: the store the accounts live in, so a
   * debit and the session state that remembers it commit in one transaction.
   */
  store: KVStore;
  /** Where older versions kept live sessions (the StorDB): moved to `store` at start. */
  legacyStore?: KVStore;
  log: Logger;
  timezone: string;
  /** ns; 0 = debit once per initiate/update. */
  debitInterval: number;
  /** ns; 0 = never. */
  sessionTtl: number;
  /** Default usage per ToR (ns), `*any` as fallback. */
  defaultUsage: Record<string, number>;
  cgrid: (originId: string, originHost: string) => string;
  now?: () => number;
}

export interface TerminateInput {
  usage?: number;
  lastUsed?: number;
}

const STORE_KIND = 'sessions';
/** Sessions terminated whose CDR has not come yet: their cost must survive a restart. */
const CLOSED_KIND = 'closed_sessions';

/**
 * A run's charge state between operations: it lives in the session's DataDB document only (each
 * debit writes it there anyway), read back when the session is next debited, refunded or ended.
 * Kept in memory, its increments cost tens of KB per live session.
 */
const STORED = Symbol('charge state in the DataDB');

/** Written through the codec (util/codec); documents of earlier versions hold the cost as a decimal string. */
interface ClosedDoc {
  runs: (Omit<RunResult, 'cost'> & { cost?: { cost: Money | string; costDetails: unknown } })[];
  at: number;
  /** The engine ended it (credit, TTL) and posts its CDR itself: a restart must post it if a kill came first. */
  engineCdr?: boolean;
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly locks = new KeyedMutex();
  private readonly disconnectHandlers = new Map<string, DisconnectHandler>();
  private ttlTimer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly o: SessionManagerOptions) {
    this.now = o.now ?? Date.now;
  }

  get count(): number {
    return this.sessions.size;
  }

  /** Agents register how to end a call they own; sessions carry the client id. */
  onDisconnect(clientId: string, handler: DisconnectHandler): () => void {
    this.disconnectHandlers.set(clientId, handler);
    return () => this.disconnectHandlers.delete(clientId);
  }

  defaultUsageFor(ev: EventMap): number {
    const tor = str(ev, 'ToR') || '*voice';
    return this.o.defaultUsage[tor] ?? this.o.defaultUsage['*any'] ?? 3 * 3600e9;
  }

  private idOf(ev: EventMap): { cgrid: string; originId: string; originHost: string } {
    const originId = str(ev, 'OriginID');
    const originHost = str(ev, 'OriginHost');
    const given = str(ev, 'CGRID');
    if (!originId && !given) throw mandatoryMissing(['OriginID']);
    return { cgrid: given || this.o.cgrid(originId, originHost), originId, originHost };
  }

  // ---- authorize -------------------------------------------------------------------------

  /** Max usage over all charger runs: each capped at the requested usage, the smallest wins, -1 passes through. */
  async authorize(ev: EventMap): Promise<number> {
    const usage = durationField(ev, 'Usage') ?? this.defaultUsageFor(ev);
    const runs = await this.o.charging.fork({ ...ev, Usage: usage });
    let best: number | undefined;
    for (const r of runs) {
      let m = usage;
      if (AUTH_REQUEST_TYPES.has(r.requestType)) {
        m = await this.o.charging.maxUsage(r, chargeStart(r.event, this.o.timezone, this.now()), usage);
        if (m !== -1 && m > usage) m = usage;
        if (m === 0) throw new AccurateError(ERR.INSUFFICIENT_CREDIT);
      }
      if (best === undefined || m < best) best = m;
    }
    return best ?? usage;
  }

  // ---- initiate --------------------------------------------------------------------------

  /** Starts a session; replies max usage (-1 when a debit loop runs, as CGRateS). */
  async initiate(ev: EventMap, opts: { clientId?: string; debitInterval?: number } = {}): Promise<number> {
    const id = this.idOf(ev);
    return this.locks.run(id.cgrid, async () => {
      if (this.sessions.has(id.cgrid)) throw new AccurateError(`${ERR.EXISTS}: session ${id.originId} is already active`, ERR.EXISTS);
      const s = await this.createSession(ev, id, opts);
      const usage = durationField(ev, 'Usage') ?? this.defaultUsageFor(ev);
      let reply: number | undefined;
      let unsaved = false;
      for (const run of s.runs) {
        const m = await this.initialCharge(s, run, usage);
        // A debit wrote the session in its own transaction; anything else must be written now.
        if (!run.saved) unsaved = true;
        if (reply === undefined || (m !== -1 && (reply === -1 || m < reply))) reply = m;
      }
      if (s.runs.some((r) => PREPAID_TYPES.has(r.requestType)) && s.runs.every((r) => !PREPAID_TYPES.has(r.requestType) || r.debited === 0)) {
        this.sessions.delete(s.cgrid);
        await this.o.store.delete(STORE_KIND, s.cgrid);
        throw new AccurateError(ERR.INSUFFICIENT_CREDIT);
      }
      if (unsaved) await this.persist(s);
      this.release(s);
      if (s.debitInterval > 0) this.scheduleLoop(s);
      return reply ?? usage;
    });
  }

  private async createSession(ev: EventMap, id: { cgrid: string; originId: string; originHost: string }, opts: { clientId?: string; debitInterval?: number }): Promise<Session> {
    const forked = await this.o.charging.fork(ev);
    const now = this.now();
    const runs: SessionRun[] = forked.map((f) => ({
      runId: f.runId,
      requestType: f.requestType,
      event: f.event,
      startMs: chargeStart(f.event, this.o.timezone, now),
      debited: 0,
      loopIndex: 0,
      reserve: 0,
      lastSlice: 0,
      charge: undefined,
    }));
    const s: Session = {
      cgrid: id.cgrid,
      originId: id.originId,
      originHost: id.originHost,
      tenant: str(ev, 'Tenant'),
      event: { ...ev },
      runs,
      debitInterval: opts.debitInterval ?? this.o.debitInterval,
      createdAt: now,
      lastActivity: now,
      clientId: opts.clientId,
    };
    this.sessions.set(s.cgrid, s);
    return s;
  }

  private async initialCharge(s: Session, run: SessionRun, usage: number): Promise<number> {
    run.saved = false;
    if (PREPAID_TYPES.has(run.requestType)) {
      if (s.debitInterval > 0) {
        await this.debitSlice(s, run, s.debitInterval);
        return -1;
      }
      const covered = await this.debitSlice(s, run, usage);
      return Math.min(covered, usage);
    }
    if (AUTH_REQUEST_TYPES.has(run.requestType)) {
      const m = await this.o.charging.maxUsage(run, run.startMs, usage);
      return m === -1 ? -1 : Math.min(m, usage);
    }
    return usage;
  }

  /**
   * Debits `requested` ns of use (the run's new slice), taking the reserve first; returns the ns now
   * covered for this slice. The session is written in the debit's own transaction (run.saved).
   */
  private async debitSlice(s: Session, run: SessionRun, requested: number): Promise<number> {
    const plan = planDebit(run, requested);
    run.saved = false;
    if (plan.debit === 0) {
      run.reserve = plan.reserveLeft;
      run.lastSlice = requested;
      return requested;
    }
    let applied = false;
    const apply = (covered: number) => {
      applied = true;
      run.debited += covered;
      run.loopIndex++;
      run.reserve = afterDebit(plan.reserveLeft, plan.debit, covered);
      run.lastSlice = requested;
    };
    const covered = await this.o.charging.debit(run, plan.debit, {
      inTx: async (c, tx) => {
        apply(c);
        await this.persistIn(tx, s);
        run.saved = true;
      },
    });
    if (!applied) apply(covered);
    return Math.min(requested, requested - plan.debit + covered);
  }

  // ---- the debit loop --------------------------------------------------------------------

  private scheduleLoop(s: Session, delayNs = s.debitInterval): void {
    const t = setTimeout(() => void this.loopTick(s.cgrid), Math.min(MAX_TIMER_MS, Math.max(0, Math.round(delayNs / 1e6))));
    this.timers.set(s.cgrid, t);
  }

  private async loopTick(cgrid: string): Promise<void> {
    const s = this.sessions.get(cgrid);
    if (!s) return;
    let shortest = s.debitInterval;
    try {
      await this.locks.run(cgrid, async () => {
        if (!this.sessions.has(cgrid)) return;
        await this.hold(s);
        let unsaved = false;
        for (const run of s.runs) {
          if (!PREPAID_TYPES.has(run.requestType)) continue;
          const covered = await this.debitSlice(s, run, s.debitInterval);
          if (!run.saved) unsaved = true;
          shortest = Math.min(shortest, covered);
        }
        if (unsaved) await this.persist(s);
        this.release(s);
      });
    } catch (e) {
      this.o.log.err(`session ${s.originId}: debit failed: ${(e as Error).message}; disconnecting`);
      shortest = 0;
    }
    if (!this.sessions.has(cgrid)) return;
    if (shortest < s.debitInterval) {
      // Credit ends inside this interval: let the call run to the last covered second, then end it.
      const t = setTimeout(() => void this.forceEnd(cgrid, 'INSUFFICIENT_CREDIT'), Math.min(MAX_TIMER_MS, Math.round(shortest / 1e6)));
      this.timers.set(cgrid, t);
    } else this.scheduleLoop(s);
  }

  // ---- update ----------------------------------------------------------------------------

  async update(ev: EventMap, opts: { clientId?: string } = {}): Promise<number> {
    const id = this.idOf(ev);
    if (!this.sessions.has(id.cgrid)) return this.initiate(ev, opts);
    return this.locks.run(id.cgrid, async () => {
      const s = this.sessions.get(id.cgrid);
      if (!s) throw new AccurateError(ERR.NOT_FOUND);
      await this.hold(s);
      s.lastActivity = this.now();
      const usage = durationField(ev, 'Usage') ?? this.defaultUsageFor(ev);
      const lastUsed = durationField(ev, 'LastUsed');
      let reply: number | undefined;
      let unsaved = false;
      for (const run of s.runs) {
        let m = usage;
        if (PREPAID_TYPES.has(run.requestType) && s.debitInterval === 0) {
          Object.assign(run, applyLastUsed(run, lastUsed));
          m = await this.debitSlice(s, run, usage);
          if (!run.saved) unsaved = true;
        } else {
          unsaved = true;
          if (AUTH_REQUEST_TYPES.has(run.requestType) && !PREPAID_TYPES.has(run.requestType)) {
            m = await this.o.charging.maxUsage(run, run.startMs, usage);
            if (m !== -1) m = Math.min(m, usage);
          }
        }
        if (reply === undefined || (m !== -1 && (reply === -1 || m < reply))) reply = m;
      }
      // Debits wrote the session in their own transactions; anything else is written now.
      if (unsaved) await this.persist(s);
      this.release(s);
      return reply ?? usage;
    });
  }

  // ---- terminate -------------------------------------------------------------------------

  /** Ends a session: final usage per run, refund or extra debit, final cost kept for the CDR. */
  async terminate(ev: EventMap, opts: { clientId?: string } = {}): Promise<void> {
    const id = this.idOf(ev);
    // Already terminated (a retry after a lost answer or a restart): charging it again would bill the call twice.
    if (!this.sessions.has(id.cgrid) && this.closed.has(id.cgrid)) return;
    if (!this.sessions.has(id.cgrid)) {
      // CGRateS starts and ends a session it never saw (e.g. the initiate was lost).
      await this.locks.run(id.cgrid, async () => {
        if (!this.sessions.has(id.cgrid)) await this.createSession(ev, id, { ...opts, debitInterval: 0 });
      });
    }
    const usage = durationField(ev, 'Usage');
    const lastUsed = durationField(ev, 'LastUsed');
    await this.locks.run(id.cgrid, () => this.end(id.cgrid, { usage, lastUsed }, ev));
  }

  /** Total use of a run: the Usage given, else what was used before the last slice plus LastUsed, else what was debited net of reserve. */
  private totalUsage(run: SessionRun, t: TerminateInput): number {
    if (t.usage !== undefined) return t.usage;
    const usedBefore = run.debited - run.reserve - run.lastSlice;
    if (t.lastUsed !== undefined) return Math.max(0, usedBefore + t.lastUsed);
    return Math.max(0, run.debited - run.reserve);
  }

  /** Runs of sessions just ended, waiting for their ProcessCDR (CGRateS's *closed_sessions). */
  private readonly closed = new Map<string, { runs: RunResult[]; at: number }>();

  /**
   * Ends a session. Each money move (refund, extra debit, rounding) writes the session with its
   * progress in its own transaction, and the totals are fixed first (s.ending), so a kill half way is
   * finished at the next start with the same numbers and nothing applied twice. The last step turns
   * the session into a closed record holding its cost, in one transaction.
   */
  private async end(cgrid: string, t: TerminateInput, ev?: EventMap, engineCdr = false): Promise<void> {
    const s = this.sessions.get(cgrid);
    if (!s) throw new AccurateError(ERR.NOT_FOUND);
    this.stopTimer(cgrid);
    await this.hold(s);
    s.ending ??= { totals: s.runs.map((run) => this.totalUsage(run, t)), engineCdr };
    const totals = s.ending.totals;
    const save = (tx: KVTx) => this.persistIn(tx, s);
    const results: RunResult[] = [];
    for (const [i, run] of s.runs.entries()) {
      const total = totals[i];
      if (ev) run.event = { ...run.event, ...pickUpdatable(ev) };
      run.event.Usage = total;
      let cost: RunResult['cost'];
      if (PREPAID_TYPES.has(run.requestType)) {
        const settle = async (tx?: KVTx) => {
          run.debited = total;
          run.reserve = 0;
          if (tx) await save(tx);
        };
        if (run.debited > total) await this.o.charging.refund(run, run.debited - total, { inTx: settle });
        else if (run.debited < total) {
          let applied = false;
          const apply = (covered: number) => {
            applied = true;
            run.debited += covered;
            run.loopIndex++;
          };
          const covered = await this.o.charging.debit(run, total - run.debited, {
            force: true,
            inTx: async (c, tx) => {
              apply(c);
              await save(tx);
            },
          });
          if (!applied) apply(covered);
          if (run.debited > total) await this.o.charging.refund(run, run.debited - total, { inTx: settle });
        }
        await settle();
        cost = await this.o.charging.finalCost(run, { inTx: save });
      }
      results.push({ run: { runId: run.runId, requestType: run.requestType, event: run.event }, usage: total, cost });
    }
    const at = this.now();
    await this.o.store.transaction(async (tx) => {
      await tx.delete(STORE_KIND, cgrid);
      await tx.put(CLOSED_KIND, cgrid, encode({ ...closedDoc(results, at), engineCdr: s.ending?.engineCdr === true }));
    });
    this.sessions.delete(cgrid);
    this.closed.set(cgrid, { runs: results, at });
    this.pruneClosed();
  }

  /**
   * Ends a session from inside (credit ended, TTL, operator): usage = what was covered plus
   * `extraNs` (a TTL end counts the session as having run session_ttl more, as CGRateS's
   * forceSTerminate does); CDRs posted; the agent asked to hang up.
   */
  async forceEnd(cgrid: string, reason: string, extraNs = 0): Promise<void> {
    const s = this.sessions.get(cgrid);
    if (!s) return;
    try {
      await this.locks.run(cgrid, async () => {
        if (!this.sessions.has(cgrid)) return;
        // Unprepaid runs: the time the call has run, counted from its answer but not from before
        // the session began here (a replayed or skewed AnswerTime would bill years).
        const elapsed = (r: SessionRun) => Math.max(0, this.now() - Math.max(r.startMs, s.createdAt)) * 1e6;
        const used = Math.min(...s.runs.map((r) => (PREPAID_TYPES.has(r.requestType) ? r.debited - r.reserve + extraNs : elapsed(r))));
        await this.end(cgrid, { usage: Math.max(0, used) }, undefined, true);
      });
      this.o.log.info(`session ${s.originId} (${cgrid}) ended: ${reason}`);
      if (s.clientId) {
        const h = this.disconnectHandlers.get(s.clientId);
        if (h) await h(s, reason);
      }
      await this.processCDR({ ...s.event, CGRID: cgrid });
    } catch (e) {
      this.o.log.err(`session ${s.originId}: forced end failed: ${(e as Error).message}`);
    }
  }

  // ---- CDRs ------------------------------------------------------------------------------

  /** Sends the CDRs of an event: a just-closed session's runs carry their session cost; otherwise the event is forked anew. */
  async processCDR(ev: EventMap): Promise<void> {
    const id = this.idOf(ev);
    // Under the session's lock: a CDR sent while its session is still terminating (another
    // connection, a switch that does not wait) waits for the closed record instead of being
    // rated, and for a prepaid call debited, a second time.
    return this.locks.run(id.cgrid, () => this.processCDRLocked(ev, id));
  }

  private async processCDRLocked(ev: EventMap, id: { cgrid: string }): Promise<void> {
    const closed = this.closed.get(id.cgrid);
    if (closed) {
      this.closed.delete(id.cgrid);
      try {
        await this.o.charging.processCDRs(closed.runs.map((r) => ({ ...r, run: { ...r.run, event: { ...r.run.event, ...pickUpdatable(ev), Usage: r.usage } } })));
      } catch (e) {
        this.closed.set(id.cgrid, closed);
        throw e;
      }
      // The CDRs are stored (with the session's cost): the closed record is spent. Killed before
      // this, a resubmitted CDR finds its stored twin and is not stored again.
      await this.o.store.delete(CLOSED_KIND, id.cgrid);
      return;
    }
    const runs = await this.o.charging.fork(ev);
    const usage = durationField(ev, 'Usage') ?? 0;
    await this.o.charging.processCDRs(runs.map((run) => ({ run, usage })));
  }

  private pruneClosed(): void {
    const limit = this.now() - 10 * 60_000;
    for (const [k, v] of this.closed) {
      if (v.at < limit) {
        this.closed.delete(k);
        this.o.store.delete(CLOSED_KIND, k).catch((e: Error) => this.o.log.warning(`closed session ${k}: ${e.message}`));
      }
    }
  }

  // ---- queries, force disconnect, TTL, persistence ----------------------------------------

  list(): Session[] {
    return [...this.sessions.values()];
  }

  get(cgrid: string): Session | undefined {
    return this.sessions.get(cgrid);
  }

  private stopTimer(cgrid: string): void {
    const t = this.timers.get(cgrid);
    if (t) clearTimeout(t);
    this.timers.delete(cgrid);
  }

  private async persist(s: Session): Promise<void> {
    await this.o.store.transaction((tx) => this.persistIn(tx, s));
  }

  private async persistIn(tx: KVTx, s: Session): Promise<void> {
    // A released charge would be written as nothing: the increments a terminate refunds, lost.
    if (s.runs.some((r) => r.charge === STORED)) throw new AccurateError(`SERVER_ERROR: session ${s.originId}: written without its charge state`);
    await tx.put(STORE_KIND, s.cgrid, { ...s, runs: s.runs.map(({ saved: _saved, ...r }) => r) });
  }

  /** Brings released charge states back into memory from the session's document (under the session's lock). */
  private async hold(s: Session): Promise<void> {
    if (!s.runs.some((r) => r.charge === STORED)) return;
    const doc = await this.o.store.get<Session>(STORE_KIND, s.cgrid);
    if (!doc) throw new AccurateError(`SERVER_ERROR: session ${s.originId}: its stored state is missing`);
    for (const [i, r] of s.runs.entries()) if (r.charge === STORED) r.charge = this.o.charging.revive(doc.runs[i]?.charge);
  }

  /**
   * Drops the charge states from memory once an operation has written them (only after one that
   * succeeded: a failed one keeps them, as they were before it). Runs that never charged keep nothing.
   */
  private release(s: Session): void {
    for (const r of s.runs) if (r.charge !== undefined && r.charge !== null) r.charge = STORED;
  }

  /** Reloads persisted sessions after a restart, finishes interrupted terminates, resumes debit loops; starts the TTL sweep. */
  async start(): Promise<number> {
    const legacy = this.o.legacyStore;
    if (legacy && legacy !== this.o.store) {
      const old = await legacy.list<Session>(STORE_KIND);
      if (old.size > 0) {
        await this.o.store.transaction(async (tx) => {
          for (const [k, v] of old) if (!(await tx.get(STORE_KIND, k))) await tx.put(STORE_KIND, k, v);
        });
        await legacy.transaction(async (tx) => {
          for (const k of old.keys()) await tx.delete(STORE_KIND, k);
        });
      }
    }
    const engineCdrs: string[] = [];
    for (const [k, raw] of await this.o.store.list<unknown>(CLOSED_KIND)) {
      const doc = decode(raw) as ClosedDoc;
      if (doc.engineCdr) engineCdrs.push(k);
      this.closed.set(k, {
        at: doc.at,
        runs: doc.runs.map((r) => ({ ...r, cost: r.cost ? { cost: r.cost.cost instanceof Money ? r.cost.cost : new Money(r.cost.cost), costDetails: r.cost.costDetails } : undefined })),
      });
    }
    const saved = await this.o.store.list<Session>(STORE_KIND);
    const ending: string[] = [];
    for (const s of saved.values()) {
      // Read back (revived) when the session is next charged or ended.
      this.release(s);
      this.sessions.set(s.cgrid, s);
      s.lastActivity = this.now();
      if (s.ending) ending.push(s.cgrid);
      else if (s.debitInterval > 0) this.scheduleLoop(s, 0);
    }
    // One session that cannot be finished must not keep the engine from starting: it stays live
    // (listed, ended by a terminate or the TTL) and the reason is logged.
    for (const cgrid of ending) {
      const engineCdr = this.sessions.get(cgrid)?.ending?.engineCdr === true;
      try {
        await this.locks.run(cgrid, () => this.end(cgrid, {}, undefined, engineCdr));
        if (engineCdr) engineCdrs.push(cgrid);
        this.o.log.notice(`session ${cgrid}: terminate interrupted by a stop, finished now`);
      } catch (e) {
        this.o.log.err(`session ${cgrid}: terminate interrupted by a stop could not be finished: ${(e as Error).message}`);
      }
    }
    // Sessions the engine ended whose CDR a stop kept it from posting.
    for (const cgrid of engineCdrs) {
      const c = this.closed.get(cgrid);
      if (!c || c.runs.length === 0) continue;
      await this.processCDR({ ...c.runs[0].run.event, CGRID: cgrid }).catch((e: Error) => this.o.log.err(`session ${cgrid}: CDR not posted: ${e.message}`));
    }
    if (this.o.sessionTtl > 0) {
      const every = Math.max(100, Math.min(1000, Math.floor(this.o.sessionTtl / 2e6)));
      this.ttlTimer = setInterval(() => this.sweep(), every);
      this.ttlTimer.unref();
    }
    return saved.size;
  }

  private sweep(): void {
    const limit = this.now() - this.o.sessionTtl / 1e6;
    for (const s of this.sessions.values()) if (s.lastActivity < limit) void this.forceEnd(s.cgrid, 'SESSION_TTL', this.o.sessionTtl);
  }

  /** Stops timers; sessions stay persisted and resume on the next start. */
  async stop(): Promise<void> {
    if (this.ttlTimer) clearInterval(this.ttlTimer);
    for (const k of [...this.timers.keys()]) this.stopTimer(k);
    // Let in-flight operations finish so their state is persisted.
    await Promise.all([...this.sessions.keys()].map((k) => this.locks.run(k, async () => undefined)));
  }
}

/** Fields a terminate or CDR may bring that the start event did not have. */
function closedDoc(runs: RunResult[], at: number): ClosedDoc {
  return { at, runs };
}

function pickUpdatable(ev: EventMap): EventMap {
  const out: EventMap = {};
  for (const [k, v] of Object.entries(ev)) if (!['Usage', 'LastUsed', 'CGRID', 'RunID'].includes(k)) out[k] = v;
  return out;
}
