// Request processors as CGRateS's DiameterAgent runs them: the first processor whose filters pass
// (and the next ones while `*continue` is set) maps the request to an event through its
// request_fields (`*cgreq`), calls SessionS as its flags say, puts SessionS's reply or error in
// `*cgrep`, and builds the answer through its reply_fields (`*rep`). The template language is the
// one in src/filters; this file only adds what Diameter needs around it.
import type { Logger } from '../../util/logger.js';
import { parseDuration } from '../../util/duration.js';
import {
  AgentTemplateError, compileInlineFilter, compileTemplate, fieldTemplateFromRaw, processTemplate,
  type CompiledFilter, type CompiledTemplate, type DataMap, type FilterService,
} from '../../filters/index.js';
import type { EventMap } from '../../sessions/index.js';

export const PROCESSOR_FLAGS = [
  '*authorize', '*initiate', '*update', '*terminate', '*message', '*event', '*cdrs', '*accounts', '*attributes',
  '*resources', '*routes', '*thresholds', '*stats', '*log', '*dryrun', '*continue', '*auth', '*fd', '*none',
] as const;

export interface RequestProcessor {
  id: string;
  tenant: string;
  filters: string[];
  /** Inline filters compiled once (when every filter is inline); profile ids go through FilterService. */
  inline?: CompiledFilter[];
  flags: Set<string>;
  request: CompiledTemplate;
  reply: CompiledTemplate;
}

export class ProcessorConfigError extends Error {}

/** Compiles `request_processors` from config; every problem names the processor and field. */
export function compileProcessors(raw: readonly Record<string, unknown>[], where = 'diameter_agent.request_processors', rsrSeparator = ';'): RequestProcessor[] {
  return raw.map((r, i) => {
    const id = String(r.id ?? `#${i + 1}`);
    const at = `${where}[${id}]`;
    const list = (k: string): unknown[] => {
      const v = r[k];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) throw new ProcessorConfigError(`${at}.${k}: expected a list`);
      return v;
    };
    const flags = new Set(list('flags').map((f) => String(f).split(':')[0]));
    for (const f of flags) {
      if (!(PROCESSOR_FLAGS as readonly string[]).includes(f)) throw new ProcessorConfigError(`${at}.flags: unknown flag ${f} (known: ${PROCESSOR_FLAGS.join(', ')})`);
    }
    const filters = list('filters').map(String);
    let inline: CompiledFilter[] | undefined;
    try {
      if (filters.every((f) => f.startsWith('*'))) inline = filters.map((f) => compileInlineFilter('', f));
    } catch (e) {
      throw new ProcessorConfigError(`${at}.filters: ${(e as Error).message}`);
    }
    const template = (k: string) => {
      try {
        return compileTemplate(`${id}.${k}`, list(k).map((f, j) => fieldTemplateFromRaw(f, `${at}.${k}[${j}]`)), { rsrSeparator });
      } catch (e) {
        throw new ProcessorConfigError(`${at}: ${(e as Error).message}`);
      }
    };
    return { id, tenant: String(r.tenant ?? ''), filters, inline, flags, request: template('request_fields'), reply: template('reply_fields') };
  });
}

/** What the processors need of SessionS (SessionManager fits; durations ns). */
export interface SessionsPort {
  authorize(ev: EventMap): Promise<number>;
  initiate(ev: EventMap, opts?: { clientId?: string }): Promise<number>;
  update(ev: EventMap, opts?: { clientId?: string }): Promise<number>;
  terminate(ev: EventMap, opts?: { clientId?: string }): Promise<void>;
  processCDR(ev: EventMap): Promise<void>;
}

export interface ProcessDeps {
  sessions: SessionsPort;
  filters?: FilterService;
  log: Logger;
  defaultTenant: string;
  timezone: string;
  roundingDecimals?: number;
  /**
   * Sessions SessionS already ended (credit exhausted, ForceDisconnect) and charged: a late
   * terminate/update for them must not start and charge them again.
   */
  ended?: (originId: string) => boolean;
}

export interface ProcessResult {
  /** The answer's AVP map (`*rep`), in template order. */
  rep: DataMap;
  /** Ids of the processors that ran. */
  ran: string[];
  /** Events that started or updated a session (the agent remembers who owns them). */
  sessionEvents: EventMap[];
}

