// Shared by the Diameter e2e tests: an engine running the osips_diam tutorial's config (only the
// listen addresses and data folders replaced), and CCR/ACR builders for our own Diameter client.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { ROOT, freePort, startEngine, type RunningEngine } from './harness.js';
import { avpByName, baseDictionary, type Avp } from '../../src/agents/diameter/index.js';

export const TUTORIAL = join(ROOT, 'tutorials/osips_diam');
export const dict = baseDictionary();
export const A = (name: string, value: unknown): Avp => avpByName(dict, name, value);

export interface DiameterEngine extends RunningEngine {
  diameterPort: number;
}

/** The tutorial's etc/accurate files, the main one without its listen/db sections (the harness sets those). */
export async function tutorialConfigs(diameterPort: number, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const dir = join(TUTORIAL, 'etc/accurate');
  const out: Record<string, unknown> = {};
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
    const cfg = parse(await readFile(join(dir, f), 'utf8')) as Record<string, Record<string, unknown>>;
    if (f === 'accurate.json') {
      delete cfg.listen;
      delete cfg.data_db;
      delete cfg.stor_db;
      cfg.diameter_agent = { ...cfg.diameter_agent, listen: `127.0.0.1:${diameterPort}`, ...overrides };
    }
    out[`20-${f}`] = cfg;
  }
  return out;
}

export async function startDiameterEngine(overrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<DiameterEngine> {
  const diameterPort = await freePort();
  const e = await startEngine({ configs: { ...(await tutorialConfigs(diameterPort, overrides)), ...extra } });
  expect(await e.call('APIerSv1.LoadTariffPlanFromFolder', { FolderPath: join(TUTORIAL, 'tp') })).toBe('OK');
  return Object.assign(e, { diameterPort });
}

/** A CCR as the tutorial's OpenSIPS cfg sends it (CC-Request-Type 1..4). */
export function ccr(sessionId: string, type: number, number: number, o: { account?: string; destination?: string; requested?: number; used?: number; at?: Date; cause?: number; extra?: Avp[] } = {}): Avp[] {
  const account = o.account ?? '1001';
  return [
    A('Session-Id', sessionId), A('Origin-Host', 'client.diameter.test'), A('Origin-Realm', 'diameter.test'), A('Destination-Realm', 'diameter.test'),
    A('Auth-Application-Id', 4), A('Service-Context-Id', 'voice@OsipsDiamCCR'), A('CC-Request-Type', type), A('CC-Request-Number', number),
    ...(o.cause !== undefined ? [A('Termination-Cause', o.cause)] : []),
    A('Event-Timestamp', o.at ?? new Date()), A('User-Name', account),
    A('Subscription-Id', [A('Subscription-Id-Type', 0), A('Subscription-Id-Data', account)]),
    ...(o.requested !== undefined ? [A('Requested-Service-Unit', [A('CC-Time', o.requested)])] : []),
    ...(o.used !== undefined ? [A('Used-Service-Unit', [A('CC-Time', o.used)])] : []),
    A('Service-Information', [A('IMS-Information', [A('Calling-Party-Address', account), A('Called-Party-Address', o.destination ?? '1002')])]),
    ...(o.extra ?? []),
  ];
}

import { expect } from 'vitest';
