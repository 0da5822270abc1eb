// The engine: opens the databases, wires the services, starts the listeners; stops in reverse.
import { createHash, randomBytes } from 'node:crypto';
import type { EngineConfig } from '../config/index.js';
import type { Logger } from '../util/logger.js';
import { parseDuration } from '../util/duration.js';
import { openSqliteDataDB, openSqliteStorDB } from '../store/index.js';
import { buildMethodTable, startTcpJsonRpc, startHttpJsonRpc, type Listener, type MethodTable, type RpcStats } from '../api/index.js';
import { rpcLimitsOf, apiAuthOf, tlsOf, exposureWarnings } from '../api/config.js';
import { loadStoredTariffPlan, canonicalJson } from '../tariffplan/index.js';
import { RatingService } from '../rating/index.js';
import { AccountService } from '../accounts/index.js';
import { Scheduler } from '../scheduler/index.js';
import { FilterService } from '../filters/index.js';
import { AttributeService } from '../attributes/index.js';
import { ChargerService } from '../chargers/index.js';
import { CdrRepository, CdrServer, CdrJournal, cdrFromEvent, cgrid } from '../cdrs/index.js';
import { SessionManager } from '../sessions/index.js';
import { DiameterAgent, registerDiameterApi } from '../agents/diameter/index.js';
import { Mutex } from '../util/mutex.js';
import { collectGarbage } from '../util/gc.js';
import { SessionCharging, CdrCharging } from './charging.js';
import type { Services } from './services.js';
import { VERSION } from './version.js';
import { OpenSipsAgent, BiRpcServer, compileRequestFields, compileRequestProcessors, registerOpenSipsApi } from '../agents/opensips/index.js';

export interface Engine {
  readonly services: Services;
  readonly table: MethodTable;
  readonly listeners: Listener[];
  stop(): Promise<void>;
}

