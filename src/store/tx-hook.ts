// A write that must commit in the same transaction as a deeper layer's own write, without that
// layer knowing what it is: the caller sets a hook around its call; the layer that opens the
// transaction takes the hook and runs it, with its result, just before COMMIT. This is how a debit
// and the record that explains it (the CDR journal, the session's charged state) commit together.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { KVTx } from './types.js';

/** Runs inside the transaction, after the body, with the body's result; a throw rolls all back. */
export type TxHook = (result: unknown, tx: KVTx) => Promise<void>;

const ambient = new AsyncLocalStorage<{ hook?: TxHook }>();

/** Calls `fn` with `hook` waiting for the first persisting transaction `fn` opens. */
export async function withTxHook<R>(hook: TxHook, fn: () => Promise<R>): Promise<R> {
  const store: { hook?: TxHook } = { hook };
  try {
    return await ambient.run(store, fn);
  } finally {
    // Timers started inside `fn` keep this context: they must not find the hook later.
    store.hook = undefined;
  }
}

/** Takes the waiting hook (once: a later transaction of the same call does not run it again). */
export function takeTxHook(): TxHook | undefined {
  const s = ambient.getStore();
  const h = s?.hook;
  if (s) s.hook = undefined;
  return h;
}
