// The OpenSIPS event_datagram agent: listens for OpenSIPS's accounting and dialog events over UDP,
// keeps its MI subscriptions alive, turns events into SessionS calls (authorize, initiate,
// terminate, CDRs) and hangs calls up over MI when SessionS says so. One call's events are handled
// in arrival order (a lock per Call-ID); a bad datagram is counted and logged, never fatal.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from '../../util/logger.js';
import { KeyedMutex } from '../../util/mutex.js';
import { AccurateError, ERR } from '../../util/errors.js';
import type { KVStore } from '../../store/index.js';
import { PREPAID_TYPES, durationField, str, timeField, type EventMap, type Session, type SessionManager } from '../../sessions/index.js';
import type { CompiledTemplate, FilterService } from '../../filters/index.js';
import { parseDatagram, DatagramError, type OsipsEvent, type OsipsValue } from './datagram.js';
import { actionOf, toCGREvent, CONSUMED_EVENTS, REQUIRED_ATTRS, type CallAction, type RequestProcessor } from './events.js';
import { MiClient, MiError } from './mi.js';
import { splitHostPort, listenError } from '../../util/address.js';

/** The client id sessions carry so SessionS can ask this agent to hang their call up. */
export const OPENSIPS_CLIENT_ID = '*opensips_agent';

export interface OpenSipsAgentOptions {
  listen: string;
  miAddr: string;
  /** ns between MI event_subscribe renewals; the expire asked is a little longer. 0: never subscribe. */
  subscribeInterval: number;
  createCdr: boolean;
  requestFields: CompiledTemplate;
  /** Checked first, in order: the first whose filters pass maps the event. */
  requestProcessors?: RequestProcessor[];
  sessions: SessionManager;
  /** Where event-mode call starts wait for their BYE (survives a restart). */
  store: KVStore;
  log: Logger;
  /** ns a session of this agent may live without an end event; 0 = never expires. */
  sessionTtl: number;
  filters?: FilterService;
  tenant?: string;
  timezone?: string;
  miTimeout?: number;
  miRetries?: number;
}

export interface AgentCounters {
  datagrams: number;
  events: number;
  bad_datagrams: number;
  unknown_events: number;
  failed_events: number;
  duplicates: number;
  authorizations: number;
  sessions_started: number;
  cdrs: number;
  disconnects: number;
}

interface Recent {
  at: string;
  from: string;
  event?: string;
  callid?: string;
  action?: string;
  error?: string;
}

const STARTS_KIND = 'opensips_calls';
const RECENT = 20;
/** How long a Call-ID is remembered as failed or hung up by us (its late duplicates are ignored). */
const REMEMBER_MS = 10 * 60_000;
/** How long after a dialog's end its E_ACC_CDR may take before the session is ended without it. */
const CDR_GRACE_MS = 5000;

function push<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > RECENT) list.shift();
}

function reasonText(reason: string): string {
  return reason === 'INSUFFICIENT_CREDIT' ? 'insufficient credit' : reason === 'SESSION_TTL' ? 'session expired' : reason.toLowerCase().replace(/_/g, ' ');
}

export class OpenSipsAgent {
  private sock?: Socket;
  readonly mi: MiClient;
  private subTimer?: NodeJS.Timeout;
  private ttlTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private unregister?: () => void;
  private readonly locks = new KeyedMutex();
  private readonly failedSeen = new Map<string, number>();
  private readonly endedByUs = new Map<string, number>();
  private readonly inflight = new Set<Promise<void>>();
  readonly counters: AgentCounters = {
    datagrams: 0, events: 0, bad_datagrams: 0, unknown_events: 0, failed_events: 0, duplicates: 0, authorizations: 0, sessions_started: 0, cdrs: 0, disconnects: 0,
  };
  readonly recentEvents: Recent[] = [];
  readonly recentErrors: Recent[] = [];
  readonly subscriptions: Record<string, { ok: boolean; at: string; error?: string }> = {};
  private boundAddress = '';
  private sweeping = false;

  constructor(private readonly o: OpenSipsAgentOptions) {
    this.mi = new MiClient({ address: o.miAddr, timeout: o.miTimeout, retries: o.miRetries });
  }

  get address(): string {
    return this.boundAddress;
  }

