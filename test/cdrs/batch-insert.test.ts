// storeCDRs writes a batch with multi-row statements: order, OrderIDs and duplicates (inside one
// statement, across statements, and against stored rows) come out as row-by-row inserts gave them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CdrRepository, cdrFromEvent, type CDR } from '../../src/cdrs/index.js';
import { openSqliteStorDB, type SqliteDatabase, type StorDB } from '../../src/store/index.js';

const defaults = { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' };
const mk = (originId: string, cost = '0.6'): CDR =>
  cdrFromEvent({ OriginID: originId, OriginHost: '127.0.0.1', Account: '1001', Destination: '1002', SetupTime: '2014-08-04T13:00:00Z', Usage: '60s', Cost: cost }, defaults);

let dir: string;
let db: StorDB;
let repo: CdrRepository;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-cdrbatch-'));
  db = await openSqliteStorDB(dir);
  repo = new CdrRepository(db);
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('storeCDRs with multi-row statements', () => {
  it('keeps input order and ascending OrderIDs over many statements; the first of equal keys wins; stored ones are duplicates', async () => {
    await repo.storeCDRs([mk('c-7', '9')]);
    const batch = Array.from({ length: 130 }, (_, i) => mk(`c-${i}`));
    batch.splice(5, 0, mk('c-3', '1')); // same key inside the first statement
    batch.push(mk('c-0', '2')); // same key, in a later statement than its twin
    const r = await repo.storeCDRs(batch);
    expect(r.stored.map((c) => c.OriginID)).toEqual(Array.from({ length: 130 }, (_, i) => `c-${i}`).filter((x) => x !== 'c-7'));
    expect(r.duplicates.map((c) => `${c.OriginID}:${c.Cost.toFixed()}`)).toEqual(['c-3:1', 'c-7:0.6', 'c-0:2']);
    const ids = r.stored.map((c) => c.OrderID);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const back = await repo.getCDRs({ OriginIDs: ['c-3', 'c-7', 'c-0'] });
    expect(back.map((c) => `${c.OriginID}:${c.Cost.toFixed()}`)).toEqual(['c-7:9', 'c-0:0.6', 'c-3:0.6']);
    expect(await repo.countCDRs({})).toBe(130);
  });

  it('concurrent stores share one transaction body; each caller gets its own stored CDRs and duplicates', async () => {
    await repo.storeCDRs([mk('d-0', '9')]);
    const stats = (db.sql as SqliteDatabase).stats;
    const bodies = stats.bodies;
    const rs = await Promise.all([
      repo.storeCDRs([mk('a-0'), mk('a-1')]),
      repo.storeCDRs([mk('d-0', '1'), mk('b-0')]),
      repo.storeCDRs([mk('a-1', '2')]),
    ]);
    expect(stats.bodies - bodies).toBe(1);
    expect(rs.map((r) => r.stored.map((c) => c.OriginID))).toEqual([['a-0', 'a-1'], ['b-0'], []]);
    expect(rs.map((r) => r.duplicates.map((c) => `${c.OriginID}:${c.Cost.toFixed()}`))).toEqual([[], ['d-0:1'], ['a-1:2']]);
    const ids = rs.flatMap((r) => r.stored.map((c) => c.OrderID));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(await repo.countCDRs({})).toBe(4);
  });

  it('a caller whose row breaks a constraint fails alone; the callers that joined it are stored', async () => {
    const bad: CDR = { ...mk('bad'), SetupTime: null as unknown as number };
    const rs = await Promise.allSettled([repo.storeCDRs([mk('a-0')]), repo.storeCDRs([mk('b-0'), bad]), repo.storeCDRs([mk('c-0')])]);
    expect(rs.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((rs[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect((await repo.getCDRs({})).map((c) => c.OriginID)).toEqual(['a-0', 'c-0']);
  });
});
