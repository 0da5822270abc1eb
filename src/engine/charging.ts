// The charging adapters: SessionS's ChargingPort and the CDR server's CdrRater, over the real
// ChargerS, RatingService and AccountService. Composition only: no rule of rating or accounting
// lives here, just the translation between an event and a CallDescriptor and the session's state.
import { Money, ZERO, sumMoney, type Money as MoneyT, type RoundingMethod } from '../util/money.js';
import { decode, encode } from '../util/codec.js';
import { AccurateError, ERR } from '../util/errors.js';
import type { EngineConfig } from '../config/index.js';
import { type ChargerService } from '../chargers/index.js';
import {
  type RatingService, type CostInterval, type RIRating, type UnitInfo, type MonetaryInfo, wire as ratingWire, eventCostOf, toRITiming, newCallDescriptor,
} from '../rating/index.js';
import {
  type AccountService, type AccountSummary, type DebitResult, type Account, newDebitDescriptor, trailingIncrements, incrementCount, dropTrailingIncrements, roundCallCost, makeArith,
  callCostToEventCost, costDetailsRefundIncrements, accountSummary, updateInitialValue,
  type CallCost, type DebitDescriptor, type Increment,
} from '../accounts/index.js';
import type { ChargingPort, EventMap, ForkedRun, RunResult, SessionRun } from '../sessions/index.js';
import { str } from '../sessions/index.js';
import { cgrid, type CdrRater, type CdrServer, type RatedCost, type CDR } from '../cdrs/index.js';
import { isZeroTime, msToNs } from '../util/time.js';
import { withTxHook, type KVTx } from '../store/index.js';

/** The nanoseconds past the millisecond of the time a CDR is charged from (AnswerTime, else SetupTime). */
const cdrStartSubNs = (c: CDR): number => (!isZeroTime(c.AnswerTime) ? c.AnswerTimeSubNs : c.SetupTimeSubNs) ?? 0;

/**
 * What a session run has charged so far: the debited pieces (timespans with their increments), the
 * running totals and the account summary after the last debit or refund (Initial values of the first).
 * Persisted with the session as JSON through the one codec (util/codec: exact Money, the rate
 * intervals its timespans share stored once).
 */
class ChargeState {
  pieces: CallCost[] = [];
  maxCostSoFar: MoneyT = ZERO;
  costSoFar: MoneyT = ZERO;
  summary: AccountSummary | null = null;
  /** The terminate rounding (*cgrates) has been applied to the account: a resumed terminate must not apply it twice. */
  rounded = false;

  toJSON(): unknown {
    return encode({ ...this });
  }
}

function chargeOf(run: SessionRun): ChargeState {
  if (run.charge instanceof ChargeState) return run.charge;
  const fresh = new ChargeState();
  run.charge = fresh;
  return fresh;
}

/** A persisted session comes back as plain JSON: its charge state as it was. */
export function reviveCharge(raw: unknown): ChargeState | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  if (typeof (raw as { maxCostSoFar?: unknown }).maxCostSoFar === 'string') return reviveLegacyCharge(raw as LegacyCharge);
  const r = decode(raw) as Partial<ChargeState>;
  return Object.assign(new ChargeState(), {
    pieces: r.pieces ?? [], maxCostSoFar: r.maxCostSoFar ?? ZERO, costSoFar: r.costSoFar ?? ZERO, summary: r.summary ?? null, rounded: r.rounded === true,
  });
}

// ---- sessions persisted by versions before the one codec -------------------------------------------

type J = Record<string, unknown>;
/** The rate interval accounts kept per timespan then: money limits and CGRateS's JSON of the interval. */
interface LegacyInterval { connectFee: string; maxCost: string; json: { Timing: J | null; Rating: J & { Rates?: J[] }; Weight?: number } }
type LegacyIncrement = Omit<Increment, 'cost' | 'balanceInfo'> & {
  cost: string;
  balanceInfo: { accountId: string; unit: (J & { value: string; consumed: string }) | null; monetary: (J & { value: string }) | null } | null;
};
type LegacyPiece = Omit<CallCost, 'cost' | 'timespans' | 'costSoFar'> & {
  cost: string;
  timespans: (Omit<CallCost['timespans'][number], 'cost' | 'rateInterval' | 'increments' | 'roundIncrement'> & {
    cost: string; rateInterval: LegacyInterval | null; increments: LegacyIncrement[]; roundIncrement: LegacyIncrement | null;
  })[];
};
interface LegacyCharge { pieces?: LegacyPiece[]; maxCostSoFar: string; costSoFar?: string; summary?: AccountSummary | null; rounded?: boolean }

