// Reads the captured datagrams out of test/fixtures/opensips/*.txt: each is verbatim between a
// `### <ts> from <addr> len=N` (or `request ... len=N` / `reply len=N`) line and the next `###` line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '../../fixtures/opensips');

export interface Captured {
  section: string;
  head: string;
  bytes: Buffer;
}

export function captures(file: string): Captured[] {
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const out: Captured[] = [];
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('## ')) section = l.slice(3);
    const m = /^### .* len=(\d+)$/.exec(l);
    if (!m) continue;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith('###')) body.push(lines[j++]);
    const bytes = Buffer.from(body.join('\n'), 'utf8').subarray(0, Number(m[1]));
    out.push({ section, head: l, bytes });
  }
  return out;
}

/** The event datagrams of a capture, in file order. */
export function eventDatagrams(file: string): Captured[] {
  return captures(file).filter((c) => c.head.includes(' from '));
}
