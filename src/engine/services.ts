// What the engine's services hand each other. Rooms add their service here, one field each; the
// API methods and agents reach the core only through this object (in-process today, a socket later).
import type { EngineConfig } from '../config/index.js';
import type { DataDB, StorDB } from '../store/index.js';
import type { Logger } from '../util/logger.js';
import type { RpcStats } from '../api/server.js';

export interface Services {
  readonly config: EngineConfig;
  readonly log: Logger;
  readonly dataDb: DataDB;
  readonly storDb: StorDB;
  readonly nodeId: string;
  readonly version: string;
  readonly startedAt: number;
  readonly rpcStats: RpcStats;
  /** Names of the services running in this engine, for CoreSv1.Status. */
  readonly running: string[];
  /** Listener name → bound address, for CoreSv1.Status. */
  readonly listeners: Record<string, string>;
  /** Rebuilds in-memory indexes from the DataDB after a tariff-plan load. */
  reloadTariffPlan(): Promise<void>;
  /** Number of live sessions (0 until SessionS runs). */
  activeSessions(): number;
}
