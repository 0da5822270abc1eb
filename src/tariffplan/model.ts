// The tariff-plan model: what the loader produces from CSV, what the DataDB stores and the
// history archives, and what rating/accounts index. Plain JSON-serialisable data only:
// money as decimal strings (exact), durations as integer nanoseconds, instants as epoch ms.

export type DecimalString = string;

/** Timings.csv. Empty lists mean `*any`. WeekDays 0 = Sunday (CSV 7 is stored as 0). */
export interface Timing {
  id: string;
  years: number[];
  months: number[];
  monthDays: number[];
  weekDays: number[];
  /** `hh:mm:ss`, or `*asap` / `*every_minute` / `*hourly` for action plans. */
  startTime: string;
  /** Optional end `hh:mm:ss`; never limits a rate interval (CGRateS drops it for rating). */
  endTime: string;
}

/** Destinations.csv: one ID, many prefixes. */
export interface Destination {
  id: string;
  prefixes: string[];
}

/** One row of Rates.csv (a rate group / slab). */
export interface RateSlot {
  connectFee: DecimalString;
  rate: DecimalString;
  rateUnit: number; // ns
  rateIncrement: number; // ns
  groupIntervalStart: number; // ns
}

export interface Rate {
  id: string;
  slots: RateSlot[]; // in CSV order
}

export type RoundingMethodName = '*up' | '*down' | '*middle';
export type MaxCostStrategy = '' | '*free' | '*disconnect';

export interface DestinationRateEntry {
  destinationId: string; // may be '*any'
  rateId: string;
  roundingMethod: RoundingMethodName;
  roundingDecimals: number;
  maxCost: DecimalString; // '0' = none
  maxCostStrategy: MaxCostStrategy;
}

export interface DestinationRate {
  id: string;
  entries: DestinationRateEntry[];
}

export interface RatingPlanEntry {
  destinationRatesId: string;
  timingId: string; // '*any' or a Timings.csv id
  weight: number;
}

export interface RatingPlan {
  id: string;
  entries: RatingPlanEntry[];
}

export interface RatingActivation {
  activationTime: number; // epoch ms
  ratingPlanId: string;
  fallbackSubjects: string[];
}

/** RatingProfiles.csv rows grouped by Tenant:Category:Subject. Key as CGRateS: `*out:tenant:category:subject`. */
export interface RatingProfile {
  tenant: string;
  category: string;
  subject: string; // may be '*any'
  activations: RatingActivation[]; // sorted by activationTime ascending
}

export interface SharedGroupMember {
  account: string; // '*any' = default for every member
  strategy: string; // *highest, *lowest, *mine_highest, *mine_lowest, *random, *mine_random
  ratingSubject: string;
}

export interface SharedGroup {
  id: string;
  members: SharedGroupMember[];
}

/** One row of Actions.csv (17 columns). Empty optional fields are '' (not set). */
export interface Action {
  actionsId: string;
  action: string; // *topup_reset, *topup, *debit, ...
  extraParameters: string;
  filter: string;
  balanceId: string;
  balanceType: string; // *monetary, *voice, *data, *sms, *mms, *generic
  categories: string[];
  destinationIds: string[]; // may contain '!ID'
  ratingSubject: string;
  sharedGroups: string[];
  expiryTime: string; // raw, evaluated when the action runs
  timingIds: string[];
  /** Raw units text: a duration for *voice, a decimal for the others; parsed when the action runs. */
  units: string;
  balanceWeight: number | null;
  balanceBlocker: boolean | null;
  balanceDisabled: boolean | null;
  weight: number;
}

export interface ActionSet {
  id: string;
  actions: Action[]; // in CSV order; executed by descending weight
}

export interface ActionPlanEntry {
  actionsId: string;
  timingId: string;
  weight: number;
}

export interface ActionPlan {
  id: string;
  entries: ActionPlanEntry[];
}

/** One row of ActionTriggers.csv (21 columns). */
export interface ActionTrigger {
  tag: string;
  uniqueId: string;
  thresholdType: string;
  thresholdValue: DecimalString;
  recurrent: boolean;
  minSleep: number; // ns
  expiryTime: string; // raw
  activationTime: string; // raw
  balanceTag: string;
  balanceType: string;
  balanceCategories: string[];
  balanceDestinationIds: string[];
  balanceRatingSubject: string;
  balanceSharedGroups: string[];
  balanceExpiryTime: string;
  balanceTimingIds: string[];
  balanceWeight: number | null;
  balanceBlocker: boolean | null;
  balanceDisabled: boolean | null;
  actionsId: string;
  weight: number;
}

export interface ActionTriggerSet {
  id: string;
  triggers: ActionTrigger[];
}

/** AccountActions.csv. */
export interface AccountAction {
  tenant: string;
  account: string;
  actionPlanId: string;
  actionTriggersId: string;
  allowNegative: boolean;
  disabled: boolean;
}

export interface ActivationInterval {
  activationTime: number; // epoch ms, GO_ZERO_TIME when unset
  expiryTime: number; // epoch ms, GO_ZERO_TIME when unset
}

/** Filters.csv: rows with the same tenant:ID are ANDed. */
export interface FilterRule {
  type: string; // *string, *prefix, *notstring ...
  element: string; // ~*req.Account
  values: string[];
}

export interface FilterProfile {
  tenant: string;
  id: string;
  rules: FilterRule[];
  activationInterval: ActivationInterval | null;
}

export interface AttributeEntry {
  filterIds: string[];
  path: string; // *req.Account
  type: string; // *constant, *variable, *composed ...
  value: string;
}

export interface AttributeProfile {
  tenant: string;
  id: string;
  contexts: string[];
  filterIds: string[];
  activationInterval: ActivationInterval | null;
  attributes: AttributeEntry[];
  blocker: boolean;
  weight: number;
}

export interface ChargerProfile {
  tenant: string;
  id: string;
  filterIds: string[];
  activationInterval: ActivationInterval | null;
  runId: string;
  attributeIds: string[];
  weight: number;
}

/** A whole tariff plan, keyed by entity id (for profiles: `tenant:id`; rating profiles: `*out:tenant:category:subject`; account actions: `tenant:account`). */
export interface TariffPlan {
  timings: Record<string, Timing>;
  destinations: Record<string, Destination>;
  rates: Record<string, Rate>;
  destinationRates: Record<string, DestinationRate>;
  ratingPlans: Record<string, RatingPlan>;
  ratingProfiles: Record<string, RatingProfile>;
  sharedGroups: Record<string, SharedGroup>;
  actions: Record<string, ActionSet>;
  actionPlans: Record<string, ActionPlan>;
  actionTriggers: Record<string, ActionTriggerSet>;
  accountActions: Record<string, AccountAction>;
  filters: Record<string, FilterProfile>;
  attributes: Record<string, AttributeProfile>;
  chargers: Record<string, ChargerProfile>;
}

export type EntityKind = keyof TariffPlan;

export const ENTITY_KINDS: readonly EntityKind[] = [
  'timings', 'destinations', 'rates', 'destinationRates', 'ratingPlans', 'ratingProfiles', 'sharedGroups',
  'actions', 'actionPlans', 'actionTriggers', 'accountActions', 'filters', 'attributes', 'chargers',
];

export function emptyTariffPlan(): TariffPlan {
  const tp = {} as TariffPlan;
  for (const k of ENTITY_KINDS) (tp as unknown as Record<string, object>)[k] = {};
  return tp;
}

export function ratingProfileKey(tenant: string, category: string, subject: string): string {
  return `*out:${tenant}:${category}:${subject}`;
}
