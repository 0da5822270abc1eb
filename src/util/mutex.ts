// Serialisation primitives: one holder at a time, FIFO, promise-only.

export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `fn` after every earlier holder has finished; errors propagate to the caller only. */
  run<R>(fn: () => Promise<R> | R): Promise<R> {
    const result = this.tail.then(() => fn());
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** One mutex per key (e.g. per account id), forgotten when idle so memory stays bounded. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  run<R>(key: string, fn: () => Promise<R> | R): Promise<R> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(() => fn());
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, done);
    void done.then(() => {
      if (this.tails.get(key) === done) this.tails.delete(key);
    });
    return result;
  }

  get size(): number {
    return this.tails.size;
  }
}
