import { describe, expect, it } from 'vitest';
import { Framer, FramingError } from '../../../src/agents/diameter/framing.js';

function message(len: number, fill: number): Buffer {
  const b = Buffer.alloc(len, fill);
  b.writeUInt32BE(len, 0);
  b[0] = 1;
  return b;
}

describe('Diameter framing', () => {
  it('several messages in one read come out one by one', () => {
    const f = new Framer();
    const out = f.push(Buffer.concat([message(20, 1), message(28, 2), message(24, 3)]));
    expect(out.map((m) => m.length)).toEqual([20, 28, 24]);
    expect(out[1][27]).toBe(2);
    expect(f.pending).toBe(0);
  });

  it('one message over many reads (byte by byte) comes out once, whole', () => {
    const f = new Framer();
    const m = message(44, 7);
    const got: Buffer[] = [];
    for (const b of m) got.push(...f.push(Buffer.from([b])));
    expect(got).toHaveLength(1);
    expect(got[0].equals(m)).toBe(true);
  });

  it('a message split across reads followed by part of the next keeps the rest pending', () => {
    const f = new Framer();
    const all = Buffer.concat([message(32, 4), message(20, 5)]);
    expect(f.push(all.subarray(0, 10))).toHaveLength(0);
    const out = f.push(all.subarray(10, 40));
    expect(out).toHaveLength(1);
    expect(out[0].equals(all.subarray(0, 32))).toBe(true);
    expect(f.pending).toBe(8);
    expect(f.push(all.subarray(40))[0].equals(all.subarray(32))).toBe(true);
  });

  it('a message within one read is a slice of it, not a copy', () => {
    const f = new Framer();
    const chunk = Buffer.concat([message(20, 1), message(20, 2)]);
    const [a] = f.push(chunk);
    chunk[19] = 99;
    expect(a[19]).toBe(99);
  });

  it('a length above the size limit is refused before the body arrives', () => {
    const f = new Framer(1024);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(4096, 0);
    head[0] = 1;
    expect(() => f.push(head)).toThrow(FramingError);
    expect(() => new Framer(1024).push(head)).toThrow(/exceeds the limit of 1024/);
  });

  it('a version other than 1 or a length below the header is refused', () => {
    const bad = message(20, 0);
    bad[0] = 2;
    expect(() => new Framer().push(bad)).toThrow(/version 2/);
    const short = Buffer.from([1, 0, 0, 12]);
    expect(() => new Framer().push(short)).toThrow(/length 12/);
  });
});
