// The engine: opens the databases, wires the services, starts the listeners; stops in reverse.
import { randomBytes } from 'node:crypto';
import type { EngineConfig } from '../config/index.js';
import type { Logger } from '../util/logger.js';
import { openSqliteDataDB, openSqliteStorDB, type DataDB, type StorDB } from '../store/index.js';
import { buildMethodTable, startTcpJsonRpc, startHttpJsonRpc, type Listener, type MethodTable, type RpcStats } from '../api/index.js';
import type { Services } from './services.js';
import { VERSION } from './version.js';

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
    const dataDb: DataDB = await openSqliteDataDB(config.data_db.db_path);
    opened.push(dataDb);
    const storDb: StorDB = await openSqliteStorDB(config.stor_db.db_path);
    opened.push(storDb);
    log.info(`DataDB ${dataDb.path}, StorDB ${storDb.path}`);

    const rpcStats: RpcStats = { requests: 0, badInput: 0 };
    const listeners: Record<string, string> = {};
    const running: string[] = [];
    const services: Services = {
      config,
      log,
      dataDb,
      storDb,
      nodeId: config.general.node_id || randomBytes(4).toString('hex'),
      version: VERSION,
      startedAt: Date.now(),
      rpcStats,
      running,
      listeners,
      reloadTariffPlan: async () => undefined,
      activeSessions: () => 0,
    };
    if (config.apiers.enabled) running.push('APIerS');
    running.push('CoreS');

    const table = buildMethodTable(services);
    const started: Listener[] = [];
    if (config.listen.rpc_json) {
      const l = await startTcpJsonRpc({ name: 'listen.rpc_json', address: config.listen.rpc_json, table, log, stats: rpcStats });
      opened.push(l);
      started.push(l);
      listeners.rpc_json = l.address;
      log.info(`JSON-RPC over TCP listening on ${l.address}`);
    }
    if (config.listen.http && config.http.json_rpc_url) {
      const l = await startHttpJsonRpc({ address: config.listen.http, path: config.http.json_rpc_url, table, log, stats: rpcStats });
      opened.push(l);
      started.push(l);
      listeners.http = l.address;
      log.info(`JSON-RPC over HTTP listening on http://${l.address}${config.http.json_rpc_url}`);
    }
    log.info(`AccuRate ${VERSION} node ${services.nodeId} running: ${running.join(', ')} (${table.size} API methods)`);

    let stopping: Promise<void> | undefined;
    return {
      services,
      table,
      listeners: started,
      stop: () => (stopping ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
