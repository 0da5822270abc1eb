// RatingService: the engine's rating room. Holds the current index (swapped atomically on every
// tariff-plan load) and answers the CGRateS rating requests with their defaults and error texts.
import { AccurateError, ERR } from '../util/errors.js';
import { emptyTariffPlan, ratingProfileKey, type TariffPlan } from '../tariffplan/model.js';
import { parseDuration } from '../util/duration.js';
import { buildRatingIndex, toRITiming, type RatingIndex } from './build.js';
import { isActiveAt } from './timing.js';
import { rateCall } from './cost.js';
import { eventCostOf, type EventCost } from './eventcost.js';
import { newCallDescriptor, type CallCost, type CallDescriptor, type CostMode, type RateOptions, type RITiming } from './types.js';

export interface RatingServiceOptions {
  timezone: string;
  costMode: CostMode;
  /** general.rounding_decimals */
  roundingDecimals: number;
  defaultTenant?: string;
  defaultCategory?: string;
  /** rals.fallback_depth */
  fallbackDepth?: number;
  /** rals.max_increments */
  maxIncrements?: number;
  /** rals.max_computed_usage: ToR → duration (Go syntax or ns); `*any` for the others */
  maxComputedUsage?: Record<string, string | number>;
}

export interface RatingPlanCost {
  ratingPlanId: string;
  eventCost: EventCost | null;
}

export class RatingService {
  private current: RatingIndex;
  private timings = new Map<string, RITiming>();
  private readonly maxUsage: Map<string, number>;

  constructor(readonly opts: RatingServiceOptions) {
    this.current = buildRatingIndex(emptyTariffPlan(), { timezone: opts.timezone });
    this.maxUsage = new Map(Object.entries(opts.maxComputedUsage ?? {}).map(([k, v]) => [k, parseDuration(v)]));
  }

  /** Rebuilds the index from a whole tariff plan; on error the previous index stays in use. */
  load(tp: TariffPlan): void {
    const next = buildRatingIndex(tp, { timezone: this.opts.timezone });
    this.current = next;
    this.timings = new Map(Object.values(tp.timings).map((t) => [t.id, toRITiming(t)]));
  }

  get index(): RatingIndex {
    return this.current;
  }

  /** IDs of the destinations holding a prefix of the number (filters' *destinations, export masking); one probe per digit. */
  destinationsFor(number: string): string[] {
    return this.current.destinations.matching(number);
  }

  /** Whether a Timings.csv timing is active at an instant; undefined for an unknown timing (filters' *timings). */
  timingActive(id: string, atMs: number): boolean | undefined {
    const t = this.timings.get(id);
    return t ? isActiveAt(t, atMs, this.opts.timezone) : undefined;
  }

  get rateOptions(): RateOptions {
    return { mode: this.opts.costMode, roundingDecimals: this.opts.roundingDecimals, fallbackDepth: this.opts.fallbackDepth, maxIncrements: this.opts.maxIncrements };
  }

  private usageAllowed(tor: string, usageNs: number): boolean {
    const limit = this.maxUsage.get(tor || '*voice') ?? this.maxUsage.get('*any');
    return limit === undefined || limit < 0 || usageNs <= limit;
  }

  /** Responder.GetCost: tenant/category defaults, subject defaults to account; tariff-rounded CallCost. */
  getCost(cd: CallDescriptor): CallCost {
    const full: CallDescriptor = {
      ...cd,
      tenant: cd.tenant || this.opts.defaultTenant || 'cgrates.org',
      category: cd.category || this.opts.defaultCategory || 'call',
      subject: cd.subject || cd.account,
    };
    if (!this.usageAllowed(full.tor, full.endNs - full.startNs)) throw new AccurateError('MAX_USAGE_EXCEEDED');
    return rateCall(this.current, full, this.rateOptions);
  }

  /** APIerSv1.GetCost: DurationIndex = usage, EventCost of the call; errors come back as SERVER_ERROR: <err>. */
  getEventCost(q: { tenant?: string; category: string; subject: string; destination: string; answerTime: number; answerTimeNs?: bigint; usageNs: number }): EventCost {
    const cd = newCallDescriptor({
      tenant: q.tenant || this.opts.defaultTenant || 'cgrates.org', category: q.category, subject: q.subject, account: '',
      destination: q.destination, anchorMs: q.answerTime, anchorNs: q.answerTimeNs, endNs: q.usageNs, durationIndexNs: q.usageNs,
    });
    let cc: CallCost;
    try {
      cc = this.getCost(cd);
    } catch (e) {
      if (e instanceof AccurateError) throw new AccurateError(`${ERR.SERVER_ERROR}: ${e.message}`, ERR.SERVER_ERROR);
      throw e;
    }
    return eventCostOf(cc, { mode: this.opts.costMode, roundingDecimals: this.opts.roundingDecimals });
  }

  /**
   * RALsV1.GetRatingPlansCost: the first of the plans that rates the destination at setupTime
   * (through a temporary profile activated at setupTime); plans failing with UNAUTHORIZED_DESTINATION
   * or NOT_FOUND are skipped; none → empty answer.
   */
  getRatingPlansCost(q: { destination: string; ratingPlanIds: string[]; setupTime: number; setupTimeNs?: bigint; usageNs: number }): RatingPlanCost {
    const tenant = '*rating_plan_cost_tenant';
    const category = '*rating_plan_cost';
    const subject = '*rating_plan_cost_subject';
    const key = ratingProfileKey(tenant, category, subject);
    for (const rp of q.ratingPlanIds) {
      const overlay: RatingIndex = {
        ...this.current,
        profiles: new Map([[key, { key, activations: [{ activationTime: q.setupTime, ratingPlanId: rp, fallbackKeys: [] }] }]]),
      };
      try {
        const cc = rateCall(overlay, newCallDescriptor({ tenant, category, subject, destination: q.destination, anchorMs: q.setupTime, anchorNs: q.setupTimeNs,
          endNs: q.usageNs, durationIndexNs: q.usageNs }), this.rateOptions);
        return { ratingPlanId: rp, eventCost: eventCostOf(cc, { mode: this.opts.costMode, roundingDecimals: this.opts.roundingDecimals }) };
      } catch (e) {
        if (e instanceof AccurateError && (e.message === ERR.UNAUTHORIZED_DESTINATION || e.message === ERR.NOT_FOUND)) continue;
        throw e;
      }
    }
    return { ratingPlanId: '', eventCost: null };
  }
}
