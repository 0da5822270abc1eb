// Tariff plans: CSV folders in, validated and linked model out; storage and diffs.
export * from './model.js';
export { TariffPlanError, formatIssue, type TpIssue } from './errors.js';
export {
  readTariffPlanFolder, parseTariffPlanFiles, countEntities,
  type ReadOptions, type ReadResult, type TariffPlanCounts,
} from './folder.js';
export {
  diffTariffPlans, mergeTariffPlans, isEmptyDiff, summarizeDiff, canonicalJson, kindLabel,
  type KindDiff, type TariffPlanDiff,
} from './merge.js';
export { saveTariffPlan, loadStoredTariffPlan } from './persist.js';
export { importTariffPlan, type ImportOptions, type ImportResult } from './import.js';
export { FILE_SCHEMAS, SKIPPED_FILES, BUILTIN_TIMINGS } from './schemas.js';
