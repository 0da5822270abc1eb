// Console commands, each a name for one API method: the console is derived from this table, not
// written one file per command. `params` are defaults merged under the user's Key=Value pairs;
// `required` and `optional` name every parameter the command takes, so a misspelt or missing one
// is an error naming it (the API itself ignores keys it does not know).

export interface ConsoleCommand {
  method: string;
  summary: string;
  params?: Record<string, unknown>;
  /** Parameters that must be given (or have a default in `params`). */
  required?: string[];
  /** Parameters that may be given. */
  optional?: string[];
  /** How the console shows the reply on a terminal; JSON otherwise. */
  view?: 'json' | 'balances' | 'table' | 'status' | 'destination' | 'ratingplan' | 'export' | 'cost' | 'sessions' | 'duration';
  /** Key=Value pairs whose value is a number on the wire. */
  numeric?: string[];
  /** Key=Value pairs whose value is a list (comma or semicolon separated on the command line). */
  lists?: string[];
  /** Key=Value pairs that are objects on the wire; a plain value X is taken as {"<field>": X}. */
  objects?: Record<string, string>;
  /** What an empty answer means (an empty list or NOT_FOUND): printed, exit 0. */
  empty?: string;
  /** A working example, shown by `accurate console help COMMAND`. */
  example?: string;
}

/** The filters of CGRateS's RPCCDRsFilter, as the console takes them. */
const CDR_LISTS = [
  'CGRIDs', 'NotCGRIDs', 'RunIDs', 'NotRunIDs', 'OriginIDs', 'NotOriginIDs', 'OriginHosts', 'NotOriginHosts', 'Sources', 'NotSources',
  'ToRs', 'NotToRs', 'RequestTypes', 'NotRequestTypes', 'Tenants', 'NotTenants', 'Categories', 'NotCategories', 'Accounts', 'NotAccounts',
  'Subjects', 'NotSubjects', 'DestinationPrefixes', 'NotDestinationPrefixes',
];
const CDR_FILTERS = [
  ...CDR_LISTS, 'SetupTimeStart', 'SetupTimeEnd', 'AnswerTimeStart', 'AnswerTimeEnd', 'MinUsage', 'MaxUsage', 'MinCost', 'MaxCost',
  'OrderIDStart', 'OrderIDEnd', 'OrderBy', 'Limit', 'Offset', 'ExtraFields',
];
const CDR_NUMERIC = ['OrderIDStart', 'OrderIDEnd', 'Limit', 'Offset'];

const BALANCE = { numeric: ['Value'], objects: { Balance: 'ID' } };

