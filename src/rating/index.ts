// Rating: the cost of an event against the tariff plan, as CGRateS computes it. Pure functions over
// an immutable index built once per tariff-plan load; RatingService is the engine's handle on it.
export type {
  CostMode, ToR, RateOptions, RateGroup, RIRating, RITiming, RateInterval, CostInterval, RatingInfo,
  CallDescriptor, BalanceInfo, UnitInfo, MonetaryInfo, Increment, TimeSpan, CallCost,
} from './types.js';
export { spanDuration, newCallDescriptor } from './types.js';
export { buildRatingIndex, toRITiming, RatingIndexError, type RatingIndex, type IndexedPlan, type IndexedProfile, type ProfileActivation } from './build.js';
export { DestinationIndex, destinationIndexOf, prefixesOf } from './destinations.js';
export { resolveRating, matchDestination, type RatingQuery, type ResolvedRating } from './profiles.js';
export { splitSpans, selectIntervals, rateParams, groupStart, type Span, type SplitInput } from './split.js';
export { rateCall, rateWithSubject, splitForRating, callWindow, longestRounding, moneyFromFloat, compressibleTimespans, CUMULATIVE_RUN, type CallWindow } from './cost.js';
export { roundCgrates } from './float.js';
export { isActiveAt, leftMargin, intervalContains, sameDayOfMonth } from './timing.js';
export {
  eventCostOf, getEventCost, type EventCost, type EventCostOptions, type ChargingInterval, type ChargingIncrement,
  type RatingUnit, type BalanceCharge, type ChargedTiming, type RatingMatchedFilters,
} from './eventcost.js';
export * as wire from './wire.js';
export { RatingService, type RatingServiceOptions, type RatingPlanCost } from './service.js';
