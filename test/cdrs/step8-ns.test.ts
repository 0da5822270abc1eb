// Step 8 rule 1 in CDRs: SetupTime/AnswerTime keep their nanoseconds from event to storage to wire.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CdrRepository, cdrFromEvent, cdrFromWire, cdrToWire } from '../../src/cdrs/index.js';
import { openSqliteStorDB, type StorDB } from '../../src/store/index.js';

const defaults = { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' };
let dir: string;
let db: StorDB;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-cdr-ns-'));
  db = await openSqliteStorDB(dir);
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('rule 1: times keep their nanoseconds (CDR fields and storage)', () => {
  it('RFC 3339 and unix nanoseconds in, RFC 3339 nanoseconds out, stored and read back', async () => {
    const cdr = cdrFromEvent({
      OriginID: 'ns1', OriginHost: 'h', Account: '1001', Destination: '1002', Usage: '1ns', ToR: '*data',
      SetupTime: '2024-08-18T22:21:25.999999999Z', AnswerTime: '1724019686000000001',
    }, defaults);
    expect(cdr.SetupTime).toBe(Date.UTC(2024, 7, 18, 22, 21, 25, 999));
    expect(cdr.SetupTimeSubNs).toBe(999999);
    const wire = cdrToWire(cdr);
    expect([wire.SetupTime, wire.AnswerTime]).toEqual(['2024-08-18T22:21:25.999999999Z', '2024-08-18T22:21:26.000000001Z']);
    expect(cdrToWire(cdrFromWire(wire as unknown as Record<string, unknown>))).toEqual(wire);
    const repo = new CdrRepository(db);
    await repo.storeCDRs([cdr]);
    const [back] = await repo.getCDRs({});
    expect([cdrToWire(back).SetupTime, cdrToWire(back).AnswerTime]).toEqual(['2024-08-18T22:21:25.999999999Z', '2024-08-18T22:21:26.000000001Z']);
  });

  it('a time without nanoseconds prints as before (no sub-ms field)', () => {
    const cdr = cdrFromEvent({ OriginID: 'ms1', Account: '1001', AnswerTime: '2014-08-04T13:00:07.120Z' }, defaults);
    expect(cdr.AnswerTimeSubNs).toBeUndefined();
    expect(cdrToWire(cdr).AnswerTime).toBe('2014-08-04T13:00:07.120Z');
  });
});
