// The CDR server: fork an event into charger runs, rate each run (or keep the session's cost),
// store every CDR in the StorDB before answering. A CGRID+RunID already stored is never charged
// again. Rating and debiting come through a port the engine wires to RALs (imports stay downward).
import { KeyedMutex } from '../util/mutex.js';
import type { Money } from '../util/money.js';
import type { Logger } from '../util/logger.js';
import { cdrFromEvent, type CDR, type CdrDefaults, UNRATED_COST, CdrFieldError } from './model.js';
import type { CdrRepository, CDRsFilter } from './repository.js';
import type { KVTx } from '../store/types.js';
import type { CdrJournal } from './journal.js';

export interface RatedCost {
  cost: Money;
  costDetails: Record<string, unknown> | null;
}

/** What the CDR server needs from the charging core. */
export interface CdrRater {
  /** ChargerS fork (with AttributeS); returns each run's event with RunID set. */
  forkEvents(event: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  /** `*rated` and other unaccounted types: the cost without touching an account (tariff-rounded). */
  getCost(cdr: CDR): Promise<RatedCost>;
  /** `*postpaid`, `*pseudoprepaid`, `*prepaid` without a session cost: Debit with PerformRounding. */
  debit(cdr: CDR, opts?: { inTx?: (rated: RatedCost, tx: KVTx) => Promise<void> }): Promise<RatedCost>;
  /** Gives back what a stored CostDetails debited (rerate, refund); `inTx` writes in the refund's transaction. */
  refund(cdr: CDR, opts?: { inTx?: (tx: KVTx) => Promise<void> }): Promise<void>;
}

export interface ProcessResult {
  stored: CDR[];
  duplicates: CDR[];
}

const DEBITED = new Set(['*prepaid', '*postpaid', '*pseudoprepaid', '*dynaprepaid']);

export class CdrServer {
  private readonly locks = new KeyedMutex();

  constructor(
    private readonly o: {
      repo: CdrRepository;
      rater: CdrRater;
      defaults: CdrDefaults;
      log: Logger;
      storeCdrs: boolean;
      /** Rated CDRs written in their debit's transaction (see journal.ts); none: debit and CDR are not atomic. */
      journal?: CdrJournal;
    },
  ) {}

  /**
   * CDRsV1.ProcessEvent: fork (unless `chargers` is false) and rate each run. `sessionCosts`
   * carries the final costs of prepaid session runs by RunID (CostSource *sessions).
   */
  async processEvent(event: Record<string, unknown>, opts: { chargers?: boolean; sessionCosts?: Map<string, RatedCost> } = {}): Promise<ProcessResult> {
    const runs = opts.chargers === false ? [{ ...event, RunID: event.RunID || '*default' }] : await this.o.rater.forkEvents(event);
    const cdrs = runs.map((ev) => {
      try {
        return cdrFromEvent(ev, this.o.defaults);
      } catch (e) {
        if (e instanceof CdrFieldError) throw new CdrFieldError(`SERVER_ERROR: ${e.message}`);
        throw e;
      }
    });
    return this.processCDRs(cdrs, opts.sessionCosts);
  }