const m = (x: unknown): MoneyT => new Money(x === undefined || x === null ? 0 : String(x));
const nums = (x: unknown): number[] => (Array.isArray(x) ? x.map(Number) : []);

function legacyInterval(v: LegacyInterval): CostInterval {
  const t = v.json.Timing;
  const r = v.json.Rating;
  return {
    timing: t ? toRITiming({ id: String(t.ID ?? ''), years: nums(t.Years), months: nums(t.Months), monthDays: nums(t.MonthDays), weekDays: nums(t.WeekDays), startTime: String(t.StartTime ?? ''), endTime: '' }) : null,
    rating: {
      rateId: '', connectFee: m(r.ConnectFee), connectFeeF: Number(r.ConnectFee ?? 0), roundingMethod: (r.RoundingMethod ?? '') as RoundingMethod,
      roundingDecimals: Number(r.RoundingDecimals ?? 0), maxCost: m(v.maxCost), maxCostF: Number(v.maxCost), maxCostStrategy: (r.MaxCostStrategy ?? '') as RIRating['maxCostStrategy'],
      rates: (r.Rates ?? []).map((g) => ({
        groupIntervalStart: Number(g.GroupIntervalStart ?? 0), value: m(g.Value), valueF: Number(g.Value ?? 0), rateIncrement: Number(g.RateIncrement ?? 0), rateUnit: Number(g.RateUnit ?? 0),
      })),
    },
    weight: Number(v.json.Weight ?? 0),
  };
}

function legacyIncrement(i: LegacyIncrement): Increment {
  const bi = i.balanceInfo;
  return {
    durationNs: Number(i.durationNs), cost: m(i.cost), compressFactor: Number(i.compressFactor ?? 1),
    balanceInfo: bi
      ? {
          accountId: bi.accountId,
          unit: bi.unit ? ({ ...bi.unit, value: m(bi.unit.value), consumed: m(bi.unit.consumed), rateInterval: null } as unknown as UnitInfo) : null,
          monetary: bi.monetary ? ({ ...bi.monetary, value: m(bi.monetary.value), rateInterval: null } as unknown as MonetaryInfo) : null,
        }
      : null,
  };
}

/** The charge state as versions before the one codec stored it (Money as strings, intervals as accounts' views). */
function reviveLegacyCharge(r: LegacyCharge): ChargeState {
  return Object.assign(new ChargeState(), {
    maxCostSoFar: m(r.maxCostSoFar), costSoFar: m(r.costSoFar), summary: r.summary ?? null, rounded: r.rounded === true,
    pieces: (r.pieces ?? []).map((p): CallCost => ({
      ...p,
      cost: m(p.cost),
      connectFee: p.timespans[0]?.rateInterval ? m(p.timespans[0].rateInterval.connectFee) : ZERO,
      maxCostSoFar: 0,
      costSoFar: ZERO,
      timespans: p.timespans.map((ts) => ({
        ...ts,
        cost: m(ts.cost),
        rateInterval: ts.rateInterval ? legacyInterval(ts.rateInterval) : null,
        increments: ts.increments.map(legacyIncrement),
        roundIncrement: ts.roundIncrement ? legacyIncrement(ts.roundIncrement) : null,
      })),
    })),
  });
}

export interface ChargingDeps {
  config: EngineConfig;
  rating: RatingService;
  accounts: AccountService;
  chargers: () => ChargerService;
  cdrServer: () => CdrServer;
}

/** The CGRID a CDR of this event gets (cdrFromEvent's rule). */
function cgridOf(ev: EventMap): string {
  return str(ev, 'CGRID') || cgrid(str(ev, 'OriginID'), str(ev, 'OriginHost'));
}

