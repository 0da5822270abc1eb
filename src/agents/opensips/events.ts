// OpenSIPS event → what it means for a call, and → a CGRateS event through request_fields.
// Which event starts, ends or fails a call is fixed by OpenSIPS's acc/dialog semantics; which
// fields the event carries and how they map is configuration (request_fields).
import {
  compileTemplate, processTemplate, fieldTemplateFromRaw, compileInlineFilter, AgentTemplateError,
  type CompiledTemplate, type CompiledFilter, type DataMap, type FieldTemplate, type ProcessContext,
} from '../../filters/index.js';
import type { OsipsEvent } from './datagram.js';

export type CallAction =
  /** E_ACC_CDR: a whole answered call (CDR mode). */
  | 'cdr'
  /** E_ACC_MISSED_EVENT, or E_ACC_EVENT with a final code ≥ 300: a failed call, zero usage. */
  | 'failed'
  /** E_ACC_EVENT INVITE with a 2xx code: the call was answered (event mode). */
  | 'start'
  /** E_ACC_EVENT BYE: the call ended (event mode; in CDR mode its extras are null and the CDR follows). */
  | 'end'
  /** E_DLG_STATE_CHANGED to 4 (confirmed): the call was answered; its values come from MI dlg_list_ctx. */
  | 'answered'
  /** E_DLG_STATE_CHANGED to 5 (deleted). */
  | 'dialog_ended'
  /** E_CGR_AUTHORIZE: the script asks for the max duration before relaying the INVITE. */
  | 'authorize'
  /** E_OPENSIPS_START: OpenSIPS (re)started; subscribe again now. */
  | 'opensips_start'
  /** Any other dialog state change. */
  | 'ignore'
  | 'unknown';

/** Events the agent subscribes to over MI. E_CGR_AUTHORIZE exists only when the cfg declares it. */
export const CONSUMED_EVENTS = ['E_ACC_CDR', 'E_ACC_EVENT', 'E_ACC_MISSED_EVENT', 'E_DLG_STATE_CHANGED', 'E_OPENSIPS_START', 'E_CGR_AUTHORIZE'] as const;

function code(ev: OsipsEvent): number {
  const n = Number(ev.attrs.sip_code);
  return Number.isFinite(n) ? n : 0;
}

export function actionOf(ev: OsipsEvent): CallAction {
  switch (ev.name) {
    case 'E_ACC_CDR':
      return 'cdr';
    case 'E_ACC_MISSED_EVENT':
      return 'failed';
    case 'E_ACC_EVENT': {
      const method = String(ev.attrs.method ?? '').toUpperCase();
      const c = code(ev);
      if (method === 'INVITE') return c >= 300 ? 'failed' : c >= 200 ? 'start' : 'ignore';
      if (method === 'BYE') return 'end';
      return 'ignore';
    }
    case 'E_DLG_STATE_CHANGED': {
      const s = Number(ev.attrs.new_state);
      return s === 4 ? 'answered' : s === 5 ? 'dialog_ended' : 'ignore';
    }
    case 'E_CGR_AUTHORIZE':
      return 'authorize';
    case 'E_OPENSIPS_START':
      return 'opensips_start';
    default:
      return 'unknown';
  }
}

/** The fields every action needs, named so a missing one is reported before any charging. */
export const REQUIRED_ATTRS: Partial<Record<CallAction, string[]>> = {
  cdr: ['callid', 'time'],
  failed: ['callid', 'time'],
  start: ['callid', 'time'],
  end: ['callid', 'time'],
  answered: ['callid', 'from_tag'],
  dialog_ended: ['callid'],
  authorize: ['callid'],
};

const v = (tag: string, path: string, value: string, more: Partial<FieldTemplate> = {}): FieldTemplate => ({ tag, path, type: '*variable', value, filters: [], ...more });

/**
 * The default request_fields: the CGRateS avp names the tutorial's cfg sets. Later fields win, so
 * `created` (INVITE time, CDR mode) overrides `time` for SetupTime and `ms_duration` overrides
 * `duration`. AnswerTime only for answered calls.
 */
