// Checks a config file's values against the defaults' shape: types, enums, durations, addresses.
// Unknown sections and keys are warnings (CGRateS configs carry sections AccuRate does not run).
import { DEFAULT_CONFIG, ENUMS, DURATION_KEYS, ADDRESS_KEYS } from './defaults.js';
import { parseDuration } from '../util/duration.js';
import { checkTimezone } from '../util/time.js';
import { apiConfigProblems } from './api.js';
import { compileTemplate, fieldTemplateFromRaw } from '../filters/index.js';
import { didYouMean } from '../util/similar.js';

/** CGRateS database backends AccuRate does not have yet: accepted with a warning, SQLite is used. */
export const FOREIGN_DB_TYPES = ['*redis', '*mongo', '*mysql', '*postgres', '*internal'];

/** CGRateS settings of data_db / stor_db that only matter to those backends: accepted and ignored. */
export const FOREIGN_DB_KEYS = [
  'db_host', 'db_port', 'db_name', 'db_user', 'db_password', 'opts', 'items', 'remote_conns', 'replication_conns',
  'replication_filtered', 'replication_cache', 'remote_conn_id', 'string_indexed_fields', 'prefix_indexed_fields', 'max_open_conns',
  'max_idle_conns', 'conn_max_lifetime', 'query_timeout', 'sslmode',
];

/** CGRateS sections AccuRate does not run: ignored with a warning, never a did-you-mean. */
export const CGRATES_SECTIONS = [
  'rpc_conns', 'caches', 'filters', 'resources', 'stats', 'thresholds', 'trends', 'rankings', 'routes', 'suppliers', 'dispatchers',
  'dispatcher_hosts', 'loaders', 'loader', 'ers', 'efs', 'analyzers', 'registrarc', 'apiban', 'sentrypeer', 'sip_agent', 'kamailio_agent',
  'freeswitch_agent', 'asterisk_agent', 'radius_agent', 'dns_agent', 'http_agent', 'prometheus_agent', 'janus_agent', 'mailer', 'suretax',
  'migrator', 'templates', 'configs', 'tls', 'cores', 'admins', 'accounts', 'rates', 'actions', 'tpes', 'data_db_replication',
];

export interface Problem {
  path: (string | number)[];
  message: string;
  severity: 'error' | 'warning';
}

/** Maps whose keys are the user's (ToR names, template ids): any key is allowed. */
const OPEN_MAPS = new Set(['rals.max_computed_usage', 'rals.balance_rating_subject', 'sessions.default_usage', 'cdre', 'templates']);

function kind(x: unknown): string {
  if (Array.isArray(x)) return 'list';
  if (x === null) return 'null';
  return typeof x === 'object' ? 'object' : typeof x;
}

function show(x: unknown): string {
  const s = JSON.stringify(x);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

export function validateConfig(file: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const walk = (value: unknown, def: unknown, path: string[]): void => {
    const key = path.join('.');
    if (def === undefined) return;
    if (kind(def) !== kind(value) && !(kind(def) === 'object' && OPEN_MAPS.has(key) && kind(value) === 'object')) {
      problems.push({ path, message: `expected ${article(kind(def))}, got ${show(value)}`, severity: 'error' });
      return;
    }
    if (kind(def) === 'object' && !OPEN_MAPS.has(key)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const d = (def as Record<string, unknown>)[k];
        if (d === undefined) {
          if ((key === 'data_db' || key === 'stor_db') && FOREIGN_DB_KEYS.includes(k)) continue;
          problems.push({ path: [...path, k], message: `unknown key, ignored${didYouMean(k, Object.keys(def as object))}`, severity: 'warning' });
        } else walk(v, d, [...path, k]);
      }
    }
    const allowed = ENUMS[key];
    if ((key === 'data_db.db_type' || key === 'stor_db.db_type') && FOREIGN_DB_TYPES.includes(value as string) && !allowed?.includes(value as string)) {
      problems.push({ path, message: `${value} is not available in AccuRate yet; the embedded SQLite is used (db_path)`, severity: 'warning' });
    } else if (allowed && !allowed.includes(value as string)) {
      problems.push({ path, message: `${show(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, severity: 'error' });
    }
    if (DURATION_KEYS.includes(key)) {
      try {
        parseDuration(value as string);
      } catch (e) {
        problems.push({ path, message: (e as Error).message, severity: 'error' });
      }
    }
    if (ADDRESS_KEYS.includes(key) && value !== '') {
      const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(value as string);
      if (!m) problems.push({ path, message: `${show(value)} is not a listen address (host:port, e.g. 127.0.0.1:2012)`, severity: 'error' });
      else if (Number(m[2]) > 65535) problems.push({ path, message: `port ${m[2]} is out of range (0 to 65535)`, severity: 'error' });
    }
  };
  for (const [section, value] of Object.entries(file)) {
    const def = (DEFAULT_CONFIG as Record<string, unknown>)[section];
    if (def === undefined) {
      const hint = CGRATES_SECTIONS.includes(section) ? '' : didYouMean(section, Object.keys(DEFAULT_CONFIG));
      problems.push({ path: [section], message: `section not used by AccuRate, ignored${hint}`, severity: 'warning' });
      continue;
    }
    walk(value, def, [section]);
  }
  const general = file.general as Record<string, unknown> | undefined;
  if (general && typeof general.log_level === 'number' && (!Number.isInteger(general.log_level) || general.log_level < 0 || general.log_level > 7)) {
    problems.push({ path: ['general', 'log_level'], message: `must be an integer from 0 (emergency) to 7 (debug), got ${general.log_level}`, severity: 'error' });
  }
  if (general && typeof general.rounding_decimals === 'number' && (!Number.isInteger(general.rounding_decimals) || general.rounding_decimals < 0 || general.rounding_decimals > 20)) {
    problems.push({ path: ['general', 'rounding_decimals'], message: `must be an integer from 0 to 20, got ${general.rounding_decimals}`, severity: 'error' });
  }
  if (general && typeof general.default_timezone === 'string') {
    try {
      checkTimezone(general.default_timezone);
    } catch (e) {
      problems.push({ path: ['general', 'default_timezone'], message: (e as Error).message, severity: 'error' });
    }
  }
  problems.push(...apiConfigProblems(file));
  const osa = file.opensips_agent as Record<string, unknown> | undefined;
  if (osa && Array.isArray(osa.request_fields) && osa.request_fields.length > 0) {
    try {
      const specs = osa.request_fields.map((f, i) => fieldTemplateFromRaw(f, `field ${i}`));
      compileTemplate('request_fields', specs, { writable: ['*cgreq', '*vars'] });
    } catch (e) {
      problems.push({ path: ['opensips_agent', 'request_fields'], message: (e as Error).message, severity: 'error' });
    }
  }
  return problems;
}

function article(k: string): string {
  return k === 'object' ? 'an object' : k === 'list' ? 'a list' : `a ${k}`;
}

/** A config file without the sections and keys the defaults do not have (they were warned about), so
 * -check_config shows only what is used. Open maps and lists are kept as written. */
export function pruneUnknown(file: Record<string, unknown>): Record<string, unknown> {
  const prune = (value: unknown, def: unknown, key: string): unknown => {
    if (kind(value) !== 'object' || kind(def) !== 'object' || OPEN_MAPS.has(key)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const d = (def as Record<string, unknown>)[k];
      if (d !== undefined) out[k] = prune(v, d, key ? `${key}.${k}` : k);
    }
    return out;
  };
  return prune(file, DEFAULT_CONFIG, '') as Record<string, unknown>;
}
