// One Diameter connection as RFC 6733 §5 runs it: capabilities exchange (CER/CEA), the watchdog
// (DWR/DWA both ways, RFC 3539: a silent peer is probed, an unanswered probe closes the link),
// disconnect (DPR/DPA), and every application request answered — errors included, never silence.
// The same class is the responder (the engine's listener) and the initiator (tests, bench, tools).
import type { Socket } from 'node:net';
import type { Logger } from '../../util/logger.js';
import type { Dictionary } from './dictionary/index.js';
import { Framer, FramingError } from './framing.js';
import {
  CMD_FLAG, DecodeError, RESULT, avpByName, avpString, decodeHeader, decodeMessage, encodeMessage, findAvp, isRequest, makeAvp,
  type Avp, type DiameterMessage,
} from './codec.js';

export const CMD = { CE: 257, RA: 258, AC: 271, CC: 272, AS: 274, DW: 280, DP: 282 } as const;
export const APP = { COMMON: 0, ACCOUNTING: 3, CREDIT_CONTROL: 4, RELAY: 0xffffffff } as const;
const AVP = { HOST_IP: 257, AUTH_APP: 258, ACCT_APP: 259, VENDOR_SPECIFIC_APP: 260, ORIGIN_HOST: 264, SESSION_ID: 263, RESULT_CODE: 268, ORIGIN_REALM: 296 } as const;

export interface LocalIdentity {
  originHost: string;
  originRealm: string;
  vendorId: number;
  productName: string;
  hostIpAddresses: string[];
  authAppIds: number[];
  acctAppIds: number[];
  supportedVendorIds: number[];
  originStateId: number;
}

export type PeerState = 'wait-cer' | 'wait-cea' | 'open' | 'closing' | 'closed';

/** What an application handler returns: the answer's AVPs (the peer adds the header). */
export type RequestHandler = (req: DiameterMessage, peer: Peer) => Promise<Avp[]>;

export interface PeerOptions {
  socket: Socket;
  dict: Dictionary;
  local: LocalIdentity;
  role: 'responder' | 'initiator';
  log: Logger;
  /** RFC 3539 Tw: idle time before a DWR, and how long a DWR may go unanswered. */
  watchdogMs?: number;
  maxMessage?: number;
  /** One application request at a time on this connection (CGRateS's synced_conn_requests). */
  synced?: boolean;
  answerTimeoutMs?: number;
  onRequest?: RequestHandler;
  onOpen?: (peer: Peer) => void;
  onClose?: (peer: Peer) => void;
}

export interface PeerStats {
  requests: number;
  answers: number;
  badInput: number;
}

let hopByHopSeq = Math.floor(Math.random() * 2 ** 31);
const nextHopByHop = () => (hopByHopSeq = (hopByHopSeq + 1) >>> 0);
let endToEndSeq = ((Math.floor(Date.now() / 1000) & 0xfff) << 20) >>> 0;
const nextEndToEnd = () => (endToEndSeq = (endToEndSeq + 1) >>> 0);

export class Peer {
  state: PeerState;
  /** The remote Origin-Host/Realm learnt from its CER or CEA. */
  remoteHost = '';
  remoteRealm = '';
  readonly stats: PeerStats = { requests: 0, answers: 0, badInput: 0 };
  private readonly framer: Framer;
  private readonly pending = new Map<number, { resolve: (m: DiameterMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private lastReceived = Date.now();
  private watchdog?: NodeJS.Timeout;
  private dwrOutstanding = false;
  private queue: Promise<void> = Promise.resolve();
  private openWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private closedPromise: Promise<void>;

  constructor(private readonly o: PeerOptions) {
    this.state = o.role === 'responder' ? 'wait-cer' : 'wait-cea';
    this.framer = new Framer(o.maxMessage);
    let markClosed!: () => void;
    this.closedPromise = new Promise((r) => (markClosed = r));
    o.socket.setNoDelay(true);
    o.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    o.socket.on('error', (e) => o.log.debug(`diameter ${this.label}: ${e.message}`));
    o.socket.on('close', () => {
      this.state = 'closed';
      this.stopWatchdog();
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error('connection closed'));
      }
      this.pending.clear();
      for (const w of this.openWaiters) w.reject(new Error('connection closed before the capabilities exchange ended'));
      this.openWaiters = [];
      o.onClose?.(this);
      markClosed();
    });
    if (o.role === 'initiator') this.sendCer();
  }

