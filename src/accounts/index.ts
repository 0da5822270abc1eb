// Accounts: balances, debit/refund, max usage, actions, triggers and shared groups (CGRateS RALs
// accounting). Pure rules in their own modules; AccountService is the persistence edge.
export * from './model.js';
export { AccountService, ACCOUNTS_KIND, GROUP_MEMBERS_KIND, type AccountServiceOptions, type DebitResult, type SetAccountArgs, type BalanceArgs, type PlanScheduler } from './service.js';
export { makeArith, fromFloat, type Arith, type CostMode } from './arith.js';
export { accountingTp, timingActiveAt, prefixesOf, type AccountingTp } from './tpview.js';
export type { AccountingCtx, CdrLogRecord, LogSink, RatingSource } from './context.js';
export { matchFilter, hardMatchFilter, createBalance, modifyBalance, filterFromApi } from './balance-filter.js';
export { balancesForPrefix, allBalancesForPrefix, balanceActiveAt, destinationPrecision, type BalanceRef } from './selection.js';
export { sortByStrategy, strategyFor, type SharingStrategy } from './sharedgroups.js';
export { initCounters, addUnits, resetCounters } from './counters.js';
export { executeActionTriggers, resetActionTriggers, triggersFromTp, countUnits, THRESHOLD_TYPES } from './triggers.js';
export { actionFromTp, parseUnits, runActions, runActionList, debitBalanceAction, setBalanceAction, removeBalanceAction, ACTION_TYPES, type RtAction } from './actions.js';
export {
  debitCall, maxDebitCall, maxSessionDuration, refundIncrements, refundRounding, debitCreditBalance, newDebitDescriptor, cloneCd,
  accountKeyOf, createCallCost, ratePiece, zeroRatingUnit, getDefaultMoneyBalance, trailingIncrements, incrementCount, dropTrailingIncrements, roundCallCost, MAX_COMPRESS_FACTOR,
  type CallDescriptor, type DebitDescriptor, type CallCost, type TimeSpan, type Increment, type BalanceInfo, type UnitInfo, type MonetaryInfo,
} from './debit.js';
export { accountToJSON, accountFromStored, accountToStored, balanceToJSON } from './json.js';
export {
  callDescriptorFromWire, callCostToJSON, incrementsFromWire, accountSummary, compressIncrements, formatNs, allIncrements,
  type AccountSummary, type BalanceSummary,
} from './wire.js';
export {
  callCostToEventCost, eventCostRefundIncrements, costDetailsRefundIncrements, updateInitialValue, type CallCostEventCostOptions,
} from './eventcost.js';
