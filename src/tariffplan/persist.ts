// The tariff plan in the DataDB: one document per entity, kind = the model's key, id = entity id.
import type { DataDB, KVStore } from '../store/types.js';
import { ENTITY_KINDS, emptyTariffPlan, type TariffPlan } from './model.js';

/**
 * Writes every entity of `tp` in one transaction (all or nothing). With `flush`, every tariff-plan
 * kind is emptied first, so the store holds exactly `tp`.
 */
export async function saveTariffPlan(dataDb: DataDB | KVStore, tp: TariffPlan, opts: { flush?: boolean } = {}): Promise<number> {
  return dataDb.transaction(async (tx) => {
    let written = 0;
    for (const k of ENTITY_KINDS) {
      if (opts.flush) await tx.clear(k);
      // Multi-row inserts: a big plan holds the write lock (which live debits wait for) far shorter.
      written += await tx.putMany(k, Object.entries(tp[k]));
    }
    return written;
  });
}

export async function loadStoredTariffPlan(dataDb: DataDB | KVStore): Promise<TariffPlan> {
  const tp = emptyTariffPlan();
  for (const k of ENTITY_KINDS) {
    const rows = await dataDb.list<unknown>(k);
    const target = tp[k] as Record<string, unknown>;
    for (const [id, v] of rows) target[id] = v;
  }
  return tp;
}
