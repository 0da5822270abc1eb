// DiameterAgentV1.Status: the agent's listeners, peers and counters (malformed messages included)
// through the engine's API. Registered even when the agent is off, so the caller gets a clear error.
import type { MethodTable } from '../../api/index.js';
import { AccurateError, ERR } from '../../util/errors.js';
import type { DiameterAgent } from './agent.js';

export function registerDiameterApi(table: MethodTable, agent: () => DiameterAgent | undefined): void {
  table.add('DiameterAgentV1.Status', async () => {
    const a = agent();
    if (!a) throw new AccurateError(`${ERR.NOT_FOUND}: diameter_agent is not enabled in this engine's config`, ERR.NOT_FOUND);
    return a.status();
  });
}