/** What both adapters share: the charger fork and the event → CallDescriptor translation. */
class ChargingBase {
  constructor(protected readonly d: ChargingDeps) {}

  protected get costMode(): '*exact' | '*cgrates' {
    return this.d.config.rals.cost_mode as '*exact' | '*cgrates';
  }

  private requestType(ev: EventMap): string {
    return str(ev, 'RequestType') || this.d.config.general.default_request_type;
  }

  // ---- ChargerS ------------------------------------------------------------------------------

  /** One event per charger run (RunID set, attributes applied); the `*default` run when no charger matches. */
  async fork(event: EventMap): Promise<ForkedRun[]> {
    const tenant = str(event, 'Tenant') || this.d.config.general.default_tenant;
    let runs: EventMap[];
    try {
      runs = this.d.chargers().processEvent({ Tenant: tenant, Event: { ...event, Tenant: tenant } }).map((r) => ({ ...r.CGREvent.Event, Tenant: r.CGREvent.Tenant || tenant }));
    } catch (e) {
      if (e instanceof AccurateError && e.message.includes(ERR.NOT_FOUND)) runs = [{ ...event, Tenant: tenant, RunID: '*default' }];
      else throw e;
    }
    return runs.map((ev) => ({ runId: str(ev, 'RunID') || '*default', requestType: this.requestType(ev), event: ev }));
  }

  // ---- descriptors ---------------------------------------------------------------------------

  protected cd(ev: EventMap, anchorMs: number, usage: number, extra: Partial<DebitDescriptor> = {}): DebitDescriptor {
    const account = str(ev, 'Account');
    if (!account) throw new AccurateError(`${ERR.MANDATORY_IE_MISSING}: [Account]`, ERR.MANDATORY_IE_MISSING);
    return newDebitDescriptor({
      tenant: str(ev, 'Tenant') || this.d.config.general.default_tenant,
      category: str(ev, 'Category') || this.d.config.general.default_category,
      subject: str(ev, 'Subject') || account,
      account,
      destination: str(ev, 'Destination'),
      tor: str(ev, 'ToR') || '*voice',
      anchorMs,
      endNs: usage,
      durationIndexNs: usage,
      ...extra,
    });
  }

}

/** SessionS's port: max usage, slice debits, refunds and the final cost of a run. */
export class SessionCharging extends ChargingBase implements ChargingPort {
  private readonly arith = makeArith(this.costMode, this.d.config.general.rounding_decimals);

  revive(charge: unknown): unknown {
    return reviveCharge(charge);
  }

  async maxUsage(run: ForkedRun, startMs: number, usage: number): Promise<number> {
    return this.d.accounts.getMaxSessionTime(this.cd(run.event, startMs, usage));
  }

  // Every money move below applies its effect on the run's charge state inside the account's own
  // transaction (a TxHook) and then lets the caller write the session there too (opts.inTx): the
  // debit and the state that remembers it commit together.

  async debit(run: SessionRun, usage: number, opts: { force?: boolean; inTx?: (covered: number, tx: KVTx) => Promise<void> } = {}): Promise<number> {
    const st = chargeOf(run);
    const cd = this.cd(run.event, run.startMs + run.debited / 1e6, usage, {
      loopIndex: run.loopIndex,
      durationIndexNs: run.debited + usage,
      maxCostSoFar: st.maxCostSoFar,
      costSoFar: st.costSoFar,
    });
    const apply = (r: DebitResult) => {
      st.maxCostSoFar = cd.maxCostSoFar;
      st.costSoFar = cd.costSoFar;
      if (r.summary) st.summary = updateInitialValue(r.summary, st.summary);
      if (r.cc.timespans.length > 0) st.pieces.push(r.cc);
    };
    let applied = false;
    const r = await withTxHook(async (res, tx) => {
      apply(res as DebitResult);
      applied = true;
      await opts.inTx?.((res as DebitResult).cc.ratedUsageNs, tx);
    }, () => (opts.force ? this.d.accounts.debit(cd) : this.d.accounts.maxDebit(cd)));
    if (!applied) apply(r);
    return r.cc.ratedUsageNs;
  }

