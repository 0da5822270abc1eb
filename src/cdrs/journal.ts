// The CDR journal: the rated CDR written in the same DataDB transaction as the debit it explains.
// The CDR itself lives in the StorDB (another file, maybe another folder), so the two cannot commit
// in one transaction; the journal entry can. After the CDR is stored the entry is spent; a kill in
// between leaves an entry that the next start (or a resubmission of the same CDR) finishes by
// storing the CDR, exactly once: (CGRID, RunID) is unique in the StorDB. See README "Nothing lost".
//
// Spent entries are deleted in the next journal write's transaction (or after a short idle), so
// the journal costs no transaction of its own on the hot path.
import type { KVStore, KVTx } from '../store/types.js';
import { Money } from '../util/money.js';
import type { CDR } from './model.js';
import type { CdrRepository } from './repository.js';

export const CDR_JOURNAL_KIND = 'cdr_journal';

/** `Update`: a rerate's entry, which replaces the stored CDR (it exists) instead of adding one. */
type StoredCdr = Omit<CDR, 'Cost'> & { Cost: string; Update?: boolean };

function keyOf(cgridValue: string, runId: string): string {
  return `${cgridValue}|${runId}`;
}

function revive(s: StoredCdr): CDR {
  const { Update: _u, ...c } = s;
  return { ...c, Cost: new Money(s.Cost) };
}

/** Spent entries deleted per journal write at most (the rest wait for the next one or the idle flush). */
const PIGGYBACK = 256;

export class CdrJournal {
  /** Entries in the DB (written this run, or left by a kill and not yet recovered). */
  private readonly live = new Set<string>();
  private readonly spent = new Set<string>();
  private flushTimer?: NodeJS.Timeout;

  constructor(private readonly db: KVStore) {}

  /** Inside the debit's (or a rerate's refund's) transaction: the CDR as it will be stored. */
  async record(tx: KVTx, c: CDR, opts: { update?: boolean } = {}): Promise<void> {
    const key = keyOf(c.CGRID, c.RunID);
    await tx.put(CDR_JOURNAL_KIND, key, { ...c, Cost: c.Cost.toFixed(), ...(opts.update ? { Update: true } : {}) } satisfies StoredCdr);
    if (this.spent.size > 0) {
      const batch = [...this.spent].slice(0, PIGGYBACK);
      await tx.deleteMany(CDR_JOURNAL_KIND, batch);
      // Forgotten only once this transaction commits; re-deleting a deleted id is harmless.
      for (const k of batch) this.spent.delete(k);
    }
    this.live.add(key);
  }

  async get(cgridValue: string, runId: string): Promise<CDR | undefined> {
    const key = keyOf(cgridValue, runId);
    // Every entry is known in memory (recover() reads the leftovers at start): no read for the rest.
    if (!this.live.has(key) || this.spent.has(key)) return undefined;
    const s = await this.db.get<StoredCdr>(CDR_JOURNAL_KIND, key);
    return s ? revive(s) : undefined;
  }

  /** Once their CDRs are stored: deleted with the next journal write, or within a second. */
  remove(cdrs: readonly Pick<CDR, 'CGRID' | 'RunID'>[]): void {
    for (const c of cdrs) {
      const key = keyOf(c.CGRID, c.RunID);
      this.live.delete(key);
      this.spent.add(key);
    }
    if (!this.flushTimer && this.spent.size > 0) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, 1000);
      this.flushTimer.unref();
    }
  }

  /** Deletes the spent entries now (idle flush, stop). */
  async flush(): Promise<void> {
    if (this.spent.size === 0) return;
    const batch = [...this.spent];
    await this.db.transaction((tx) => tx.deleteMany(CDR_JOURNAL_KIND, batch));
    for (const k of batch) this.spent.delete(k);
  }

  /** At start: stores every journalled CDR not yet stored and empties the journal. Returns how many were stored now. */
  async recover(repo: CdrRepository): Promise<number> {
    const stored = [...(await this.db.list<StoredCdr>(CDR_JOURNAL_KIND)).values()];
    if (stored.length === 0) return 0;
    const fresh = stored.filter((s) => !s.Update).map((s) => ({ ...revive(s), OrderID: 0 }));
    const rerated = stored.filter((s) => s.Update).map(revive);
    const r = await repo.storeCDRs(fresh);
    // A rerate killed half way: the CDR shows what the account now reflects (unrated after the refund alone).
    const u = rerated.length > 0 ? await repo.storeCDRs(rerated, { allowUpdate: true }) : { stored: [] };
    await this.db.transaction((tx) => tx.deleteMany(CDR_JOURNAL_KIND, stored.map((c) => keyOf(c.CGRID, c.RunID))));
    return r.stored.length + u.stored.length;
  }

  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }
}
