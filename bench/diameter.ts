// Diameter: whole prepaid sessions (CCR-I, -U, -T with debits and a CDR) through the engine running
// the osips_diam tutorial config, beside two answer-only servers measured in the same run: one on
// our codec and peer, one on the `diameter` package (0.7.0), so the cost of charging and the cost of
// the protocol stack are told apart.
import net from 'node:net';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext, BenchResult } from './index.js';
import { loadConfig } from '../src/config/index.js';
import { startEngine } from '../src/engine/index.js';
import { importTariffPlan } from '../src/tariffplan/index.js';
import { silentLogger } from '../src/util/logger.js';
import { APP, CMD, Peer, avpByName, baseDictionary, connectPeer, type Avp } from '../src/agents/diameter/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TUTORIAL = join(ROOT, 'tutorials/osips_diam');
const dict = baseDictionary();
const A = (n: string, v: unknown): Avp => avpByName(dict, n, v);
const CONNECTIONS = 8;

function ccr(sid: string, type: number, n: number, extra: Avp[]): Avp[] {
  return [
    A('Session-Id', sid), A('Origin-Host', 'bench.diameter.test'), A('Origin-Realm', 'diameter.test'), A('Destination-Realm', 'diameter.test'),
    A('Auth-Application-Id', 4), A('Service-Context-Id', 'voice@bench'), A('CC-Request-Type', type), A('CC-Request-Number', n),
    A('Event-Timestamp', new Date()), A('Subscription-Id', [A('Subscription-Id-Type', 0), A('Subscription-Id-Data', '1001')]), ...extra,
    A('Service-Information', [A('IMS-Information', [A('Calling-Party-Address', '1001'), A('Called-Party-Address', '1002')])]),
  ];
}

/** `total` jobs over CONNECTIONS peers, each peer running `window` jobs at a time. */
async function drive(port: number, total: number, job: (p: Peer, i: number) => Promise<void>, window = 1): Promise<number> {
  const peers = await Promise.all(Array.from({ length: CONNECTIONS }, () => connectPeer({ port, dict })));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(peers.flatMap((p) => Array.from({ length: window }, async () => {
    while (next < total) await job(p, next++);
  })));
  const ms = performance.now() - t0;
  await Promise.all(peers.map((p) => p.close()));
  return ms;
}

const cca = (req: Avp[]) => [req[0], A('Result-Code', 2001), A('Origin-Host', 'server.diameter.test'), A('Origin-Realm', 'diameter.test'), A('Auth-Application-Id', 4), A('Granted-Service-Unit', [A('CC-Time', 300)])];

function oursBaseline(window: number) {
  return {
    name: `diameter baseline: answer-only server on our codec, ${CONNECTIONS} connections${window > 1 ? `, ${window} in flight each` : ''}`,
    async run({ quick }: BenchContext): Promise<BenchResult> {
      const server = net.createServer((socket) => new Peer({
        socket, dict, role: 'responder', log: silentLogger, watchdogMs: 0,
        local: { originHost: 'server.diameter.test', originRealm: 'diameter.test', vendorId: 0, productName: 'bench', hostIpAddresses: ['127.0.0.1'], authAppIds: [4], acctAppIds: [3], supportedVendorIds: [], originStateId: 1 },
        onRequest: async (req) => cca(req.avps),
      }));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const total = (quick ? 3_000 : 30_000) * (window > 1 ? 2 : 1);
      const ms = await drive((server.address() as net.AddressInfo).port, total, async (p, i) => {
        await p.request(CMD.CC, APP.CREDIT_CONTROL, ccr(`b-${i}`, 1, 0, [A('Requested-Service-Unit', [A('CC-Time', 10800)])]));
      }, window);
      server.close();
      return { name: this.name, ops: total, ms, note: window > 1 ? 'CCR/s, pipelined: several CCRs per TCP read' : 'CCR/s, one in flight per connection' };
    },
  };
}

