// Which CSV files make a tariff plan, their column layouts (modern and the 2015 legacy one with
// Direction columns) and which files AccuRate knowingly skips.
import type { EntityKind } from './model.js';

export interface LegacyLayout {
  columns: number;
  /** For each modern column, the 0-based legacy column it comes from, or -1 (absent: empty). */
  map: number[];
  /** Legacy columns that may hold `;` lists of ids to expand into one row each (Account, Subject). */
  expand?: number;
}

export interface FileSchema {
  file: string;
  kind: EntityKind;
  columns: number;
  names: string[];
  legacy?: LegacyLayout;
}

export const FILE_SCHEMAS: readonly FileSchema[] = [
  { file: 'Timings.csv', kind: 'timings', columns: 6, names: ['ID', 'Years', 'Months', 'MonthDays', 'WeekDays', 'Time'] },
  { file: 'Destinations.csv', kind: 'destinations', columns: 2, names: ['ID', 'Prefix'] },
  { file: 'Rates.csv', kind: 'rates', columns: 6, names: ['ID', 'ConnectFee', 'Rate', 'RateUnit', 'RateIncrement', 'GroupIntervalStart'] },
  {
    file: 'DestinationRates.csv', kind: 'destinationRates', columns: 7,
    names: ['ID', 'DestinationId', 'RatesTag', 'RoundingMethod', 'RoundingDecimals', 'MaxCost', 'MaxCostStrategy'],
  },
  { file: 'RatingPlans.csv', kind: 'ratingPlans', columns: 4, names: ['ID', 'DestinationRatesId', 'TimingTag', 'Weight'] },
  {
    file: 'RatingProfiles.csv', kind: 'ratingProfiles', columns: 6,
    names: ['Tenant', 'Category', 'Subject', 'ActivationTime', 'RatingPlanId', 'RatesFallbackSubject'],
    // Direction,Tenant,Category,Subject,ActivationTime,RatingPlanId,RatesFallbackSubject,CdrStatQueueIds
    legacy: { columns: 8, map: [1, 2, 3, 4, 5, 6], expand: 3 },
  },
  { file: 'SharedGroups.csv', kind: 'sharedGroups', columns: 4, names: ['ID', 'Account', 'Strategy', 'RatingSubject'] },
  {
    file: 'Actions.csv', kind: 'actions', columns: 17,
    names: ['ActionsId', 'Action', 'ExtraParameters', 'Filter', 'BalanceId', 'BalanceType', 'Categories', 'DestinationIds', 'RatingSubject',
      'SharedGroup', 'ExpiryTime', 'TimingIds', 'Units', 'BalanceWeight', 'BalanceBlocker', 'BalanceDisabled', 'Weight'],
    // ActionsTag,Action,ExtraParameters,BalanceTag,BalanceType,Direction,Category,DestinationTag,RatingSubject,SharedGroup,
    // ExpiryTime,TimingTags,Units,BalanceWeight,Weight
    legacy: { columns: 15, map: [0, 1, 2, -1, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, -1, -1, 14] },
  },
  { file: 'ActionPlans.csv', kind: 'actionPlans', columns: 4, names: ['ID', 'ActionsId', 'TimingId', 'Weight'] },
  {
    file: 'ActionTriggers.csv', kind: 'actionTriggers', columns: 21,
    names: ['Tag', 'UniqueId', 'ThresholdType', 'ThresholdValue', 'Recurrent', 'MinSleep', 'ExpiryTime', 'ActivationTime', 'BalanceTag',
      'BalanceType', 'BalanceCategories', 'BalanceDestinationIds', 'BalanceRatingSubject', 'BalanceSharedGroup', 'BalanceExpiryTime',
      'BalanceTimingIds', 'BalanceWeight', 'BalanceBlocker', 'BalanceDisabled', 'ActionsId', 'Weight'],
    // Tag,UniqueId,ThresholdType,ThresholdValue,Recurrent,MinSleep,BalanceTag,BalanceType,BalanceDirection,BalanceCategory,
    // BalanceDestinationTag,BalanceRatingSubject,BalanceSharedGroup,BalanceExpiryTime,BalanceTimingTags,BalanceWeight,
    // StatsMinQueuedItems,ActionsTag,Weight
    legacy: { columns: 19, map: [0, 1, 2, 3, 4, 5, -1, -1, 6, 7, 9, 10, 11, 12, 13, 14, 15, -1, -1, 17, 18] },
  },
  {
    file: 'AccountActions.csv', kind: 'accountActions', columns: 6,
    names: ['Tenant', 'Account', 'ActionPlanId', 'ActionTriggersId', 'AllowNegative', 'Disabled'],
    // Tenant,Account,Direction,ActionPlanTag,ActionTriggersTag
    legacy: { columns: 5, map: [0, 1, 3, 4, -1, -1], expand: 1 },
  },
  { file: 'Filters.csv', kind: 'filters', columns: 6, names: ['Tenant', 'ID', 'Type', 'Element', 'Values', 'ActivationInterval'] },
  {
    file: 'Attributes.csv', kind: 'attributes', columns: 11,
    names: ['Tenant', 'ID', 'Contexts', 'FilterIDs', 'ActivationInterval', 'AttributeFilterIDs', 'Path', 'Type', 'Value', 'Blocker', 'Weight'],
  },
  { file: 'Chargers.csv', kind: 'chargers', columns: 7, names: ['Tenant', 'ID', 'FilterIDs', 'ActivationInterval', 'RunID', 'AttributeIDs', 'Weight'] },
];

