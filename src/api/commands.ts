// Console commands, each a name for one API method: the console is derived from this table, not
// written one file per command. `params` are defaults merged under the user's Key=Value pairs.

export interface ConsoleCommand {
  method: string;
  summary: string;
  params?: Record<string, unknown>;
  /** How the console shows the reply on a terminal; JSON otherwise. */
  view?: 'json' | 'balances' | 'table';
  /** Key=Value pairs whose value is a number on the wire. */
  numeric?: string[];
  /** Key=Value pairs whose value is a list (comma or semicolon separated on the command line). */
  lists?: string[];
}

export const CONSOLE_COMMANDS: Record<string, ConsoleCommand> = {
  status: { method: 'CoreSv1.Status', summary: 'engine status: node id, version, uptime, memory, sessions, services' },
  ping: { method: 'CoreSv1.Ping', summary: 'check that the engine answers' },
  cost: {
    method: 'APIerSv1.GetCost',
    summary: 'cost of an event: Tenant Category Subject Destination AnswerTime Usage',
    params: { Category: 'call', AnswerTime: '*now' },
  },
  destination: { method: 'APIerSv1.GetDestination', summary: 'a loaded destination and its prefixes: ID' },
  ratingprofile: { method: 'APIerSv1.GetRatingProfile', summary: 'a loaded rating profile: Tenant Category Subject' },
  ratingplan: { method: 'APIerSv1.GetRatingPlan', summary: 'a loaded rating plan: ID' },
  ratingplan_cost: { method: 'RALsV1.GetRatingPlansCost', summary: 'cost with given rating plans: Tenant Destination RatingPlanIDs SetupTime Usage', lists: ['RatingPlanIDs'] },
  load_tp_from_folder: { method: 'APIerSv1.LoadTariffPlanFromFolder', summary: 'load a tariff-plan folder into the running engine: FolderPath' },
  reload_cache: { method: 'APIerSv1.ReloadCache', summary: 'rebuild the in-memory tariff-plan indexes' },
  account: { method: 'APIerSv2.GetAccount', summary: 'an account and its balances: Tenant Account', view: 'balances' },
  accounts: { method: 'APIerSv1.GetAccounts', summary: 'accounts of a tenant: Tenant [AccountIDs] [Offset] [Limit]', view: 'balances', lists: ['AccountIDs'], numeric: ['Offset', 'Limit'] },
  account_set: { method: 'APIerSv1.SetAccount', summary: 'create or update an account: Tenant Account [ActionPlanID] [ActionTriggersID] [AllowNegative] [Disabled]' },
  account_remove: { method: 'APIerSv1.RemoveAccount', summary: 'remove an account: Tenant Account' },
  balance_set: { method: 'APIerSv1.SetBalance', summary: 'set a balance: Tenant Account BalanceType Value [Balance]', numeric: ['Value'] },
  balance_add: { method: 'APIerSv1.AddBalance', summary: 'add to a balance: Tenant Account BalanceType Value [Balance]', numeric: ['Value'] },
  balance_debit: { method: 'APIerSv1.DebitBalance', summary: 'debit a balance: Tenant Account BalanceType Value [Balance]', numeric: ['Value'] },
  balance_remove: { method: 'APIerSv1.RemoveBalances', summary: 'remove balances: Tenant Account BalanceType [Balance]' },
  max_usage: { method: 'APIerSv1.GetMaxUsage', summary: 'how long an account may talk now: Tenant Account Destination [Category] [Usage]' },
  execute_action: { method: 'APIerSv1.ExecuteAction', summary: 'run an action set on an account: Tenant Account ActionsId' },
  scheduler_queue: { method: 'APIerSv1.GetScheduledActions', summary: 'the scheduler queue', view: 'table' },
  sessions: { method: 'SessionSv1.GetActiveSessions', summary: 'live sessions', view: 'table' },
  session_force_disconnect: { method: 'SessionSv1.ForceDisconnect', summary: 'end a live session: OriginID or CGRID' },
  cdrs: { method: 'APIerSv1.GetCDRs', summary: 'stored CDRs with filters: Accounts RunIDs SetupTimeStart SetupTimeEnd Limit ...', view: 'table', numeric: ['Limit', 'Offset'], lists: ['Accounts', 'RunIDs', 'CGRIDs', 'OriginIDs', 'Destinations', 'RequestTypes', 'Tenants', 'Categories', 'Subjects', 'DestinationPrefixes'] },
  cdrs_export: { method: 'APIerSv1.ExportCDRs', summary: 'export CDRs to CSV through a template: [ExporterIDs] [filters as for cdrs]', lists: ['ExporterIDs', 'Accounts', 'RunIDs'] },
  opensips_status: { method: 'OpenSIPSAgentV1.Status', summary: 'the OpenSIPS agent: MI subscriptions, counters (bad datagrams ...), last events and errors' },
  opensips_subscribe: { method: 'OpenSIPSAgentV1.Subscribe', summary: 'subscribe to OpenSIPS events over MI now (event_subscribe)' },
  opensips_birpc_sessions: { method: 'OpenSIPSAgentV1.BiRPCSessionIDs', summary: 'the sessions each connected OpenSIPS (cgrates module) holds' },
  opensips_mi: { method: 'OpenSIPSAgentV1.MI', summary: 'run an OpenSIPS MI command over mi_datagram: Method [Params as JSON]' },
  rerate: { method: 'CDRsV1.RateCDRs', summary: 'rerate stored CDRs after a tariff change: [filters as for cdrs]', lists: ['Accounts', 'RunIDs', 'CGRIDs'] },
};
