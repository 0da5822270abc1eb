// Human-readable change descriptions: rates field by field, other kinds by id.
import { formatDuration } from '../util/duration.js';
import type { Rate, RateSlot } from '../tariffplan/index.js';

const SLOT_FIELDS: { key: keyof RateSlot; label: string; duration: boolean }[] = [
  { key: 'connectFee', label: 'connect fee', duration: false },
  { key: 'rate', label: 'rate', duration: false },
  { key: 'rateUnit', label: 'unit', duration: true },
  { key: 'rateIncrement', label: 'increment', duration: true },
  { key: 'groupIntervalStart', label: 'from', duration: true },
];

export function describeSlot(s: RateSlot): string {
  return `${s.rate} per ${formatDuration(s.rateUnit)} in ${formatDuration(s.rateIncrement)} steps from ${formatDuration(s.groupIntervalStart)}, connect fee ${s.connectFee}`;
}

/** One line per difference, e.g. `RT_20CNT: rate 0.2 → 0.25 (slot 1)`. */
export function describeRateChanges(before: Record<string, Rate>, after: Record<string, Rate>): string[] {
  const out: string[] = [];
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const id of ids) {
    const b = before[id];
    const a = after[id];
    if (!b) {
      out.push(`+ ${id} (${a.slots.length} slot${a.slots.length === 1 ? '' : 's'}): ${a.slots.map(describeSlot).join('; ')}`);
      continue;
    }
    if (!a) {
      out.push(`- ${id}`);
      continue;
    }
    const n = Math.max(a.slots.length, b.slots.length);
    for (let i = 0; i < n; i++) {
      const sb = b.slots[i];
      const sa = a.slots[i];
      if (!sb) out.push(`${id}: slot ${i + 1} added: ${describeSlot(sa)}`);
      else if (!sa) out.push(`${id}: slot ${i + 1} removed (was ${describeSlot(sb)})`);
      else {
        for (const f of SLOT_FIELDS) {
          if (sb[f.key] === sa[f.key]) continue;
          const show = (v: string | number): string => (f.duration ? formatDuration(v as number) : String(v));
          out.push(`${id}: ${f.label} ${show(sb[f.key])} → ${show(sa[f.key])} (slot ${i + 1})`);
        }
      }
    }
  }
  return out;
}