function passes(p: RequestProcessor, dp: DataMap, d: ProcessDeps): boolean {
  if (p.filters.length === 0) return true;
  if (p.inline) return p.inline.every((f) => f.rules.every((r) => r.pass(dp, d.filters?.filterDeps ?? { timezone: d.timezone })));
  if (!d.filters) throw new ProcessorConfigError(`processor ${p.id}: filters ${p.filters.join(',')} name profiles but FilterService is not running`);
  return d.filters.pass(p.tenant || d.defaultTenant, p.filters, dp);
}

/** Runs the processors over one request; `req` is the request's AVP map, `vars` the `*vars`. */
export async function processRequest(procs: readonly RequestProcessor[], req: DataMap, vars: DataMap, clientId: string, d: ProcessDeps): Promise<ProcessResult> {
  const rep: DataMap = {};
  const out: ProcessResult = { rep, ran: [], sessionEvents: [] };
  for (const p of procs) {
    const dp: DataMap = { '*req': req, '*vars': vars, '*cgreq': {}, '*cgrep': {}, '*rep': rep, '*diamreq': {} };
    if (!passes(p, dp, d)) continue;
    out.ran.push(p.id);
    const ctx = { filters: d.filters, tenant: p.tenant || d.defaultTenant, timezone: d.timezone, roundingDecimals: d.roundingDecimals };
    processTemplate(p.request, dp, ctx);
    const ev: EventMap = { ...(dp['*cgreq'] as EventMap) };
    if (!ev.Tenant) ev.Tenant = p.tenant || d.defaultTenant;
    const cgrep = dp['*cgrep'] as DataMap;
    if (p.flags.has('*log') || p.flags.has('*dryrun')) d.log.info(`diameter processor ${p.id}: event ${JSON.stringify(ev)}`);
    if (!p.flags.has('*dryrun')) {
      try {
        await callSessions(p.flags, ev, cgrep, clientId, d, out);
      } catch (e) {
        cgrep.Error = (e as Error).message || String(e);
      }
    }
    if (p.flags.has('*log') || p.flags.has('*dryrun')) d.log.info(`diameter processor ${p.id}: reply ${JSON.stringify(cgrep)}`);
    processTemplate(p.reply, dp, ctx);
    if (!p.flags.has('*continue')) break;
  }
  return out;
}

/**
 * SessionS's -1 means "no limit known here" (AllowNegative, *postpaid runs, a running debit loop):
 * a Diameter grant cannot be negative, so the requested usage is granted (CC-Time 0 would end the call).
 */
function granted(m: number, ev: EventMap): number {
  return m === -1 && ev.Usage !== undefined && ev.Usage !== '' ? parseDuration(ev.Usage as string | number) : m;
}

async function callSessions(flags: Set<string>, ev: EventMap, cgrep: DataMap, clientId: string, d: ProcessDeps, out: ProcessResult): Promise<void> {
  const s = d.sessions;
  const accounts = flags.has('*accounts');
  if ((flags.has('*terminate') || flags.has('*update')) && d.ended?.(String(ev.OriginID ?? ''))) {
    d.log.info(`diameter: session ${String(ev.OriginID)} was already ended by SessionS (and its CDR written); nothing more to charge`);
    return;
  }
  if (flags.has('*authorize')) {
    if (accounts) cgrep.MaxUsage = granted(await s.authorize(ev), ev);
  } else if (flags.has('*initiate')) {
    if (accounts) {
      cgrep.MaxUsage = granted(await s.initiate(ev, { clientId }), ev);
      out.sessionEvents.push(ev);
    }
  } else if (flags.has('*update')) {
    if (accounts) {
      cgrep.MaxUsage = granted(await s.update(ev, { clientId }), ev);
      out.sessionEvents.push(ev);
    }
  } else if (flags.has('*terminate')) {
    if (accounts) await s.terminate(ev, { clientId });
  } else if (flags.has('*message') || flags.has('*event')) {
    // A one-shot charge: authorized and debited at once (CGRateS's ProcessMessage/ProcessEvent with *accounts).
    if (accounts) {
      cgrep.MaxUsage = await s.initiate(ev, { clientId });
      await s.terminate(ev, { clientId });
    }
  }
  if (flags.has('*cdrs')) await s.processCDR(ev);
}

export { AgentTemplateError };
