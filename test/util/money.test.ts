import { describe, it, expect } from 'vitest';
import { money, parseMoney, roundMoney, sumMoney } from '../../src/util/money.js';

describe('money is exact', () => {
  it('adds without binary floating-point error', () => {
    expect(money('0.1').plus('0.2').toString()).toBe('0.3');
    expect(sumMoney(Array.from({ length: 60 }, () => money('0.1').div(60))).toDecimalPlaces(10).toString()).toBe('0.1');
  });
  it('rounds *up, *down and *middle exactly', () => {
    expect(roundMoney(money('0.841666'), 4, '*up').toString()).toBe('0.8417');
    expect(roundMoney(money('0.84169'), 4, '*down').toString()).toBe('0.8416');
    expect(roundMoney(money('0.033335'), 5, '*middle').toString()).toBe('0.03334');
    expect(roundMoney(money('-0.00005'), 4, '*middle').toString()).toBe('-0.0001');
  });
  it('leaves the value as is for an empty rounding method', () => {
    expect(roundMoney(money('0.123456'), 2, '').toString()).toBe('0.123456');
  });
  it('parses decimals and rejects text', () => {
    expect(parseMoney('').toString()).toBe('0');
    expect(parseMoney('1e-3').toString()).toBe('0.001');
    expect(() => parseMoney('1,5')).toThrow(/not a decimal/);
  });
});
