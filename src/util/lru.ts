// A bounded map that forgets the least recently used entry first (caches of stored documents).

export class LruMap<K, V> {
  private readonly m = new Map<K, V>();

  /** `onEvict` is told of each entry dropped to make room (not of deletes or clears). */
  constructor(
    readonly max: number,
    private readonly onEvict?: (k: K, v: V) => void,
  ) {}

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
    if (this.m.size > this.max) {
      const [oldK, oldV] = this.m.entries().next().value as [K, V];
      this.m.delete(oldK);
      this.onEvict?.(oldK, oldV);
    }
  }

  delete(k: K): void {
    this.m.delete(k);
  }

  values(): IterableIterator<V> {
    return this.m.values();
  }

  clear(): void {
    this.m.clear();
  }

  get size(): number {
    return this.m.size;
  }
}
