// collectGarbage (src/util/gc.ts): what nothing holds any more is gone after it, without --expose-gc.
import { expect, test } from 'vitest';
import { collectGarbage } from '../../src/util/gc.js';

test('collectGarbage frees an object nothing holds any more', async () => {
  let plan: { rows: number[] } | null = { rows: Array.from({ length: 1000 }, (_, i) => i) };
  const ref = new WeakRef(plan);
  plan = null;
  // A WeakRef keeps its target until the end of the job that made it.
  await new Promise((r) => setTimeout(r, 0));
  collectGarbage();
  expect(ref.deref()).toBeUndefined();
});
