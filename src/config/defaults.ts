// Every section's defaults, in one place, with CGRateS's key names. The embedded default needs no
// setup: SQLite under ./data, loopback listeners, the charging services on, the agents off.

export interface ExportField {
  tag?: string;
  path?: string;
  type: string;
  value?: string;
  layout?: string;
  filters?: string[];
  mask_destinationd_id?: string;
  mask_length?: number;
  rounding_decimals?: number;
  padding?: string;
  width?: number;
  [key: string]: unknown;
}

export interface ExporterConfig {
  id: string;
  type: string;
  export_path: string;
  field_separator: string;
  timezone: string;
  filters: string[];
  flags: string[];
  attempts: number;
  cost_multiply_factor: number;
  cost_rounding_decimals: number;
  fields: ExportField[];
  [key: string]: unknown;
}

export const DEFAULT_CONFIG = {
  general: {
    node_id: '',
    logger: '*stdout',
    log_level: 6,
    rounding_decimals: 5,
    default_request_type: '*rated',
    default_category: 'call',
    default_tenant: 'cgrates.org',
    default_timezone: 'Local',
    connect_timeout: '1s',
    reply_timeout: '2s',
    min_call_duration: '0s',
    max_call_duration: '3h',
    rsr_separator: ';',
  },
  listen: {
    rpc_json: '127.0.0.1:2012',
    http: '127.0.0.1:2080',
    birpc_json: '127.0.0.1:2014',
    /** JSON-RPC over TLS (TCP and HTTPS): certificate and key under `tls`. */
    rpc_json_tls: '',
    http_tls: '',
  },
  http: {
    json_rpc_url: '/jsonrpc',
  },
  tls: {
    server_certificate: '',
    server_key: '',
  },
  /** JSON-RPC callers: API keys (required from beyond loopback once any is set) and resource bounds. */
  api: {
    api_keys: [] as { key: string; methods: string[] }[],
    require_keys_on_loopback: false,
    http_allowed_hosts: [] as string[],
    max_connections: 1024,
    reserved_loopback_connections: 16,
    max_pending_replies: 64,
    idle_timeout: '5m',
    request_timeout: '30s',
    max_request_bytes: 8388608,
    max_reply_bytes: 67108864,
    max_batch: 100,
    max_depth: 64,
  },
  data_db: {
    db_type: '*sqlite',
    db_path: './data',
  },
  stor_db: {
    db_type: '*sqlite',
    db_path: './data',
  },
  rals: {
    enabled: true,
    cost_mode: '*exact',
    remove_expired: true,
    max_computed_usage: { '*any': '189h', '*voice': '72h', '*data': '107374182400', '*sms': '10000', '*mms': '10000' } as Record<string, string>,
    max_increments: 1000000,
    balance_rating_subject: { '*any': '*zero1ns', '*voice': '*zero1s' } as Record<string, string>,
  },
  schedulers: {
    enabled: true,
    filters: [] as string[],
  },
  cdrs: {
    enabled: true,
    extra_fields: [] as string[],
    store_cdrs: true,
    session_cost_retries: 5,
    chargers_conns: ['*internal'] as string[],
    rals_conns: ['*internal'] as string[],
    attributes_conns: [] as string[],
    online_cdr_exports: [] as string[],
  },
  chargers: {
    enabled: true,
    attributes_conns: ['*internal'] as string[],
  },
  attributes: {
    enabled: true,
    process_runs: 1,
  },
  sessions: {
    enabled: true,
    chargers_conns: ['*internal'] as string[],
    rals_conns: ['*internal'] as string[],
    cdrs_conns: ['*internal'] as string[],
    attributes_conns: [] as string[],
    debit_interval: '0s',
    store_session_costs: false,
    default_usage: { '*any': '3h', '*voice': '3h', '*data': '1048576', '*sms': '1' } as Record<string, string>,
    session_ttl: '0s',
    session_indexes: [] as string[],
    min_dur_low_balance: '0s',
  },
  apiers: {
    enabled: true,
    /** Folders LoadTariffPlanFromFolder may read (FolderPath inside one of them); empty: any folder. */
    tariffplan_roots: [] as string[],
  },
  opensips_agent: {
    enabled: false,
    listen: '127.0.0.1:2020',
    mi_addr: '127.0.0.1:8020',
    /** MI event_subscribe renewal; each subscription expires a little after it (0s: the cfg's own subscriptions only). */
    events_subscribe_interval: '60s',
    mi_reply_timeout: '1s',
    mi_retries: 2,
    sessions_conns: ['*internal'] as string[],
    create_cdr: true,
    /** Sessions of this agent end (with their CDR) when no end event came for this long: lost datagrams never leave them stale. */
    session_ttl: '3h10m',
    request_processors: [] as Record<string, unknown>[],
    /** Serve OpenSIPS's `cgrates` module (raw JSON both ways) on listen.birpc_json. */
    birpc: false,
    /** Empty: the CGRateS avp names (cgr_reqtype, cgr_account ...); see src/agents/opensips/events.ts. */
    request_fields: [] as Record<string, unknown>[],
  },
  diameter_agent: {
    enabled: false,
    listen: '127.0.0.1:3868',
    listen_net: 'tcp',
    /** Newer CGRateS form; when given it replaces listen/listen_net. */
    listeners: [] as { address: string; network: string }[],
    dictionaries_path: '',
    sessions_conns: ['*internal'] as string[],
    origin_host: 'ACCURATE-DA',
    origin_realm: 'accurate.org',
    vendor_id: 0,
    product_name: 'AccuRate',
    synced_conn_requests: false,
    asr_template: '',
    rar_template: '',
    forced_disconnect: '*none',
    request_processors: [] as Record<string, unknown>[],
    /** AccuRate: RFC 3539 Tw, idle time before a DWR and how long one may go unanswered. */
    watchdog_interval: '30s',
    /** AccuRate: largest Diameter message accepted, in bytes. */
    max_message_size: 1048576,
  },
  ees: {
    enabled: true,
    exporters: [
      {
        id: '*default',
        type: '*file_csv',
        export_path: '/var/spool/accurate/ees',
        field_separator: ',',
        timezone: '',
        filters: [],
        flags: [],
        attempts: 1,
        cost_multiply_factor: 1,
        cost_rounding_decimals: -1,
        fields: [
          { tag: 'CGRID', path: '*exp.CGRID', type: '*variable', value: '~*req.CGRID' },
          { tag: 'RunID', path: '*exp.RunID', type: '*variable', value: '~*req.RunID' },
          { tag: 'ToR', path: '*exp.ToR', type: '*variable', value: '~*req.ToR' },
          { tag: 'OriginID', path: '*exp.OriginID', type: '*variable', value: '~*req.OriginID' },
          { tag: 'RequestType', path: '*exp.RequestType', type: '*variable', value: '~*req.RequestType' },
          { tag: 'Tenant', path: '*exp.Tenant', type: '*variable', value: '~*req.Tenant' },
          { tag: 'Category', path: '*exp.Category', type: '*variable', value: '~*req.Category' },
          { tag: 'Account', path: '*exp.Account', type: '*variable', value: '~*req.Account' },
          { tag: 'Subject', path: '*exp.Subject', type: '*variable', value: '~*req.Subject' },
          { tag: 'Destination', path: '*exp.Destination', type: '*variable', value: '~*req.Destination' },
          { tag: 'SetupTime', path: '*exp.SetupTime', type: '*variable', value: '~*req.SetupTime', layout: '2006-01-02T15:04:05Z07:00' },
          { tag: 'AnswerTime', path: '*exp.AnswerTime', type: '*variable', value: '~*req.AnswerTime', layout: '2006-01-02T15:04:05Z07:00' },
          { tag: 'Usage', path: '*exp.Usage', type: '*variable', value: '~*req.Usage' },
          { tag: 'Cost', path: '*exp.Cost', type: '*variable', value: '~*req.Cost', rounding_decimals: 4 },
        ],
      },
    ] as ExporterConfig[],
  },
  /** Named field templates (CGRateS's `templates`), e.g. a custom diameter_agent.asr_template; keyed by id. */
  templates: {} as Record<string, Record<string, unknown>[]>,
  /** Legacy CGRateS (pre-EEs) export templates, e.g. the osips_async tutorial's; keyed by template id. */
  cdre: {} as Record<string, Record<string, unknown>>,
  history: {
    enabled: true,
    history_dir: '',
    /** Commit author of archived changes ("Name <email>"); default the user running the load. */
    author: '',
  },
};