  async refund(run: SessionRun, unused: number, opts: { inTx?: (tx: KVTx) => Promise<void> } = {}): Promise<void> {
    const st = chargeOf(run);
    const all = st.pieces.flatMap((p) => p.timespans.flatMap((ts) => ts.increments));
    const back = trailingIncrements(all, unused);
    if (back.length === 0) return;
    let applied = false;
    const acc = await withTxHook(async (res, tx) => {
      this.dropRefunded(st, res as Account | null, back);
      applied = true;
      await opts.inTx?.(tx);
    }, () => this.d.accounts.refundIncrements(this.cd(run.event, run.startMs, 0, { increments: back })));
    if (!applied) this.dropRefunded(st, acc, back);
  }

  private dropRefunded(st: ChargeState, acc: Account | null, back: Increment[]): void {
    this.noteAccount(st, acc);
    // Drop the refunded increments from the end of what the run keeps (compressed runs shrink by their factor).
    dropTrailingIncrements(st.pieces, incrementCount(back));
  }

  /** The run's cost: its kept increments, with CGRateS's per-timespan tariff rounding applied at terminate in *cgrates mode. */
  async finalCost(run: SessionRun, opts: { inTx?: (tx: KVTx) => Promise<void> } = {}): Promise<{ cost: MoneyT; costDetails: unknown }> {
    const st = chargeOf(run);
    const merged = this.merge(run, st.pieces);
    if (this.d.config.rals.cost_mode === '*cgrates') {
      merged.cost = sumMoney(merged.timespans.map((ts) => sumMoney(ts.increments.map((i) => i.cost.times(i.compressFactor)))));
      const corrections = roundCallCost({ arith: this.arith }, merged);
      if (corrections.length > 0 && !st.rounded) {
        let applied = false;
        const acc = await withTxHook(async (res, tx) => {
          this.noteAccount(st, res as Account | null);
          st.rounded = applied = true;
          await opts.inTx?.(tx);
        }, () => this.d.accounts.refundRounding(this.cd(run.event, run.startMs, 0, { increments: corrections })));
        if (!applied) {
          this.noteAccount(st, acc);
          st.rounded = true;
        }
      }
    }
    const ec = callCostToEventCost(merged, {
      cgrId: cgridOf(run.event), runId: run.runId, mode: this.costMode, roundingDecimals: this.d.config.general.rounding_decimals, accountSummary: st.summary,
    });
    return { cost: merged.cost, costDetails: ratingWire.eventCostToWire(ec) };
  }

  /** After a refund: the run's summary shows the account as it is now (CGRateS refreshes the session's AccountSummary). */
  private noteAccount(st: ChargeState, acc: Account | null): void {
    if (acc) st.summary = updateInitialValue(accountSummary(acc), st.summary);
  }

  private merge(run: SessionRun, pieces: CallCost[]): CallCost {
    const base = pieces[0];
    const timespans = pieces.flatMap((p) =>
      p.timespans.map((ts) => ({ ...ts, startNs: ts.startNs + (p.anchorMs - run.startMs) * 1e6, endNs: ts.endNs + (p.anchorMs - run.startMs) * 1e6 })),
    );
    const cost = sumMoney(timespans.map((ts) => sumMoney([...ts.increments.map((i) => i.cost.times(i.compressFactor)), ...(ts.roundIncrement ? [ts.roundIncrement.cost] : [])])));
    return {
      category: base?.category ?? str(run.event, 'Category'), tenant: base?.tenant ?? str(run.event, 'Tenant'), subject: base?.subject ?? str(run.event, 'Subject'),
      account: base?.account ?? str(run.event, 'Account'), destination: base?.destination ?? str(run.event, 'Destination'), tor: base?.tor ?? '*voice',
      cost, timespans, ratedUsageNs: timespans.reduce((s, ts) => s + (ts.endNs - ts.startNs), 0), anchorMs: run.startMs,
      connectFee: base?.connectFee ?? ZERO, deductConnectFee: base?.deductConnectFee ?? false, negativeConnectFee: false, maxCostDisconnect: false,
      maxCostSoFar: 0, costSoFar: ZERO,
    };
  }

