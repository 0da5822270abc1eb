// The Diameter agent's lifecycle: listen, one Peer per connection, request processors over
// SessionS, answers built from `*rep` in template order, and ASR/RAR to the peer that owns a
// session when SessionS ends it (credit exhausted, API ForceDisconnect).
import net from 'node:net';
import { splitHostPort, listenError } from '../../util/address.js';
import type { Logger } from '../../util/logger.js';
import type { DataMap, FilterService } from '../../filters/index.js';
import { compileTemplate, fieldTemplateFromRaw, processTemplate, type CompiledTemplate } from '../../filters/index.js';
import type { DisconnectHandler, Session } from '../../sessions/index.js';
import { baseDictionary, type Dictionary } from './dictionary/index.js';
import { avpByName, findAvp, makeAvp, RESULT, avpString, type Avp, type DiameterMessage } from './codec.js';
import { requestView } from './request.js';
import { APP, CMD, Peer, type LocalIdentity } from './peer.js';
import { compileProcessors, processRequest, type RequestProcessor, type SessionsPort } from './processors.js';
import { BUILTIN_TEMPLATES } from './templates.js';

export interface DiameterAgentConfig {
  listen: string;
  listen_net: string;
  listeners?: { address: string; network: string }[];
  dictionaries_path: string;
  origin_host: string;
  origin_realm: string;
  vendor_id: number;
  product_name: string;
  synced_conn_requests: boolean;
  asr_template: string;
  rar_template: string;
  forced_disconnect: string;
  request_processors: Record<string, unknown>[];
  /** ns; RFC 3539 Tw (AccuRate's key). */
  watchdogNs?: number;
  max_message_size?: number;
}

export interface DiameterAgentDeps {
  config: DiameterAgentConfig;
  sessions: SessionsPort & { onDisconnect(clientId: string, h: DisconnectHandler): () => void };
  filters?: FilterService;
  log: Logger;
  defaultTenant: string;
  timezone: string;
  roundingDecimals?: number;
  rsrSeparator?: string;
  /** Extra templates by id (config `templates`), besides the built-in `*asr` and `*rar`. */
  templates?: Record<string, unknown[]>;
}

/** A session's origin: which connection asked, with the request it came in, for ASR/RAR. */
interface SessionOrigin {
  peer: Peer;
  req: DataMap;
  vars: DataMap;
}

const SHORT_NAMES: Record<number, string> = { 257: 'CE', 258: 'RA', 271: 'AC', 272: 'CC', 274: 'AS', 275: 'ST', 280: 'DW', 282: 'DP' };

export class DiameterAgent {
  readonly dict: Dictionary;
  private readonly processors: RequestProcessor[];
  private readonly servers: net.Server[] = [];
  readonly peers = new Set<Peer>();
  readonly addresses: string[] = [];
  private readonly origins = new Map<string, SessionOrigin>();
  /** OriginIDs SessionS force-ended on this agent's connections, with when (pruned after 10 min). */
  private readonly forceEnded = new Map<string, number>();
  private readonly unregister = new Map<Peer, () => void>();
  private readonly disconnectTemplate?: CompiledTemplate;
  private readonly local: LocalIdentity;
  private seq = 0;
  /** Counts of closed peers, so Status keeps them after their connections are gone. */
  private readonly closed = { peers: 0, requests: 0, answers: 0, bad_input: 0 };

  constructor(private readonly d: DiameterAgentDeps) {
    const c = d.config;
    this.dict = baseDictionary();
    if (c.dictionaries_path) {
      const files = this.dict.loadFolder(c.dictionaries_path);
      d.log.info(`diameter dictionaries: ${files.length} file(s) from ${c.dictionaries_path}`);
    }
    this.processors = compileProcessors(c.request_processors, 'diameter_agent.request_processors', d.rsrSeparator);
    if (c.forced_disconnect !== '*none') {
      const id = c.forced_disconnect === '*rar' ? c.rar_template || '*rar' : c.asr_template || '*asr';
      const raw = d.templates?.[id] ?? BUILTIN_TEMPLATES[id];
      if (!raw) throw new Error(`diameter_agent: template ${id} (for forced_disconnect ${c.forced_disconnect}) is not defined`);
      this.disconnectTemplate = compileTemplate(id, raw.map((f, i) => fieldTemplateFromRaw(f, `templates.${id}[${i}]`)), { rsrSeparator: d.rsrSeparator });
    }
    this.local = {
      originHost: c.origin_host, originRealm: c.origin_realm, vendorId: c.vendor_id, productName: c.product_name,
      hostIpAddresses: [], authAppIds: [APP.CREDIT_CONTROL], acctAppIds: [APP.ACCOUNTING], supportedVendorIds: [10415],
      originStateId: Math.floor(Date.now() / 1000) >>> 0,
    };
  }

