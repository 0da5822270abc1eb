// The CDR journal: the rated CDR written in the same DataDB transaction as the debit it explains.
// The CDR itself lives in the StorDB (another file, maybe another folder), so the two cannot commit
// in one transaction; the journal entry can. After the CDR is stored the entry is deleted; a kill
// in between leaves an entry that the next start (or a resubmission of the same CDR) finishes by
// storing the CDR, exactly once: (CGRID, RunID) is unique in the StorDB. See README "Nothing lost".
import type { KVStore, KVTx } from '../store/types.js';
import { Money } from '../util/money.js';
import type { CDR } from './model.js';
import type { CdrRepository } from './repository.js';

export const CDR_JOURNAL_KIND = 'cdr_journal';

type StoredCdr = Omit<CDR, 'Cost'> & { Cost: string };

function keyOf(cgridValue: string, runId: string): string {
  return `${cgridValue}|${runId}`;
}

function revive(s: StoredCdr): CDR {
  return { ...s, Cost: new Money(s.Cost) };
}

export class CdrJournal {
  constructor(private readonly db: KVStore) {}

  /** Inside the debit's transaction: the CDR as it will be stored. */
  async record(tx: KVTx, c: CDR): Promise<void> {
    await tx.put(CDR_JOURNAL_KIND, keyOf(c.CGRID, c.RunID), { ...c, Cost: c.Cost.toFixed() } satisfies StoredCdr);
  }

  async get(cgridValue: string, runId: string): Promise<CDR | undefined> {
    const s = await this.db.get<StoredCdr>(CDR_JOURNAL_KIND, keyOf(cgridValue, runId));
    return s ? revive(s) : undefined;
  }

  /** Once their CDRs are stored. */
  async remove(cdrs: readonly Pick<CDR, 'CGRID' | 'RunID'>[]): Promise<void> {
    if (cdrs.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const c of cdrs) await tx.delete(CDR_JOURNAL_KIND, keyOf(c.CGRID, c.RunID));
    });
  }

  /** At start: stores every journalled CDR not yet stored and empties the journal. Returns how many were stored now. */
  async recover(repo: CdrRepository): Promise<number> {
    const entries = [...(await this.db.list<StoredCdr>(CDR_JOURNAL_KIND)).values()].map(revive);
    if (entries.length === 0) return 0;
    const r = await repo.storeCDRs(entries.map((c) => ({ ...c, OrderID: 0 })));
    await this.remove(entries);
    return r.stored.length;
  }
}
