// The git archive of tariff-plan changes.
export {
  openHistory, recordTariffPlan, historyLog, historyShow, historyDiff, historyEntries, planAt, csvAt, csvTextsOf, checkRev, defaultAuthor,
  type History, type RecordResult, type RecordOptions, type LogEntry,
} from './archive.js';
export { describeRateChanges } from './describe.js';
export { kindFile } from './files.js';
export { HistoryError } from './git.js';
export { historyDirFor, type HistoryConfigView } from './location.js';
