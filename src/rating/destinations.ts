// The destination index of a loaded tariff plan: destination ID → prefixes and the reverse,
// prefix → destination IDs (a longest-prefix lookup costs one Map probe per digit of the number,
// whatever the number of destinations). One per load, built from the plan alone, shared by
// rating (destination matching) and accounts (balance destination filters, counters).
// Memory: most prefixes belong to one destination and most destinations hold one prefix, so a
// single value is stored as the string itself and only larger sets as arrays; ids and prefixes
// are the plan's own strings, never copies.
import type { Destination, TariffPlan } from '../tariffplan/model.js';

type OneOrMany = string | string[];

const many = (v: OneOrMany | undefined): readonly string[] | undefined => (v === undefined ? undefined : typeof v === 'string' ? [v] : v);

/** Prefixes of a number, longest first, down to one character (CGRateS SplitPrefix with MIN_PREFIX_MATCH 1). */
export function prefixesOf(number: string): string[] {
  const out: string[] = [];
  for (let i = number.length; i >= 1; i--) out.push(number.slice(0, i));
  return out;
}

export class DestinationIndex {
  private readonly byId = new Map<string, OneOrMany>();
  private readonly byPrefix = new Map<string, OneOrMany>();

  /** Destinations in load order; a prefix listed twice in a destination counts once for it. */
  constructor(destinations: Iterable<Destination>) {
    for (const d of destinations) {
      const prefixes = d.prefixes;
      this.byId.set(d.id, prefixes.length === 1 ? prefixes[0] : prefixes);
      for (const p of prefixes) {
        const ids = this.byPrefix.get(p);
        if (ids === undefined) this.byPrefix.set(p, d.id);
        else if (typeof ids === 'string') {
          if (ids !== d.id) this.byPrefix.set(p, [ids, d.id]);
        } else if (!ids.includes(d.id)) ids.push(d.id);
      }
    }
  }

  /** Number of destinations. */
  get size(): number {
    return this.byId.size;
  }

  /** The prefixes of a destination, as loaded; undefined for an unknown ID. */
  prefixes(id: string): readonly string[] | undefined {
    return many(this.byId.get(id));
  }

  /** IDs of the destinations holding exactly this prefix, in load order; undefined when none. */
  ids(prefix: string): readonly string[] | undefined {
    return many(this.byPrefix.get(prefix));
  }

  /** IDs of the destinations holding a prefix of the number, longest prefix first, each once. */
  matching(number: string): string[] {
    const out: string[] = [];
    for (let i = number.length; i > 0; i--) {
      const ids = this.byPrefix.get(number.slice(0, i));
      if (ids === undefined) continue;
      if (typeof ids === 'string') {
        if (!out.includes(ids)) out.push(ids);
      } else for (const id of ids) if (!out.includes(id)) out.push(id);
    }
    return out;
  }
}

const built = new WeakMap<object, DestinationIndex>();

/**
 * The destination index of a tariff plan, built on first use and then shared: rating and accounts
 * both ask for it when a plan loads, and get the same index (a loaded plan is never mutated).
 */
export function destinationIndexOf(tp: Pick<TariffPlan, 'destinations'>): DestinationIndex {
  let dx = built.get(tp.destinations);
  if (!dx) {
    dx = new DestinationIndex(Object.values(tp.destinations));
    built.set(tp.destinations, dx);
  }
  return dx;
}
