// Seeded generators of hostile input for the reliability suite: JSON-RPC requests (wrong types for
// every parameter of every method, huge and non-finite numbers, deep nesting, huge strings,
// prototype keys), tariff-plan CSV mutations and config files. Same seed, same cases: a failure
// replays with ACCURATE_FUZZ_SEED=<seed>.

/** mulberry32: small, fast, good enough to pick cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = ReturnType<typeof rng>;
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Accounts the fuzz may touch; the reference accounts are never among them. */
export const FUZZ_ACCOUNTS = ['fz1', 'fz2', 'fz3'];

const T0 = '2014-08-04T13:00:00Z';
const ev = (extra: Record<string, unknown> = {}) => ({
  Tenant: 'cgrates.org', ID: 'fz', Event: { OriginID: 'fz-origin', OriginHost: '127.0.0.1', ToR: '*voice', RequestType: '*prepaid', Tenant: 'cgrates.org', Category: 'call', Account: 'fz1', Subject: 'fz1', Destination: '1002', SetupTime: T0, AnswerTime: T0, Usage: '10s', ...extra },
});
const cd = { Tenant: 'cgrates.org', Category: 'call', Subject: 'fz1', Account: 'fz1', Destination: '1002', ToR: '*voice', TimeStart: T0, TimeEnd: '2014-08-04T13:00:10Z', LoopIndex: 0, DurationIndex: 10e9, DryRun: false, PerformRounding: false, MaxCostSoFar: 0, Increments: [{ Duration: 1e9, Cost: 0.01, CompressFactor: 1, BalanceInfo: { AccountID: 'cgrates.org:fz1', Monetary: { UUID: 'nope' } } }] };
const bal = { Tenant: 'cgrates.org', Account: 'fz1', BalanceType: '*monetary', Value: 1, Balance: { ID: 'fzb', Weight: 10, DestinationIDs: '*any', ExpiryTime: '*unlimited', Disabled: false }, Overwrite: false, Cdrlog: false };
const cdrFilter = { Accounts: ['fz1'], RunIDs: ['*default'], SetupTimeStart: T0, SetupTimeEnd: '2030-01-01T00:00:00Z', MinUsage: '1s', MaxCost: 100, Limit: 5, Offset: 0, OrderBy: 'OrderID', ExtraFields: { a: 'b' } };

