// Accounts API: APIerSv1/APIerSv2 account and balance methods, max usage, scheduled actions and
// the rater's Responder.Debit/MaxDebit/RefundIncrements/GetMaxSessionTime, with CGRateS's names,
// parameters, reply shapes ("OK", CallCost, nanoseconds) and error texts.
import type { MethodTable } from '../table.js';
import {
  obj, str, id, tor, balanceType, maxUsageCheck, optBool, optCount, optObj, optStrList, optMoney, moneyValue, durationValue, timeValue, show, bad, type Params,
} from './params.js';
import { MAX_COMPRESS_FACTOR } from '../../accounts/index.js';
import {
  type AccountService, accountToJSON, callCostToJSON, callDescriptorFromWire, newDebitDescriptor, type DebitResult,
} from '../../accounts/index.js';
import type { ScheduledActionsFilter } from '../../scheduler/index.js';
import { AccurateError, ERR, mandatoryMissing } from '../../util/errors.js';

/** What these methods need from the engine's Services. */
export interface AccountsApiServices {
  readonly accounts: AccountService;
  readonly scheduler?: { getScheduledActions(f: ScheduledActionsFilter): unknown[]; reload(): Promise<void> } | null;
  readonly config?: {
    general: { default_tenant: string; default_category: string; default_request_type: string; default_timezone: string };
    sessions?: { default_usage?: Record<string, string> };
    rals?: { max_computed_usage?: Record<string, string> };
  };
}

const PREPAID_TYPES = new Set(['*prepaid', '*pseudoprepaid', '*dynaprepaid']);

