// Step 8 rule 1 in the exporters: a `*datetime` field keeps the nanoseconds of its source for layouts that print them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCDRs, templateFromExporter } from '../../src/export/index.js';
import { cdrFromEvent } from '../../src/cdrs/index.js';
import { formatGoTime } from '../../src/filters/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-export-ns-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('rule 1: times keep their nanoseconds (export *datetime layouts)', () => {
  it('.000000000 prints all nine digits, .999999999 trims, .000 cuts to ms; unix nanoseconds in', async () => {
    const t = templateFromExporter({
      id: 'ns', field_separator: ';', timezone: 'UTC',
      fields: [
        { tag: 'A', path: '*exp.A', type: '*datetime', value: '~*req.ns_time', layout: '2006-01-02T15:04:05.000000000Z07:00' },
        { tag: 'B', path: '*exp.B', type: '*datetime', value: '~*req.ns_time', layout: '15:04:05.999999999' },
        { tag: 'C', path: '*exp.C', type: '*datetime', value: '~*req.ns_time', layout: '15:04:05.000' },
        { tag: 'D', path: '*exp.D', type: '*datetime', value: '~*req.unix_ns', layout: '2006-01-02T15:04:05.999999999Z07:00' },
      ],
    });
    const cdr = cdrFromEvent({
      OriginID: 'n1', OriginHost: 'h', Account: '1001', Destination: '1002', AnswerTime: '2014-08-04T13:00:07Z', Usage: '1s',
      ns_time: '2014-08-04T13:00:07.123456780Z', unix_ns: '1407157207000000001',
    }, { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' });
    const r = await exportCDRs([{ ...cdr, OrderID: 1 }], t, { exportPath: dir });
    expect(await readFile(r.fileName, 'utf8')).toBe('2014-08-04T13:00:07.123456780Z;13:00:07.12345678;13:00:07.123;2014-08-04T13:00:07.000000001Z\n');
  });

  it('formatGoTime without nanoseconds prints as before', () => {
    expect(formatGoTime(Date.UTC(2014, 7, 4, 13, 0, 7, 120), '15:04:05.000000')).toBe('13:00:07.120000');
  });
});
