// The CDR server: fork an event into charger runs, rate each run (or keep the session's cost),
// store every CDR in the StorDB before answering. A CGRID+RunID already stored is never charged
// again. Rating and debiting come through a port the engine wires to RALs (imports stay downward).
import { KeyedMutex } from '../util/mutex.js';
import type { Money } from '../util/money.js';
import type { Logger } from '../util/logger.js';
import { cdrFromEvent, type CDR, type CdrDefaults, UNRATED_COST, CdrFieldError } from './model.js';
import type { CdrRepository, CDRsFilter } from './repository.js';

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
  debit(cdr: CDR): Promise<RatedCost>;
  /** Gives back what a stored CostDetails debited (rerate, refund). */
  refund(cdr: CDR): Promise<void>;
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
      for (const c of cdrs) {
        const existing = await this.o.repo.getCDRs({ CGRIDs: [c.CGRID], RunIDs: [c.RunID], Limit: 1 });
        if (existing.length > 0) duplicates.push(existing[0]);
        else fresh.push(c);
      }
      for (const c of fresh) await this.rate(c, sessionCosts?.get(c.RunID));
      if (!this.o.storeCdrs) return { stored: fresh, duplicates };
      const r = await this.o.repo.storeCDRs(fresh);
      for (const d of r.duplicates) this.o.log.warning(`CDR ${d.CGRID} run ${d.RunID} already stored, not stored again`);
      return { stored: r.stored, duplicates: [...duplicates, ...r.duplicates] };
    });
  }

  private async rate(c: CDR, sessionCost: RatedCost | undefined): Promise<void> {
    if (c.PreRated || c.RequestType === '*none') {
      if (c.RequestType === '*none' && !c.PreRated) c.Cost = UNRATED_COST;
      return;
    }
    if (c.Usage < 0) c.Usage = 0;
    try {
      let r: RatedCost;
      if (sessionCost) {
        r = sessionCost;
        c.CostSource = '*sessions';
      } else if (DEBITED.has(c.RequestType)) {
        r = await this.o.rater.debit(c);
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
    }
  }

  /** CDRsV1.RateCDRs: refunds what stored CDRs charged and rates them again with today's tariff plan. */
  async rerate(filter: CDRsFilter): Promise<CDR[]> {
    const cdrs = await this.o.repo.getCDRs(filter);
    const out: CDR[] = [];
    for (const c of cdrs) {
      const again = await this.locks.run(c.CGRID, async () => {
        if (DEBITED.has(c.RequestType) && c.CostDetails) await this.o.rater.refund(c);
        const fresh: CDR = { ...c, Cost: UNRATED_COST, CostDetails: null, ExtraInfo: '', CostSource: '' };
        await this.rate(fresh, undefined);
        const r = await this.o.repo.storeCDRs([fresh], { allowUpdate: true });
        return r.stored[0] ?? fresh;
      });
      out.push(again);
    }
    return out;
  }
}