export const diameterBenches: { name: string; run(ctx: BenchContext): Promise<BenchResult> }[] = [
  {
    name: `diameter: prepaid sessions CCR-I/U/T through the engine, ${CONNECTIONS} connections`,
    async run({ quick, dir }) {
      const cfg = await loadConfig(join(TUTORIAL, 'etc/accurate'));
      cfg.listen.rpc_json = '';
      cfg.listen.http = '';
      cfg.data_db.db_path = cfg.stor_db.db_path = join(dir, 'diam', 'data');
      cfg.history.enabled = false;
      cfg.general.log_level = 3;
      cfg.diameter_agent.listen = '127.0.0.1:0';
      const eng = await startEngine(cfg, silentLogger);
      await importTariffPlan(eng.services.dataDb, join(TUTORIAL, 'tp'), { timezone: 'UTC' });
      await eng.services.reloadTariffPlan();
      await eng.services.accounts.setBalance({ tenant: 'cgrates.org', account: '1001', balanceType: '*monetary', value: 1e9, balance: { ID: 'balance_test' } });
      const port = Number(eng.services.listeners.diameter.split(':').pop());
      const total = quick ? 50 : 300;
      const ms = await drive(port, total, async (p, i) => {
        const sid = `bench-${i}`;
        await p.request(CMD.CC, APP.CREDIT_CONTROL, ccr(sid, 1, 0, [A('Requested-Service-Unit', [A('CC-Time', 10800)])]));
        await p.request(CMD.CC, APP.CREDIT_CONTROL, ccr(sid, 2, 1, [A('Requested-Service-Unit', [A('CC-Time', 0)])]));
        await p.request(CMD.CC, APP.CREDIT_CONTROL, ccr(sid, 3, 2, [A('Termination-Cause', 1), A('Used-Service-Unit', [A('CC-Time', 65)])]));
      });
      await eng.stop();
      return { name: this.name, ops: total, ms, note: 'sessions/s; each = 3 CCRs (CCR-I asks 10800 s: its max-usage search dominates), 2 debits, a refund, 1 CDR' };
    },
  },
  oursBaseline(1),
  oursBaseline(32),
  {
    name: `diameter baseline: answer-only server on the diameter package, ${CONNECTIONS} connections`,
    async run({ quick }) {
      const require = createRequire(import.meta.url);
      const diameter = require('diameter');
      const server = diameter.createServer({}, (socket: { on(ev: string, f: (e: { message: { command: string; body: [string, unknown][] }; response: { body: unknown[] }; callback(r: unknown): void }) => void): void }) => {
        socket.on('diameterMessage', (event) => {
          if (event.message.command === 'Capabilities-Exchange') {
            event.response.body = event.response.body.concat([['Result-Code', 'DIAMETER_SUCCESS'], ['Origin-Host', 'server.diameter.test'], ['Origin-Realm', 'diameter.test'], ['Host-IP-Address', '127.0.0.1'], ['Vendor-Id', 0], ['Product-Name', 'node-diameter'], ['Auth-Application-Id', 4]]);
          } else if (event.message.command === 'Disconnect-Peer') {
            event.response.body = event.response.body.concat([['Result-Code', 'DIAMETER_SUCCESS'], ['Origin-Host', 'server.diameter.test'], ['Origin-Realm', 'diameter.test']]);
          } else {
            event.response.body = event.response.body.concat([['Result-Code', 2001], ['Origin-Host', 'server.diameter.test'], ['Origin-Realm', 'diameter.test'], ['Auth-Application-Id', 4], ['Granted-Service-Unit', [['CC-Time', 300]]]]);
          }
          event.callback(event.response);
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const total = quick ? 1_000 : 10_000;
      const ms = await drive(server.address().port, total, async (p, i) => {
        await p.request(CMD.CC, APP.CREDIT_CONTROL, ccr(`p-${i}`, 1, 0, [A('Requested-Service-Unit', [A('CC-Time', 10800)])]));
      });
      server.close();
      return { name: this.name, ops: total, ms, note: 'CCR/s, one in flight per connection (it decodes one message per read, so no pipelining)' };
    },
  },
];
