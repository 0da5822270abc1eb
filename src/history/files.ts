// The archive's files: one canonical, sorted, pretty JSON file per tariff-plan kind.
import { canonicalJson, emptyTariffPlan, ENTITY_KINDS, kindLabel, type EntityKind, type TariffPlan } from '../tariffplan/index.js';

/** destinationRates → destination_rates.json */
export function kindFile(kind: EntityKind): string {
  return `${kindLabel(kind)}.json`;
}

export function fileKind(file: string): EntityKind | undefined {
  return ENTITY_KINDS.find((k) => kindFile(k) === file);
}

/** File text of one kind: object keyed by id, keys sorted at every level, 2-space indent, final newline. */
export function renderKind(tp: TariffPlan, kind: EntityKind): string {
  return canonicalJson(tp[kind], 2) + '\n';
}

/** Rebuilds a plan from file texts (a missing or unreadable file is an empty kind). */
export function planFromFiles(read: (file: string) => string | undefined): TariffPlan {
  const tp = emptyTariffPlan();
  for (const k of ENTITY_KINDS) {
    const text = read(kindFile(k));
    if (!text) continue;
    try {
      (tp as unknown as Record<string, unknown>)[k] = JSON.parse(text);
    } catch {
      // Hand-edited archive: treat as empty so the next record rewrites it.
    }
  }
  return tp;
}
