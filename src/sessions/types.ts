// Live sessions as SessionS keeps them, and the charging port it debits through.
import type { Money } from '../util/money.js';
import type { KVTx } from '../store/index.js';

/** Runs inside the transaction of a money move, so what the session remembers of it commits with it. */
export type InTx = (tx: KVTx) => Promise<void>;

/** A flat event: CGRateS field names to values (strings, numbers, booleans). */
export type EventMap = Record<string, unknown>;

export type RequestType = '*prepaid' | '*pseudoprepaid' | '*postpaid' | '*rated' | '*none' | '*dynaprepaid' | string;

/** One charger run of a session: its own event (after attributes) and its own debit state. */
export interface SessionRun {
  runId: string;
  requestType: RequestType;
  event: EventMap;
  /** Start of the charged period (AnswerTime, else SetupTime, else the init time), epoch ms. */
  startMs: number;
  /** ns covered by debits so far (CGRateS's cumulative DurationIndex). */
  debited: number;
  /** Debits made so far; LoopIndex of the next debit. */
  loopIndex: number;
  reserve: number;
  lastSlice: number;
  /**
   * Opaque state the charging port keeps between debits (charged increments, MaxCostSoFar). In
   * memory only while SessionS operates on the session; between operations it is in the DataDB.
   */
  charge: unknown;
  /** In memory only: the last debit wrote the session in its own transaction. */
  saved?: boolean;
}

export interface Session {
  cgrid: string;
  originId: string;
  originHost: string;
  tenant: string;
  event: EventMap;
  runs: SessionRun[];
  /** 0 = no debit loop; otherwise the interval in ns. */
  debitInterval: number;
  createdAt: number;
  lastActivity: number;
  /** Agent connection id that can be asked to disconnect this call. */
  clientId?: string;
  /** Set once a terminate has fixed each run's total usage (by run index): a restart finishes that terminate. */
  ending?: { totals: number[]; engineCdr?: boolean };
}

export interface ForkedRun {
  runId: string;
  requestType: RequestType;
  event: EventMap;
}

/** A finished run: its event, total usage and, for prepaid runs, the session's final cost. */
export interface RunResult {
  run: ForkedRun;
  usage: number;
  cost?: { cost: Money; costDetails: unknown };
}

/**
 * What SessionS needs from the charging core (chargers, attributes, rating, accounts, CDRs).
 * Implemented over the real services in charging.ts; durations ns, times epoch ms.
 */
export interface ChargingPort {
  /** ChargerS (with AttributeS) fork of an event into runs; the `*default` run when no charger matches. */
  fork(event: EventMap): Promise<ForkedRun[]>;
  /** How long this run may last from startMs, at most `usage`; -1 = unlimited (AllowNegative). */
  maxUsage(run: ForkedRun, startMs: number, usage: number): Promise<number>;
  /**
   * MaxDebit of `usage` ns from run.debited on; returns the ns covered (≥ usage when increments
   * round up, < usage when credit ends). With `force` (terminate's extra usage) it is a plain Debit
   * that covers all and may take the balance negative.
   */
  debit(run: SessionRun, usage: number, opts?: { force?: boolean; inTx?: (covered: number, tx: KVTx) => Promise<void> }): Promise<number>;
  /** Refunds `unused` ns from the end of what was debited (whole trailing increments only). */
  refund(run: SessionRun, unused: number, opts?: { inTx?: InTx }): Promise<void>;
  /** Final cost of the run after terminate rounding, and its CostDetails (EventCost wire shape). */
  finalCost(run: SessionRun, opts?: { inTx?: InTx }): Promise<{ cost: Money; costDetails: unknown }>;
  /** Rebuilds a run's charge state read back from storage (plain JSON) after a restart. */
  revive(charge: unknown): unknown;
  /** CDRs of the finished runs, through the CDR server (prepaid runs carry their session cost). */
  processCDRs(cdrs: RunResult[]): Promise<void>;
}

/** A disconnect request to the agent that owns a session's call. */
export type DisconnectHandler = (session: Session, reason: string) => Promise<void> | void;
