import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CdrRepository, cdrFromEvent, whereClause, type CDR } from '../../src/cdrs/index.js';
import { openSqliteStorDB, type StorDB } from '../../src/store/index.js';

const defaults = { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' };
const mk = (originId: string, over: Record<string, unknown> = {}): CDR =>
  cdrFromEvent({ OriginID: originId, OriginHost: '127.0.0.1', Account: '1001', Destination: '1002', SetupTime: '2014-08-04T13:00:00Z', AnswerTime: '2014-08-04T13:00:05Z', Usage: '60s', Cost: '0.6', ...over }, defaults);

let dir: string;
let db: StorDB;
let repo: CdrRepository;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-cdrs-'));
  db = await openSqliteStorDB(dir);
  repo = new CdrRepository(db);
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CDR repository', () => {
  it('stores and reads back every field exactly, with an OrderID', async () => {
    const c = mk('a', { Cost: '0.123456789012345678', sip_code: '200', CostDetails: { Charges: [{ RatingID: 'r1' }] }, Partial: true });
    const { stored } = await repo.storeCDRs([c]);
    expect(stored[0].OrderID).toBeGreaterThan(0);
    const [back] = await repo.getCDRs({});
    expect(back).toEqual({ ...c, OrderID: stored[0].OrderID });
    expect(back.Cost.toFixed()).toBe('0.123456789012345678');
  });

  it('the same CGRID and RunID is never stored twice', async () => {
    const first = await repo.storeCDRs([mk('a'), mk('b')]);
    expect(first.duplicates).toEqual([]);
    const again = await repo.storeCDRs([mk('a', { Cost: '9' }), mk('c')]);
    expect(again.duplicates.map((c) => c.OriginID)).toEqual(['a']);
    expect(again.stored.map((c) => c.OriginID)).toEqual(['c']);
    const all = await repo.getCDRs({});
    expect(all.map((c) => [c.OriginID, c.Cost.toFixed()])).toEqual([['a', '0.6'], ['b', '0.6'], ['c', '0.6']]);
  });

  it('a duplicate inside one batch is reported too', async () => {
    const r = await repo.storeCDRs([mk('a'), mk('a')]);
    expect(r.stored).toHaveLength(1);
    expect(r.duplicates).toHaveLength(1);
  });

  it('another RunID of the same CGRID is a different CDR', async () => {
    const r = await repo.storeCDRs([mk('a'), mk('a', { RunID: '*raw', RequestType: '*none' })]);
    expect(r.stored).toHaveLength(2);
  });

  it('allowUpdate replaces the stored CDR, keeps its OrderID and makes it unexported again', async () => {
    const [orig] = (await repo.storeCDRs([mk('a')])).stored;
    await repo.markExported([orig.OrderID], 'exp1');
    const r = await repo.storeCDRs([mk('a', { Cost: '1.5' })], { allowUpdate: true });
    expect(r.duplicates).toEqual([]);
    expect(r.stored[0].OrderID).toBe(orig.OrderID);
    const [back] = await repo.getCDRs({});
    expect(back.Cost.toFixed()).toBe('1.5');
    expect(await repo.exportMark(orig.OrderID)).toBeUndefined();
  });

  it('a failing batch stores nothing', async () => {
    await expect(repo.storeCDRs([mk('a'), { ...mk('b'), RunID: '' }])).rejects.toThrow(/CGRID and RunID/);
    expect(await repo.countCDRs({})).toBe(0);
  });

  describe('filters', () => {
    beforeEach(async () => {
      await repo.storeCDRs([
        mk('o1', { Account: '1001', Destination: '1002', Usage: '30s', Cost: '0.3', SetupTime: '2014-08-04T13:00:00Z' }),
        mk('o2', { Account: '1002', Destination: '49151', Usage: '90s', Cost: '1.05', SetupTime: '2014-08-04T14:00:00Z', Source: 'osips' }),
        mk('o3', { Account: '1003', Destination: '49171', Usage: '0s', Cost: '-1', SetupTime: '2014-08-05T09:00:00Z', RequestType: '*prepaid', dialog: 'd1' }),
        mk('o3', { RunID: '*raw', Account: '1003', Destination: '49171', Usage: '0s', Cost: '-1', SetupTime: '2014-08-05T09:00:00Z', RequestType: '*none' }),
      ]);
    });
    const ids = async (f: Parameters<CdrRepository['getCDRs']>[0]) => (await repo.getCDRs(f)).map((c) => `${c.OriginID}/${c.RunID}`);

    it('lists and Not lists', async () => {
      expect(await ids({ Accounts: ['1001', '1003'], RunIDs: ['*default'] })).toEqual(['o1/*default', 'o3/*default']);
      expect(await ids({ NotAccounts: ['1001'], NotRunIDs: ['*raw'] })).toEqual(['o2/*default', 'o3/*default']);
      expect(await ids({ Sources: ['osips'] })).toEqual(['o2/*default']);
      expect(await ids({ RequestTypes: ['*none'] })).toEqual(['o3/*raw']);
      expect(await ids({ OriginIDs: ['o2'] })).toEqual(['o2/*default']);
    });
    it('destination prefixes (any) and not-prefixes (all)', async () => {
      expect(await ids({ DestinationPrefixes: ['491', '100'], RunIDs: ['*default'] })).toEqual(['o1/*default', 'o2/*default', 'o3/*default']);
      expect(await ids({ DestinationPrefixes: ['4915'] })).toEqual(['o2/*default']);
      expect(await ids({ NotDestinationPrefixes: ['4915', '100'], RunIDs: ['*default'] })).toEqual(['o3/*default']);
    });
    it('a prefix with LIKE wildcards matches literally', async () => {
      expect(await ids({ DestinationPrefixes: ['%'] })).toEqual([]);
    });
    it('setup time range is [start, end)', async () => {
      expect(await ids({ SetupTimeStart: '2014-08-04T13:00:00Z', SetupTimeEnd: '2014-08-04T14:00:00Z' })).toEqual(['o1/*default']);
      expect(await ids({ SetupTimeStart: Date.parse('2014-08-04T14:00:00Z'), RunIDs: ['*default'] })).toEqual(['o2/*default', 'o3/*default']);
    });
    it('usage range [MinUsage, MaxUsage)', async () => {
      expect(await ids({ MinUsage: '30s', MaxUsage: '90s' })).toEqual(['o1/*default']);
    });
    it('cost range, rated only (0/-1), unrated only (-1)', async () => {
      expect(await ids({ MinCost: 0.3, MaxCost: '1.05' })).toEqual(['o1/*default']);
      expect(await ids({ MinCost: 0, MaxCost: -1 })).toEqual(['o1/*default', 'o2/*default']);
      expect(await ids({ MaxCost: -1 })).toEqual(['o3/*default', 'o3/*raw']);
    });
    it('extra fields by value or *exists', async () => {
      expect(await ids({ ExtraFields: { dialog: 'd1' } })).toEqual(['o3/*default']);
      expect(await ids({ ExtraFields: { dialog: '*exists' } })).toEqual(['o3/*default']);
    });
    it('order id range, limit and offset, count', async () => {
      const all = await repo.getCDRs({});
      expect(await ids({ OrderIDStart: all[1].OrderID, OrderIDEnd: all[3].OrderID })).toEqual(['o2/*default', 'o3/*default']);
      expect(await ids({ Limit: 2, Offset: 1 })).toEqual(['o2/*default', 'o3/*default']);
      expect(await ids({ Offset: 3 })).toEqual(['o3/*raw']);
      expect(await repo.countCDRs({ RunIDs: ['*default'], Limit: 1 })).toBe(3);
    });
    it('OrderBy Cost;desc', async () => {
      expect(await ids({ OrderBy: 'Cost;desc', RunIDs: ['*default'] })).toEqual(['o2/*default', 'o1/*default', 'o3/*default']);
      await expect(repo.getCDRs({ OrderBy: 'Account' })).rejects.toThrow(/Invalid value : Account/);
    });
    it('exported marks and unexportedOnly', async () => {
      const all = await repo.getCDRs({});
      expect(await repo.markExported([all[0].OrderID, all[1].OrderID], 'exp-1', 1000)).toBe(2);
      expect(await ids({ UnexportedOnly: true })).toEqual(['o3/*default', 'o3/*raw']);
      expect(await repo.exportMark(all[0].OrderID)).toEqual({ exportId: 'exp-1', exportedAt: 1000 });
    });
    it('values never enter the SQL text', () => {
      const w = whereClause({ Accounts: ["1001' OR 1=1 --"], DestinationPrefixes: ["x'"], ExtraFields: { "a'b": "c'" } });
      expect(w.sql).not.toContain("1001'");
      expect(w.sql).not.toContain("x'");
      expect(w.params).toContain("1001' OR 1=1 --");
    });
    it('bad filter values are clear errors', async () => {
      await expect(repo.getCDRs({ SetupTimeStart: 'soon' })).rejects.toThrow(/SetupTimeStart/);
      await expect(repo.getCDRs({ MinCost: 'lots' })).rejects.toThrow(/MinCost/);
      await expect(repo.getCDRs({ Limit: -1 })).rejects.toThrow(/Limit/);
    });
    it('removeCDRs deletes what matches', async () => {
      expect(await repo.removeCDRs({ RunIDs: ['*raw'] })).toBe(1);
      expect(await repo.countCDRs({})).toBe(3);
    });
  });

  it('session costs: store, replace, read by CGRID/RunID and OriginID prefix', async () => {
    const sc = { CGRID: 'g1', RunID: '*default', OriginHost: 'h', OriginID: 'call-1', CostSource: '*sessions', Usage: 60e9, CostDetails: { Cost: 0.6 } };
    await repo.storeSessionCost(sc);
    await repo.storeSessionCost({ ...sc, Usage: 90e9 });
    expect(await repo.getSessionCost('g1', '*default')).toEqual({ ...sc, Usage: 90e9 });
    expect(await repo.getSessionCosts({ originIdPrefix: 'call-' })).toHaveLength(1);
    expect(await repo.getSessionCost('g1', '*raw')).toBeUndefined();
    expect(await repo.removeSessionCosts('g1')).toBe(1);
  });
});
