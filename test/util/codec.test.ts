// The one codec for persisting Money-bearing state as JSON (util/codec).
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/util/codec.js';
import { Money } from '../../src/util/money.js';

const roundTrip = (v: unknown): unknown => decode(JSON.parse(JSON.stringify(encode(v))));

describe('codec', () => {
  it('Money comes back as Money with every digit, beyond what a float64 holds', () => {
    const back = roundTrip({ cost: new Money('0.01666666666666666666666667'), refund: new Money('-1.5'), none: new Money(0) }) as Record<string, Money>;
    expect(back.cost).toBeInstanceOf(Money);
    expect(back.cost.toString()).toBe('0.01666666666666666666666667');
    expect(back.refund.toString()).toBe('-1.5');
    expect(back.none.isZero()).toBe(true);
  });

  it('an object reached twice is stored once and shared again after decoding', () => {
    const shared = { rate: new Money('0.2'), unit: 60e9 };
    const data = encode({ spans: [{ ri: shared }, { ri: shared }], also: shared });
    expect(JSON.stringify(data).match(/0\.2/g)).toHaveLength(1);
    const back = decode(JSON.parse(JSON.stringify(data))) as { spans: { ri: unknown }[]; also: { rate: Money } };
    expect(back.spans[0].ri).toBe(back.spans[1].ri);
    expect(back.also).toBe(back.spans[0].ri);
    expect(back.also.rate.toString()).toBe('0.2');
  });

  it('bigint nanosecond instants come back exact', () => {
    const back = roundTrip({ at: 1_407_157_200_123_456_789n }) as { at: bigint };
    expect(back.at).toBe(1_407_157_200_123_456_789n);
  });

  it('plain data encodes as itself, as JSON would write it', () => {
    const plain = { a: 1, b: 'x', c: [1, { d: null }], e: true, f: undefined };
    expect(encode(plain)).toEqual(JSON.parse(JSON.stringify(plain)));
    expect(roundTrip(plain)).toEqual(JSON.parse(JSON.stringify(plain)));
  });
});
