// CDRs: the CDR model, CGRID, and their storage in the StorDB.
export {
  cgrid, cdrFromEvent, cdrToWire, cdrFromWire, cdrToExternal, cdrDataProvider, cdrAsEvent, isRated, CdrFieldError, MAIN_CDR_FIELDS,
  UNRATED_COST, type CDR, type WireCDR, type ExternalCDR, type CdrDefaults,
} from './model.js';
export { CdrRepository, CdrQueryError, whereClause, type CDRsFilter, type SMCost, type StoreResult } from './repository.js';
export { filterFromRPC, filterFromAttrGetCdrs } from './filters.js';
export { CdrServer, type CdrRater, type RatedCost, type ProcessResult } from './server.js';
export { CdrJournal, CDR_JOURNAL_KIND } from './journal.js';
