import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/util/lru.js';

describe('LruMap', () => {
  it('drops the least recently used entry when full, and says which', () => {
    const dropped: [string, number][] = [];
    const m = new LruMap<string, number>(2, (k, v) => dropped.push([k, v]));
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recently used
    m.set('c', 3);
    expect(dropped).toEqual([['b', 2]]);
    expect([...m.values()]).toEqual([1, 3]);
  });

  it('a delete or a clear is not an eviction', () => {
    const dropped: string[] = [];
    const m = new LruMap<string, number>(2, (k) => dropped.push(k));
    m.set('a', 1);
    m.delete('a');
    m.set('b', 2);
    m.clear();
    expect(dropped).toEqual([]);
    expect(m.size).toBe(0);
  });
});
