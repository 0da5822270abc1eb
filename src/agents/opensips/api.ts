// OpenSIPSAgentV1: the agent's state and OpenSIPS's MI through the engine's API (console
// `opensips_status`, `opensips_mi`, `opensips_subscribe`). Registered even when the agent is off,
// so the console names a clear error rather than an unknown method.
import type { MethodTable } from '../../api/index.js';
import { AccurateError, ERR } from '../../util/errors.js';
import type { OpenSipsAgent } from './agent.js';
import type { BiRpcServer } from './birpc.js';

export function registerOpenSipsApi(table: MethodTable, agent: () => OpenSipsAgent | undefined, birpc: () => BiRpcServer | undefined = () => undefined): void {
  const need = (): OpenSipsAgent => {
    const a = agent();
    if (!a) throw new AccurateError(`${ERR.NOT_FOUND}: opensips_agent is not enabled in this engine's config`, ERR.NOT_FOUND);
    return a;
  };
  table.add('OpenSIPSAgentV1.Status', async () => {
    const a = agent();
    const b = birpc();
    if (!a && !b) need();
    return {
      ...(a ? a.status() : {}),
      ...(b ? { BiRPC: { Address: b.address, Connections: b.connections, ...b.stats } } : {}),
    };
  });
  // SessionSv1.GetActiveSessionIDs asked of every connected OpenSIPS (the cgrates module).
  table.add('OpenSIPSAgentV1.BiRPCSessionIDs', async () => {
    const b = birpc();
    if (!b) throw new AccurateError(`${ERR.NOT_FOUND}: opensips_agent.birpc is not enabled in this engine's config`, ERR.NOT_FOUND);
    return b.remoteSessionIDs();
  });
  table.add('OpenSIPSAgentV1.Subscribe', async () => {
    const a = need();
    await a.subscribe();
    return a.status().Subscriptions;
  });
  // Any MI command, e.g. Method=version, Method=dlg_list, Method=get_statistics Params='[["dialog:"]]'.
  table.add('OpenSIPSAgentV1.MI', async (p: { Method?: string; Params?: unknown } | undefined) => {
    const a = need();
    if (!p?.Method || typeof p.Method !== 'string') throw new AccurateError(`${ERR.MANDATORY_IE_MISSING}: [Method]`, ERR.MANDATORY_IE_MISSING);
    let params = p.Params;
    if (typeof params === 'string' && params !== '') {
      try {
        params = JSON.parse(params);
      } catch {
        throw new AccurateError(`${ERR.SERVER_ERROR}: Params must be JSON (an object or a list), have <${params}>`, ERR.SERVER_ERROR);
      }
    }
    return a.mi.call(p.Method, (params || undefined) as Record<string, unknown> | unknown[] | undefined);
  });
}