/** A valid-looking argument per method, aimed at the fuzz accounts; each of its fields gets wrong values. */
export const BASE: Record<string, Record<string, unknown>> = {
  'APIerSv1.GetAccount': { Tenant: 'cgrates.org', Account: 'fz1' },
  'APIerSv2.GetAccount': { Tenant: 'cgrates.org', Account: 'fz1' },
  'APIerSv1.GetAccounts': { Tenant: 'cgrates.org', AccountIDs: ['fz1'], Offset: 0, Limit: 10 },
  'APIerSv1.SetAccount': { Tenant: 'cgrates.org', Account: 'fz2', ActionPlanID: '', ActionTriggersID: '', AllowNegative: false, Disabled: false, ReloadScheduler: false, ExtraOptions: { AllowNegative: false } },
  'APIerSv1.RemoveAccount': { Tenant: 'cgrates.org', Account: 'fz3' },
  'APIerSv1.SetBalance': bal,
  'APIerSv1.AddBalance': bal,
  'APIerSv1.DebitBalance': bal,
  'APIerSv1.RemoveBalances': { ...bal, Account: 'fz2' },
  'APIerSv1.ExecuteAction': { Tenant: 'cgrates.org', Account: 'fz2', ActionsId: 'TOPUP_RST_10' },
  'APIerSv1.GetMaxUsage': { Tenant: 'cgrates.org', Account: 'fz1', Destination: '1002', Category: 'call', ToR: '*voice', Usage: '1m', AnswerTime: T0, ExtraFields: {} },
  'APIerSv1.GetMaxSessionTime': { Tenant: 'cgrates.org', Account: 'fz1', Destination: '1002', ReqType: '*prepaid', Usage: 60, AnswerTime: T0 },
  'APIerSv1.GetScheduledActions': { Tenant: 'cgrates.org', Account: 'fz1', TimeStart: T0, TimeEnd: '2030-01-01T00:00:00Z', Offset: 0, Limit: 5 },
  'Responder.Debit': cd,
  'Responder.MaxDebit': cd,
  'Responder.GetMaxSessionTime': cd,
  'Responder.RefundIncrements': cd,
  'Responder.RefundRounding': cd,
  'Responder.GetCost': cd,
  'CDRsV1.ProcessEvent': { ...ev({ RequestType: '*rated', Account: 'fz2', Subject: 'fz2' }), Flags: ['*rals'] },
  'CDRsV1.ProcessCDR': { CDR: { ...ev({ RequestType: '*rated' }).Event, RunID: '*default', Cost: 0.1 } },
  'CDRsV1.GetCDRs': cdrFilter,
  'CDRsV1.GetCDRsCount': cdrFilter,
  'APIerSv1.GetCDRs': { Accounts: ['fz1'], TimeStart: T0, TimeEnd: '2030-01-01T00:00:00Z', Limit: 5, SkipRated: false, CgrIds: ['x'] },
  'APIerSv2.GetCDRs': cdrFilter,
  'APIerSv1.RemoveCDRs': { ...cdrFilter, Accounts: ['fz3'] },
  'CDRsV1.RateCDRs': { ...cdrFilter, Accounts: ['fz3'] },
  'APIerSv1.ExportCDRs': { ...cdrFilter, Accounts: ['fz3'], ExporterIDs: ['billing'], ExportTemplate: 'billing', ExportPath: '/tmp', ExportFileName: 'x.csv', OnlyNew: false, DryRun: true, Verbose: '' },
  'CoreSv1.Ping': {},
  'CoreSv1.Status': {},
  'AttributeSv1.ProcessEvent': { ...ev(), Context: '*sessions', APIOpts: { '*attrProcessRuns': 1, '*attrProfileIDs': ['x'] } },
  'AttributeSv1.GetAttributeForEvent': { ...ev(), Context: '*sessions' },
  'ChargerSv1.ProcessEvent': ev(),
  'ChargerSv1.GetChargersForEvent': ev(),
  'APIerSv1.GetCost': { Tenant: 'cgrates.org', Category: 'call', Subject: 'fz1', Destination: '1002', AnswerTime: T0, Usage: '1m' },
  'RALsV1.GetRatingPlansCost': { Destination: '1002', RatingPlanIDs: ['RP_1001'], SetupTime: T0, Usage: '1m' },
  'APIerSv1.GetDestination': { ID: 'DST_1002' },
  'APIerSv1.GetRatingProfile': { Tenant: 'cgrates.org', Category: 'call', Subject: '1001' },
  'APIerSv1.GetRatingPlan': { ID: 'RP_1001' },
  'SessionSv1.AuthorizeEvent': { ...ev(), GetMaxUsage: true },
  'SessionSv1.InitiateSession': { ...ev(), InitSession: true, APIOpts: { '*sessionsDebitInterval': '10s' } },
  'SessionSv1.UpdateSession': { ...ev(), UpdateSession: true },
  'SessionSv1.TerminateSession': { ...ev(), TerminateSession: true },
  'SessionSv1.ProcessCDR': ev(),
  'SessionSv1.ProcessEvent': { ...ev(), Flags: ['*authorize'] },
  'SessionSv1.GetActiveSessions': { Filters: ['*string:~*req.Account:fz1'], Limit: 5, Tenant: 'cgrates.org' },
  'SessionSv1.GetActiveSessionsCount': {},
  'SessionSv1.ForceDisconnect': { OriginID: 'fz-none', Tenant: 'cgrates.org' },
};

const GENERIC = { Tenant: 'cgrates.org', Account: 'fz1', ID: 'fz', ...ev() };