  async processCDRs(results: RunResult[]): Promise<void> {
    const server = this.d.cdrServer();
    for (const r of results) {
      const ev = { ...r.run.event, RunID: r.run.runId, Usage: r.usage };
      // The EventCost carries the CGRID and RunID of the CDR it details.
      const details = r.cost?.costDetails ? { ...(r.cost.costDetails as Record<string, unknown>), CGRID: cgridOf(ev), RunID: r.run.runId } : null;
      const costs = r.cost ? new Map([[r.run.runId, { cost: r.cost.cost, costDetails: details }]]) : undefined;
      await server.processEvent(ev, { chargers: false, sessionCosts: costs });
    }
  }

}

/** The CDR server's port: rate (*rated), debit (postpaid and the like), refund for rerating. */
export class CdrCharging extends ChargingBase implements CdrRater {
  async forkEvents(event: EventMap): Promise<EventMap[]> {
    return (await this.fork(event)).map((r) => r.event);
  }

  private cdrStart(c: CDR): number {
    return !isZeroTime(c.AnswerTime) ? c.AnswerTime : c.SetupTime;
  }

  private cdrEvent(c: CDR): EventMap {
    return { Tenant: c.Tenant, Category: c.Category, Subject: c.Subject, Account: c.Account, Destination: c.Destination, ToR: c.ToR };
  }

  async getCost(c: CDR): Promise<RatedCost> {
    const cc = this.d.rating.getCost(newCallDescriptor({
      tenant: c.Tenant, category: c.Category, subject: c.Subject || c.Account, account: c.Account, destination: c.Destination,
      anchorMs: this.cdrStart(c), endNs: c.Usage, durationIndexNs: c.Usage, tor: c.ToR,
      // the EventCost's StartTime to the nanosecond when the CDR has them
      anchorNs: cdrStartSubNs(c) ? msToNs(this.cdrStart(c), cdrStartSubNs(c)) : undefined,
    }));
    const ec = eventCostOf(cc, { cgrId: c.CGRID, runId: c.RunID, mode: this.costMode, roundingDecimals: this.d.config.general.rounding_decimals });
    return { cost: cc.cost, costDetails: ratingWire.eventCostToWire(ec) as Record<string, unknown> };
  }

  async debit(c: CDR, opts: { inTx?: (rated: RatedCost, tx: KVTx) => Promise<void> } = {}): Promise<RatedCost> {
    const rated = (r: DebitResult): RatedCost => {
      const ec = callCostToEventCost(r.cc, {
        cgrId: c.CGRID, runId: c.RunID, mode: this.costMode, roundingDecimals: this.d.config.general.rounding_decimals, accountSummary: r.summary,
      });
      return { cost: r.cc.cost, costDetails: ratingWire.eventCostToWire(ec) };
    };
    const cd = this.cd(this.cdrEvent(c), this.cdrStart(c), c.Usage, { performRounding: true });
    const inTx = opts.inTx;
    if (!inTx) return rated(await this.d.accounts.debit(cd));
    // The CDR (journal) commits in the debit's own transaction.
    let out: RatedCost | undefined;
    const res = await withTxHook(async (r, tx) => {
      out = rated(r as DebitResult);
      await inTx(out, tx);
    }, () => this.d.accounts.debit(cd));
    return out ?? rated(res);
  }

  /** CGRateS refundEventCost: every increment of the stored EventCost back to the balance that paid it. */
  async refund(c: CDR, opts: { inTx?: (tx: KVTx) => Promise<void> } = {}): Promise<void> {
    const incs = costDetailsRefundIncrements(c.CostDetails);
    if (incs.length === 0) return;
    const cd = this.cd(this.cdrEvent(c), this.cdrStart(c), 0, { increments: incs });
    const inTx = opts.inTx;
    if (!inTx) await this.d.accounts.refundIncrements(cd);
    else await withTxHook((_r, tx) => inTx(tx), () => this.d.accounts.refundIncrements(cd));
  }
}