/** Starts everything or nothing: on a failure half way, what was opened is closed again. */
export async function startEngine(config: EngineConfig, log: Logger): Promise<Engine> {
  const opened: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const o of opened.reverse()) await o.close().catch((e: Error) => log.err(`while stopping: ${e.message}`));
  };
  try {
    const g = config.general;
    const tz = g.default_timezone;
    const dataDb = await openSqliteDataDB(config.data_db.db_path);
    opened.push(dataDb);
    const storDb = await openSqliteStorDB(config.stor_db.db_path);
    opened.push(storDb);
    log.info(`DataDB ${dataDb.path}, StorDB ${storDb.path}`);

    const costMode = config.rals.cost_mode as '*exact' | '*cgrates';
    const rating = new RatingService({
      timezone: tz, costMode, roundingDecimals: g.rounding_decimals, defaultTenant: g.default_tenant, defaultCategory: g.default_category,
      maxIncrements: config.rals.max_increments, maxComputedUsage: config.rals.max_computed_usage,
    });
    const filters = new FilterService({}, { destinationsFor: (n) => rating.destinationsFor(n), timingActive: (id, at) => rating.timingActive(id, at), timezone: tz });
    const attributes = new AttributeService({}, filters, { defaultTenant: g.default_tenant, processRuns: config.attributes.process_runs, timezone: tz, roundingDecimals: g.rounding_decimals, rsrSeparator: g.rsr_separator });
    const chargers = new ChargerService({}, filters, config.chargers.attributes_conns.length > 0 ? attributes : null, { defaultTenant: g.default_tenant, timezone: tz });
    const cdrRepo = new CdrRepository(storDb);
    const cdrJournal = new CdrJournal(dataDb);
    opened.push({ close: async () => (cdrJournal.stop(), cdrJournal.flush()) });

    let cdrServer: CdrServer | undefined;
    const cdrDefaults = { tenant: g.default_tenant, category: g.default_category, requestType: g.default_request_type, timezone: tz };
    const accounts = new AccountService({
      dataDb, rating: () => rating, costMode, roundingDecimals: g.rounding_decimals, timezone: tz,
      balanceRatingSubject: config.rals.balance_rating_subject, log, defaultTenant: g.default_tenant,
      // *cdrlog: the action's record becomes a stored CDR (already rated: it carries its cost).
      cdrSink: async (rec) => {
        await cdrServer?.processCDRs([{ ...cdrFromEvent(rec as unknown as Record<string, unknown>, cdrDefaults), PreRated: true }]);
      },
      // ... and journalled with the account change they log, so a kill before the sink loses none.
      cdrLogInTx: async (tx, recs) => {
        if (!config.cdrs.store_cdrs) return;
        for (const rec of recs) await cdrJournal.record(tx, { ...cdrFromEvent(rec as unknown as Record<string, unknown>, cdrDefaults), PreRated: true });
      },
    });
    const scheduler = new Scheduler({ dataDb, execute: (acc, actions) => accounts.executeActionsOn(acc, actions), log, timezone: tz });
    accounts.setScheduler(scheduler);
    opened.push({ close: async () => scheduler.stop() });

    const cdrCharging = new CdrCharging({ config, rating, accounts, chargers: () => chargers, cdrServer: () => cdrServer! });
    cdrServer = new CdrServer({ repo: cdrRepo, rater: cdrCharging, defaults: cdrDefaults, log, storeCdrs: config.cdrs.store_cdrs, journal: cdrJournal });
    // A debit whose CDR a kill kept from the StorDB: store that CDR now, before anyone can resubmit it.
    const mended = await cdrJournal.recover(cdrRepo);
    if (mended > 0) log.notice(`${mended} CDR(s) debited before a stop but not stored: stored now from the journal`);
    const defaultUsage = Object.fromEntries(Object.entries(config.sessions.default_usage).map(([k, v]) => [k, parseDuration(v)]));
    const sessions = new SessionManager({
      charging: new SessionCharging({ config, rating, accounts, chargers: () => chargers, cdrServer: () => cdrServer! }),
      // Sessions live beside the accounts: a debit and the session state commit in one transaction.
      store: dataDb, legacyStore: storDb, log, timezone: tz,
      debitInterval: parseDuration(config.sessions.debit_interval),
      sessionTtl: parseDuration(config.sessions.session_ttl),
      defaultUsage, cgrid,
    });

    // One reload at a time: a loader and an API load racing must not interleave their index swaps.
    const reloadLock = new Mutex();
    const reloadTariffPlan = async () => {
      await loadTariffPlan();
      // The parsed plan is garbage now that every service indexed it: give its memory back.
      collectGarbage();
    };
    const loadTariffPlan = () =>
      reloadLock.run(async () => {
        const tp = await loadStoredTariffPlan(dataDb);
        rating.load(tp);
        filters.setProfiles(tp.filters);
        attributes.setProfiles(tp.attributes);
        chargers.setProfiles(tp.chargers);
        await accounts.reloadTariffPlan(tp);
        // AccountActions apply once per change of what they depend on, not at every start: re-applying
        // resets trigger state, and *asap plans are idempotent per account anyway.
        const digest = createHash('sha1').update(canonicalJson({ a: tp.accountActions, p: tp.actionPlans, t: tp.actionTriggers, x: tp.actions })).digest('hex');
        if ((await dataDb.get<string>('engine', 'account_actions_applied')) !== digest) {
          await accounts.applyTariffPlanAccounts(tp);
          await dataDb.put('engine', 'account_actions_applied', digest);
        }
        log.info(`tariff plan loaded: ${Object.keys(tp.ratingProfiles).length} rating profiles, ${Object.keys(tp.ratingPlans).length} rating plans, ${Object.keys(tp.destinations).length} destinations, ${Object.keys(tp.accountActions).length} account actions`);
      });

    const rpcStats: RpcStats = { requests: 0, badInput: 0 };
    const listeners: Record<string, string> = {};
    const running = ['CoreS', 'APIerS', 'RALs', 'SchedulerS', 'AttributeS', 'ChargerS', 'CDRs', 'SessionS'];
    const services: Services = {
      config, log, dataDb, storDb,
      nodeId: g.node_id || randomBytes(4).toString('hex'),
      version: VERSION,
      startedAt: Date.now(),
      rpcStats, running, listeners,
      rating, accounts, scheduler, filters, attributes, chargers, cdrRepo, cdrServer, sessions,
      reloadTariffPlan,
      activeSessions: () => sessions.count,
    };

    await reloadTariffPlan();
    await scheduler.start();
    const resumed = await sessions.start();
    if (resumed > 0) log.notice(`${resumed} session(s) resumed from the StorDB`);
    opened.push({ close: () => sessions.stop() });

    let diameter: DiameterAgent | undefined;
    if (config.diameter_agent.enabled) {
      const da = config.diameter_agent;
      const agent = (diameter = new DiameterAgent({
        config: { ...da, watchdogNs: parseDuration(da.watchdog_interval) },
        sessions, filters, log, defaultTenant: g.default_tenant, timezone: tz, roundingDecimals: g.rounding_decimals, rsrSeparator: g.rsr_separator,
        templates: config.templates,
      }));
      await agent.start();
      opened.push(agent);
      running.push('DiameterAgent');
      listeners.diameter = agent.addresses.join(',');
    }

    const table = buildMethodTable(services);
    let opensips: OpenSipsAgent | undefined;
    let birpc: BiRpcServer | undefined;
    registerOpenSipsApi(table, () => opensips, () => birpc);
    registerDiameterApi(table, () => diameter);
    const started: Listener[] = [];
    // Bounds, API keys and TLS for every JSON-RPC listener (src/api/config.ts); exposure is warned about.
    const limits = rpcLimitsOf(config);
    const auth = apiAuthOf(config);
    const tls = tlsOf(config);
    const allowedHosts = config.api.http_allowed_hosts;
    const rpcListeners: [string, string, boolean][] = [['rpc_json', config.listen.rpc_json, false], ['rpc_json_tls', config.listen.rpc_json_tls, true]];
    for (const [key, address, secure] of rpcListeners) {
      if (!address) continue;
      if (secure && !tls) throw new Error(`listen.${key} needs tls.server_certificate and tls.server_key`);
      const l = await startTcpJsonRpc({ name: `listen.${key}`, address, table, log, stats: rpcStats, limits, auth, tls: secure ? tls : undefined });
      opened.push(l);
      started.push(l);
      listeners[key] = l.address;
      log.info(`JSON-RPC over TCP${secure ? '+TLS' : ''} listening on ${l.address}`);
    }
    const httpListeners: [string, string, boolean][] = [['http', config.listen.http, false], ['http_tls', config.listen.http_tls, true]];
    for (const [key, address, secure] of httpListeners) {
      if (!address || !config.http.json_rpc_url) continue;
      if (secure && !tls) throw new Error(`listen.${key} needs tls.server_certificate and tls.server_key`);
      const l = await startHttpJsonRpc({ name: `listen.${key}`, address, path: config.http.json_rpc_url, table, log, stats: rpcStats, limits, auth, allowedHosts, tls: secure ? tls : undefined });
      opened.push(l);
      started.push(l);
      listeners[key] = l.address;
      log.info(`JSON-RPC over HTTP${secure ? 'S' : ''} listening on http${secure ? 's' : ''}://${l.address}${config.http.json_rpc_url}`);
    }
    if (config.opensips_agent.enabled) {
      const oa = config.opensips_agent;
      const agent = new OpenSipsAgent({
        listen: oa.listen, miAddr: oa.mi_addr, subscribeInterval: parseDuration(oa.events_subscribe_interval), createCdr: oa.create_cdr,
        requestFields: compileRequestFields(oa.request_fields, g.rsr_separator), requestProcessors: compileRequestProcessors(oa.request_processors, g.rsr_separator),
        sessions, store: storDb, log,
        sessionTtl: parseDuration(oa.session_ttl), filters, tenant: g.default_tenant, timezone: tz,
        miTimeout: Math.max(1, Math.round(parseDuration(oa.mi_reply_timeout) / 1e6)), miRetries: oa.mi_retries,
      });
      await agent.start();
      opened.push(agent);
      opensips = agent;
      listeners.opensips_agent = agent.address;
      running.push('OpenSIPSAgent');
    }
    if (config.opensips_agent.birpc && config.listen.birpc_json) {
      const b = new BiRpcServer({
        address: config.listen.birpc_json, sessions, table, log, defaultTenant: g.default_tenant,
        maxCallDuration: parseDuration(g.max_call_duration), replyTimeout: Math.max(1, Math.round(parseDuration(g.reply_timeout) / 1e6)),
        sessionTtl: parseDuration(config.opensips_agent.session_ttl),
      });
      await b.start();
      opened.push(b);
      birpc = b;
      listeners.birpc_json = b.address;
      running.push('BiRPC');
    }
    for (const w of exposureWarnings(config)) log.warning(w);
    log.info(`AccuRate ${VERSION} node ${services.nodeId} (${config.rals.cost_mode}) running: ${running.join(', ')} (${table.size} API methods)`);

    let stopping: Promise<void> | undefined;
    return { services, table, listeners: started, stop: () => (stopping ??= closeAll()) };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