export function register(table: MethodTable, s: AccountsApiServices): void {
  const acc = s.accounts;
  const general = () => s.config?.general ?? { default_tenant: acc.defaultTenant, default_category: 'call', default_request_type: '*rated', default_timezone: 'UTC' };
  const tz = () => general().default_timezone;
  const defaultUsage = (tor: string): string => {
    const u = s.config?.sessions?.default_usage ?? { '*any': '3h', '*voice': '3h', '*data': '1048576', '*sms': '1' };
    return u[tor] ?? u['*any'] ?? '3h';
  };
  const account = (p: Params, where = 'Account'): string => {
    const a = id(p, where);
    if (a === '') throw mandatoryMissing([where]);
    return a;
  };
  const checkUsage = maxUsageCheck(s.config?.rals?.max_computed_usage ?? { '*any': '189h', '*voice': '72h' });
  const cdParam = (params: unknown) => {
    const cd = callDescriptorFromWire(cdParams(obj(params), tz()), { tenant: general().default_tenant, timezone: tz(), now: Date.now() });
    checkUsage(cd.endNs - cd.startNs, cd.tor);
    return cd;
  };
  const debitReply = (r: DebitResult) => callCostToJSON(r.cc, r.summary);

  const getAccount = async (params: unknown) => {
    const p = obj(params);
    return accountToJSON(await acc.getAccount(id(p, 'Tenant'), account(p)));
  };
  table.add('APIerSv1.GetAccount', getAccount);
  table.add('APIerSv2.GetAccount', getAccount);

  table.add('APIerSv1.GetAccounts', async (params) => {
    const p = obj(params);
    const ids = optStrList(p, 'AccountIDs') ?? [];
    const list = await acc.getAccounts(id(p, 'Tenant'), ids, optCount(p, 'Offset') ?? 0, optCount(p, 'Limit') ?? 0);
    return list.map(accountToJSON);
  });

  table.add('APIerSv1.SetAccount', async (params) => {
    const p = obj(params);
    const extra = optObj(p, 'ExtraOptions') ?? {};
    await acc.setAccount({
      tenant: id(p, 'Tenant'), account: account(p), actionPlanId: id(p, 'ActionPlanID') || id(p, 'ActionPlanId'),
      actionTriggersId: id(p, 'ActionTriggersID') || id(p, 'ActionTriggersId'),
      allowNegative: optBool(p, 'AllowNegative') ?? optBool(extra, 'AllowNegative'),
      disabled: optBool(p, 'Disabled') ?? optBool(extra, 'Disabled'),
    });
    if (optBool(p, 'ReloadScheduler') && s.scheduler) await s.scheduler.reload();
    return 'OK';
  });

  table.add('APIerSv1.RemoveAccount', async (params) => {
    const p = obj(params);
    await acc.removeAccount(id(p, 'Tenant'), account(p));
    return 'OK';
  });

  const balanceArgs = (p: Params) => ({
    tenant: id(p, 'Tenant'), account: id(p, 'Account'), balanceType: balanceType(p, 'BalanceType'),
    value: optMoney(p, 'Value')?.toFixed(), balance: balanceParam(p, tz()),
    overwrite: optBool(p, 'Overwrite') ?? false, cdrlog: optBool(p, 'Cdrlog') ?? false,
  });

  table.add('APIerSv1.SetBalance', async (params) => {
    await acc.setBalance(balanceArgs(obj(params)));
    return 'OK';
  });

  table.add('APIerSv1.AddBalance', async (params) => {
    await acc.addBalance(balanceArgs(obj(params)));
    return 'OK';
  });

  table.add('APIerSv1.DebitBalance', async (params) => {
    await acc.debitBalance(balanceArgs(obj(params)));
    return 'OK';
  });

  table.add('APIerSv1.RemoveBalances', async (params) => {
    await acc.removeBalances(balanceArgs(obj(params)));
    return 'OK';
  });

  table.add('APIerSv1.ExecuteAction', async (params) => {
    const p = obj(params);
    const actionsId = id(p, 'ActionsId') || id(p, 'ActionsID');
    if (actionsId === '') throw mandatoryMissing(['ActionsId']);
    await acc.executeAction(id(p, 'Tenant'), account(p), actionsId);
    return 'OK';
  });

  /** UsageRecord → CallDescriptor (engine UsageRecord.AsCallDescriptor). */
  const usageCd = (p: Params, bare: 'ns' | 's') => {
    const g = general();
    const tor = torOf(p, 'ToR') || torOf(p, 'TOR') || '*voice';
    const tenant = id(p, 'Tenant') || g.default_tenant;
    const accountId = id(p, 'Account');
    const timeField = str(p, 'AnswerTime') ? 'AnswerTime' : str(p, 'SetupTime') ? 'SetupTime' : '';
    const start = timeValue(timeField ? p[timeField] : '*now', timeField || 'AnswerTime', tz());
    const given = str(p, 'Usage');
    const usage = durationValue(given ? p.Usage : defaultUsage(tor), 'Usage', { bare, min: 0 });
    checkUsage(usage, tor);
    return newDebitDescriptor({
      tenant, category: id(p, 'Category') || g.default_category, subject: id(p, 'Subject') || accountId, account: accountId,
      destination: id(p, 'Destination'), tor, anchorMs: start, endNs: usage,
      extraFields: stringMap(p, 'ExtraFields'),
    });
  };

  table.add('APIerSv1.GetMaxUsage', async (params) => {
    const p = obj(params);
    return acc.getMaxSessionTime(usageCd(p, 'ns'));
  });

  // The 2015 OpenSIPS tutorial asks ApierV1.GetMaxSessionTime: seconds, -1 when not prepaid or unlimited.
  table.add('APIerSv1.GetMaxSessionTime', async (params) => {
    const p = obj(params);
    const reqType = id(p, 'ReqType') || id(p, 'RequestType') || general().default_request_type;
    if (!PREPAID_TYPES.has(reqType)) return -1;
    const ns = await acc.getMaxSessionTime(usageCd(p, 's'));
    return ns === -1 ? -1 : ns / 1e9;
  });

  table.add('APIerSv1.GetScheduledActions', async (params) => {
    if (!s.scheduler) throw new AccurateError('SCHEDULER_NOT_RUNNING');
    const p = params === null || params === undefined ? {} : obj(params);
    const t = (f: string) => (str(p, f) === '' ? undefined : timeValue(p[f], f, tz()));
    const rows = s.scheduler.getScheduledActions({
      Tenant: p.Tenant === undefined || p.Tenant === null ? undefined : id(p, 'Tenant'),
      Account: p.Account === undefined || p.Account === null ? undefined : id(p, 'Account'),
      TimeStart: t('TimeStart'), TimeEnd: t('TimeEnd'), Offset: optCount(p, 'Offset'), Limit: optCount(p, 'Limit'),
    });
    if (rows.length === 0) throw new AccurateError(ERR.NOT_FOUND);
    return rows;
  });

  table.add('Responder.Debit', async (params) => debitReply(await acc.debit(cdParam(params))));
  table.add('Responder.MaxDebit', async (params) => debitReply(await acc.maxDebit(cdParam(params))));
  table.add('Responder.GetMaxSessionTime', async (params) => acc.getMaxSessionTime(cdParam(params)));
  table.add('Responder.RefundIncrements', async (params) => {
    const a = await acc.refundIncrements(cdParam(params));
    return a ? accountToJSON(a) : null;
  });
  table.add('Responder.RefundRounding', async (params) => {
    const a = await acc.refundRounding(cdParam(params));
    return a ? accountToJSON(a) : null;
  });
}

