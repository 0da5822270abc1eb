// The reservation arithmetic of a prepaid run, pure (rating-semantics 7.2): what was debited but
// not yet used stays as reserve and is consumed first; what was used beyond it is debited extra.

export interface ReserveState {
  /** ns debited ahead of use (an increment round-up or a slice not fully used). */
  reserve: number;
  /** ns the last update reserved for (the slice LastUsed reports on). */
  lastSlice: number;
}

/** Applies an update's LastUsed: the unused part of the previous slice returns to the reserve (negative when more was used). */
export function applyLastUsed(s: ReserveState, lastUsed: number | undefined): ReserveState {
  if (lastUsed === undefined || lastUsed < 0) return s;
  return { reserve: s.reserve + (s.lastSlice - lastUsed), lastSlice: s.lastSlice };
}

/** How much must be newly debited to cover `requested` ns, and the reserve left if no debit is needed. */
export function planDebit(s: ReserveState, requested: number): { debit: number; reserveLeft: number } {
  if (s.reserve >= requested) return { debit: 0, reserveLeft: s.reserve - requested };
  return { debit: requested - s.reserve, reserveLeft: 0 };
}

/** After a debit of `asked` ns that covered `covered` ns (increments may round up), the excess is reserve. */
export function afterDebit(reserveLeft: number, asked: number, covered: number): number {
  return reserveLeft + Math.max(0, covered - asked);
}