/** CGRateS files AccuRate does not use: skipped with a notice, never an error. */
export const SKIPPED_FILES: Readonly<Record<string, string>> = {
  'Resources.csv': 'resource limits (ResourceS)',
  'Stats.csv': 'stat queues (StatS)',
  'Thresholds.csv': 'thresholds (ThresholdS)',
  'Routes.csv': 'routing (RouteS)',
  'Suppliers.csv': 'supplier routing (SupplierS)',
  'Trends.csv': 'trends (TrendS)',
  'Rankings.csv': 'rankings (RankingS)',
  'LcrRules.csv': 'least-cost routing (legacy LCR)',
  'CdrStats.csv': 'CDR stats (legacy CdrStats)',
  'DerivedChargers.csv': 'derived chargers (legacy; use Chargers.csv)',
  'DispatcherProfiles.csv': 'dispatchers (DispatcherS)',
  'DispatcherHosts.csv': 'dispatchers (DispatcherS)',
  'Users.csv': 'users (legacy UserS; use Attributes.csv)',
  'Aliases.csv': 'aliases (legacy AliaseS; use Attributes.csv)',
  'ResourceLimits.csv': 'resource limits (legacy)',
  'IPs.csv': 'IP allocation (IPs)',
  'RateProfiles.csv': 'rate profiles (RateS, not the RALs model)',
  'ActionProfiles.csv': 'action profiles (ActionS, not the RALs model)',
  'AccountProfiles.csv': 'account profiles (AccountS, not the RALs model)',
};

/** Timing ids usable in ActionPlans and balances without a Timings.csv row. */
export const BUILTIN_TIMINGS: ReadonlySet<string> = new Set([
  '*any', '*asap', '*every_minute', '*hourly', '*daily', '*weekly', '*monthly', '*monthly_estimated', '*month_end', '*yearly',
]);

/** Action types AccuRate runs (src/accounts executes exactly these; a test keeps the two lists equal). */
export const ACTION_TYPES_RUN: readonly string[] = [
  '*topup_reset', '*topup', '*debit', '*debit_reset', '*reset_account', '*set_balance', '*remove_balance', '*log',
  '*disable_account', '*enable_account', '*allow_negative', '*deny_negative', '*reset_triggers', '*set_recurrent',
  '*unset_recurrent', '*reset_counters', '*cdrlog',
];

/** CGRateS action types AccuRate does not run: a CGRateS plan using them still loads, with a notice. */
export const ACTION_TYPES_NOT_RUN: readonly string[] = [
  '*remove_account', '*http_post', '*http_post_async', '*mail_async', '*call_url', '*call_url_async', '*set_ddestinations',
  '*transfer_monetary_default', '*cgr_rpc', '*topup_zero_negative', '*set_expiry', '*publish_account', '*publish_balance',
  '*remove_session_costs', '*remove_expired', '*post_event', '*reset_account_cdr', '*export', '*reset_threshold',
  '*reset_stat_queue', '*remote_set_account', '*alter_sessions', '*force_disconnect_sessions', '*dynamic_threshold',
  '*dynamic_stats', '*dynamic_attribute', '*dynamic_action_plan', '*dynamic_action_plan_accounts', '*dynamic_action',
  '*dynamic_destination', '*dynamic_filter', '*dynamic_route', '*dynamic_resource', '*dynamic_ranking', '*dynamic_trend',
];