const torOf = tor;

/** ExtraFields-like maps: string keys to string (or number/boolean) values. */
function stringMap(p: Params, field: string): Record<string, string> {
  const m = optObj(p, field) ?? {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(m)) out[k] = str(m, k);
  return out;
}

const BALANCE_STRINGS = ['ID', 'UUID', 'Uuid', 'RatingSubject', 'ExpiryTime', 'ExpirationDate'] as const;
const BALANCE_SETS = ['DestinationIDs', 'Categories', 'SharedGroups', 'TimingIDs'] as const;
const BALANCE_BOOLS = ['Disabled', 'Blocker'] as const;

/** The `Balance` filter of the balance methods, typed field by field (an empty list is not an id). */
export function balanceParam(p: Params, tz: string): Params | undefined {
  const b = optObj(p, 'Balance');
  if (!b) return undefined;
  const out: Params = {};
  for (const f of BALANCE_STRINGS) {
    const v = b[f];
    if (v === undefined || v === null) continue;
    if (!(typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v))) || String(v).length > 1024) throw bad(`Balance.${f} must be a string, got ${show(v)}`);
    out[f] = String(v);
  }
  for (const f of ['ExpiryTime', 'ExpirationDate'] as const) {
    const v = out[f] as string | undefined;
    if (v !== undefined && v !== '' && v !== '*unlimited') timeValue(v, `Balance.${f}`, tz);
  }
  for (const f of BALANCE_SETS) {
    const v = b[f];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') out[f] = id(b, f);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length <= 1024)) out[f] = v;
    else if (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'boolean')) out[f] = v;
    else throw bad(`Balance.${f} must be a string, a list of strings or an object of booleans, got ${show(v)}`);
  }
  for (const f of BALANCE_BOOLS) if (b[f] !== undefined && b[f] !== null && b[f] !== '') out[f] = optBool(b, f);
  if (b.Weight !== undefined && b.Weight !== null && b.Weight !== '') {
    const w = b.Weight;
    if (typeof w !== 'number' || !Number.isFinite(w) || Math.abs(w) > 1e9) throw bad(`Balance.Weight must be a finite number, got ${show(w)}`);
    out.Weight = w;
  }
  if (b.Value !== undefined && b.Value !== null && b.Value !== '') out.Value = moneyValue(b.Value, 'Balance.Value').toFixed();
  if (b.Factors !== undefined && b.Factors !== null && b.Factors !== '') {
    const f = b.Factors;
    if (typeof f !== 'object' || Array.isArray(f) || !Object.values(f).every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw bad(`Balance.Factors must be an object of finite numbers, got ${show(f)}`);
    }
    out.Factors = { ...f };
  }
  return out;
}

/**
 * A wire CallDescriptor (Responder.*) checked field by field before the rater reads it: flags are
 * real booleans, indexes are integers, money is finite, increments are bounded and non-negative.
 */