export type EngineConfig = typeof DEFAULT_CONFIG;

export function defaultConfig(): EngineConfig {
  return structuredClone(DEFAULT_CONFIG);
}

/** Fields that only take one of a few values: checked with the file and key named on error. */
export const ENUMS: Record<string, readonly string[]> = {
  'general.logger': ['*stdout', '*syslog', '*stderr'],
  'rals.cost_mode': ['*exact', '*cgrates'],
  'general.default_request_type': ['', '*prepaid', '*postpaid', '*pseudoprepaid', '*rated', '*none', '*dynaprepaid'],
  'data_db.db_type': ['*sqlite', '*internal'],
  'stor_db.db_type': ['*sqlite', '*internal'],
  'diameter_agent.forced_disconnect': ['*none', '*asr', '*rar'],
  'diameter_agent.listen_net': ['tcp'],
};

/** Keys holding durations (Go syntax; bare integers are nanoseconds). */
export const DURATION_KEYS: readonly string[] = [
  'diameter_agent.watchdog_interval',
  'general.connect_timeout', 'general.reply_timeout', 'general.min_call_duration', 'general.max_call_duration',
  'sessions.debit_interval', 'sessions.session_ttl', 'sessions.min_dur_low_balance', 'api.idle_timeout', 'api.request_timeout',
  'opensips_agent.events_subscribe_interval', 'opensips_agent.mi_reply_timeout', 'opensips_agent.session_ttl',
];

/** Keys holding listen addresses (host:port). */
export const ADDRESS_KEYS: readonly string[] = ['listen.rpc_json', 'listen.http', 'listen.birpc_json', 'listen.rpc_json_tls', 'listen.http_tls', 'opensips_agent.listen', 'opensips_agent.mi_addr', 'diameter_agent.listen'];
