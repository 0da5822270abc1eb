// Every room's API methods, registered into the one table.
import { MethodTable } from '../table.js';
import type { Services } from '../../engine/services.js';
import { register as core } from './core.js';
import { register as loader } from './loader.js';
import { register as rating } from './rating.js';
import { register as accounts } from './accounts.js';
import { register as profiles } from './profiles.js';
import { register as cdrs } from './cdrs.js';
import { register as sessions } from './sessions.js';

export function buildMethodTable(s: Services): MethodTable {
  const table = new MethodTable();
  const tenant = s.config.general.default_tenant;
  core(table, s);
  loader(table, s);
  rating(table, s);
  accounts(table, s);
  profiles(table, { attributes: s.attributes, chargers: s.chargers, defaultTenant: tenant });
  cdrs(table, { server: s.cdrServer, repo: s.cdrRepo, config: s.config, filters: () => s.filters, destinationsFor: (n) => s.rating.destinationsFor(n) });
  sessions(table, {
    sessions: s.sessions, defaultTenant: tenant, nodeId: s.nodeId,
    maxComputedUsage: s.config.rals.max_computed_usage, timezone: s.config.general.default_timezone,
    passes: (t, ids, ev) => s.filters.pass(t, ids, { '*req': ev, '*opts': {}, '*vars': {} }),
  });
  return table;
}
