// The CDR journal: what a debit (or a rerate's refund) wrote in its own DataDB transaction is
// stored in the StorDB exactly once at the next start, whatever was stored before the kill.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CdrJournal, CdrRepository, cdrFromEvent, type CDR } from '../../src/cdrs/index.js';
import { openSqliteDataDB, openSqliteStorDB, type DataDB, type StorDB } from '../../src/store/index.js';
import { Money } from '../../src/util/money.js';

const defaults = { tenant: 'cgrates.org', category: 'call', requestType: '*postpaid', timezone: 'UTC' };
const mk = (originId: string, cost: string): CDR =>
  ({ ...cdrFromEvent({ OriginID: originId, OriginHost: '127.0.0.1', Account: '1001', Destination: '1002', SetupTime: '2014-08-04T13:00:00Z', Usage: '60s' }, defaults), Cost: new Money(cost), CostSource: '*cdrs' });

let dir: string;
let data: DataDB;
let stor: StorDB;
let repo: CdrRepository;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-journal-'));
  data = await openSqliteDataDB(join(dir, 'data'));
  stor = await openSqliteStorDB(join(dir, 'stor'));
  repo = new CdrRepository(stor);
});
afterEach(async () => {
  await data.close();
  await stor.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CDR journal', () => {
  it('recovery stores a debited CDR the kill kept from the StorDB, once, and not one already stored', async () => {
    const j = new CdrJournal(data);
    const lost = mk('lost', '0.4');
    const kept = mk('kept', '0.6');
    await data.transaction((tx) => j.record(tx, lost));
    await data.transaction((tx) => j.record(tx, kept));
    await repo.storeCDRs([kept]);
    // A new process: only what the DataDB holds.
    const after = new CdrJournal(data);
    expect(await after.recover(repo)).toBe(1);
    const all = await repo.getCDRs({});
    expect(all.map((c) => [c.OriginID, c.Cost.toFixed()])).toEqual([['kept', '0.6'], ['lost', '0.4']]);
    expect(await data.count('cdr_journal')).toBe(0);
    expect(await new CdrJournal(data).recover(repo)).toBe(0);
    expect(await repo.countCDRs({})).toBe(2);
  });

  it('a rerate killed after its refund leaves the stored CDR unrated, matching the refunded account', async () => {
    const j = new CdrJournal(data);
    const c = mk('rr', '1.4');
    const [stored] = (await repo.storeCDRs([c])).stored;
    await data.transaction((tx) => j.record(tx, { ...c, Cost: new Money(-1), CostDetails: null, CostSource: '' }, { update: true }));
    expect(await new CdrJournal(data).recover(repo)).toBe(1);
    const [back] = await repo.getCDRs({});
    expect(back.OrderID).toBe(stored.OrderID);
    expect(back.Cost.toFixed()).toBe('-1');
  });

  it('a spent entry is deleted with the next journal write, without a transaction of its own', async () => {
    const j = new CdrJournal(data);
    const a = mk('a', '0.1');
    await data.transaction((tx) => j.record(tx, a));
    expect(await j.get(a.CGRID, a.RunID)).toMatchObject({ OriginID: 'a' });
    j.remove([a]);
    expect(await j.get(a.CGRID, a.RunID)).toBeUndefined();
    expect(await data.count('cdr_journal')).toBe(1);
    await data.transaction((tx) => j.record(tx, mk('b', '0.2')));
    expect([...(await data.list('cdr_journal')).keys()]).toEqual([`${mk('b', '0').CGRID}|*default`]);
    j.stop();
  });
});