export const CONSOLE_COMMANDS: Record<string, ConsoleCommand> = {
  status: { method: 'CoreSv1.Status', summary: 'engine status: node id, version, uptime, memory, sessions, services, databases', view: 'status' },
  ping: { method: 'CoreSv1.Ping', summary: 'check that the engine answers' },
  cost: {
    method: 'APIerSv1.GetCost',
    summary: 'cost of an event',
    params: { Category: 'call', AnswerTime: '*now' },
    required: ['Tenant', 'Subject', 'Destination', 'Usage'],
    optional: ['Category', 'AnswerTime'],
    view: 'cost',
    example: 'cost Tenant=cgrates.org Subject=1001 Destination=1002 AnswerTime=2014-08-04T13:00:00Z Usage=2m',
  },
  destination: { method: 'APIerSv1.GetDestination', summary: 'a loaded destination and its prefixes', required: ['ID'], view: 'destination', example: 'destination ID=DST_1002' },
  ratingprofile: { method: 'APIerSv1.GetRatingProfile', summary: 'a loaded rating profile', required: ['Tenant', 'Category', 'Subject'], example: 'ratingprofile Tenant=cgrates.org Category=call Subject=1001' },
  ratingplan: { method: 'APIerSv1.GetRatingPlan', summary: 'a loaded rating plan', required: ['ID'], view: 'ratingplan', example: 'ratingplan ID=RP_1001' },
  ratingplan_cost: {
    method: 'RALsV1.GetRatingPlansCost', summary: 'cost with given rating plans', required: ['Destination', 'RatingPlanIDs', 'Usage'], optional: ['Tenant', 'SetupTime'],
    lists: ['RatingPlanIDs'], example: 'ratingplan_cost Destination=1002 RatingPlanIDs=RP_1001 SetupTime=2014-08-04T13:00:00Z Usage=2m',
  },
  load_tp_from_folder: { method: 'APIerSv1.LoadTariffPlanFromFolder', summary: 'load a tariff-plan folder into the running engine', required: ['FolderPath'], optional: ['DryRun', 'Flush'] },
  reload_cache: { method: 'APIerSv1.ReloadCache', summary: 'rebuild the in-memory tariff-plan indexes' },
  account: { method: 'APIerSv2.GetAccount', summary: 'an account and its balances', required: ['Tenant', 'Account'], view: 'balances', example: 'account Tenant=cgrates.org Account=1001' },
  accounts: { method: 'APIerSv1.GetAccounts', summary: 'accounts of a tenant', required: ['Tenant'], optional: ['AccountIDs', 'Offset', 'Limit'], view: 'balances', lists: ['AccountIDs'], numeric: ['Offset', 'Limit'], empty: 'no accounts' },
  account_set: { method: 'APIerSv1.SetAccount', summary: 'create or update an account', required: ['Tenant', 'Account'], optional: ['ActionPlanID', 'ActionTriggersID', 'AllowNegative', 'Disabled', 'ReloadScheduler', 'ExtraOptions'], example: 'account_set Tenant=cgrates.org Account=1005 AllowNegative=false' },
  account_remove: { method: 'APIerSv1.RemoveAccount', summary: 'remove an account', required: ['Tenant', 'Account'] },
  balance_set: {
    method: 'APIerSv1.SetBalance', summary: 'set a balance (found by Balance ID, created when missing)', required: ['Tenant', 'Account', 'BalanceType', 'Balance'], optional: ['Value', 'Cdrlog'], ...BALANCE,
    example: 'balance_set Tenant=cgrates.org Account=1001 BalanceType=*monetary Value=10 Balance=promo   (or Balance=\'{"ID":"promo","Weight":20}\')',
  },
  balance_add: { method: 'APIerSv1.AddBalance', summary: 'add to a balance', required: ['Tenant', 'Account', 'BalanceType', 'Value'], optional: ['Balance', 'Overwrite', 'Cdrlog'], ...BALANCE, example: 'balance_add Tenant=cgrates.org Account=1001 BalanceType=*monetary Value=5 Balance=promo' },
  balance_debit: { method: 'APIerSv1.DebitBalance', summary: 'debit a balance', required: ['Tenant', 'Account', 'BalanceType', 'Value'], optional: ['Balance', 'Overwrite', 'Cdrlog'], ...BALANCE },
  balance_remove: { method: 'APIerSv1.RemoveBalances', summary: 'remove balances', required: ['Tenant', 'Account', 'BalanceType'], optional: ['Balance'], ...BALANCE },
  max_usage: {
    method: 'APIerSv1.GetMaxUsage', summary: 'how long an account may talk now', required: ['Account', 'Destination'],
    optional: ['Tenant', 'Category', 'Subject', 'ToR', 'Usage', 'AnswerTime', 'SetupTime', 'ExtraFields'], view: 'duration',
    example: 'max_usage Tenant=cgrates.org Account=1001 Destination=1002',
  },
  execute_action: { method: 'APIerSv1.ExecuteAction', summary: 'run an action set on an account', required: ['Tenant', 'Account', 'ActionsId'] },
  scheduler_queue: { method: 'APIerSv1.GetScheduledActions', summary: 'the scheduler queue', optional: ['Tenant', 'Account', 'TimeStart', 'TimeEnd', 'Limit', 'Offset'], numeric: ['Limit', 'Offset'], view: 'table', empty: 'no scheduled actions' },
  sessions: { method: 'SessionSv1.GetActiveSessions', summary: 'live sessions', optional: ['Filters', 'Limit', 'Tenant'], lists: ['Filters'], numeric: ['Limit'], view: 'sessions', empty: 'no active sessions' },
  session_force_disconnect: { method: 'SessionSv1.ForceDisconnect', summary: 'end a live session (one of OriginID, CGRID, Filters)', optional: ['OriginID', 'CGRID', 'Filters', 'Tenant'], lists: ['Filters'] },
  cdrs: { method: 'APIerSv2.GetCDRs', summary: 'stored CDRs, filtered (Accounts RunIDs SetupTimeStart Limit ...)', optional: CDR_FILTERS, view: 'table', numeric: CDR_NUMERIC, lists: CDR_LISTS, empty: 'no CDRs', example: 'cdrs Accounts=1001 RunIDs=*default Limit=20' },
  cdrs_export: { method: 'APIerSv1.ExportCDRs', summary: 'export CDRs to CSV through a template', optional: ['ExporterIDs', 'ExportTemplate', 'ExportPath', 'ExportFileName', 'OnlyNew', 'DryRun', ...CDR_FILTERS], view: 'export', numeric: CDR_NUMERIC, lists: ['ExporterIDs', ...CDR_LISTS] },
  opensips_status: { method: 'OpenSIPSAgentV1.Status', summary: 'the OpenSIPS agent: MI subscriptions, counters (bad datagrams ...), last events and errors' },
  opensips_subscribe: { method: 'OpenSIPSAgentV1.Subscribe', summary: 'subscribe to OpenSIPS events over MI now (event_subscribe)' },
  opensips_birpc_sessions: { method: 'OpenSIPSAgentV1.BiRPCSessionIDs', summary: 'the sessions each connected OpenSIPS (cgrates module) holds' },
  diameter_status: { method: 'DiameterAgentV1.Status', summary: 'the Diameter agent: listeners, peers and their state, counters (requests, malformed messages ...)' },
  opensips_mi: { method: 'OpenSIPSAgentV1.MI', summary: 'run an OpenSIPS MI command over mi_datagram (Params as JSON)', required: ['Method'], optional: ['Params'], example: 'opensips_mi Method=dlg_list' },
  rerate: { method: 'CDRsV1.RateCDRs', summary: 'rerate stored CDRs after a tariff change', optional: CDR_FILTERS, numeric: CDR_NUMERIC, lists: CDR_LISTS },
};

/** `Tenant= Subject= [Category=]` for help texts. */
export function usageLine(name: string, c: ConsoleCommand): string {
  const req = (c.required ?? []).map((k) => `${k}=`);
  const opt = (c.optional ?? []).length > 8 ? ['[filters...]'] : (c.optional ?? []).map((k) => `[${k}=]`);
  return [name, ...req, ...opt].join(' ');
}