function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Values of every wrong kind; raw JSON texts are spliced in as text (numbers JSON cannot round-trip). */
export function hostile(r: Rand): { value?: unknown; raw?: string } {
  const k = Math.floor(r() * 34);
  switch (k) {
    case 0: return { value: null };
    case 1: return { value: true };
    case 2: return { value: false };
    case 3: return { value: 0 };
    case 4: return { value: -1 };
    case 5: return { value: 1.5 };
    case 6: return { raw: '9007199254740993' };
    case 7: return { raw: '1e308' };
    case 8: return { raw: '-1e308' };
    case 9: return { raw: '1e400' }; // parses to Infinity
    case 10: return { value: '' };
    case 11: return { value: 'Infinity' };
    case 12: return { value: 'NaN' };
    case 13: return { value: '1e999999' };
    case 14: return { value: '0x10' };
    case 15: return { value: '1_000' };
    case 16: return { value: '-1h' };
    case 17: return { value: 'x'.repeat(r() < 0.1 ? 200_000 : 5_000) };
    case 18: return { value: [] };
    case 19: return { value: [1, 'a', null, {}] };
    case 20: return { value: {} };
    case 21: return { raw: '{"__proto__":{"polluted":1,"Account":"x"}}' };
    case 22: return { value: { constructor: { prototype: { polluted: 1 } } } };
    case 23: return { value: deep(r() < 0.5 ? 40 : 200) };
    case 24: return { value: 'line1\nERROR: forged\r\u0000' };
    case 25: return { value: '../../../../etc/passwd' };
    case 26: return { value: 'constructor' };
    case 27: return { value: '__proto__' };
    case 28: return { value: '*any' };
    case 29: return { value: 2 ** 31 * 1e6 };
    case 30: return { value: -1e-300 };
    case 31: return { value: Array.from({ length: 2000 }, (_, i) => i) };
    case 32: return { value: '\ud800' }; // lone surrogate
    default: return { value: 'toString' };
  }
}

/** One hostile request: a method of the table, one parameter (or event field) replaced by a wrong value. */
export function request(r: Rand, methods: readonly string[], id: number): string {
  const roll = r();
  if (roll < 0.03) {
    // A method name that is not one, or a request that is not an object.
    const m = pick(r, ['constructor.x', '__proto__.toString', '', 'CoreSv1', 'CoreSv1.', '.Ping', 'toString', 'APIerSv1.__proto__']);
    return JSON.stringify({ method: m, params: [{}], id });
  }
  if (roll < 0.05) return JSON.stringify({ method: pick(r, methods), params: [{}, {}], id, jsonrpc: pick(r, ['2.0', '1.0', undefined]) });
  const method = pick(r, methods);
  const base = JSON.parse(JSON.stringify(BASE[method] ?? GENERIC)) as Record<string, unknown>;
  const keys = Object.keys(base);
  const nested = base.Event && typeof base.Event === 'object' && r() < 0.4;
  const target = (nested ? base.Event : base.CDR && r() < 0.5 ? base.CDR : base) as Record<string, unknown>;
  const tkeys = target === base ? [...keys, 'APIOpts', '__proto__', 'Limit'] : Object.keys(target);
  const field = pick(r, tkeys);
  const h = hostile(r);
  if (r() < 0.1) delete target[pick(r, Object.keys(target))];
  // Placeholders spliced as text: raw numbers JSON.stringify cannot write, and an own "__proto__" key.
  const key = field === '__proto__' ? '@@PROTO@@' : field;
  target[key] = h.raw !== undefined ? '@@HOSTILE@@' : h.value;
  let text = JSON.stringify({ method, params: [base], id });
  if (h.raw !== undefined) text = text.replace('"@@HOSTILE@@"', h.raw);
  return text.replace('"@@PROTO@@":', '"__proto__":');
}

/** Hostile cell values for tariff-plan CSVs. */
const CSV_CELLS = [
  '', ' ', 'NaN', 'Infinity', '-1', '1e308', '1e999999', '0x10', '1_000', '-0', '99999999999999999999', '1.5.5', '"', '""', '"unterminated',
  'a,b', '\u0000', '\ufeffX', '*any', '*up', '60s', '-60s', '1000000h', '9999-99-99T99:99:99Z', '2014-13-45T00:00:00Z', '__proto__', 'constructor',
  'x'.repeat(5000), '\n', '\r\n', '💸', '../../etc/passwd', '*unlimited', 'true', 'maybe',
];

