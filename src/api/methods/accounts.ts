// Accounts API: APIerSv1/APIerSv2 account and balance methods, max usage, scheduled actions and
// the rater's Responder.Debit/MaxDebit/RefundIncrements/GetMaxSessionTime, with CGRateS's names,
// parameters, reply shapes ("OK", CallCost, nanoseconds) and error texts.
import type { MethodTable } from '../table.js';
import { obj, str, optBool, optNum, optObj, type Params } from './params.js';
import {
  type AccountService, accountToJSON, callCostToJSON, callDescriptorFromWire, newCallDescriptor, type DebitResult,
} from '../../accounts/index.js';
import type { ScheduledActionsFilter } from '../../scheduler/index.js';
import { AccurateError, ERR, mandatoryMissing } from '../../util/errors.js';
import { parseDuration } from '../../util/duration.js';
import { parseTime } from '../../util/time.js';

/** What these methods need from the engine's Services. */
export interface AccountsApiServices {
  readonly accounts: AccountService;
  readonly scheduler?: { getScheduledActions(f: ScheduledActionsFilter): unknown[]; reload(): Promise<void> } | null;
  readonly config?: {
    general: { default_tenant: string; default_category: string; default_request_type: string; default_timezone: string };
    sessions?: { default_usage?: Record<string, string> };
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
    const a = str(p, where);
    if (a === '') throw mandatoryMissing([where]);
    return a;
  };
  const cdParam = (params: unknown) => callDescriptorFromWire(obj(params), { tenant: general().default_tenant, timezone: tz(), now: Date.now() });
  const debitReply = (r: DebitResult) => callCostToJSON(r.cc, r.summary);

  const getAccount = async (params: unknown) => {
    const p = obj(params);
    return accountToJSON(await acc.getAccount(str(p, 'Tenant'), account(p)));
  };
  table.add('APIerSv1.GetAccount', getAccount);
  table.add('APIerSv2.GetAccount', getAccount);

  table.add('APIerSv1.GetAccounts', async (params) => {
    const p = obj(params);
    const ids = Array.isArray(p.AccountIDs) ? p.AccountIDs.map(String) : [];
    const list = await acc.getAccounts(str(p, 'Tenant'), ids, optNum(p, 'Offset') ?? 0, optNum(p, 'Limit') ?? 0);
    return list.map(accountToJSON);
  });

  table.add('APIerSv1.SetAccount', async (params) => {
    const p = obj(params);
    const extra = optObj(p, 'ExtraOptions') ?? {};
    await acc.setAccount({
      tenant: str(p, 'Tenant'), account: account(p), actionPlanId: str(p, 'ActionPlanID') || str(p, 'ActionPlanId'),
      actionTriggersId: str(p, 'ActionTriggersID') || str(p, 'ActionTriggersId'),
      allowNegative: optBool(p, 'AllowNegative') ?? optBool(extra, 'AllowNegative'),
      disabled: optBool(p, 'Disabled') ?? optBool(extra, 'Disabled'),
    });
    if (optBool(p, 'ReloadScheduler') && s.scheduler) await s.scheduler.reload();
    return 'OK';
  });

  table.add('APIerSv1.RemoveAccount', async (params) => {
    const p = obj(params);
    await acc.removeAccount(str(p, 'Tenant'), account(p));
    return 'OK';
  });

  const balanceArgs = (p: Params) => ({
    tenant: str(p, 'Tenant'), account: str(p, 'Account'), balanceType: str(p, 'BalanceType'),
    value: p.Value === undefined || p.Value === null ? undefined : (p.Value as number | string), balance: optObj(p, 'Balance'),
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
    const actionsId = str(p, 'ActionsId') || str(p, 'ActionsID');
    if (actionsId === '') throw mandatoryMissing(['ActionsId']);
    await acc.executeAction(str(p, 'Tenant'), account(p), actionsId);
    return 'OK';
  });

  /** UsageRecord → CallDescriptor (engine UsageRecord.AsCallDescriptor). */
  const usageCd = (p: Params, bare: 'ns' | 's') => {
    const g = general();
    const tor = str(p, 'ToR') || str(p, 'TOR') || '*voice';
    const tenant = str(p, 'Tenant') || g.default_tenant;
    const accountId = str(p, 'Account');
    const timeStr = str(p, 'AnswerTime') || str(p, 'SetupTime') || '*now';
    let start: number;
    let usage: number;
    try {
      start = parseTime(timeStr, tz());
      usage = parseDuration(str(p, 'Usage') || defaultUsage(tor), { bare });
    } catch (e) {
      throw new AccurateError(`${ERR.SERVER_ERROR}: ${(e as Error).message}`, ERR.SERVER_ERROR);
    }
    return newCallDescriptor({
      tenant, category: str(p, 'Category') || g.default_category, subject: str(p, 'Subject') || accountId, account: accountId,
      destination: str(p, 'Destination'), tor, anchorMs: start, endNs: usage,
      extraFields: Object.fromEntries(Object.entries(optObj(p, 'ExtraFields') ?? {}).map(([k, v]) => [k, String(v)])),
    });
  };

  table.add('APIerSv1.GetMaxUsage', async (params) => {
    const p = obj(params);
    return acc.getMaxSessionTime(usageCd(p, 'ns'));
  });

  // The 2015 OpenSIPS tutorial asks ApierV1.GetMaxSessionTime: seconds, -1 when not prepaid or unlimited.
  table.add('APIerSv1.GetMaxSessionTime', async (params) => {
    const p = obj(params);
    const reqType = str(p, 'ReqType') || str(p, 'RequestType') || general().default_request_type;
    if (!PREPAID_TYPES.has(reqType)) return -1;
    const ns = await acc.getMaxSessionTime(usageCd(p, 's'));
    return ns === -1 ? -1 : ns / 1e9;
  });

  table.add('APIerSv1.GetScheduledActions', async (params) => {
    if (!s.scheduler) throw new AccurateError('SCHEDULER_NOT_RUNNING');
    const p = params === null || params === undefined ? {} : obj(params);
    const t = (f: string) => (str(p, f) === '' ? undefined : parseTime(str(p, f), tz()));
    const rows = s.scheduler.getScheduledActions({
      Tenant: p.Tenant === undefined || p.Tenant === null ? undefined : str(p, 'Tenant'),
      Account: p.Account === undefined || p.Account === null ? undefined : str(p, 'Account'),
      TimeStart: t('TimeStart'), TimeEnd: t('TimeEnd'), Offset: optNum(p, 'Offset'), Limit: optNum(p, 'Limit'),
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
