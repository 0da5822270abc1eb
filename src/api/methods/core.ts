// CoreSv1: liveness and status of the engine.
import os from 'node:os';
import { resolve } from 'node:path';
import type { MethodTable, CallContext } from '../table.js';
import type { Services } from '../../engine/services.js';
import { formatTime } from '../../util/time.js';
import { formatDuration, MS } from '../../util/duration.js';

export function register(table: MethodTable, s: Services): void {
  table.add('CoreSv1.Ping', async () => 'Pong');
  table.add('CoreSv1.Status', async (_p: unknown, ctx?: CallContext) => {
    const uptimeMs = Date.now() - s.startedAt;
    // Callers from beyond loopback without an API key learn liveness, not pid, paths or versions.
    if (ctx && !ctx.trusted) {
      return { node_id: s.nodeId, running_since: formatTime(s.startedAt), uptime: formatDuration(Math.floor(uptimeMs / 1000) * 1000 * MS), active_sessions: s.activeSessions() };
    }
    const mem = process.memoryUsage();
    return {
      node_id: s.nodeId,
      version: `AccuRate@${s.version}`,
      pid: process.pid,
      running_since: formatTime(s.startedAt),
      uptime: formatDuration(Math.floor(uptimeMs / 1000) * 1000 * MS),
      node_version: process.version,
      active_memory: mem.heapUsed,
      system_memory: mem.rss,
      host_memory_free: os.freemem(),
      active_sessions: s.activeSessions(),
      services: [...s.running],
      listeners: { ...s.listeners },
      rpc_requests: s.rpcStats.requests,
      rpc_bad_input: s.rpcStats.badInput,
      cost_mode: s.config.rals.cost_mode,
      // Absolute, so a loader run elsewhere can tell whether it writes the database this engine reads.
      data_db: resolve(s.dataDb.path),
      stor_db: resolve(s.storDb.path),
    };
  });
}