  async start(): Promise<void> {
    const list = this.d.config.listeners?.length ? this.d.config.listeners : [{ address: this.d.config.listen, network: this.d.config.listen_net }];
    for (const l of list) {
      if (l.network !== 'tcp') throw new Error(`diameter_agent: listen_net ${l.network} is not supported (tcp)`);
      const { host, port } = splitHostPort(l.address, 'diameter_agent.listen');
      if (!this.local.hostIpAddresses.length) this.local.hostIpAddresses.push(net.isIP(host) && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1');
      const server = net.createServer((s) => this.accept(s));
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) => reject(listenError('diameter_agent.listen', l.address, e)));
        server.listen(port, host, () => resolve());
      });
      const a = server.address() as net.AddressInfo;
      this.addresses.push(`${a.address}:${a.port}`);
      this.servers.push(server);
      this.d.log.info(`DiameterAgent listening on ${a.address}:${a.port} (${this.d.config.origin_host}, ${this.processors.length} request processors)`);
    }
  }

  private accept(socket: net.Socket): void {
    const clientId = `diameter:${socket.remoteAddress}:${socket.remotePort}:${++this.seq}`;
    const peer: Peer = new Peer({
      socket, dict: this.dict, local: this.local, role: 'responder', log: this.d.log,
      watchdogMs: this.d.config.watchdogNs !== undefined ? this.d.config.watchdogNs / 1e6 : 30_000,
      maxMessage: this.d.config.max_message_size, synced: this.d.config.synced_conn_requests,
      onRequest: (req) => this.onRequest(req, peer, clientId),
      // Never throws: SessionS writes the session's CDR after this handler returns.
      onOpen: () => this.unregister.set(peer, this.d.sessions.onDisconnect(clientId, (s, reason) =>
        this.disconnect(peer, s, reason).catch((e: Error) => this.d.log.warning(`diameter disconnect of ${s.originId}: ${e.message}`)))),
      onClose: () => {
        this.peers.delete(peer);
        this.closed.peers++;
        this.closed.requests += peer.stats.requests;
        this.closed.answers += peer.stats.answers;
        this.closed.bad_input += peer.stats.badInput;
        this.unregister.get(peer)?.();
        this.unregister.delete(peer);
        for (const [k, o] of this.origins) if (o.peer === peer) this.origins.delete(k);
        this.d.log.info(`diameter peer ${peer.label} closed`);
      },
    });
    this.peers.add(peer);
  }

  /** DiameterAgentV1.Status: listeners, live peers and counters since start (closed peers included). */
  status(): Record<string, unknown> {
    const live = [...this.peers];
    const sum = (k: 'requests' | 'answers' | 'badInput') => live.reduce((n, p) => n + p.stats[k], 0);
    return {
      Listen: [...this.addresses],
      Peers: live.map((p) => ({ Peer: p.label, State: p.state, Requests: p.stats.requests, Answers: p.stats.answers, BadInput: p.stats.badInput })),
      Counters: {
        peers_open: live.length, peers_closed: this.closed.peers, sessions: this.origins.size,
        requests: this.closed.requests + sum('requests'), answers: this.closed.answers + sum('answers'), bad_input: this.closed.bad_input + sum('badInput'),
      },
    };
  }

  private varsOf(req: DiameterMessage, peer: Peer): DataMap {
    const cmd = this.dict.command(req.commandCode);
    const short = SHORT_NAMES[req.commandCode] ?? (cmd ? cmd.name.split('-').map((w) => w[0]).join('') : String(req.commandCode));
    return {
      '*cmd': `${short}R`, '*app': this.dict.application(req.appId)?.name ?? '', '*appid': String(req.appId),
      OriginHost: peer.remoteHost, OriginRealm: peer.remoteRealm, RemoteHost: peer.remoteAddress, ProductName: this.d.config.product_name,
    };
  }

  private async onRequest(req: DiameterMessage, peer: Peer, clientId: string): Promise<Avp[]> {
    const reqMap = requestView(req.avps);
    const vars = this.varsOf(req, peer);
    const res = await processRequest(this.processors, reqMap, vars, clientId, {
      sessions: this.d.sessions, filters: this.d.filters, log: this.d.log, defaultTenant: this.d.defaultTenant, timezone: this.d.timezone,
      roundingDecimals: this.d.roundingDecimals, ended: (id) => this.forceEnded.has(id),
    });
    if (res.ran.length === 0) {
      // RFC 6733 §7.1.3: a command or application nobody here knows is a protocol error; a known one no processor took, 5012.
      const ours = [APP.CREDIT_CONTROL, APP.ACCOUNTING] as number[];
      const rc = !this.dict.command(req.commandCode) ? RESULT.COMMAND_UNSUPPORTED : !ours.includes(req.appId) ? RESULT.APPLICATION_UNSUPPORTED : RESULT.UNABLE_TO_COMPLY;
      throw Object.assign(new Error(`no request processor matched ${vars['*cmd']} (Session-Id ${String(reqMap['Session-Id'] ?? '')})`), { resultCode: rc });
    }
    for (const ev of res.sessionEvents) if (ev.OriginID) this.origins.set(String(ev.OriginID), { peer, req: reqMap, vars });
    if (reqMap['CC-Request-Type'] === '3' || reqMap['Accounting-Record-Type'] === '4') this.origins.delete(String(reqMap['Session-Id'] ?? ''));
    const avps = mapToAvps(this.dict, res.rep);
    // RFC 6733 §8.8: Session-Id first; an answer always names its origin.
    const sid = findAvp(req.avps, 263);
    if (sid && !avps.some((a) => a.code === 263)) avps.unshift(sid);
    if (!avps.some((a) => a.code === 264)) avps.push(avpByName(this.dict, 'Origin-Host', this.local.originHost));
    if (!avps.some((a) => a.code === 296)) avps.push(avpByName(this.dict, 'Origin-Realm', this.local.originRealm));
    if (!avps.some((a) => a.code === 268)) avps.push(avpByName(this.dict, 'Result-Code', RESULT.SUCCESS));
    return avps;
  }

  /** SessionS ended a session this connection owns: ASR (or RAR) built from the template, as configured. */
  private async disconnect(peer: Peer, s: Session, reason: string): Promise<void> {
    const now = Date.now();
    for (const [id, at] of this.forceEnded) if (at < now - 600_000) this.forceEnded.delete(id);
    this.forceEnded.set(s.originId, now);
    const origin = this.origins.get(s.originId);
    this.origins.delete(s.originId);
    if (!this.disconnectTemplate || !origin || peer.state !== 'open') return;
    const dp: DataMap = { '*req': origin.req, '*vars': { ...origin.vars, DisconnectCause: reason }, '*diamreq': {}, '*cgreq': { ...s.event } };
    processTemplate(this.disconnectTemplate, dp, { filters: this.d.filters, tenant: s.tenant, timezone: this.d.timezone });
    const avps = mapToAvps(this.dict, dp['*diamreq'] as DataMap);
    if (!avps.some((a) => a.code === 264)) avps.splice(1, 0, avpByName(this.dict, 'Origin-Host', this.local.originHost));
    if (!avps.some((a) => a.code === 296)) avps.splice(2, 0, avpByName(this.dict, 'Origin-Realm', this.local.originRealm));
    const rar = this.d.config.forced_disconnect === '*rar';
    try {
      const ans = await peer.request(rar ? CMD.RA : CMD.AS, Number(origin.vars['*appid'] ?? APP.CREDIT_CONTROL), avps);
      const rc = findAvp(ans.avps, 268);
      this.d.log.info(`diameter ${rar ? 'RAR' : 'ASR'} for ${s.originId} (${reason}) to ${peer.label}: Result-Code ${rc ? avpString(rc) : '-'}`);
    } catch (e) {
      this.d.log.warning(`diameter ${rar ? 'RAR' : 'ASR'} for ${s.originId} to ${peer.label}: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.peers].map((p) => p.close(0, 1000).catch(() => undefined)));
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

const INTEGER_TYPES = new Set(['Integer32', 'Integer64', 'Unsigned32', 'Unsigned64', 'Enumerated']);

/**
 * A template's output map → AVPs in insertion (template) order; nested maps are Grouped AVPs. A
 * fractional number for an integer AVP is truncated (granting a fraction of a second less, never more).
 */
export function mapToAvps(dict: Dictionary, m: DataMap): Avp[] {
  const out: Avp[] = [];
  for (const [name, v] of Object.entries(m)) {
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) {
      const def = dict.avpByName(name);
      if (!def) throw new Error(`reply AVP "${name}" is not in the dictionaries`);
      if (typeof one === 'object' && one !== null && !Buffer.isBuffer(one)) {
        out.push(makeAvp(def, mapToAvps(dict, one as DataMap)));
        continue;
      }
      let val: unknown = one;
      if (INTEGER_TYPES.has(def.type) && typeof one === 'string' && /^-?\d+\.\d*$/.test(one)) val = one.slice(0, one.indexOf('.'));
      out.push(avpByName(dict, name, val));
    }
  }
  return out;
}
