// A full, compacting garbage collection on request. After a tariff-plan load the parsed plan (a
// few hundred MB for a million destinations) is dead but sits in V8's old generation until the
// heap next grows, which on an idle engine can be never: the engine collects it right after the
// load, once, so its memory is what it holds. gc is exposed for this process only, on first use.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
