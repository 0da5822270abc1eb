// The initiator side: connect, exchange capabilities, then send requests. Used by the tests, the
// bench and anyone scripting a peer; the engine itself only listens.
import net from 'node:net';
import { silentLogger, type Logger } from '../../util/logger.js';
import { baseDictionary, type Dictionary } from './dictionary/index.js';
import { APP, Peer, type LocalIdentity, type RequestHandler } from './peer.js';

export interface ConnectOptions {
  host?: string;
  port: number;
  dict?: Dictionary;
  local?: Partial<LocalIdentity>;
  log?: Logger;
  watchdogMs?: number;
  /** Requests the server sends us (ASR, RAR). */
  onRequest?: RequestHandler;
}

export function clientIdentity(local: Partial<LocalIdentity> = {}): LocalIdentity {
  return {
    originHost: 'client.diameter.test', originRealm: 'diameter.test', vendorId: 0, productName: 'AccuRate client',
    hostIpAddresses: ['127.0.0.1'], authAppIds: [APP.CREDIT_CONTROL], acctAppIds: [APP.ACCOUNTING], supportedVendorIds: [10415],
    originStateId: Math.floor(Date.now() / 1000) >>> 0, ...local,
  };
}

/** Connects and resolves once the CEA said 2001. */
export async function connectPeer(o: ConnectOptions): Promise<Peer> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: o.host ?? '127.0.0.1', port: o.port });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
  const peer = new Peer({
    socket, dict: o.dict ?? baseDictionary(), local: clientIdentity(o.local), role: 'initiator', log: o.log ?? silentLogger,
    watchdogMs: o.watchdogMs ?? 0, onRequest: o.onRequest,
  });
  await peer.opened();
  return peer;
}