  async start(): Promise<void> {
    const { host, port } = splitHostPort(this.o.listen, 'opensips_agent.listen');
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => reject(listenError('opensips_agent.listen', this.o.listen, e));
      sock.once('error', onError);
      sock.bind(port, host, () => {
        sock.off('error', onError);
        resolve();
      });
    });
    sock.on('error', (e) => this.o.log.err(`opensips_agent: socket error: ${e.message}`));
    sock.on('message', (buf, rinfo) => this.track(this.onDatagram(buf, rinfo)));
    this.sock = sock;
    const a = sock.address();
    this.boundAddress = `${a.address}:${a.port}`;
    this.unregister = this.o.sessions.onDisconnect(OPENSIPS_CLIENT_ID, (s, reason) => this.disconnect(s, reason));
    if (this.o.subscribeInterval > 0) {
      this.track(this.subscribe());
      this.subTimer = setInterval(() => this.track(this.subscribe()), Math.max(1000, Math.round(this.o.subscribeInterval / 1e6)));
      this.subTimer.unref();
    }
    if (this.o.sessionTtl > 0) {
      this.ttlTimer = setInterval(() => this.sweep(), Math.max(200, Math.min(5000, Math.floor(this.o.sessionTtl / 4e6))));
      this.ttlTimer.unref();
    }
    this.o.log.info(`opensips_agent listening for event_datagram on udp:${this.boundAddress}, OpenSIPS MI at udp:${this.o.miAddr}`);
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** The socket OpenSIPS should send events to, as event_subscribe names it. */
  get eventSocket(): string {
    // A wildcard bind is no address OpenSIPS can send to: name loopback (set `listen` to the IP OpenSIPS reaches otherwise).
    return `udp:${this.boundAddress.replace(/^(0\.0\.0\.0|::):/, '127.0.0.1:')}`;
  }

  /** (Re)subscribes every consumed event with an expire a little longer than the renewal interval. */
  async subscribe(): Promise<void> {
    const expire = Math.ceil(this.o.subscribeInterval / 1e9) + 10;
    for (const event of CONSUMED_EVENTS) {
      const at = new Date().toISOString();
      try {
        await this.mi.call('event_subscribe', { event, socket: this.eventSocket, expire });
        this.subscriptions[event] = { ok: true, at };
      } catch (e) {
        const msg = (e as Error).message;
        const was = this.subscriptions[event];
        this.subscriptions[event] = { ok: false, at, error: msg };
        // An event the cfg does not raise (E_CGR_AUTHORIZE, E_OPENSIPS_START) is fine; OpenSIPS down is worth a line once.
        if (!(e instanceof MiError) || e.code !== 0) this.o.log.debug(`opensips_agent: event_subscribe ${event}: ${msg}`);
        else if (!was || was.ok) this.o.log.warning(`opensips_agent: event_subscribe ${event}: ${msg}`);
        if (e instanceof MiError && e.code === 0) {
          // OpenSIPS not (yet) there: try again soon rather than at the next renewal.
          if (!this.retryTimer && this.sock) {
            this.retryTimer = setTimeout(() => {
              this.retryTimer = undefined;
              if (this.sock) this.track(this.subscribe());
            }, Math.min(5000, Math.round(this.o.subscribeInterval / 1e6)));
            this.retryTimer.unref();
          }
          for (const rest of CONSUMED_EVENTS.slice(CONSUMED_EVENTS.indexOf(event) + 1)) this.subscriptions[rest] = { ok: false, at, error: msg };
          return;
        }
      }
    }
  }

  private bad(from: string, error: string, callid?: string): void {
    this.counters.bad_datagrams++;
    push(this.recentErrors, { at: new Date().toISOString(), from, error, ...(callid ? { callid } : {}) });
    this.o.log.warning(`opensips_agent: bad datagram from ${from}: ${error}`);
  }

  private async onDatagram(buf: Buffer, rinfo: RemoteInfo): Promise<void> {
    this.counters.datagrams++;
    const from = `${rinfo.address}:${rinfo.port}`;
    let events: OsipsEvent[];
    try {
      events = parseDatagram(buf);
    } catch (e) {
      this.bad(from, e instanceof DatagramError ? e.message : `unexpected: ${(e as Error).message}`);
      return;
    }
    for (const ev of events) await this.onEvent(ev, rinfo.address, from);
  }

  /** Handles one event (exported for tests that feed events without a socket). */
  async onEvent(ev: OsipsEvent, originHost: string, from = originHost): Promise<void> {
    this.counters.events++;
    const action = actionOf(ev);
    const callid = ev.attrs.callid === null || ev.attrs.callid === undefined ? '' : String(ev.attrs.callid);
    push(this.recentEvents, { at: new Date().toISOString(), from, event: ev.name, action, ...(callid ? { callid } : {}) });
    if (action === 'unknown') {
      this.counters.unknown_events++;
      this.bad(from, `unknown event ${ev.name}`);
      return;
    }
    const missing = (REQUIRED_ATTRS[action] ?? []).filter((k) => ev.attrs[k] === undefined || ev.attrs[k] === null || ev.attrs[k] === '');
    if (missing.length > 0) {
      this.bad(from, `${ev.name} without ${missing.join(', ')}`, callid);
      return;
    }
    if (action === 'ignore') return;
    if (action === 'opensips_start') {
      await this.subscribe();
      return;
    }
    try {
      await this.locks.run(callid, () => this.handle(action, ev, originHost, callid));
    } catch (e) {
      this.counters.failed_events++;
      const error = (e as Error).message;
      push(this.recentErrors, { at: new Date().toISOString(), from, event: ev.name, callid, error });
      this.o.log.err(`opensips_agent: ${ev.name} (${action}) of call ${callid}: ${error}`);
    }
  }

  private cgrEvent(ev: OsipsEvent, originHost: string): EventMap {
    return toCGREvent(this.o.requestFields, ev, { OriginHost: originHost }, { filters: this.o.filters, tenant: this.o.tenant, timezone: this.o.timezone }, this.o.requestProcessors);
  }

  private liveSession(callid: string): Session | undefined {
    return this.o.sessions.list().find((s) => s.originId === callid && s.clientId === OPENSIPS_CLIENT_ID);
  }

  private remembered(map: Map<string, number>, callid: string): boolean {
    const now = Date.now();
    for (const [k, t] of map) if (now - t > REMEMBER_MS) map.delete(k);
    return map.has(callid);
  }

  private async handle(action: CallAction, ev: OsipsEvent, originHost: string, callid: string): Promise<void> {
    switch (action) {
      case 'authorize':
        return this.authorize(ev, originHost, callid);
      case 'answered':
        return this.answered(ev, originHost, callid);
      case 'start':
        return this.startCall(ev, originHost, callid);
      case 'end':
        return this.endCall(ev, originHost, callid);
      case 'cdr':
        return this.cdr(ev, originHost, callid);
      case 'failed':
        return this.failed(ev, originHost, callid);
      case 'dialog_ended':
        return this.dialogEnded(callid);
      default:
        return;
    }
  }

  /** E_CGR_AUTHORIZE: max usage over every charger run, answered into OpenSIPS's local cache. Fails closed. */
  private async authorize(ev: OsipsEvent, originHost: string, callid: string): Promise<void> {
    this.counters.authorizations++;
    let notify: string;
    let maxdur = 0;
    try {
      const max = await this.o.sessions.authorize(this.cgrEvent(ev, originHost));
      if (max === 0) notify = 'INSUFFICIENT_FUNDS';
      else {
        notify = 'AUTH_OK';
        maxdur = max < 0 ? 0 : Math.floor(max / 1e9);
      }
    } catch (e) {
      const code = e instanceof AccurateError ? e.code : '';
      notify = code === ERR.INSUFFICIENT_CREDIT ? 'INSUFFICIENT_FUNDS' : (e as Error).message || 'SERVER_ERROR';
      this.o.log.notice(`opensips_agent: call ${callid} not authorized: ${notify}`);
    }
    // cgr_maxdur first: the script reads it once cgr_notify is there.
    await this.mi.call('cache_store', { system: 'local', attr: `${callid}/cgr_maxdur`, value: String(maxdur), expire: 120 });
    await this.mi.call('cache_store', { system: 'local', attr: `${callid}/cgr_notify`, value: notify, expire: 120 });
  }

  /** Dialog confirmed (CDR mode): the call's values come from MI dlg_list_ctx; a prepaid call starts its session. */
  private async answered(ev: OsipsEvent, originHost: string, callid: string): Promise<void> {
    if (this.liveSession(callid) || this.remembered(this.endedByUs, callid)) return;
    const reply = (await this.mi.call('dlg_list_ctx', { callid, from_tag: String(ev.attrs.from_tag) })) as { Dialog?: Record<string, unknown> } | null;
    const dlg = reply?.Dialog;
    if (!dlg) throw new Error(`dlg_list_ctx of ${callid} returned no Dialog`);
    const values: Record<string, OsipsValue> = {};
    const ctx = dlg.context as { values?: Record<string, unknown>[] } | undefined;
    for (const item of ctx?.values ?? []) {
      for (const [k, v] of Object.entries(item)) if (!k.startsWith('acc')) values[k] = typeof v === 'string' || typeof v === 'number' ? v : null;
    }
    const attrs: Record<string, OsipsValue> = {
      ...values, callid, from_tag: ev.attrs.from_tag, to_tag: ev.attrs.to_tag, dialog_id: ev.attrs.id ?? (dlg.ID as string),
      time: typeof dlg.timestart === 'number' && dlg.timestart > 0 ? dlg.timestart : Math.floor(Date.now() / 1000), sip_code: '200',
    };
    const cg = this.cgrEvent({ name: ev.name, attrs }, originHost);
    if (!PREPAID_TYPES.has(str(cg, 'RequestType'))) return;
    await this.initiate(cg, callid);
  }

  private async initiate(cg: EventMap, callid: string): Promise<void> {
    if (this.liveSession(callid)) return;
    try {
      await this.o.sessions.initiate(cg, { clientId: OPENSIPS_CLIENT_ID });
      this.counters.sessions_started++;
    } catch (e) {
      if (e instanceof AccurateError && e.code === ERR.EXISTS) return;
      // Fail closed: a prepaid call that cannot be charged is hung up.
      this.o.log.warning(`opensips_agent: call ${callid} could not start its session (${(e as Error).message}); hanging it up`);
      await this.hangup(str(cg, 'DialogID') || callid, callid, (e as Error).message);
      throw e;
    }
  }

  /** Event mode: an answered INVITE. The start is kept (in the StorDB) until its BYE. */
  private async startCall(ev: OsipsEvent, originHost: string, callid: string): Promise<void> {
    const cg = this.cgrEvent(ev, originHost);
    await this.o.store.put(STARTS_KIND, callid, cg);
    if (PREPAID_TYPES.has(str(cg, 'RequestType'))) await this.initiate(cg, callid);
  }

  /** Event mode: the BYE. Usage = BYE time − INVITE time. A BYE without a known start is CDR mode's (its CDR follows). */
  private async endCall(ev: OsipsEvent, originHost: string, callid: string): Promise<void> {
    const start = await this.o.store.get<EventMap>(STARTS_KIND, callid);
    if (!start) return;
    const answered = Number(start.AnswerTime ?? start.SetupTime);
    const ended = Number(ev.attrs.time);
    const usage = Number.isFinite(answered) && Number.isFinite(ended) ? Math.max(0, ended - answered) : 0;
    const cg: EventMap = { ...start, Usage: `${usage}s`, DisconnectCause: this.cgrEvent(ev, originHost).DisconnectCause ?? '' };
    await this.finish(cg, callid);
    await this.o.store.delete(STARTS_KIND, callid);
  }

  /** E_ACC_CDR: the whole call. A call AccuRate hung up already has its CDR: never charged twice. */
  private async cdr(ev: OsipsEvent, originHost: string, callid: string): Promise<void> {
    if (this.remembered(this.endedByUs, callid)) {
      this.counters.duplicates++;
      return;
    }
    await this.finish(this.cgrEvent(ev, originHost), callid);
    await this.o.store.delete(STARTS_KIND, callid);
  }

  /** A failed call: one CDR with zero usage, whichever of E_ACC_MISSED_EVENT / E_ACC_EVENT comes first. */
  private async failed(ev: OsipsEvent, originHost: string, callid: string): Promise<void> {
    if (this.remembered(this.failedSeen, callid)) {
      this.counters.duplicates++;
      return;
    }
    this.failedSeen.set(callid, Date.now());
    const cg = { ...this.cgrEvent(ev, originHost), Usage: '0s' };
    await this.finish(cg, callid);
  }

  private async finish(cg: EventMap, callid: string): Promise<void> {
    const live = this.liveSession(callid);
    if (live) await this.o.sessions.terminate({ ...cg, OriginHost: live.originHost, CGRID: live.cgrid });
    if (this.o.createCdr) {
      if (durationField(cg, 'Usage') === undefined) cg = { ...cg, Usage: '0s' };
      await this.o.sessions.processCDR(live ? { ...cg, OriginHost: live.originHost, CGRID: live.cgrid } : cg);
      this.counters.cdrs++;
    }
  }

  /**
   * Dialog deleted (CDR mode): its E_ACC_CDR follows at once. Should that datagram be lost, a live
   * session is ended after a grace period with the usage OpenSIPS's dialog had, not left debiting.
   */
  private dialogEnded(callid: string): void {
    const live = this.liveSession(callid);
    if (!live) return;
    const endedAt = Date.now();
    const t = setTimeout(() => {
      this.track(this.locks.run(callid, async () => {
        const s = this.liveSession(callid);
        if (!s || s.cgrid !== live.cgrid) return;
        const answered = Math.min(...s.runs.map((r) => r.startMs));
        const usageMs = Math.max(0, endedAt - (Number.isFinite(answered) ? answered : s.createdAt));
        this.o.log.warning(`opensips_agent: dialog of call ${callid} ended but no E_ACC_CDR came; ending its session with ${usageMs} ms`);
        await this.finish({ ...s.event, Usage: `${usageMs}ms` }, callid);
      }).catch((e: Error) => this.o.log.err(`opensips_agent: ending call ${callid} after its dialog: ${e.message}`)));
    }, this.o.sessionTtl > 0 ? Math.min(CDR_GRACE_MS, Math.floor(this.o.sessionTtl / 2e6)) : CDR_GRACE_MS);
    t.unref();
  }

  /** SessionS ended a call of ours (credit, TTL, operator): hang it up over MI. */
  private async disconnect(s: Session, reason: string): Promise<void> {
    this.counters.disconnects++;
    await this.hangup(str(s.event, 'DialogID') || s.originId, s.originId, reason);
  }

  private async hangup(dialogId: string, callid: string, reason: string): Promise<void> {
    this.endedByUs.set(callid, Date.now());
    const text = reasonText(reason).replace(/["\r\n]/g, "'");
    try {
      await this.mi.call('dlg_end_dlg', { dialog_id: dialogId, extra_hdrs: `Reason: Q.850;cause=16;text="AccuRate: ${text}"\r\n` });
      this.o.log.info(`opensips_agent: hung up call ${callid} (dialog ${dialogId}): ${reason}`);
    } catch (e) {
      this.o.log.err(`opensips_agent: dlg_end_dlg ${dialogId} for call ${callid} failed: ${(e as Error).message}`);
    }
  }

  /**
   * session_ttl: sessions of this agent older than it end (billed what was debited) and are hung
   * up; event-mode starts whose BYE never came become CDRs with the time they could have run.
   */
  private sweep(): void {
    const now = Date.now();
    for (const s of this.o.sessions.list()) {
      if (s.clientId === OPENSIPS_CLIENT_ID && (now - s.createdAt) * 1e6 > this.o.sessionTtl) void this.o.sessions.forceEnd(s.cgrid, 'SESSION_TTL');
    }
    if (this.sweeping) return;
    this.sweeping = true;
    this.track((async () => {
      try {
        for (const [callid, start] of await this.o.store.list<EventMap>(STARTS_KIND)) {
          const at = timeField(start, 'AnswerTime', this.o.timezone ?? 'UTC') ?? timeField(start, 'SetupTime', this.o.timezone ?? 'UTC');
          if (at === undefined || (now - at) * 1e6 <= this.o.sessionTtl) continue;
          await this.locks.run(callid, async () => {
            if (this.liveSession(callid)) return; // SessionS's own TTL above ends it
            if (this.remembered(this.endedByUs, callid)) {
              await this.o.store.delete(STARTS_KIND, callid); // ended (and its CDR written) by a forced end
              return;
            }
            this.o.log.warning(`opensips_agent: call ${callid} had no BYE within session_ttl; its CDR is written now`);
            await this.finish({ ...start, Usage: `${Math.max(0, now - at)}ms`, DisconnectCause: 'SESSION_TTL' }, callid);
            await this.o.store.delete(STARTS_KIND, callid);
          });
        }
      } catch (e) {
        this.o.log.err(`opensips_agent: session_ttl sweep: ${(e as Error).message}`);
      } finally {
        this.sweeping = false;
      }
    })());
  }

  /** What `accurate console opensips_status` shows. */
  status(): Record<string, unknown> {
    return {
      Listen: this.eventSocket,
      MIAddress: `udp:${this.o.miAddr}`,
      Subscriptions: this.subscriptions,
      Counters: { ...this.counters, mi_requests: this.mi.stats.requests, mi_errors: this.mi.stats.errors, mi_timeouts: this.mi.stats.timeouts },
      ActiveSessions: this.o.sessions.list().filter((s) => s.clientId === OPENSIPS_CLIENT_ID).length,
      LastEvents: [...this.recentEvents].reverse(),
      LastErrors: [...this.recentErrors].reverse(),
    };
  }

  async close(): Promise<void> {
    if (this.subTimer) clearInterval(this.subTimer);
    if (this.ttlTimer) clearInterval(this.ttlTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.unregister?.();
    const s = this.sock;
    this.sock = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
    await Promise.allSettled([...this.inflight]);
    await this.mi.close();
  }
}