  /** Rates and stores CDRs already built (CDRsV1.ProcessCDR of a run, rerates). */
  async processCDRs(cdrs: CDR[], sessionCosts?: Map<string, RatedCost>): Promise<ProcessResult> {
    const key = cdrs[0]?.CGRID ?? '';
    // One CGRID at a time: two identical submissions racing cannot both debit.
    return this.locks.run(key, async () => {
      const fresh: CDR[] = [];
      const duplicates: CDR[] = [];
      // Debited before but not stored (killed in between): the journal has it rated; store that, never debit again.
      const journalled: CDR[] = [];
      for (const c of cdrs) {
        const existing = await this.o.repo.getCDRs({ CGRIDs: [c.CGRID], RunIDs: [c.RunID], Limit: 1 });
        if (existing.length > 0) duplicates.push(existing[0]);
        else {
          const j = this.o.journal ? await this.o.journal.get(c.CGRID, c.RunID) : undefined;
          if (j) journalled.push(j);
          else fresh.push(c);
        }
      }
      for (const c of fresh) {
        if (await this.rate(c, sessionCosts?.get(c.RunID), this.o.storeCdrs)) journalled.push(c);
      }
      if (!this.o.storeCdrs) return { stored: fresh, duplicates };
      const all = [...fresh, ...journalled.filter((j) => !fresh.includes(j))];
      const r = await this.o.repo.storeCDRs(all);
      for (const d of r.duplicates) this.o.log.warning(`CDR ${d.CGRID} run ${d.RunID} already stored, not stored again`);
      // The CDRs are durable: the journal entries are spent. A kill before this is mended at start.
      if (this.o.journal && journalled.length > 0) this.o.journal.remove(journalled);
      return { stored: r.stored, duplicates: [...duplicates, ...r.duplicates] };
    });
  }

  /** Rates `c` in place; true when a debit wrote it to the journal (`journal` asks for that; `update`: a rerate's). */
  private async rate(c: CDR, sessionCost: RatedCost | undefined, journal = false, update = false): Promise<boolean> {
    if (c.PreRated || c.RequestType === '*none') {
      if (c.RequestType === '*none' && !c.PreRated) c.Cost = UNRATED_COST;
      return false;
    }
    let journalled = false;
    if (c.Usage < 0) c.Usage = 0;
    try {
      let r: RatedCost;
      if (sessionCost) {
        r = sessionCost;
        c.CostSource = '*sessions';
      } else if (DEBITED.has(c.RequestType)) {
        const j = journal ? this.o.journal : undefined;
        const inTx = j
          ? async (rated: RatedCost, tx: KVTx) => {
              await j.record(tx, { ...c, Cost: rated.cost, CostDetails: rated.costDetails, CostSource: '*cdrs' }, { update });
              journalled = true;
            }
          : undefined;
        r = await this.o.rater.debit(c, { inTx });
        c.CostSource = '*cdrs';
      } else {
        r = await this.o.rater.getCost(c);
        c.CostSource = '*cdrs';
      }
      c.Cost = r.cost;
      c.CostDetails = r.costDetails;
    } catch (e) {
      // CGRateS stores the CDR unrated with the reason, so nothing is lost and it can be rerated.
      c.Cost = UNRATED_COST;
      c.CostDetails = null;
      c.ExtraInfo = e instanceof Error ? e.message : String(e);
      this.o.log.warning(`CDR ${c.OriginID} run ${c.RunID}: not rated: ${c.ExtraInfo}`);
      journalled = false;
    }
    return journalled;
  }

  /** CDRsV1.RateCDRs: refunds what stored CDRs charged and rates them again with today's tariff plan. */
  async rerate(filter: CDRsFilter): Promise<CDR[]> {
    const cdrs = await this.o.repo.getCDRs(filter);
    const out: CDR[] = [];
    for (const c of cdrs) {
      const again = await this.locks.run(c.CGRID, async () => {
        const fresh: CDR = { ...c, Cost: UNRATED_COST, CostDetails: null, ExtraInfo: '', CostSource: '' };
        // The refund and the new debit each journal the CDR as it then stands (unrated, then rerated)
        // in their own transactions: a kill between them leaves the CDR matching the account.
        const j = this.o.storeCdrs ? this.o.journal : undefined;
        let journalled = false;
        if (DEBITED.has(c.RequestType) && c.CostDetails) {
          const inTx = async (tx: KVTx) => {
            await j!.record(tx, { ...fresh }, { update: true });
            journalled = true;
          };
          await this.o.rater.refund(c, j ? { inTx } : undefined);
        }
        if (await this.rate(fresh, undefined, j !== undefined, true)) journalled = true;
        const r = await this.o.repo.storeCDRs([fresh], { allowUpdate: true });
        if (j && journalled) j.remove([fresh]);
        return r.stored[0] ?? fresh;
      });
      out.push(again);
    }
    return out;
  }
}
