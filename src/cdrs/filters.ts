// JSON-RPC parameters → CDRsFilter, with type checks naming the bad key: CGRateS's RPCCDRsFilter
// (CDRsV1.GetCDRs, same key names) and the older AttrGetCdrs (APIerSv1.GetCDRs).
import { CdrQueryError, type CDRsFilter } from './repository.js';

const LIST_KEYS = [
  'CGRIDs', 'NotCGRIDs', 'RunIDs', 'NotRunIDs', 'OriginIDs', 'NotOriginIDs', 'OriginHosts', 'NotOriginHosts', 'Sources',
  'NotSources', 'ToRs', 'NotToRs', 'RequestTypes', 'NotRequestTypes', 'Tenants', 'NotTenants', 'Categories', 'NotCategories',
  'Accounts', 'NotAccounts', 'Subjects', 'NotSubjects', 'DestinationPrefixes', 'NotDestinationPrefixes',
] as const;
const TEXT_OR_NUMBER_KEYS = ['SetupTimeStart', 'SetupTimeEnd', 'AnswerTimeStart', 'AnswerTimeEnd', 'MinUsage', 'MaxUsage', 'MinCost', 'MaxCost'] as const;
const INT_KEYS = ['OrderIDStart', 'OrderIDEnd', 'Limit', 'Offset'] as const;

function strList(v: unknown, key: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new CdrQueryError(`${key} must be a list of strings`);
  return v as string[];
}

function int(v: unknown, key: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new CdrQueryError(`${key} must be an integer, have ${JSON.stringify(v)}`);
  return v;
}

/** RPCCDRsFilter (CDRsV1.GetCDRs / GetCDRsCount): keys as CDRsFilter; null means unset. */
export function filterFromRPC(raw: Record<string, unknown> | null | undefined, timezone = 'UTC'): CDRsFilter {
  const f: CDRsFilter = { Timezone: timezone };
  if (!raw) return f;
  const out = f as Record<string, unknown>;
  for (const k of LIST_KEYS) if (raw[k] !== undefined && raw[k] !== null) out[k] = strList(raw[k], k);
  for (const k of TEXT_OR_NUMBER_KEYS) {
    const v = raw[k];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string' && typeof v !== 'number') throw new CdrQueryError(`${k} must be a string or a number`);
    out[k] = v;
  }
  for (const k of INT_KEYS) if (raw[k] !== undefined && raw[k] !== null) out[k] = int(raw[k], k);
  if (raw.ExtraFields !== undefined && raw.ExtraFields !== null) {
    if (typeof raw.ExtraFields !== 'object' || Array.isArray(raw.ExtraFields)) throw new CdrQueryError('ExtraFields must be an object of field: value');
    f.ExtraFields = Object.fromEntries(Object.entries(raw.ExtraFields as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  if (raw.OrderBy !== undefined && raw.OrderBy !== null && raw.OrderBy !== '') f.OrderBy = String(raw.OrderBy);
  return f;
}

/** AttrGetCdrs (APIerSv1.GetCDRs): TimeStart/TimeEnd are answer times; SkipRated / SkipErrors map to cost ranges. */
export function filterFromAttrGetCdrs(raw: Record<string, unknown> | null | undefined, timezone = 'UTC'): CDRsFilter {
  const r = raw ?? {};
  const renamed: Record<string, unknown> = {
    CGRIDs: r.CgrIds, RunIDs: r.MediationRunIds, ToRs: r.TORs, OriginHosts: r.CdrHosts, Sources: r.CdrSources, RequestTypes: r.ReqTypes,
    Tenants: r.Tenants, Categories: r.Categories, Accounts: r.Accounts, Subjects: r.Subjects, DestinationPrefixes: r.DestinationPrefixes,
    OrderIDStart: r.OrderIdStart, OrderIDEnd: r.OrderIdEnd, AnswerTimeStart: r.TimeStart, AnswerTimeEnd: r.TimeEnd,
    OrderBy: r.OrderBy, Limit: r.Limit, Offset: r.Offset,
  };
  const f = filterFromRPC(renamed, timezone);
  if (r.SkipRated === true) f.MaxCost = -1;
  else if (r.SkipErrors === true) {
    f.MinCost = 0;
    f.MaxCost = -1;
  }
  return f;
}