  get label(): string {
    return this.remoteHost || `${this.o.socket.remoteAddress}:${this.o.socket.remotePort}`;
  }

  get remoteAddress(): string {
    return `${this.o.socket.remoteAddress}:${this.o.socket.remotePort}`;
  }

  /** Resolves when the capabilities exchange succeeded. */
  opened(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.state === 'closed' || this.state === 'closing') return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
  }

  closed(): Promise<void> {
    return this.closedPromise;
  }

  // ---- receiving -------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    this.lastReceived = Date.now();
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch (e) {
      // A broken length or version cannot be resynchronised: the only way on is a new connection.
      this.stats.badInput++;
      this.o.log.warning(`diameter ${this.label}: ${(e as FramingError).message}; closing the connection`);
      this.o.socket.destroy();
      return;
    }
    for (const f of frames) this.onFrame(f);
  }

  private onFrame(buf: Buffer): void {
    let msg: DiameterMessage;
    try {
      msg = decodeMessage(buf, this.o.dict);
    } catch (e) {
      this.stats.badInput++;
      // Whatever went wrong, a request still gets an answer and the connection keeps serving.
      const de = e instanceof DecodeError ? e : new DecodeError((e as Error).message, RESULT.UNABLE_TO_COMPLY, { ...decodeHeader(buf), avps: [] });
      this.o.log.warning(`diameter ${this.label}: ${de.message}`);
      if (isRequest(de.header)) this.write(this.errorAnswer(de.header, de.resultCode, de.message, de.failedAvp ? [de.failedAvp] : undefined));
      return;
    }
    if (!isRequest(msg)) return this.onAnswer(msg);
    this.stats.requests++;
    switch (msg.commandCode) {
      case CMD.CE:
        return this.onCer(msg);
      case CMD.DW:
        return this.write(this.answer(msg, RESULT.SUCCESS, this.originAvps([this.stateIdAvp()])));
      case CMD.DP:
        this.write(this.answer(msg, RESULT.SUCCESS, this.originAvps()));
        this.state = 'closing';
        // The peer closes after our DPA; end our side too so neither waits on the other.
        setTimeout(() => this.o.socket.end(), 50).unref();
        return;
    }
    if (this.state !== 'open') {
      this.stats.badInput++;
      this.write(this.errorAnswer(msg, 3010, 'capabilities exchange first (CER)'));
      return;
    }
    if (msg.unknownMandatory) {
      this.stats.badInput++;
      this.write(this.errorAnswer(msg, RESULT.AVP_UNSUPPORTED, undefined, msg.unknownMandatory));
      return;
    }
    const run = () => this.handle(msg);
    if (this.o.synced) this.queue = this.queue.then(run);
    else void run();
  }

  private async handle(msg: DiameterMessage): Promise<void> {
    if (!this.o.onRequest) {
      this.write(this.errorAnswer(msg, RESULT.COMMAND_UNSUPPORTED, `command ${msg.commandCode} is not handled here`));
      return;
    }
    try {
      const avps = await this.o.onRequest(msg, this);
      this.write(this.answer(msg, undefined, avps));
    } catch (e) {
      const rc = (e as { resultCode?: number }).resultCode ?? RESULT.UNABLE_TO_COMPLY;
      this.o.log.warning(`diameter ${this.label}: ${this.o.dict.command(msg.commandCode)?.name ?? msg.commandCode} request: ${(e as Error).message}`);
      this.write(this.errorAnswer(msg, rc, (e as Error).message));
    }
  }

  private onAnswer(msg: DiameterMessage): void {
    this.stats.answers++;
    const p = this.pending.get(msg.hopByHop);
    if (!p) {
      this.o.log.debug(`diameter ${this.label}: answer with unknown Hop-by-Hop ${msg.hopByHop} dropped`);
      return;
    }
    this.pending.delete(msg.hopByHop);
    clearTimeout(p.timer);
    p.resolve(msg);
  }

  private onCer(msg: DiameterMessage): void {
    const host = findAvp(msg.avps, AVP.ORIGIN_HOST);
    const realm = findAvp(msg.avps, AVP.ORIGIN_REALM);
    if (!host || !realm) {
      this.write(this.errorAnswer(msg, RESULT.MISSING_AVP, 'CER without Origin-Host or Origin-Realm'));
      this.o.socket.end();
      return;
    }
    this.remoteHost = avpString(host);
    this.remoteRealm = avpString(realm);
    const theirs = advertisedApps(msg.avps);
    const ours = [...this.o.local.authAppIds, ...this.o.local.acctAppIds];
    const common = theirs.has(APP.RELAY) || ours.some((a) => theirs.has(a));
    if (!common) {
      this.write(this.answer(msg, RESULT.NO_COMMON_APPLICATION, this.capabilityAvps()));
      this.o.log.warning(`diameter ${this.label}: CER without a common application (theirs: ${[...theirs].join(',')}, ours: ${ours.join(',')})`);
      setTimeout(() => this.o.socket.end(), 50).unref();
      return;
    }
    this.write(this.answer(msg, RESULT.SUCCESS, this.capabilityAvps()));
    this.becomeOpen();
  }

  private becomeOpen(): void {
    this.state = 'open';
    this.o.log.info(`diameter peer ${this.remoteHost} (${this.remoteAddress}) OPEN`);
    this.startWatchdog();
    for (const w of this.openWaiters) w.resolve();
    this.openWaiters = [];
    this.o.onOpen?.(this);
  }

  // ---- sending ---------------------------------------------------------------------------

  private write(m: DiameterMessage): void {
    if (this.o.socket.destroyed || !this.o.socket.writable) return;
    this.o.socket.write(encodeMessage(m));
  }

  /** Sends a request and resolves with its answer (rejects on timeout or close). */
  request(commandCode: number, appId: number, avps: Avp[], opts: { proxiable?: boolean; timeoutMs?: number } = {}): Promise<DiameterMessage> {
    const hopByHop = nextHopByHop();
    const msg: DiameterMessage = { flags: CMD_FLAG.R | (opts.proxiable === false ? 0 : CMD_FLAG.P), commandCode, appId, hopByHop, endToEnd: nextEndToEnd(), avps };
    if (commandCode === CMD.CE || commandCode === CMD.DW || commandCode === CMD.DP) msg.flags = CMD_FLAG.R;
    return this.sendRequest(msg, opts.timeoutMs);
  }

  /** Sends a fully built request (its Hop-by-Hop id is what the answer is matched on). */
  sendRequest(msg: DiameterMessage, timeoutMs = this.o.answerTimeoutMs ?? 10_000): Promise<DiameterMessage> {
    return new Promise((resolve, reject) => {
      if (this.state === 'closed' || this.o.socket.destroyed) return reject(new Error('connection closed'));
      const timer = setTimeout(() => {
        this.pending.delete(msg.hopByHop);
        reject(new Error(`no answer to command ${msg.commandCode} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(msg.hopByHop, { resolve, reject, timer });
      this.write(msg);
    });
  }

  private sendCer(): void {
    this.request(CMD.CE, APP.COMMON, this.capabilityAvps().filter((a) => a.code !== AVP.RESULT_CODE)).then(
      (cea) => {
        const rc = findAvp(cea.avps, AVP.RESULT_CODE);
        const host = findAvp(cea.avps, AVP.ORIGIN_HOST);
        const realm = findAvp(cea.avps, AVP.ORIGIN_REALM);
        if (host) this.remoteHost = avpString(host);
        if (realm) this.remoteRealm = avpString(realm);
        if (!rc || Number(avpString(rc)) !== RESULT.SUCCESS) {
          const err = new Error(`CEA Result-Code ${rc ? avpString(rc) : 'missing'}`);
          for (const w of this.openWaiters) w.reject(err);
          this.openWaiters = [];
          this.o.socket.end();
          return;
        }
        this.becomeOpen();
      },
      (e: Error) => {
        for (const w of this.openWaiters) w.reject(e);
        this.openWaiters = [];
        this.o.socket.destroy();
      },
    );
  }

  /** Origin-Host, Origin-Realm, then `extra`. */
  originAvps(extra: Avp[] = []): Avp[] {
    return [this.avp('Origin-Host', this.o.local.originHost), this.avp('Origin-Realm', this.o.local.originRealm), ...extra];
  }

  private stateIdAvp(): Avp {
    return this.avp('Origin-State-Id', this.o.local.originStateId);
  }

  private capabilityAvps(): Avp[] {
    const l = this.o.local;
    return [
      ...this.originAvps(),
      ...l.hostIpAddresses.map((ip) => this.avp('Host-IP-Address', ip)),
      this.avp('Vendor-Id', l.vendorId),
      this.avp('Product-Name', l.productName),
      this.stateIdAvp(),
      ...l.supportedVendorIds.map((v) => this.avp('Supported-Vendor-Id', v)),
      ...l.authAppIds.map((a) => this.avp('Auth-Application-Id', a)),
      ...l.acctAppIds.map((a) => this.avp('Acct-Application-Id', a)),
    ];
  }

  avp(name: string, value: unknown): Avp {
    return avpByName(this.o.dict, name, value);
  }

  /** An answer to `req`: Session-Id first when the request had one, then Result-Code (if given) and `avps`. */
  answer(req: DiameterMessage, resultCode: number | undefined, avps: Avp[]): DiameterMessage {
    const out: Avp[] = [];
    const sid = findAvp(req.avps, AVP.SESSION_ID);
    if (sid && !avps.some((a) => a.code === AVP.SESSION_ID)) out.push(sid);
    if (resultCode !== undefined) out.push(this.avp('Result-Code', resultCode));
    out.push(...avps);
    const rc = findAvp(out, AVP.RESULT_CODE);
    const protocolError = rc !== undefined && rc.data.length === 4 && Math.floor(rc.data.readUInt32BE(0) / 1000) === 3;
    return {
      flags: (req.flags & CMD_FLAG.P) | (protocolError ? CMD_FLAG.E : 0),
      commandCode: req.commandCode, appId: req.appId, hopByHop: req.hopByHop, endToEnd: req.endToEnd, avps: out,
    };
  }

  /** An error answer: Result-Code, Origin-*, Error-Message and the Failed-AVP RFC 6733 §7.5 asks for. */
  errorAnswer(req: DiameterMessage, resultCode: number, message?: string, failed?: Avp[]): DiameterMessage {
    const avps = this.originAvps();
    if (message) avps.push(this.avp('Error-Message', message.slice(0, 200)));
    if (failed?.length) avps.push(makeAvp(this.o.dict.avp(279)!, failed));
    return this.answer(req, resultCode, avps);
  }

  // ---- watchdog and disconnect -------------------------------------------------------------

  private startWatchdog(): void {
    const tw = this.o.watchdogMs ?? 30_000;
    if (tw <= 0) return;
    const tick = () => {
      if (this.state !== 'open') return;
      if (Date.now() - this.lastReceived < tw) return;
      if (this.dwrOutstanding) return;
      this.dwrOutstanding = true;
      this.request(CMD.DW, APP.COMMON, this.originAvps([this.stateIdAvp()]), { timeoutMs: tw }).then(
        () => (this.dwrOutstanding = false),
        () => {
          this.o.log.warning(`diameter peer ${this.label}: no DWA within ${tw} ms; closing the connection`);
          this.o.socket.destroy();
        },
      );
    };
    this.watchdog = setInterval(tick, Math.max(50, Math.floor(tw / 4)));
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  /** DPR (when open), a short wait for the DPA, then the socket closes. */
  async close(cause = 0, timeoutMs = 2000): Promise<void> {
    if (this.state === 'closed') return;
    if (this.state === 'open') {
      this.state = 'closing';
      this.stopWatchdog();
      await this.request(CMD.DP, APP.COMMON, this.originAvps([this.avp('Disconnect-Cause', cause)]), { timeoutMs }).catch(() => undefined);
    }
    this.o.socket.end();
    const t = setTimeout(() => this.o.socket.destroy(), timeoutMs);
    t.unref();
    await this.closedPromise;
    clearTimeout(t);
  }
}

function advertisedApps(avps: Avp[]): Set<number> {
  const out = new Set<number>();
  for (const a of avps) {
    if ((a.code === AVP.AUTH_APP || a.code === AVP.ACCT_APP) && a.vendorId === 0 && a.data.length === 4) out.add(a.data.readUInt32BE(0));
    if (a.code === AVP.VENDOR_SPECIFIC_APP && a.children) {
      for (const c of a.children) if ((c.code === AVP.AUTH_APP || c.code === AVP.ACCT_APP) && c.data.length === 4) out.add(c.data.readUInt32BE(0));
    }
  }
  return out;
}