/** One mutated copy of a tariff plan: files as name → text. */
export function mutateTariffPlan(r: Rand, files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  const names = Object.keys(out);
  const edits = 1 + Math.floor(r() * 3);
  for (let n = 0; n < edits; n++) {
    const name = pick(r, names);
    const lines = out[name].split('\n');
    const kind = r();
    if (kind < 0.55) {
      // one cell of one data line replaced
      const dataLines = lines.map((l, i) => i).filter((i) => lines[i] !== '' && !lines[i].startsWith('#'));
      if (dataLines.length === 0) continue;
      const li = pick(r, dataLines);
      const cells = lines[li].split(',');
      cells[Math.floor(r() * cells.length)] = pick(r, CSV_CELLS);
      lines[li] = cells.join(',');
    } else if (kind < 0.65) {
      lines.push(lines[lines.length - 2] ?? ''); // a duplicate row
    } else if (kind < 0.72) {
      const li = Math.floor(r() * lines.length);
      lines[li] = (lines[li] ?? '') + ',extra,columns';
    } else if (kind < 0.78) {
      const li = Math.floor(r() * lines.length);
      lines[li] = (lines[li] ?? '').split(',').slice(0, 1).join(',');
    } else if (kind < 0.84) {
      out[name] = '';
      continue;
    } else if (kind < 0.9) {
      out[name] = '\ufeff' + lines.join('\r\n');
      continue;
    } else if (kind < 0.95) {
      out[name] = String.fromCharCode(...Array.from({ length: 200 }, () => Math.floor(r() * 256)));
      continue;
    } else {
      // many rows: a large but bounded file
      const row = lines.find((l) => l && !l.startsWith('#')) ?? 'X';
      for (let i = 0; i < 2000; i++) lines.push(row.replace(/^[^,]*/, `FZ_${i}`));
    }
    out[name] = lines.join('\n');
  }
  return out;
}

/** Hostile config files: JSONC text for a config folder. */
export function configCase(r: Rand): string {
  const sections = ['general', 'listen', 'data_db', 'rals', 'sessions', 'api', 'tls', 'cdrs', 'ees', 'apiers', 'history', '__proto__', 'constructor'];
  const keys = ['log_level', 'rpc_json', 'http', 'db_path', 'db_password', 'debit_interval', 'max_computed_usage', 'api_keys', 'max_batch', 'idle_timeout',
    'server_certificate', 'default_timezone', 'rounding_decimals', 'cost_mode', 'exporters', 'tariffplan_roots', 'node_id', '__proto__', 'max_connections'];
  const values = ['null', 'true', '-1', '1e308', '1e999', '"Infinity"', '"x"', '""', '[]', '{}', '[{"key":"short"}]', '"0.0.0.0:2012"', '"999.1.1.1:99999"',
    '"1000000h"', '"-5s"', `"${'y'.repeat(3000)}"`, '{"__proto__":{"polluted":true}}', '"Mars/Olympus"', '7', '0', '[1,2,3]', '"*sqlite"', '{"a":{"b":{"c":{"d":1}}}}'];
  const roll = r();
  if (roll < 0.08) return pick(r, ['{', '{"general":', '/* unterminated', '{"a":1,,}', '[]', 'null', '"x"', '{"general":{"log_level":5,},}', '\u0000\u0001', '{}']);
  if (roll < 0.12) return '{"a":'.repeat(2000) + '1' + '}'.repeat(2000);
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const inner = Array.from({ length: 1 + Math.floor(r() * 3) }, () => `"${pick(r, keys)}": ${pick(r, values)}`).join(', ');
    parts.push(`"${pick(r, sections)}": ${r() < 0.2 ? pick(r, values) : `{${inner}}`}`);
  }
  return `// fuzz\n{${parts.join(', ')}${r() < 0.3 ? ',' : ''}}`;
}
