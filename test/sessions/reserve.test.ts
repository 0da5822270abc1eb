import { describe, it, expect } from 'vitest';
import { applyLastUsed, planDebit, afterDebit } from '../../src/sessions/index.js';

const S = 1e9;

describe('prepaid reservation (rating-semantics 7.2)', () => {
  it('unused part of the last slice returns to the reserve', () => {
    expect(applyLastUsed({ reserve: 0, lastSlice: 120 * S }, 90 * S)).toEqual({ reserve: 30 * S, lastSlice: 120 * S });
  });
  it('use beyond the last slice makes the reserve negative, debited extra next', () => {
    const s = applyLastUsed({ reserve: 0, lastSlice: 120 * S }, 150 * S);
    expect(s.reserve).toBe(-30 * S);
    expect(planDebit(s, 120 * S)).toEqual({ debit: 150 * S, reserveLeft: 0 });
  });
  it('a reserve that covers the request means no debit', () => {
    expect(planDebit({ reserve: 60 * S, lastSlice: 0 }, 30 * S)).toEqual({ debit: 0, reserveLeft: 30 * S });
  });
  it('worked example: slice 2m, LastUsed 1m30s, next 2m charges only 90s', () => {
    const s = applyLastUsed({ reserve: 0, lastSlice: 120 * S }, 90 * S);
    expect(planDebit(s, 120 * S).debit).toBe(90 * S);
  });
  it('an increment round-up leaves the excess as reserve', () => {
    expect(afterDebit(0, 30 * S, 60 * S)).toBe(30 * S);
    expect(afterDebit(5 * S, 30 * S, 30 * S)).toBe(5 * S);
  });
  it('no LastUsed leaves the state as it is', () => {
    const s = { reserve: 7, lastSlice: 9 };
    expect(applyLastUsed(s, undefined)).toBe(s);
  });
});
