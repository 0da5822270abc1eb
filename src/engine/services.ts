// What the engine's services hand each other. The API methods and agents reach the core only
// through this object (in-process today, a socket later).
import type { EngineConfig } from '../config/index.js';
import type { DataDB, StorDB } from '../store/index.js';
import type { Logger } from '../util/logger.js';
import type { RpcStats } from '../api/server.js';
import type { RatingService } from '../rating/index.js';
import type { AccountService } from '../accounts/index.js';
import type { Scheduler } from '../scheduler/index.js';
import type { FilterService } from '../filters/index.js';
import type { AttributeService } from '../attributes/index.js';
import type { ChargerService } from '../chargers/index.js';
import type { CdrRepository, CdrServer } from '../cdrs/index.js';
import type { SessionManager } from '../sessions/index.js';

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
  readonly rating: RatingService;
  readonly accounts: AccountService;
  readonly scheduler: Scheduler;
  readonly filters: FilterService;
  readonly attributes: AttributeService;
  readonly chargers: ChargerService;
  readonly cdrRepo: CdrRepository;
  readonly cdrServer: CdrServer;
  readonly sessions: SessionManager;
  /** Rebuilds in-memory indexes from the DataDB after a tariff-plan load and applies its accounts. */
  reloadTariffPlan(): Promise<void>;
  /** Number of live sessions. */
  activeSessions(): number;
}