export function cdParams(p: Params, tz: string): Params {
  const out: Params = { ...p };
  for (const f of ['Tenant', 'Category', 'Subject', 'Account', 'Destination']) if (p[f] !== undefined && p[f] !== null) out[f] = id(p, f);
  if (p.ToR !== undefined && p.ToR !== null) out.ToR = tor(p, 'ToR');
  for (const f of ['TimeStart', 'TimeEnd']) if (p[f] !== undefined && p[f] !== null && p[f] !== '') timeValue(p[f], f, tz);
  for (const f of ['PerformRounding', 'DenyNegativeAccount', 'ForceDuration', 'DryRun']) out[f] = optBool(p, f) ?? false;
  out.LoopIndex = optCount(p, 'LoopIndex') ?? 0;
  for (const f of ['DurationIndex', 'MaxRateUnit']) if (p[f] !== undefined && p[f] !== null && p[f] !== '') durationValue(p[f], f, { min: 0 });
  for (const f of ['MaxRate', 'MaxCostSoFar']) out[f] = optMoney(p, f)?.toFixed() ?? 0;
  if (p.ExtraFields !== undefined && p.ExtraFields !== null) out.ExtraFields = stringMap(p, 'ExtraFields');
  const opts = optObj(p, 'APIOpts');
  if (opts) {
    out.APIOpts = { ...opts };
    if (opts['*ralsDryRun'] !== undefined) (out.APIOpts as Params)['*ralsDryRun'] = optBool(opts, '*ralsDryRun');
  }
  if (p.Increments !== undefined && p.Increments !== null) {
    if (!Array.isArray(p.Increments)) throw bad(`Increments must be a list, got ${show(p.Increments)}`);
    if (p.Increments.length > 100_000) throw bad('Increments: more than 100000 increments');
    out.Increments = p.Increments.map((raw, i) => incrementParam(raw, `Increments[${i}]`));
  }
  return out;
}

function incrementParam(raw: unknown, where: string): Params {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`${where} must be an object, got ${show(raw)}`);
  const j = raw as Params;
  const out: Params = { ...j };
  if (j.Duration !== undefined && j.Duration !== null && j.Duration !== '') durationValue(j.Duration, `${where}.Duration`, { min: 0 });
  const cost = j.Cost === undefined || j.Cost === null ? undefined : moneyValue(j.Cost, `${where}.Cost`);
  if (cost?.isNegative()) throw bad(`${where}.Cost: ${show(j.Cost)} is negative`);
  out.Cost = cost ? cost.toFixed() : 0;
  const cf = optCount(j, 'CompressFactor');
  if (cf !== undefined && cf > MAX_COMPRESS_FACTOR) throw bad(`${where}.CompressFactor: ${cf} is more than ${MAX_COMPRESS_FACTOR}`);
  out.CompressFactor = cf ?? 1;
  const bi = j.BalanceInfo;
  if (bi !== undefined && bi !== null) {
    if (typeof bi !== 'object' || Array.isArray(bi)) throw bad(`${where}.BalanceInfo must be an object, got ${show(bi)}`);
    const b = bi as Params;
    const info: Params = { ...b, AccountID: id(b, 'AccountID') };
    for (const k of ['Unit', 'Monetary'] as const) {
      const u = b[k];
      if (u === undefined || u === null) continue;
      if (typeof u !== 'object' || Array.isArray(u)) throw bad(`${where}.BalanceInfo.${k} must be an object, got ${show(u)}`);
      const uo = u as Params;
      const uout: Params = { ...uo, UUID: id(uo, 'UUID'), ID: id(uo, 'ID') };
      for (const m of ['Value', 'Consumed'] as const) uout[m] = optMoney(uo, m)?.toNumber() ?? 0;
      if (uo.Factor !== undefined && uo.Factor !== null) {
        if (typeof uo.Factor !== 'number' || !Number.isFinite(uo.Factor) || uo.Factor < 0) throw bad(`${where}.BalanceInfo.${k}.Factor must be a non-negative number`);
      }
      info[k] = uout;
    }
    out.BalanceInfo = info;
  }
  return out;
}
