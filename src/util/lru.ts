// A bounded map that forgets the least recently used entry first (caches of stored documents).

export class LruMap<K, V> {
  private readonly m = new Map<K, V>();

  constructor(readonly max: number) {}

  /** The value, now the most recently used; undefined when absent. */
  get(k: K): V | undefined {
    const v = this.m.get(k);
    if (v === undefined) return undefined;
    this.m.delete(k);
    this.m.set(k, v);
    return v;
  }

  set(k: K, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    if (this.m.size > this.max) this.m.delete(this.m.keys().next().value as K);
  }

  delete(k: K): void {
    this.m.delete(k);
  }

  clear(): void {
    this.m.clear();
  }

  get size(): number {
    return this.m.size;
  }
}