export const DEFAULT_REQUEST_FIELDS: readonly FieldTemplate[] = [
  { tag: 'ToR', path: '*cgreq.ToR', type: '*constant', value: '*voice', filters: [] },
  v('OriginID', '*cgreq.OriginID', '~*req.callid', { mandatory: true }),
  v('OriginHost', '*cgreq.OriginHost', '~*vars.OriginHost'),
  v('RequestType', '*cgreq.RequestType', '~*req.cgr_reqtype'),
  v('Tenant', '*cgreq.Tenant', '~*req.cgr_tenant'),
  v('Category', '*cgreq.Category', '~*req.cgr_category'),
  v('Account', '*cgreq.Account', '~*req.cgr_account'),
  v('Subject', '*cgreq.Subject', '~*req.cgr_subject'),
  v('Destination', '*cgreq.Destination', '~*req.cgr_destination'),
  v('Supplier', '*cgreq.Supplier', '~*req.cgr_supplier'),
  v('DialogID', '*cgreq.DialogID', '~*req.dialog_id'),
  v('SetupTime', '*cgreq.SetupTime', '~*req.time'),
  v('SetupTime', '*cgreq.SetupTime', '~*req.created'),
  v('AnswerTime', '*cgreq.AnswerTime', '~*req.time', { filters: ['*prefix:~*req.sip_code:2'] }),
  v('Usage', '*cgreq.Usage', '~*req.duration;s'),
  v('Usage', '*cgreq.Usage', '~*req.ms_duration;ms'),
  v('DisconnectCause', '*cgreq.DisconnectCause', '~*req.sip_code;` `;~*req.sip_reason'),
];

export function compileRequestFields(raw: readonly unknown[] | undefined, rsrSeparator = ';'): CompiledTemplate {
  const specs = raw && raw.length > 0 ? raw.map((r, i) => fieldTemplateFromRaw(r, `opensips_agent.request_fields[${i}]`)) : DEFAULT_REQUEST_FIELDS;
  return compileTemplate('opensips_agent.request_fields', specs, { rsrSeparator, writable: ['*cgreq', '*vars'] });
}

/** A request processor: the first whose filters pass maps the event with its own request_fields. */
export interface RequestProcessor {
  id: string;
  filters: string[];
  /** Inline filters compiled once (profile IDs go through FilterService). */
  inline?: CompiledFilter[];
  template: CompiledTemplate;
}

/** `opensips_agent.request_processors`: [{id, filters, request_fields}] (filters see `~*vars.EventName`). */
export function compileRequestProcessors(raw: readonly unknown[] | undefined, rsrSeparator = ';'): RequestProcessor[] {
  return (raw ?? []).map((r, i) => {
    const where = `opensips_agent.request_processors[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new AgentTemplateError(`${where}: must be an object`);
    const o = r as Record<string, unknown>;
    const id = String(o.id ?? `#${i}`);
    const filters = Array.isArray(o.filters) ? o.filters.map(String) : [];
    const fields = Array.isArray(o.request_fields) ? o.request_fields : [];
    if (fields.length === 0) throw new AgentTemplateError(`${where} (${id}): request_fields is empty`);
    let inline: CompiledFilter[] | undefined;
    try {
      inline = filters.every((f) => f.startsWith('*')) ? filters.map((f) => compileInlineFilter('', f)) : undefined;
    } catch (e) {
      throw new AgentTemplateError(`${where} (${id}): ${(e as Error).message}`);
    }
    const template = compileTemplate(`${where}.request_fields`, fields.map((f, j) => fieldTemplateFromRaw(f, `${where}.request_fields[${j}]`)), { rsrSeparator, writable: ['*cgreq', '*vars'] });
    return { id, filters, inline, template };
  });
}

/** The data provider of an event: `*req` its attributes, `*vars` the event name and agent values. */
export function eventDataProvider(ev: OsipsEvent, vars: DataMap): DataMap {
  return { '*req': { ...ev.attrs }, '*vars': { EventName: ev.name, ...vars } };
}

/** The template for an event: the first request processor whose filters pass, else the default. */
export function templateFor(processors: readonly RequestProcessor[], fallback: CompiledTemplate, dp: DataMap, ctx: ProcessContext = {}): CompiledTemplate {
  for (const p of processors) {
    if (p.filters.length === 0) return p.template;
    const pass = p.inline
      ? p.inline.every((f) => f.rules.every((r) => r.pass(dp, { timezone: ctx.timezone ?? 'UTC' })))
      : (ctx.filters?.pass(ctx.tenant ?? '', p.filters, dp) ?? false);
    if (pass) return p.template;
  }
  return fallback;
}

/** The CGREvent fields of an OpenSIPS event (values as strings; SessionS parses times and durations). */
export function toCGREvent(t: CompiledTemplate, ev: OsipsEvent, vars: DataMap, ctx: ProcessContext = {}, processors: readonly RequestProcessor[] = []): Record<string, unknown> {
  const dp = eventDataProvider(ev, vars);
  processTemplate(templateFor(processors, t, dp, ctx), dp, ctx);
  return (dp['*cgreq'] as Record<string, unknown> | undefined) ?? {};
}
